package nets_test

import (
	"math"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func TestLinearIsXWTransposedPlusB(t *testing.T) {
	l := &nets.Linear{W: nets.FromData([]float32{1, 2, 3, 4, 5, 6}, 2, 3), B: nets.FromData([]float32{10, 20}, 2)}
	y := l.Forward(nil, nets.FromData([]float32{1, 0, -1, 2, 1, 0}, 2, 3))
	require.Equal(t, []int{2, 2}, y.Shape)
	require.Equal(t, []float32{1 - 3 + 10, 4 - 6 + 20, 2 + 2 + 10, 8 + 5 + 20}, y.Data)
}

func TestLayerGradients(t *testing.T) {
	rng := newRNG(20)
	enc := nets.NewLinear(rng, 4, 3)
	x := randTensor(rng, -1, 1, 2, 4)
	check(t, "Linear", func(tp *nets.Tape) *nets.Tensor { return enc.Forward(tp, x) }, x, enc.W, enc.B)
	dec := nets.NewTiedLinear(rng, enc, true)
	require.Equal(t, []nets.Param{{Name: "bias", Tensor: dec.B}}, dec.Params(), "the tied layer does not list the borrowed weight")
	ae := func(tp *nets.Tape) *nets.Tensor { return dec.Forward(tp, nets.Sigmoid(tp, enc.Forward(tp, x))) }
	require.Equal(t, []int{2, 4}, ae(nil).Shape)
	check(t, "tied autoencoder", ae, x, enc.W, enc.B, dec.B)
	shared := nets.NewTiedLinear(rng, enc, false)
	require.Equal(t, []int{2, 3}, shared.Forward(nil, x).Shape)
	check(t, "shared weight", func(tp *nets.Tape) *nets.Tensor {
		return nets.Add(tp, enc.Forward(tp, x), shared.Forward(tp, nets.MulScalar(tp, x, 2)))
	}, x, enc.W)
	emb := nets.NewEmbedding(rng, 6, 3)
	check(t, "Embedding", func(tp *nets.Tape) *nets.Tensor { return nets.Tanh(tp, emb.Forward(tp, []int{5, 0, 5})) }, emb.W)
}

// Two uses of one weight add their gradients: the gradient of a tied
// autoencoder's weight is the encoder's plus the decoder's.
func TestTiedGradientsAddUp(t *testing.T) {
	rng := newRNG(21)
	enc := nets.NewLinear(rng, 4, 3)
	dec := nets.NewTiedLinear(rng, enc, true)
	x := randTensor(rng, -1, 1, 5, 4)
	grad := func(f func(tp *nets.Tape) *nets.Tensor) []float32 {
		enc.W.ZeroGrad()
		tp := nets.NewTape()
		f(tp).Backward()
		return append([]float32{}, enc.W.Grad...)
	}
	h := func(tp *nets.Tape) *nets.Tensor { return nets.Tanh(tp, enc.Forward(tp, x)) }
	both := grad(func(tp *nets.Tape) *nets.Tensor { return nets.MeanAll(tp, nets.Square(tp, dec.Forward(tp, h(tp)))) })
	// The same loss with each use of W in turn frozen (a copy of W).
	frozen := nets.FromData(append([]float32{}, enc.W.Data...), enc.W.Shape...)
	viaEnc := grad(func(tp *nets.Tape) *nets.Tensor {
		return nets.MeanAll(tp, nets.Square(tp, nets.AffineT(tp, h(tp), frozen, dec.B)))
	})
	viaDec := grad(func(tp *nets.Tape) *nets.Tensor {
		hh := nets.Tanh(tp, nets.Affine(tp, x, frozen, enc.B))
		return nets.MeanAll(tp, nets.Square(tp, dec.Forward(tp, hh)))
	})
	for i := range both {
		require.InDelta(t, viaEnc[i]+viaDec[i], both[i], 1e-6)
	}
}

func TestSequentialNamesAndForward(t *testing.T) {
	rng := newRNG(22)
	s := nets.NewSequential(nets.NewLinear(rng, 3, 4), nets.Func(nets.ReLU), &nets.DropoutLayer{P: 0.5, RNG: rng}, nets.NewLinear(rng, 4, 2))
	var names []string
	for _, p := range s.Params() {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"0.weight", "0.bias", "3.weight", "3.bias"}, names)
	require.Equal(t, 3*4+4+4*2+2, nets.Count(s.Params()))
	x := randTensor(rng, -1, 1, 5, 3)
	y := s.Forward(nil, x) // evaluation: no dropout
	want := s.Layers[3].Forward(nil, nets.ReLU(nil, s.Layers[0].Forward(nil, x)))
	require.Equal(t, want.Data, y.Data)
}

func TestCopyAndPolyak(t *testing.T) {
	rng := newRNG(23)
	online, target := nets.NewLinear(rng, 3, 2), nets.NewLinear(rng, 3, 2)
	before := append([]float32{}, target.W.Data...)
	nets.Polyak(target.Params(), online.Params(), 0.25)
	for i, v := range target.W.Data {
		require.InDelta(t, 0.25*online.W.Data[i]+0.75*before[i], v, 1e-7)
	}
	nets.CopyParams(target.Params(), online.Params())
	require.Equal(t, online.W.Data, target.W.Data)
	require.Equal(t, online.B.Data, target.B.Data)
	require.Panics(t, func() { nets.CopyParams(target.Params(), online.Params()[:1]) })
}

func TestInitialisers(t *testing.T) {
	rng := newRNG(24)
	in, out := nets.Fans([]int{8, 4, 3, 3})
	require.Equal(t, [2]int{36, 72}, [2]int{in, out})
	w := nets.New(200, 300)
	bound := func(t2 *nets.Tensor) float64 {
		m := 0.0
		for _, v := range t2.Data {
			m = math.Max(m, math.Abs(float64(v)))
		}
		return m
	}
	std := func(t2 *nets.Tensor) float64 {
		s := 0.0
		for _, v := range t2.Data {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(t2.Size()))
	}
	nets.XavierUniform(rng, w, 1)
	a := math.Sqrt(6.0 / 500)
	require.LessOrEqual(t, bound(w), a)
	require.InDelta(t, a, bound(w), 0.01*a)
	nets.XavierNormal(rng, w, 1)
	require.InDelta(t, math.Sqrt(2.0/500), std(w), 0.01*math.Sqrt(2.0/500))
	nets.KaimingUniform(rng, w, nets.Gain("relu"))
	require.InDelta(t, math.Sqrt(2)*math.Sqrt(3.0/300), bound(w), 0.01)
	nets.KaimingNormal(rng, w, nets.Gain("relu"))
	require.InDelta(t, math.Sqrt(2.0/300), std(w), 0.01*math.Sqrt(2.0/300))
	b := nets.New(200)
	nets.DefaultInit(rng, w, b)
	require.LessOrEqual(t, bound(w), 1/math.Sqrt(300))
	require.LessOrEqual(t, bound(b), 1/math.Sqrt(300))
	require.Equal(t, 5.0/3, nets.Gain("tanh"))
}
