package nets_test

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

// randTensor returns a tensor of shape with values from U(lo, hi).
func randTensor(rng *rand.Rand, lo, hi float64, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	nets.Uniform(rng, t, lo, hi)
	return t
}

// awayFrom returns a tensor of values from U(-1, 1) whose distance to each
// kink is at least 0.05 (more than the checker's step).
func awayFrom(rng *rand.Rand, kinks []float32, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	for i := range t.Data {
		for {
			v := float32(rng.Float64()*2 - 1)
			ok := true
			for _, k := range kinks {
				if v-k < 0.05 && k-v < 0.05 {
					ok = false
				}
			}
			if ok {
				t.Data[i] = v
				break
			}
		}
	}
	return t
}

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func check(t *testing.T, name string, f func(tp *nets.Tape) *nets.Tensor, inputs ...*nets.Tensor) {
	t.Helper()
	require.NoError(t, gradcheck.Check(f, inputs, gradcheck.Options{}), name)
}

func TestMatMulGradients(t *testing.T) {
	rng := newRNG(1)
	for _, tc := range []struct {
		ta, tb bool
	}{{false, false}, {true, false}, {false, true}, {true, true}} {
		m, k, n := 3, 4, 5
		as, bs := []int{m, k}, []int{k, n}
		if tc.ta {
			as = []int{k, m}
		}
		if tc.tb {
			bs = []int{n, k}
		}
		a, b := randTensor(rng, -1, 1, as...), randTensor(rng, -1, 1, bs...)
		check(t, "MatMul", func(tp *nets.Tape) *nets.Tensor { return nets.MatMul(tp, a, b, tc.ta, tc.tb) }, a, b)
		a3, b3 := randTensor(rng, -1, 1, append([]int{2}, as...)...), randTensor(rng, -1, 1, append([]int{2}, bs...)...)
		check(t, "MatMul batched", func(tp *nets.Tape) *nets.Tensor { return nets.MatMul(tp, a3, b3, tc.ta, tc.tb) }, a3, b3)
	}
}

func TestAffineGradients(t *testing.T) {
	rng := newRNG(2)
	x, w, b := randTensor(rng, -1, 1, 2, 3, 4), randTensor(rng, -1, 1, 5, 4), randTensor(rng, -1, 1, 5)
	check(t, "Affine", func(tp *nets.Tape) *nets.Tensor { return nets.Affine(tp, x, w, b) }, x, w, b)
	check(t, "Affine no bias", func(tp *nets.Tape) *nets.Tensor { return nets.Affine(tp, x, w, nil) }, x, w)
	x2, bt := randTensor(rng, -1, 1, 3, 5), randTensor(rng, -1, 1, 4)
	check(t, "AffineT", func(tp *nets.Tape) *nets.Tensor { return nets.AffineT(tp, x2, w, bt) }, x2, w, bt)
}

func TestElementwiseBroadcastGradients(t *testing.T) {
	rng := newRNG(3)
	shapes := [][2][]int{
		{{3, 4}, {3, 4}},
		{{3, 4}, {4}},
		{{3, 4}, {3, 1}},
		{{3, 4}, {}},
		{{1, 4}, {3, 1}},
		{{2, 3, 4}, {3, 1}},
		{{4}, {2, 3, 4}},
	}
	ops := map[string]func(*nets.Tape, *nets.Tensor, *nets.Tensor) *nets.Tensor{
		"Add": nets.Add, "Sub": nets.Sub, "Mul": nets.Mul, "Div": nets.Div,
	}
	for name, op := range ops {
		for _, s := range shapes {
			a := randTensor(rng, -1, 1, s[0]...)
			b := randTensor(rng, 0.5, 1.5, s[1]...) // away from 0 for Div
			check(t, name, func(tp *nets.Tape) *nets.Tensor { return op(tp, a, b) }, a, b)
		}
	}
}

func TestBroadcastValues(t *testing.T) {
	a := nets.FromData([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	col := nets.FromData([]float32{10, 20}, 2, 1)
	row := nets.FromData([]float32{100, 200, 300}, 3)
	require.Equal(t, []float32{11, 12, 13, 24, 25, 26}, nets.Add(nil, a, col).Data)
	require.Equal(t, []float32{101, 202, 303, 104, 205, 306}, nets.Add(nil, a, row).Data)
	outer := nets.Mul(nil, col, row)
	require.Equal(t, []int{2, 3}, outer.Shape)
	require.Equal(t, []float32{1000, 2000, 3000, 2000, 4000, 6000}, outer.Data)
	require.Equal(t, []float32{-9, -8, -7, -16, -15, -14}, nets.Sub(nil, a, col).Data)
	require.Panics(t, func() { nets.Add(nil, a, nets.New(2)) })
}

func TestUnaryGradients(t *testing.T) {
	rng := newRNG(4)
	pos := randTensor(rng, 0.5, 2, 3, 4)
	x := awayFrom(rng, []float32{0, -0.5, 0.5}, 3, 4)
	check(t, "Exp", func(tp *nets.Tape) *nets.Tensor { return nets.Exp(tp, x) }, x)
	check(t, "Log", func(tp *nets.Tape) *nets.Tensor { return nets.Log(tp, pos) }, pos)
	check(t, "Sqrt", func(tp *nets.Tape) *nets.Tensor { return nets.Sqrt(tp, pos) }, pos)
	check(t, "Square", func(tp *nets.Tape) *nets.Tensor { return nets.Square(tp, x) }, x)
	check(t, "Abs", func(tp *nets.Tape) *nets.Tensor { return nets.Abs(tp, x) }, x)
	check(t, "Clamp", func(tp *nets.Tape) *nets.Tensor { return nets.Clamp(tp, x, -0.5, 0.5) }, x)
	check(t, "AddScalar", func(tp *nets.Tape) *nets.Tensor { return nets.AddScalar(tp, x, 3) }, x)
	check(t, "MulScalar", func(tp *nets.Tape) *nets.Tensor { return nets.MulScalar(tp, x, -2) }, x)
	check(t, "ReLU", func(tp *nets.Tape) *nets.Tensor { return nets.ReLU(tp, x) }, x)
	check(t, "LeakyReLU", func(tp *nets.Tape) *nets.Tensor { return nets.LeakyReLU(tp, x, 0.1) }, x)
	check(t, "Sigmoid", func(tp *nets.Tape) *nets.Tensor { return nets.Sigmoid(tp, x) }, x)
	check(t, "Tanh", func(tp *nets.Tape) *nets.Tensor { return nets.Tanh(tp, x) }, x)
	check(t, "Softmax", func(tp *nets.Tape) *nets.Tensor { return nets.Softmax(tp, x) }, x)
	check(t, "LogSoftmax", func(tp *nets.Tape) *nets.Tensor { return nets.LogSoftmax(tp, x) }, x)
}

func TestReductionGradients(t *testing.T) {
	rng := newRNG(5)
	x := randTensor(rng, -1, 1, 2, 3, 4)
	for _, axis := range []int{0, 1, 2, -1} {
		check(t, "Sum", func(tp *nets.Tape) *nets.Tensor { return nets.Sum(tp, x, axis) }, x)
		check(t, "Mean", func(tp *nets.Tape) *nets.Tensor { return nets.Mean(tp, x, axis) }, x)
		check(t, "Max", func(tp *nets.Tape) *nets.Tensor { return nets.Max(tp, x, axis) }, x)
	}
	check(t, "SumAll", func(tp *nets.Tape) *nets.Tensor { return nets.SumAll(tp, x) }, x)
	check(t, "MeanAll", func(tp *nets.Tape) *nets.Tensor { return nets.MeanAll(tp, x) }, x)
}

func TestReductionValues(t *testing.T) {
	x := nets.FromData([]float32{1, 5, 3, 4, 2, 6}, 2, 3)
	require.Equal(t, []float32{5, 7, 9}, nets.Sum(nil, x, 0).Data)
	require.Equal(t, []float32{3, 4}, nets.Mean(nil, x, 1).Data)
	require.Equal(t, []float32{5, 6}, nets.Max(nil, x, -1).Data)
	require.Equal(t, []float32{4, 5, 6}, nets.Max(nil, x, 0).Data)
	require.Equal(t, float32(21), nets.SumAll(nil, x).Item())
	require.Equal(t, float32(3.5), nets.MeanAll(nil, x).Item())
	require.Equal(t, []int{1, 2}, nets.ArgMax(x, nil))
}

func TestShapeGradients(t *testing.T) {
	rng := newRNG(6)
	a, b := randTensor(rng, -1, 1, 2, 3), randTensor(rng, -1, 1, 2, 2)
	check(t, "Reshape", func(tp *nets.Tape) *nets.Tensor { return nets.Reshape(tp, a, 3, -1) }, a)
	check(t, "Concat", func(tp *nets.Tape) *nets.Tensor { return nets.Concat(tp, 1, a, b, a) }, a, b)
	check(t, "Concat axis 0", func(tp *nets.Tape) *nets.Tensor { return nets.Concat(tp, 0, a, a) }, a)
	x := randTensor(rng, -1, 1, 2, 5, 3)
	check(t, "Slice", func(tp *nets.Tape) *nets.Tensor { return nets.Slice(tp, x, 1, 1, 4) }, x)
	check(t, "Split", func(tp *nets.Tape) *nets.Tensor {
		parts := nets.Split(tp, nil, x, 1, 2, 3)
		return nets.Mul(tp, parts[0], nets.Slice(tp, parts[1], 1, 0, 2))
	}, x)
	check(t, "Flatten", func(tp *nets.Tape) *nets.Tensor { return nets.Flatten(tp, x) }, x)
}

func TestShapeValues(t *testing.T) {
	a := nets.FromData([]float32{1, 2, 3, 4}, 2, 2)
	b := nets.FromData([]float32{5, 6}, 2, 1)
	c := nets.Concat(nil, -1, a, b)
	require.Equal(t, []int{2, 3}, c.Shape)
	require.Equal(t, []float32{1, 2, 5, 3, 4, 6}, c.Data)
	s := nets.Slice(nil, c, 1, 1, 3)
	require.Equal(t, []float32{2, 5, 4, 6}, s.Data)
	parts := nets.Split(nil, nil, c, 0, 1, 1)
	require.Equal(t, []float32{3, 4, 6}, parts[1].Data)
	require.Equal(t, []int{4, 1}, nets.Reshape(nil, a, -1, 1).Shape)
}

func TestGatherAndLookup(t *testing.T) {
	rng := newRNG(7)
	q := randTensor(rng, -1, 1, 4, 3)
	actions := []int{2, 0, 0, 1}
	check(t, "Gather", func(tp *nets.Tape) *nets.Tensor { return nets.Gather(tp, q, 1, actions) }, q)
	g := nets.Gather(nil, q, 1, actions)
	for i, a := range actions {
		require.Equal(t, q.Data[i*3+a], g.Data[i])
	}
	x := randTensor(rng, -1, 1, 3, 2, 4)
	check(t, "Gather axis 1", func(tp *nets.Tape) *nets.Tensor {
		return nets.Gather(tp, x, 1, []int{0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0})
	}, x)
	w := randTensor(rng, -1, 1, 5, 3)
	idx := []int{4, 1, 4, 0}
	check(t, "Lookup", func(tp *nets.Tape) *nets.Tensor { return nets.Lookup(tp, w, idx) }, w)
	require.Equal(t, w.Data[12:15], nets.Lookup(nil, w, idx).Data[:3])
	require.Panics(t, func() { nets.Gather(nil, q, 1, []int{0, 1, 3, 0}) })
}

func TestDropout(t *testing.T) {
	rng := newRNG(8)
	x := randTensor(rng, 1, 2, 100, 50)
	check(t, "Dropout", func(tp *nets.Tape) *nets.Tensor {
		return nets.Dropout(tp, x, 0.3, rand.New(rand.NewPCG(9, 9)))
	}, x)
	tp := nets.NewTape()
	y := nets.Dropout(tp, x, 0.25, rand.New(rand.NewPCG(1, 2)))
	zeros := 0
	for i, v := range y.Data {
		if v == 0 {
			zeros++
		} else {
			require.InDelta(t, x.Data[i]/0.75, v, 1e-6)
		}
	}
	require.InDelta(t, 0.25, float64(zeros)/float64(x.Size()), 0.02)
	require.Same(t, x, nets.Dropout(nil, x, 0.5, nil), "evaluation passes x through")
	tp.Train = false
	require.Same(t, x, nets.Dropout(tp, x, 0.5, nil))
}

func TestLossGradients(t *testing.T) {
	rng := newRNG(10)
	p, target := randTensor(rng, -2, 2, 4, 3), randTensor(rng, -2, 2, 4, 3)
	prob, bits := randTensor(rng, 0.2, 0.8, 4, 3), randTensor(rng, 0, 1, 4, 3)
	for _, red := range []nets.Reduction{nets.ReduceMean, nets.ReduceSum, nets.ReduceNone} {
		check(t, "MSE", func(tp *nets.Tape) *nets.Tensor { return nets.MSE(tp, p, target, red) }, p, target)
		check(t, "L1", func(tp *nets.Tape) *nets.Tensor { return nets.L1(tp, p, target, red) }, p, target)
		check(t, "Huber", func(tp *nets.Tape) *nets.Tensor { return nets.Huber(tp, p, target, 1, red) }, p, target)
		// BCE curves sharply near 0 and 1: a smaller step keeps the
		// differences' truncation error below the tolerance.
		require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor { return nets.BCE(tp, prob, bits, red) },
			[]*nets.Tensor{prob, bits}, gradcheck.Options{Eps: 2e-3}), "BCE")
		check(t, "BCEWithLogits", func(tp *nets.Tape) *nets.Tensor { return nets.BCEWithLogits(tp, p, bits, red) }, p, bits)
		check(t, "CrossEntropy", func(tp *nets.Tape) *nets.Tensor { return nets.CrossEntropy(tp, p, []int{0, 2, 1, 2}, red) }, p)
		check(t, "GaussianKL", func(tp *nets.Tape) *nets.Tensor { return nets.GaussianKL(tp, p, target, red) }, p, target)
	}
}

func TestDetachStopsTheGradient(t *testing.T) {
	rng := newRNG(11)
	x := randTensor(rng, -1, 1, 3).SetRequiresGrad(true)
	tp := nets.NewTape()
	d := nets.Detach(tp, nets.Square(tp, x))
	require.False(t, d.RequiresGrad())
	loss := nets.SumAll(tp, nets.Mul(tp, x, d)) // d/dx Σ x·stop(x²) = x²
	loss.Backward()
	for i, v := range x.Data {
		require.InDelta(t, v*v, x.Grad[i], 1e-6)
	}
}
