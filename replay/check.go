package replay

import (
	"fmt"
	"math"
)

// check returns an error naming the first slot that breaks the ring's
// invariants: flags that agree with each other, step counters that follow
// the episodes (0 at each episode's first observation), a final
// observation after every episode end, flagReady exactly where
// sampleable holds, and a priority above zero exactly on those slots.
func (b *Buffer) check() error {
	for p := range b.size { // p: position from the oldest slot
		j := b.wrap(b.head - b.size + p)
		f := b.flags[j]
		if f&^flagsKnown != 0 {
			return fmt.Errorf("slot %d: unknown flags %#02x", j, f)
		}
		if f&flagTerminated != 0 && f&flagEnd == 0 || f&(flagEnd|flagReady) != 0 && f&flagStep == 0 {
			return fmt.Errorf("slot %d: flags %#02x contradict each other", j, f)
		}
		if r := float64(b.reward[j]); math.IsNaN(r) || math.IsInf(r, 0) {
			return fmt.Errorf("slot %d: reward %v is not finite", j, r)
		}
		newest := p == b.size-1
		if newest && f&flagStep != 0 {
			return fmt.Errorf("slot %d: the newest slot holds a transition", j)
		}
		if p == 0 {
			if b.size < b.cap && b.offset[j] != 0 { // slot 0 of a ring not yet full starts an episode
				return fmt.Errorf("slot %d: the first slot is step %d of its episode, not 0", j, b.offset[j])
			}
		} else {
			pf := b.flags[b.wrap(j-1)]
			want := uint8(0)
			if pf&flagStep != 0 {
				want = min(b.offset[b.wrap(j-1)], maxOffset-1) + 1
			}
			switch {
			case b.offset[j] != want:
				return fmt.Errorf("slot %d: step %d of its episode, after step %d in the slot before", j, b.offset[j], b.offset[b.wrap(j-1)])
			case pf&flagEnd != 0 && f&flagStep != 0:
				return fmt.Errorf("slot %d: a transition where its episode's last observation belongs", j)
			case pf&flagEnd == 0 && f&flagStep == 0 && !newest:
				return fmt.Errorf("slot %d: an observation without a transition inside an episode", j)
			case pf&flagStep == 0 && newest:
				return fmt.Errorf("slot %d: the newest observation follows no transition", j)
			}
		}
		ready := f&flagReady != 0
		if ready != b.sampleable(j) {
			return fmt.Errorf("slot %d: ready flag %v disagrees with its stack and n-step window", j, ready)
		}
		if b.prio != nil {
			v := b.prio.sum[b.prio.leaves+j]
			if ready && !(v > 0 && v <= b.prio.max) || !ready && v != 0 {
				return fmt.Errorf("slot %d: priority %v out of range for a slot with ready flag %v (largest %v)", j, v, ready, b.prio.max)
			}
		}
	}
	return nil
}

// restore checks the arrays that Load read and derives what the file does
// not store: the ready count, whether an episode is open, and the inner
// nodes of the priority trees.
func (b *Buffer) restore() error {
	if err := b.check(); err != nil {
		return err
	}
	b.ready = 0
	for _, f := range b.flags[:b.size] {
		if f&flagReady != 0 {
			b.ready++
		}
	}
	// After every Add, slot head-2 holds its transition.
	b.open = b.size > 0 && b.flags[b.wrap(b.head-2)]&flagEnd == 0
	if b.prio != nil {
		b.prio.rebuild()
	}
	return nil
}
