package replay

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// priorities holds the proportional priorities of Schaul et al. 2016 in a
// sum tree, to sample slot i with probability p_i / sum p, and a min tree,
// for the largest importance weight. Node i has children 2i and 2i+1; the
// root is node 1; slot j is leaf leaves+j. A slot that cannot be sampled
// has priority 0 (+Inf in the min tree). Every inner node is recomputed
// from its children, never updated by a difference, so the trees are the
// same bits whatever order the leaves were set in.
type priorities struct {
	sum    []float64 // [2*leaves]
	min    []float64 // [2*leaves]
	leaves int       // a power of two, at least the capacity
	max    float64   // the largest priority seen: what new transitions get
	alpha  float64
	eps    float64
}

func newPriorities(capacity int, alpha, eps float64) *priorities {
	leaves := 1
	for leaves < capacity {
		leaves *= 2
	}
	t := &priorities{
		sum:    make([]float64, 2*leaves),
		min:    make([]float64, 2*leaves),
		leaves: leaves,
		max:    1,
		alpha:  alpha,
		eps:    eps,
	}
	for i := range t.min {
		t.min[i] = math.Inf(1)
	}
	return t
}

// set gives slot j priority p (0: not sampleable).
func (t *priorities) set(j int, p float64) {
	i := t.leaves + j
	t.sum[i] = p
	t.min[i] = p
	if p == 0 {
		t.min[i] = math.Inf(1)
	}
	for i > 1 {
		i /= 2
		t.sum[i] = t.sum[2*i] + t.sum[2*i+1]
		t.min[i] = min(t.min[2*i], t.min[2*i+1])
	}
}

// rebuild recomputes every inner node from the leaves.
func (t *priorities) rebuild() {
	for i := t.leaves; i < 2*t.leaves; i++ {
		t.min[i] = t.sum[i]
		if t.sum[i] == 0 {
			t.min[i] = math.Inf(1)
		}
	}
	for i := t.leaves - 1; i >= 1; i-- {
		t.sum[i] = t.sum[2*i] + t.sum[2*i+1]
		t.min[i] = min(t.min[2*i], t.min[2*i+1])
	}
}

// find returns the slot whose interval of the cumulative sum contains u,
// for u in [0, total). It never returns a slot of priority 0, even when
// rounding puts u at or past the total.
func (t *priorities) find(u float64) int {
	i := 1
	for i < t.leaves {
		l := 2 * i
		if u < t.sum[l] || t.sum[l+1] == 0 {
			i = l
		} else {
			u -= t.sum[l]
			i = l + 1
		}
	}
	return i - t.leaves
}

// sample draws len(idx) slots by stratified sampling: the total is cut
// into len(idx) equal segments and one value is drawn uniformly in each.
// w gets the importance weights (N * P(i))^-beta divided by their largest
// possible value, (N * P_min)^-beta, where N is the number of sampleable
// transitions.
func (t *priorities) sample(idx []int, w []float32, rng *rand.Rand, beta float64, n int) {
	total := t.sum[1]
	seg := total / float64(len(idx))
	maxW := math.Pow(float64(n)*t.min[1]/total, -beta)
	for i := range idx {
		j := t.find((float64(i) + rng.Float64()) * seg)
		idx[i] = j
		w[i] = float32(math.Pow(float64(n)*t.sum[t.leaves+j]/total, -beta) / maxW)
	}
}

// UpdatePriorities sets the priorities of the sampled slots indices (a
// Batch's Indices) from their new TD errors: p = (|delta| + Eps)^Alpha.
// Call it after Sample and before the next Add, which may overwrite the
// slots. A uniform buffer ignores the call.
func (b *Buffer) UpdatePriorities(indices []int, tdErrors []float32) {
	if len(indices) != len(tdErrors) {
		panic(fmt.Sprintf("replay: UpdatePriorities got %d indices and %d TD errors", len(indices), len(tdErrors)))
	}
	t := b.prio
	if t == nil {
		return
	}
	for i, j := range indices {
		if j < 0 || j >= b.cap || b.flags[j]&flagReady == 0 {
			panic(fmt.Sprintf("replay: UpdatePriorities index %d is not a sampleable transition", j))
		}
		d := float64(tdErrors[i])
		if math.IsNaN(d) || math.IsInf(d, 0) {
			panic(fmt.Sprintf("replay: TD error %v of index %d is not finite", d, j))
		}
		p := math.Pow(math.Abs(d)+t.eps, t.alpha)
		t.set(j, p)
		t.max = max(t.max, p)
	}
}

// BetaAt returns the importance-sampling exponent at step of a linear
// schedule from beta0 at step 0 to 1 at step steps and after (Schaul et
// al. 2016 anneal from 0.4 over the whole run).
func BetaAt(beta0 float64, step, steps int) float64 {
	if step >= steps {
		return 1
	}
	return beta0 + (1-beta0)*float64(step)/float64(steps)
}
