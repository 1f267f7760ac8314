package embed

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/arcadelab/arcade/internal/run"
)

// cooc is one non-zero entry X_ij of the co-occurrence matrix.
type cooc struct {
	i, j int32
	x    float64
}

// cooccurrences counts, within each sentence, the words up to window apart
// on either side; a pair d words apart adds 1/d (Pennington et al., 2014,
// section 4.2). The matrix is symmetric; entries come sorted by (i, j).
func cooccurrences(c *Corpus, window int) []cooc {
	v := int64(c.Vocab.Len())
	counts := map[int64]float64{}
	for s := range c.Ends {
		sent := c.Sentence(s)
		for p, wp := range sent {
			for q := p + 1; q < len(sent) && q <= p+window; q++ {
				inc := 1 / float64(q-p)
				counts[int64(wp)*v+int64(sent[q])] += inc
				counts[int64(sent[q])*v+int64(wp)] += inc
			}
		}
	}
	out := make([]cooc, 0, len(counts))
	for k, x := range counts {
		out = append(out, cooc{int32(k / v), int32(k % v), x})
	}
	slices.SortFunc(out, func(a, b cooc) int {
		return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	return out
}

// gloVe fits w_i · w~_j + b_i + b~_j to log X_ij by weighted least squares,
//
//	J = Σ_{X_ij > 0} f(X_ij) (w_i · w~_j + b_i + b~_j - log X_ij)^2,
//	f(x) = (x/x_max)^alpha for x < x_max, else 1,
//
// with AdaGrad (Duchi et al., 2011) over the entries in a fresh random
// order each epoch. As in the reference implementation, each entry's step
// follows the gradient of J/2, and the AdaGrad sums of squared gradients
// start at 1. The embedding is W + W~ (the paper, section 4.2).
type gloVe struct {
	m        *Model
	cooc     []cooc
	perm     []int32
	w, wt    []float32 // V x D
	b, bt    []float32 // V
	gw, gwt  []float32 // AdaGrad sums for w, w~
	gb, gbt  []float32 // and for b, b~
	logX, fX []float32 // per entry: log X_ij and f(X_ij)
}

func newGloVe(m *Model, rng *rand.Rand) *gloVe {
	v, d := m.Corpus.Vocab.Len(), m.Dim
	g := &gloVe{m: m, cooc: cooccurrences(m.Corpus, m.Window),
		w: uniformInit(v*d, d, rng), wt: uniformInit(v*d, d, rng),
		b: uniformInit(v, d, rng), bt: uniformInit(v, d, rng),
		gw: ones(v * d), gwt: ones(v * d), gb: ones(v), gbt: ones(v)}
	g.perm = make([]int32, len(g.cooc))
	g.logX, g.fX = make([]float32, len(g.cooc)), make([]float32, len(g.cooc))
	for k, e := range g.cooc {
		g.logX[k] = float32(math.Log(e.x))
		g.fX[k] = 1
		if e.x < m.XMax {
			g.fX[k] = float32(math.Pow(e.x/m.XMax, m.Alpha))
		}
	}
	return g
}

// Cooccurrences reports, for a glove model, the number of non-zero
// entries of the co-occurrence matrix, and false for the other methods.
func (m *Model) Cooccurrences() (int, bool) {
	g, ok := m.learn.(*gloVe)
	if !ok {
		return 0, false
	}
	return len(g.cooc), true
}

func (g *gloVe) epoch(rng *rand.Rand, pr *pass) (float64, error) {
	for k := range g.perm {
		g.perm[k] = int32(k)
	}
	rng.Shuffle(len(g.perm), func(a, b int) { g.perm[a], g.perm[b] = g.perm[b], g.perm[a] })
	var loss float64
	for _, k := range g.perm {
		loss += g.update(int(k), float32(g.m.LR))
		if pr.advance(1) {
			return 0, run.ErrInterrupted
		}
	}
	return loss / float64(max(len(g.cooc), 1)), nil
}

// update takes one AdaGrad step on entry k's term of J/2 and returns the
// term before the step, f(X_ij)(w_i·w~_j + b_i + b~_j - log X_ij)^2 / 2.
func (g *gloVe) update(k int, lr float32) float64 {
	d := g.m.Dim
	e := g.cooc[k]
	wi, wj := row(g.w, int(e.i), d), row(g.wt, int(e.j), d)
	gwi, gwj := row(g.gw, int(e.i), d), row(g.gwt, int(e.j), d)
	diff := dot(wi, wj) + g.b[e.i] + g.bt[e.j] - g.logX[k]
	fd := g.fX[k] * diff
	for c := range wi {
		di, dj := fd*wj[c], fd*wi[c]
		gwi[c] += di * di
		gwj[c] += dj * dj
		wi[c] -= lr * di / float32(math.Sqrt(float64(gwi[c])))
		wj[c] -= lr * dj / float32(math.Sqrt(float64(gwj[c])))
	}
	g.gb[e.i] += fd * fd
	g.gbt[e.j] += fd * fd
	g.b[e.i] -= lr * fd / float32(math.Sqrt(float64(g.gb[e.i])))
	g.bt[e.j] -= lr * fd / float32(math.Sqrt(float64(g.gbt[e.j])))
	return 0.5 * float64(fd) * float64(diff)
}

func (g *gloVe) tensors() []Tensor {
	v, d := g.m.Corpus.Vocab.Len(), g.m.Dim
	return []Tensor{
		{"w", []int{v, d}, g.w}, {"w_tilde", []int{v, d}, g.wt},
		{"b", []int{v}, g.b}, {"b_tilde", []int{v}, g.bt},
		{"adagrad_w", []int{v, d}, g.gw}, {"adagrad_w_tilde", []int{v, d}, g.gwt},
		{"adagrad_b", []int{v}, g.gb}, {"adagrad_b_tilde", []int{v}, g.gbt},
	}
}

func (g *gloVe) embeddings() []float32 {
	e := make([]float32, len(g.w))
	for k := range e {
		e[k] = g.w[k] + g.wt[k]
	}
	return e
}

func ones(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 1
	}
	return v
}
