package replay

import (
	"bytes"
	"fmt"
	"math"
	"slices"
)

// Flags of a slot.
const (
	flagStep       uint8 = 1 << iota // the slot holds a transition: an action and a reward follow its observation
	flagTerminated                   // the transition reached a terminal state: no bootstrap from what follows
	flagEnd                          // the transition ended its episode (terminated or truncated)
	flagReady                        // the transition can be sampled: Buffer.sampleable holds
	flagsKnown     = flagStep | flagTerminated | flagEnd | flagReady
)

// maxOffset is where a slot's step counter saturates; FrameStack and NStep
// stay far below it.
const maxOffset = 255

// Buffer is a fixed-capacity ring of transitions. Each slot holds one
// frame (the newest of its observation's stack) and the transition that
// leaves it: the action, the reward and whether the episode ended there.
// An episode of L steps fills L+1 consecutive slots, s_0 ... s_L; the last
// holds the final observation, which a truncated episode bootstraps from.
// Stacks are rebuilt at sampling time from the slots before, repeating the
// episode's first frame as FrameStack does after Reset.
//
// A Buffer is not safe for concurrent use.
type Buffer struct {
	cfg   Config
	frame int // values per stored frame: an observation divided by FrameStack
	obs   int // values per observation
	k     int // FrameStack
	n     int // NStep
	cap   int // Capacity

	u8     []uint8   // [Capacity, frame] for DType U8
	f32    []float32 // [Capacity, frame] for DType F32
	action []uint8   // [Capacity]
	reward []float32 // [Capacity]
	flags  []uint8   // [Capacity] flag* bits
	offset []uint8   // [Capacity] steps since the episode's first observation, saturated at maxOffset

	head  int  // next slot to write
	size  int  // slots written, at most Capacity; while below it, head == size
	open  bool // slot head-1 holds the current observation of a running episode
	ready int  // slots with flagReady

	prio   *priorities  // nil for uniform replay
	scaled [256]float32 // float32(v) * Scale for each uint8 value v

	batch    *Batch           // the batch Sample is filling
	fillRows func(lo, hi int) // fills rows [lo, hi) of batch; made once so that par.For allocates nothing
}

// New returns an empty buffer, or a one-line error naming the field of cfg
// that is out of range. All memory is allocated here.
func New(cfg Config) (*Buffer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.ObsShape = slices.Clone(cfg.ObsShape)
	b := &Buffer{
		cfg:    cfg,
		obs:    cfg.obsLen(),
		k:      cfg.FrameStack,
		n:      cfg.NStep,
		cap:    cfg.Capacity,
		action: make([]uint8, cfg.Capacity),
		reward: make([]float32, cfg.Capacity),
		flags:  make([]uint8, cfg.Capacity),
		offset: make([]uint8, cfg.Capacity),
	}
	b.frame = b.obs / b.k
	for v := range b.scaled {
		b.scaled[v] = float32(v) * cfg.Scale
	}
	if cfg.DType == U8 {
		b.u8 = make([]uint8, cfg.Capacity*b.frame)
	} else {
		b.f32 = make([]float32, cfg.Capacity*b.frame)
	}
	if cfg.Prioritized {
		b.prio = newPriorities(cfg.Capacity, cfg.Alpha, cfg.Eps)
	}
	b.fillRows = func(lo, hi int) {
		for i := lo; i < hi; i++ {
			b.row(b.batch, i, b.batch.Indices[i])
		}
	}
	return b, nil
}

// Len returns the number of transitions that Sample can draw: those whose
// whole stack and n-step window are still in the ring.
func (b *Buffer) Len() int { return b.ready }

// AddU8 stores one step of a buffer of DType U8: obs, the action taken,
// the reward, the observation that followed, and whether the episode ended
// there (terminated: a terminal state; truncated: cut by a time limit,
// next is then the real last observation). Call it for every step in
// order; obs must be the previous call's next unless that call ended the
// episode. The buffer copies what it keeps; since an env's observation is
// a view into a buffer that Step overwrites, keep a copy of obs before
// calling Step. A step that breaks these rules panics and changes nothing.
func (b *Buffer) AddU8(obs []uint8, action int, reward float64, next []uint8, terminated, truncated bool) {
	if b.cfg.DType != U8 {
		panic("replay: AddU8 on a buffer of float32 observations; use AddF32")
	}
	add(b, b.u8, bytes.Equal, obs, action, reward, next, terminated, truncated)
}

// AddF32 is AddU8 for a buffer of DType F32.
func (b *Buffer) AddF32(obs []float32, action int, reward float64, next []float32, terminated, truncated bool) {
	if b.cfg.DType != F32 {
		panic("replay: AddF32 on a buffer of uint8 observations; use AddU8")
	}
	add(b, b.f32, sameF32, obs, action, reward, next, terminated, truncated)
}

// add stores one step into frames, the buffer's frame store. Only the
// newest frame of each stack is copied; the older ones are checked with
// same against what the buffer already holds, so that a rebuilt stack is
// always the one the env gave.
func add[T uint8 | float32](b *Buffer, frames []T, same func(a, b []T) bool, obs []T, action int, reward float64, next []T, terminated, truncated bool) {
	if len(obs) != b.obs || len(next) != b.obs {
		panic(fmt.Sprintf("replay: Add got obs of %d values and next of %d, want %d (shape %v)", len(obs), len(next), b.obs, b.cfg.ObsShape))
	}
	if action < 0 || action > math.MaxUint8 {
		panic(fmt.Sprintf("replay: action %d outside [0, 255]", action))
	}
	if math.IsNaN(reward) || math.Abs(reward) > math.MaxFloat32 {
		panic(fmt.Sprintf("replay: reward %v is not a finite float32", reward))
	}
	F, k := b.frame, b.k
	if b.open {
		s := b.wrap(b.head - 1)
		for f := range k {
			src := b.stackSlot(s, f)
			if !same(obs[f*F:(f+1)*F], frames[src*F:(src+1)*F]) {
				panic("replay: obs is not the next observation of the previous Add; add every step in order and flag episode ends")
			}
		}
	} else {
		for f := 1; f < k; f++ {
			if !same(obs[f*F:(f+1)*F], obs[:F]) {
				panic(fmt.Sprintf("replay: the first observation of an episode must repeat its frame in all %d stack slots, as FrameStack gives it after Reset", k))
			}
		}
	}
	if !same(next[:(k-1)*F], obs[F:]) {
		panic("replay: next is not obs shifted by one frame, as FrameStack gives it")
	}

	// Checked; from here on the buffer changes.
	s := b.wrap(b.head - 1) // the slot of obs
	if !b.open {
		s = b.claim()
		copy(frames[s*F:(s+1)*F], obs[(k-1)*F:])
		b.offset[s] = 0
	}
	f := flagStep
	if terminated {
		f |= flagTerminated | flagEnd
	}
	if truncated {
		f |= flagEnd
	}
	b.flags[s] = f
	b.action[s] = uint8(action)
	b.reward[s] = float32(reward)

	w := b.claim()
	copy(frames[w*F:(w+1)*F], next[(k-1)*F:])
	b.offset[w] = min(b.offset[s], maxOffset-1) + 1
	b.open = !terminated && !truncated

	// The n-step windows that this step completes: the last NStep
	// transitions of the episode, all of them when it ended here.
	for i := 0; i < b.n && i <= int(b.offset[s]); i++ {
		if j := b.wrap(s - i); b.sampleable(j) {
			b.setReady(j, true)
		}
	}
}

// claim returns the next slot to write, cleared, and advances the ring.
// When the ring is full it overwrites the oldest slot; the new oldest
// slots then lose the frames before them, and with them any stack that
// reached back that far.
func (b *Buffer) claim() int {
	w := b.head
	if b.size == b.cap {
		b.setReady(w, false)
	} else {
		b.size++
	}
	b.flags[w] = 0
	b.head = b.wrap(w + 1)
	if b.size == b.cap {
		for p := 0; p < b.k-1; p++ { // p: position from the oldest slot
			if j := b.wrap(b.head + p); b.flags[j]&flagReady != 0 && b.back(j) > p {
				b.setReady(j, false)
			}
		}
	}
	return w
}

// sampleable reports whether slot j holds a transition whose stack and
// n-step window are complete in the ring: the frames its stack needs are
// not overwritten, and the window reaches either an episode end or
// NStep transitions with the bootstrap observation after them. It ignores
// flagReady, which records its answer.
func (b *Buffer) sampleable(j int) bool {
	p := b.pos(j)
	if p >= b.size || b.flags[j]&flagStep == 0 || b.back(j) > p {
		return false
	}
	for i := range b.n {
		if p+i >= b.size {
			return false
		}
		f := b.flags[b.wrap(j+i)]
		if f&flagStep == 0 { // the current observation of a running episode
			return false
		}
		if f&flagEnd != 0 {
			return true
		}
	}
	return p+b.n < b.size
}

// setReady sets or clears slot j's flagReady, keeping the count and the
// priorities in step: a transition that becomes ready gets the largest
// priority seen so far, one that stops being ready gets zero.
func (b *Buffer) setReady(j int, on bool) {
	if (b.flags[j]&flagReady != 0) == on {
		return
	}
	if on {
		b.flags[j] |= flagReady
		b.ready++
		if b.prio != nil {
			b.prio.set(j, b.prio.max)
		}
		return
	}
	b.flags[j] &^= flagReady
	b.ready--
	if b.prio != nil {
		b.prio.set(j, 0)
	}
}

// back returns how many frames before slot j its stack uses.
func (b *Buffer) back(j int) int { return min(int(b.offset[j]), b.k-1) }

// stackSlot returns the slot holding frame f (0 oldest) of slot j's stack:
// the episode's first frame stands in for frames before the episode began.
func (b *Buffer) stackSlot(j, f int) int { return b.wrap(j - min(b.k-1-f, b.back(j))) }

// pos returns slot j's position from the oldest slot; it holds data when
// below size.
func (b *Buffer) pos(j int) int { return b.wrap(j - (b.head - b.size)) }

// wrap maps i, at most one capacity away, into [0, Capacity).
func (b *Buffer) wrap(i int) int {
	if i < 0 {
		return i + b.cap
	}
	if i >= b.cap {
		return i - b.cap
	}
	return i
}

// sameF32 reports whether a and b hold the same values, NaN equal to NaN.
func sameF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && (a[i] == a[i] || b[i] == b[i]) {
			return false
		}
	}
	return true
}
