package replay

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/par"
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
// same buffer state and rng state give the same batch, at any number of
// threads: the draws are made first, then the rows are filled in parallel
// on the par pool. It allocates nothing. Sampling from a buffer with Len() == 0 panics.
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
	b.batch = dst
	par.For(B, rowGrain, b.fillRows)
	b.batch = nil
}

// rowGrain is the rows of a batch per parallel chunk: about 0.1 ms of work
// for 84x84x4 stacks.
const rowGrain = 4

// row fills row i of dst with the transition of slot j and its n-step
// return.
func (b *Buffer) row(dst *Batch, i, j int) {
	obs := dst.Obs[i*b.obs : (i+1)*b.obs]
	b.stack(obs, j, nil, 0)
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
	b.stack(dst.NextObs[i*b.obs:(i+1)*b.obs], b.wrap(j+m), obs, m)
}

// stack writes slot j's observation into dst: its FrameStack frames, oldest
// first, as float32. The observation m slots before, already written to
// prev (nil: none), shares frames with it: frame f of this stack is frame
// f+m of prev when both come from the same slot, and is copied from there
// rather than converted again.
func (b *Buffer) stack(dst []float32, j int, prev []float32, m int) {
	F := b.frame
	for f := range b.k {
		src := b.stackSlot(j, f)
		d := dst[f*F : (f+1)*F]
		switch g := f + m; {
		case prev != nil && g < b.k && b.stackSlot(b.wrap(j-m), g) == src:
			copy(d, prev[g*F:(g+1)*F])
		case b.u8 != nil:
			lookup(d, b.u8[src*F:(src+1)*F], &b.scaled)
		default:
			copy(d, b.f32[src*F:(src+1)*F])
		}
	}
}

// Scale sets dst[i] = float32(src[i]) * s: the values sampled batches hold,
// for the agent to apply to the observations it acts on.
func Scale(dst []float32, src []uint8, s float32) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("replay: Scale into %d values from %d", len(dst), len(src)))
	}
	for i, v := range src {
		dst[i] = float32(v) * s
	}
}

// lookup sets dst[i] = table[src[i]]: Scale through a table of the 256
// products, four values a step (twice as fast as converting each value).
func lookup(dst []float32, src []uint8, table *[256]float32) {
	dst = dst[:len(src)]
	n := len(src) &^ 3
	for i := 0; i < n; i += 4 {
		s, d := src[i:i+4:i+4], dst[i:i+4:i+4]
		d[0], d[1], d[2], d[3] = table[s[0]], table[s[1]], table[s[2]], table[s[3]]
	}
	for i := n; i < len(src); i++ {
		dst[i] = table[src[i]]
	}
}
