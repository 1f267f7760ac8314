package replay

import (
	"fmt"
	"math/rand/v2"
)

// Batch is a sampled minibatch of B transitions, in preallocated slices
// that Sample overwrites. With the n-step return of each row, the DQN
// target is
//
//	y = Returns[i] + Discounts[i] * max_a Q'(NextObs[i], a)   unless Terminal[i]
//	y = Returns[i]                                             if Terminal[i]
//
// and the loss of row i is multiplied by Weights[i].
type Batch struct {
	Obs       []float32 // [B, ObsShape...] s_t; uint8 values times Config.Scale
	Actions   []int     // [B] a_t
	Returns   []float32 // [B] R = sum_{i<m} gamma^i r_{t+i}, m = NStep or fewer at an episode end
	NextObs   []float32 // [B, ObsShape...] s_{t+m}: the observation to bootstrap from
	Discounts []float32 // [B] gamma^m, for the bootstrap value
	Terminal  []bool    // [B] s_{t+m} is terminal: no bootstrap
	Weights   []float32 // [B] importance weights, at most 1; all 1 for uniform replay
	Indices   []int     // [B] the sampled slots, for UpdatePriorities
}

// NewBatch returns a batch of size rows shaped for this buffer.
func (b *Buffer) NewBatch(size int) *Batch {
	if size < 1 {
		panic(fmt.Sprintf("replay: batch size %d: want 1 or more", size))
	}
	return &Batch{
		Obs:       make([]float32, size*b.obs),
		Actions:   make([]int, size),
		Returns:   make([]float32, size),
		NextObs:   make([]float32, size*b.obs),
		Discounts: make([]float32, size),
		Terminal:  make([]bool, size),
		Weights:   make([]float32, size),
		Indices:   make([]int, size),
	}
}

// Sample fills dst (from NewBatch) with transitions drawn with rng:
// uniformly over the Len() sampleable ones, or for a prioritized buffer
// with probability p_i / sum p by stratified sampling, with importance
// weights of exponent beta (see BetaAt; ignored by uniform buffers). The
// same buffer state and rng state give the same batch. It allocates
// nothing. Sampling from a buffer with Len() == 0 panics.
func (b *Buffer) Sample(dst *Batch, rng *rand.Rand, beta float64) {
	B := len(dst.Indices)
	if b.ready == 0 {
		panic("replay: Sample from a buffer with no sampleable transition; wait until Len() > 0")
	}
	if B == 0 || len(dst.Obs) != B*b.obs || len(dst.NextObs) != B*b.obs || len(dst.Actions) != B || len(dst.Returns) != B ||
		len(dst.Discounts) != B || len(dst.Terminal) != B || len(dst.Weights) != B {
		panic("replay: Sample into a batch not made by this buffer's NewBatch")
	}
	if b.prio != nil {
		b.prio.sample(dst.Indices, dst.Weights, rng, beta, b.ready)
	} else {
		oldest := b.head - b.size
		for i := range dst.Indices {
			j := b.wrap(oldest + rng.IntN(b.size))
			for b.flags[j]&flagReady == 0 {
				j = b.wrap(oldest + rng.IntN(b.size))
			}
			dst.Indices[i] = j
			dst.Weights[i] = 1
		}
	}
	for i, j := range dst.Indices {
		b.row(dst, i, j)
	}
}

// row fills row i of dst with the transition of slot j and its n-step
// return.
func (b *Buffer) row(dst *Batch, i, j int) {
	b.stack(dst.Obs[i*b.obs:(i+1)*b.obs], j)
	dst.Actions[i] = int(b.action[j])
	ret, disc, m, terminal := 0.0, 1.0, 0, false
	for m < b.n {
		s := b.wrap(j + m)
		ret += disc * float64(b.reward[s])
		disc *= b.cfg.Gamma
		m++
		if f := b.flags[s]; f&flagEnd != 0 {
			terminal = f&flagTerminated != 0
			break
		}
	}
	dst.Returns[i] = float32(ret)
	dst.Discounts[i] = float32(disc)
	dst.Terminal[i] = terminal
	b.stack(dst.NextObs[i*b.obs:(i+1)*b.obs], b.wrap(j+m))
}

// stack writes slot j's observation into dst: its FrameStack frames, oldest
// first, as float32.
func (b *Buffer) stack(dst []float32, j int) {
	F := b.frame
	for f := range b.k {
		src := b.stackSlot(j, f)
		if b.u8 != nil {
			Scale(dst[f*F:(f+1)*F], b.u8[src*F:(src+1)*F], b.cfg.Scale)
		} else {
			copy(dst[f*F:(f+1)*F], b.f32[src*F:(src+1)*F])
		}
	}
}

// Scale sets dst[i] = float32(src[i]) * s: the conversion that sampled
// batches go through, for the agent to apply to the observations it acts on.
func Scale(dst []float32, src []uint8, s float32) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("replay: Scale into %d values from %d", len(dst), len(src)))
	}
	for i, v := range src {
		dst[i] = float32(v) * s
	}
}
