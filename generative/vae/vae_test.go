package vae

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func randomImages(rng *rand.Rand, n, d int) imgset.Set {
	s := imgset.Set{Data: make([]float32, n*d), N: n, C: 1, H: 1, W: d}
	for i := range s.Data {
		s.Data[i] = float32(rng.Float64())
	}
	return s
}

func TestReparameterizeAndLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mu, logvar, eps := nets.New(3, 2), nets.New(3, 2), nets.New(3, 2)
	nets.Normal(rng, mu, 0, 1)
	nets.Normal(rng, logvar, 0, 0.5)
	nets.Normal(rng, eps, 0, 1)
	f := func(tp *nets.Tape) *nets.Tensor { return Reparameterize(tp, mu, logvar, eps) }
	require.NoError(t, gradcheck.Check(f, []*nets.Tensor{mu, logvar}, gradcheck.Options{Eps: 1e-3}))
	for i := range mu.Data { // z = μ + e^{½ log σ²} ε
		want := float64(mu.Data[i]) + math.Exp(0.5*float64(logvar.Data[i]))*float64(eps.Data[i])
		require.InDelta(t, want, Reparameterize(nil, mu, logvar, eps).Data[i], 1e-6)
	}
	m := NewMLP(rng, 4, 5, 2)
	x := randomImages(rng, 3, 4)
	xt := nets.FromData(x.Data, 3, 4)
	g := func(tp *nets.Tape) *nets.Tensor {
		mu, logvar := m.Encode(tp, xt)
		loss, _, _ := NegELBO(tp, m.Decode(tp, Reparameterize(tp, mu, logvar, eps)), xt, mu, logvar)
		return loss
	}
	var ps []*nets.Tensor
	for _, p := range m.Params() {
		ps = append(ps, p.Tensor)
	}
	require.NoError(t, gradcheck.Check(g, ps, gradcheck.Options{Eps: 1e-3, RelTol: 5e-3, AbsTol: 1e-3}))
}

// With an encoder that outputs q(z|x) = N(0, I) and a decoder that ignores
// z, every importance weight p(x|z)p(z)/q(z|x) is p(x): the estimate is
// exact for any K and equals the loss (the KL term is 0).
func TestIWNLLIsExactWhenTheDecoderIgnoresZ(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const d = 6
	m := NewMLP(rng, d, 4, 3)
	for _, l := range []*nets.Linear{m.FC21, m.FC22} {
		l.W.Fill(0)
		l.B.Fill(0)
	}
	m.FC4.W.Fill(0)
	s := randomImages(rng, 20, d)
	want := 0.0
	for i := range s.N {
		for j, t := range s.Image(i) {
			l := float64(m.FC4.B.Data[j])
			want += max(l, 0) - l*float64(t) + math.Log1p(math.Exp(-math.Abs(l)))
		}
	}
	want /= float64(s.N)
	for _, k := range []int{1, 7, 100} {
		require.InDelta(t, want, IWNLL(m, s, k, 1, 2), 1e-4, "K = %d", k)
	}
	require.InDelta(t, want, TestLoss(m, s, 1, 2), 1e-4)
}

// The importance-weighted estimate is an upper bound on -log p(x) that
// tightens with K (Burda et al. 2016, theorem 1): on average over images,
// more samples give a lower number, and one sample is the loss itself.
func TestIWNLLTightensWithK(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := NewMLP(rng, 10, 8, 2)
	s := randomImages(rng, 200, 10)
	one, many := IWNLL(m, s, 1, 7, 8), IWNLL(m, s, 200, 7, 8)
	require.Less(t, many, one)
	require.InDelta(t, TestLoss(m, s, 9, 10), one, 0.05*one, "K = 1 estimates the loss")
}

func TestManifoldCoversThePriorQuantiles(t *testing.T) {
	require.InDelta(t, 0, normalQuantile(0.5), 1e-12)
	require.InDelta(t, 1.959964, normalQuantile(0.975), 1e-6)
	m := NewMLP(rand.New(rand.NewPCG(1, 1)), 4, 3, 2)
	require.Len(t, Manifold(m, 5), 25*4)
	require.Panics(t, func() { Manifold(NewMLP(rand.New(rand.NewPCG(1, 1)), 4, 3, 3), 5) })
}

func TestInterpolateEndsAtTheCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	m := NewMLP(rng, 6, 5, 2)
	s := randomImages(rng, 4, 6)
	got := Interpolate(m, s, [][2]int{{0, 3}}, 5)
	require.Len(t, got, 5*6)
	ends := Reconstruct(m, s.Select([]int{0, 3}))
	require.InDeltaSlice(t, ends[:6], got[:6], 1e-6)
	require.InDeltaSlice(t, ends[6:], got[4*6:], 1e-6)
}

// The estimate runs its rows on the worker pool in fixed chunks: the same
// bytes at any thread count.
func TestIWNLLSameAtAnyThreadCount(t *testing.T) {
	prevMin, prevGrain := nets.SetParallel(1, 64)
	defer nets.SetParallel(prevMin, prevGrain)
	rng := rand.New(rand.NewPCG(13, 14))
	m := NewMLP(rng, 10, 8, 2)
	s := randomImages(rng, 50, 10)
	defer par.SetThreads(par.SetThreads(1))
	one := IWNLL(m, s, 30, 1, 2)
	par.SetThreads(2)
	require.Equal(t, one, IWNLL(m, s, 30, 1, 2))
}
