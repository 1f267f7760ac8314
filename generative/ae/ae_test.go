package ae

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func randTensor(rng *rand.Rand, std float64, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	nets.Normal(rng, t, 0, std)
	return t
}

func TestContractivePenaltyGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := randTensor(rng, 1, 3, 5)
	w := randTensor(rng, 0.5, 4, 5)
	b := randTensor(rng, 0.5, 4)
	// Through the sigmoid layer, as training uses it: gradients reach x, W
	// and b by both paths (h and W directly).
	f := func(tp *nets.Tape) *nets.Tensor {
		return ContractivePenalty(tp, nets.Sigmoid(tp, nets.Affine(tp, x, w, b)), w)
	}
	require.NoError(t, gradcheck.Check(f, []*nets.Tensor{x, w, b}, gradcheck.Options{Eps: 1e-2, RelTol: 2e-3, AbsTol: 1e-4}))
	// The op alone, h free.
	h := nets.New(3, 4)
	for i := range h.Data {
		h.Data[i] = float32(0.1 + 0.8*rng.Float64())
	}
	g := func(tp *nets.Tape) *nets.Tensor { return ContractivePenalty(tp, h, w) }
	require.NoError(t, gradcheck.Check(g, []*nets.Tensor{h, w}, gradcheck.Options{Eps: 1e-3, RelTol: 2e-3, AbsTol: 1e-4}))
}

// The closed form equals the squared Frobenius norm of the Jacobian of
// x -> sigmoid(W x + b) measured by central differences, row by row.
func TestContractivePenaltyIsTheJacobianNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, d, z = 2, 6, 3
	x := randTensor(rng, 1, n, d)
	w := randTensor(rng, 0.7, z, d)
	b := randTensor(rng, 0.3, z)
	layer := func(x *nets.Tensor) *nets.Tensor { return nets.Sigmoid(nil, nets.Affine(nil, x, w, b)) }
	got := float64(ContractivePenalty(nil, layer(x), w).Item())
	want := 0.0
	const eps = 1e-3
	for r := range n {
		for j := range d {
			xp, xm := x.Clone(), x.Clone()
			xp.Data[r*d+j] += eps
			xm.Data[r*d+j] -= eps
			hp, hm := layer(xp), layer(xm)
			for i := range z {
				dh := float64(hp.Data[r*z+i]-hm.Data[r*z+i]) / (2 * eps)
				want += dh * dh
			}
		}
	}
	require.InDelta(t, want, got, 1e-3*want)
}

func TestTiedDecoderSharesTheEncoderWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := NewMLP(rng, []int{6, 4, 2}, Linear, true)
	names := []string{}
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"enc.0.weight", "enc.0.bias", "enc.1.weight", "enc.1.bias", "dec.0.bias", "dec.1.bias"}, names)
	require.Same(t, m.Enc[1].W, m.Dec[0].W)
	require.Same(t, m.Enc[0].W, m.Dec[1].W)
	x := randTensor(rng, 0.2, 3, 6)
	for _, l := range append(m.Enc, m.Dec...) {
		for i := range l.B.Data { // every ReLU input near 0.5, away from the kink
			l.B.Data[i] = 0.5
		}
	}
	f := func(tp *nets.Tape) *nets.Tensor { return m.Decode(tp, m.Encode(tp, x)) }
	var ins []*nets.Tensor
	for _, p := range m.Params() {
		ins = append(ins, p.Tensor)
	}
	require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{Eps: 1e-3, RelTol: 5e-3, AbsTol: 1e-3}))
}

func TestUnrollTransposesTheEncoder(t *testing.T) {
	m := NewMLP(rand.New(rand.NewPCG(7, 8)), []int{5, 3, 2}, Linear, false)
	unroll(m)
	for k, e := range m.Enc {
		dec := m.Dec[len(m.Enc)-1-k].W
		require.Equal(t, []int{e.W.Shape[1], e.W.Shape[0]}, dec.Shape)
		for i := range e.W.Shape[0] {
			for j := range e.W.Shape[1] {
				require.Equal(t, e.W.Data[i*e.W.Shape[1]+j], dec.Data[j*e.W.Shape[0]+i])
			}
		}
	}
}

// Images on a 2-D affine subspace: two components reconstruct them
// exactly, one does not.
func TestPCARecoversASubspace(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, d = 300, 8
	u := []float64{1, 2, 0, -1, 0, 1, 0, 0}
	v := []float64{0, 1, 1, 1, -1, 0, 2, 0}
	s := imgset.Set{Data: make([]float32, n*d), N: n, C: 1, H: 2, W: 4}
	for i := range n {
		a, b := 3*rng.NormFloat64(), rng.NormFloat64()
		for j := range d {
			s.Data[i*d+j] = float32(0.5 + 0.1*(a*u[j]+b*v[j]))
		}
	}
	p := FitPCA(s, 2)
	require.Greater(t, p.Variance[0], p.Variance[1])
	for a := range 2 {
		for b := range 2 {
			dot := 0.0
			for j := range d {
				dot += float64(p.Components[a*d+j]) * float64(p.Components[b*d+j])
			}
			require.InDelta(t, map[bool]float64{true: 1, false: 0}[a == b], dot, 1e-5)
		}
	}
	recon := make([]float32, n*d)
	p.Reconstruct(recon, s.Data)
	for i, v := range recon {
		require.InDelta(t, s.Data[i], v, 1e-4)
	}
	p1 := FitPCA(s, 1)
	p1.Reconstruct(recon, s.Data)
	var sc scorer
	sc.add(recon, s.Data, d)
	require.Greater(t, sc.scores().MSE, 1e-4)
}

func TestScoresClampTheReconstruction(t *testing.T) {
	var sc scorer
	// one image of two pixels: target (1, 0), reconstruction (0, 0.5)
	sc.add([]float32{0, 0.5}, []float32{1, 0}, 2)
	s := sc.scores()
	require.InDelta(t, -math.Log(1e-7)-math.Log(0.5), s.BCE, 1e-9)
	require.InDelta(t, (1+0.25)/2, s.MSE, 1e-9)
}

func TestTopActivatingOrdersImagesByActivation(t *testing.T) {
	// A one-layer linear encoder whose unit 0 reads pixel 0 and unit 1
	// minus pixel 1.
	m := NewMLP(rand.New(rand.NewPCG(1, 1)), []int{2, 2}, Linear, false)
	copy(m.Enc[0].W.Data, []float32{1, 0, 0, -1})
	m.Enc[0].B.Fill(0)
	s := imgset.Set{Data: []float32{0.1, 0.9, 0.7, 0.2, 0.4, 0.5}, N: 3, C: 1, H: 1, W: 2}
	got, n := TopActivating(m, s, 2)
	require.Equal(t, 4, n)
	require.Equal(t, []float32{0.7, 0.2, 0.4, 0.5, 0.7, 0.2, 0.4, 0.5}, got)
}

// With fewer images than pixels, PCA goes through the Gram matrix and
// finds the components that the scatter matrix gives.
func TestPCAGramAgreesWithScatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n, d = 40, 12
	s := imgset.Set{Data: make([]float32, n*d), N: n, C: 1, H: 3, W: 4}
	for i := range s.Data {
		s.Data[i] = float32(rng.Float64() * float64(1+i%d)) // distinct variances
	}
	scatter := FitPCA(s, 3)
	wide := s
	wide.N = 10 // 10 images of 12 pixels: the Gram path
	wide.Data = s.Data[:10*d]
	gram, direct := FitPCA(wide, 3), &PCA{K: 3, D: d, Mean: FitPCA(wide, 3).Mean}
	mean := make([]float64, d)
	for j := range d {
		mean[j] = float64(direct.Mean[j])
	}
	direct.fitScatter(wide, mean)
	for c := range 3 {
		require.InDelta(t, direct.Variance[c], gram.Variance[c], 1e-4*direct.Variance[c])
		dot := 0.0
		for j := range d {
			dot += float64(direct.Components[c*d+j]) * float64(gram.Components[c*d+j])
		}
		require.InDelta(t, 1, math.Abs(dot), 1e-4, "component %d", c)
	}
	require.Equal(t, 3, scatter.K)
	require.Equal(t, 9, FitPCA(wide, 50).K, "capped at n-1")
}
