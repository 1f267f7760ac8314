package embed

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The training steps are checked against central finite differences of
// the loss they descend: with a small rate lr, a step changes each
// parameter by -lr times the derivative (AdaGrad: scaled as it says).

// numGrad returns the central difference of f with respect to each entry
// of x, measured over the step float32 actually takes.
func numGrad(f func() float64, x []float32) []float64 {
	g := make([]float64, len(x))
	for i, old := range x {
		hi, lo := float32(float64(old)+1e-3), float32(float64(old)-1e-3)
		x[i] = hi
		fh := f()
		x[i] = lo
		fl := f()
		x[i] = old
		g[i] = (fh - fl) / (float64(hi) - float64(lo))
	}
	return g
}

// requireStep checks after - before = -lr * grad, to 2% of the largest
// step.
func requireStep(t *testing.T, before, after []float32, grad []float64, lr float64, what string) {
	t.Helper()
	var scale float64
	for _, g := range grad {
		scale = max(scale, math.Abs(lr*g))
	}
	require.Greater(t, scale, 0.0, what)
	for i := range before {
		require.InDelta(t, -lr*grad[i], float64(after[i])-float64(before[i]), 0.02*scale, "%s[%d]", what, i)
	}
}

func dot64(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += float64(x[i]) * float64(y[i])
	}
	return s
}

func logSig64(x float64) float64 { return -math.Log1p(math.Exp(-x)) }

// tinyModel trains method on a small corpus of 30 words with random
// output parameters, so that every gradient is non-zero.
func tinyModel(t *testing.T, method string) *Model {
	var sentences []string
	rng := rand.New(rand.NewPCG(4, 4))
	for range 200 {
		s := ""
		for k := range 6 {
			if k > 0 {
				s += " "
			}
			s += string(rune('a'+rng.IntN(26))) + string(rune('a'+rng.IntN(2)))
		}
		sentences = append(sentences, s)
	}
	c, err := CorpusFromSentences(sentences, 1)
	require.NoError(t, err)
	cfg := DefaultConfig()
	cfg.Method, cfg.Dim, cfg.Negatives, cfg.Batch = method, 6, 4, 3
	m := New(cfg, c, 1)
	for _, tn := range m.learn.tensors() {
		if tn.Name == "out" || tn.Name == "bias" {
			for i := range tn.Data {
				tn.Data[i] = float32(rng.NormFloat64() * 0.3)
			}
		}
	}
	return m
}

func TestSGNSStepFollowsTheGradient(t *testing.T) {
	m := tinyModel(t, "sgns")
	s := m.learn.(*sgns)
	d := m.Dim
	wi, wo := int32(3), int32(7)
	var negs, rows []int32 // the draws of the step, then the rows they touch
	draw := rand.New(rand.NewPCG(9, 9))
	rows = append(rows, wo)
	for range m.Negatives {
		if n := s.noise.sample(draw); n != wo {
			negs = append(negs, n)
			if !slices.Contains(rows, n) {
				rows = append(rows, n)
			}
		}
	}
	require.NotEmpty(t, negs)
	vi := row(s.in, int(wi), d)
	loss := func() float64 {
		l := -logSig64(dot64(vi, row(s.out, int(wo), d)))
		for _, n := range negs {
			l -= logSig64(-dot64(vi, row(s.out, int(n), d)))
		}
		return l
	}
	gIn := numGrad(loss, vi)
	gOut := make([][]float64, len(rows))
	before := make([][]float32, len(rows))
	for k, r := range rows {
		gOut[k] = numGrad(loss, row(s.out, int(r), d))
		before[k] = slices.Clone(row(s.out, int(r), d))
	}
	inBefore := slices.Clone(vi)
	want := loss()
	const lr = 1e-3
	got := s.pair(wi, wo, lr, rand.New(rand.NewPCG(9, 9)))
	require.InDelta(t, want, got, 1e-5)
	requireStep(t, inBefore, vi, gIn, lr, "v_I")
	for k, r := range rows {
		requireStep(t, before[k], row(s.out, int(r), d), gOut[k], lr, "v'")
	}
}

func TestHSStepFollowsTheGradient(t *testing.T) {
	m := tinyModel(t, "hs")
	h := m.learn.(*hs)
	d := m.Dim
	wi, wo := int32(2), int32(20)
	vi := row(h.in, int(wi), d)
	lo, hi := h.tree.start[wo], h.tree.start[wo+1]
	loss := func() float64 {
		var l float64
		for k := lo; k < hi; k++ {
			f := dot64(vi, row(h.out, int(h.tree.points[k]), d))
			if h.tree.codes[k] == 0 {
				l -= logSig64(f)
			} else {
				l -= logSig64(-f)
			}
		}
		return l
	}
	gIn := numGrad(loss, vi)
	var gOut [][]float64
	var before [][]float32
	for k := lo; k < hi; k++ {
		gOut = append(gOut, numGrad(loss, row(h.out, int(h.tree.points[k]), d)))
		before = append(before, slices.Clone(row(h.out, int(h.tree.points[k]), d)))
	}
	inBefore := slices.Clone(vi)
	want := loss()
	const lr = 1e-3
	require.InDelta(t, want, h.pair(wi, wo, lr), 1e-5)
	requireStep(t, inBefore, vi, gIn, lr, "v_I")
	for k := lo; k < hi; k++ {
		requireStep(t, before[k-lo], row(h.out, int(h.tree.points[k]), d), gOut[k-lo], lr, "v'_n")
	}
}

func TestLMStepFollowsTheGradient(t *testing.T) {
	m := tinyModel(t, "lm")
	l := m.learn.(*lm)
	v, d := m.Corpus.Vocab.Len(), m.Dim
	examples := []struct {
		left, right []int32
		target      int32
	}{{[]int32{1, 2}, []int32{3}, 4}, {[]int32{5}, []int32{1, 6}, 7}, {nil, []int32{4, 4}, 1}}
	loss := func() float64 {
		var total float64
		for _, ex := range examples {
			h := make([]float64, d)
			ctx := append(slices.Clone(ex.left), ex.right...)
			for _, c := range ctx {
				for k := range d {
					h[k] += float64(l.in[int(c)*d+k]) / float64(len(ctx))
				}
			}
			z := make([]float64, v)
			mx := math.Inf(-1)
			for w := range v {
				for k := range d {
					z[w] += float64(l.out[w*d+k]) * h[k]
				}
				z[w] += float64(l.bias[w])
				mx = max(mx, z[w])
			}
			var sum float64
			for _, x := range z {
				sum += math.Exp(x - mx)
			}
			total += math.Log(sum) + mx - z[ex.target]
		}
		return total
	}
	gIn, gOut, gBias := numGrad(loss, l.in), numGrad(loss, l.out), numGrad(loss, l.bias)
	in, out, bias := slices.Clone(l.in), slices.Clone(l.out), slices.Clone(l.bias)
	want := loss()
	for _, ex := range examples {
		l.add(ex.left, ex.right, ex.target)
	}
	const lr = 1e-3
	require.InDelta(t, want, l.step(lr), 1e-4)
	requireStep(t, in, l.in, gIn, lr, "v")
	requireStep(t, out, l.out, gOut, lr, "u")
	requireStep(t, bias, l.bias, gBias, lr, "c")
	require.Zero(t, l.n, "the batch is emptied")
}

func TestGloVeStepIsAdaGradOnTheGradient(t *testing.T) {
	m := tinyModel(t, "glove")
	g := m.learn.(*gloVe)
	d := m.Dim
	k := len(g.cooc) / 2
	e := g.cooc[k]
	wi, wj := row(g.w, int(e.i), d), row(g.wt, int(e.j), d)
	loss := func() float64 {
		diff := dot64(wi, wj) + float64(g.b[e.i]) + float64(g.bt[e.j]) - math.Log(e.x)
		return 0.5 * float64(g.fX[k]) * diff * diff
	}
	gi, gj := numGrad(loss, wi), numGrad(loss, wj)
	gb := numGrad(loss, g.b[e.i:e.i+1])
	before := slices.Concat(wi, wj, g.b[e.i:e.i+1])
	want := loss()
	const lr = 0.05
	require.InDelta(t, want, g.update(k, lr), 1e-6)
	after := slices.Concat(wi, wj, g.b[e.i:e.i+1])
	for c, grad := range slices.Concat(gi, gj, gb) {
		// the AdaGrad sums start at 1: the first step is lr g / sqrt(1 + g^2)
		step := -lr * grad / math.Sqrt(1+grad*grad)
		require.InDelta(t, step, float64(after[c])-float64(before[c]), 1e-4*lr+0.01*math.Abs(step), "parameter %d", c)
	}
}
