package seq2seq

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func randTensor(rng *rand.Rand, scale float64, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	nets.Uniform(rng, t, -scale, scale)
	return t
}

// batchFirst turns x [S, N, X] into [N, S, X] by a lookup of rows.
func batchFirst(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	s, n, d := x.Shape[0], x.Shape[1], x.Shape[2]
	rows := make([]int, 0, s*n)
	for i := range n {
		for j := range s {
			rows = append(rows, j*n+i)
		}
	}
	return nets.Reshape(tp, nets.Lookup(tp, nets.Reshape(tp, x, s*n, d), rows), n, s, d)
}

// naiveWeights is Weights composed of nets' fine ops: broadcast add, tanh,
// a product with v, a mask of -1e30 added at padded positions, softmax.
func naiveWeights(tp *nets.Tape, keys, query, v *nets.Tensor, lengths []int) *nets.Tensor {
	keys = batchFirst(tp, keys)
	n, s, a := keys.Shape[0], keys.Shape[1], keys.Shape[2]
	t := nets.Tanh(tp, nets.Add(tp, keys, nets.Reshape(tp, query, n, 1, a)))
	e := nets.Reshape(tp, nets.MatMul(tp, nets.Reshape(tp, t, n*s, a), nets.Reshape(tp, v, a, 1), false, false), n, s)
	mask := nets.New(n, s)
	for i, l := range lengths {
		for j := l; j < s; j++ {
			mask.Data[i*s+j] = -1e30
		}
	}
	return nets.Softmax(tp, nets.Add(tp, e, mask))
}

// naiveContext is Context as a batched product [N,1,S]·[N,S,D].
func naiveContext(tp *nets.Tape, alpha, h *nets.Tensor) *nets.Tensor {
	h = batchFirst(tp, h)
	n, s, d := h.Shape[0], h.Shape[1], h.Shape[2]
	return nets.Reshape(tp, nets.MatMul(tp, nets.Reshape(tp, alpha, n, 1, s), h, false, false), n, d)
}

// grads runs f and a backward pass of Σ r·f, returning the output and the
// gradients of the inputs.
func grads(f func(tp *nets.Tape) *nets.Tensor, inputs []*nets.Tensor, r []float32) ([]float32, [][]float32) {
	for _, x := range inputs {
		x.SetRequiresGrad(true)
		x.Grad = nil
	}
	tp := nets.NewTape()
	out := f(tp)
	tp.BackwardFrom(out, r)
	g := make([][]float32, len(inputs))
	for i, x := range inputs {
		g[i] = slices.Clone(x.Grad)
	}
	return slices.Clone(out.Data), g
}

func TestAttentionMatchesTheComposedOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, s, a, d = 4, 6, 5, 3
	keys, query, v := randTensor(rng, 1, s, n, a), randTensor(rng, 1, n, a), randTensor(rng, 1, a)
	h := randTensor(rng, 1, s, n, d)
	lengths := []int{6, 1, 3, 5}
	r := make([]float32, n*d)
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	in := []*nets.Tensor{keys, query, v, h}
	fast, fastGrads := grads(func(tp *nets.Tape) *nets.Tensor {
		return Context(tp, Weights(tp, keys, query, v, lengths), h)
	}, in, r)
	slow, slowGrads := grads(func(tp *nets.Tape) *nets.Tensor {
		return naiveContext(tp, naiveWeights(tp, keys, query, v, lengths), h)
	}, in, r)
	require.InDeltaSlice(t, slow, fast, 1e-6)
	for i := range in {
		require.InDeltaSlice(t, slowGrads[i], fastGrads[i], 1e-5, "input %d", i)
	}

	alpha := Weights(nil, keys, query, v, lengths)
	for i, l := range lengths {
		sum := float32(0)
		for j := range s {
			if j >= l {
				require.Zero(t, alpha.Data[i*s+j], "padded positions get no attention")
			}
			sum += alpha.Data[i*s+j]
		}
		require.InDelta(t, 1, sum, 1e-6)
	}
	require.Equal(t, float32(1), alpha.Data[s], "a source of length 1 gets all of it")
}

func TestAttentionGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, s, a, d, q = 3, 5, 4, 6, 7
	at := NewAttention(rng, d, q, a)
	h, dec := randTensor(rng, 1, s, n, d), randTensor(rng, 1, n, q)
	lengths := []int{5, 2, 4}
	inputs := []*nets.Tensor{h, dec, at.Key.W, at.Key.B, at.Query.W, at.V}
	for _, which := range []string{"context", "alpha"} {
		err := gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
			ctx, alpha := at.Forward(tp, at.Keys(tp, h), h, dec, lengths)
			if which == "alpha" {
				return alpha
			}
			return ctx
		}, inputs, gradcheck.Options{Seed: 9})
		require.NoError(t, err, which)
	}
	require.Equal(t, []string{"key.weight", "key.bias", "query.weight", "v"}, paramNames(at.Params()))
}

func paramNames(ps []nets.Param) []string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return names
}

func TestAttentionIsTheSameAtAnyThreadCount(t *testing.T) {
	prevMin, prevGrain := nets.SetParallel(1, 8)
	defer nets.SetParallel(prevMin, prevGrain)
	defer par.SetThreads(0)
	rng := rand.New(rand.NewPCG(5, 6))
	const n, s, a, d = 9, 7, 3, 4
	keys, query, v, h := randTensor(rng, 1, s, n, a), randTensor(rng, 1, n, a), randTensor(rng, 1, a), randTensor(rng, 1, s, n, d)
	lengths := []int{7, 1, 2, 3, 4, 5, 6, 7, 7}
	r := make([]float32, n*d)
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	var want []float32
	var wantGrads [][]float32
	for _, threads := range []int{1, 2, 3} {
		par.SetThreads(threads)
		out, g := grads(func(tp *nets.Tape) *nets.Tensor {
			return Context(tp, Weights(tp, keys, query, v, lengths), h)
		}, []*nets.Tensor{keys, query, v, h}, r)
		if want == nil {
			want, wantGrads = out, g
			continue
		}
		require.Equal(t, want, out, "%d threads", threads)
		require.Equal(t, wantGrads, g, "%d threads", threads)
	}
}

func TestAttentionMisuse(t *testing.T) {
	keys, query, v := nets.New(3, 2, 4), nets.New(2, 4), nets.New(4)
	require.PanicsWithValue(t, "seq2seq: length 0 of row 1 outside 1..3", func() { Weights(nil, keys, query, v, []int{1, 0}) })
	require.PanicsWithValue(t, "seq2seq: 1 lengths for 2 rows", func() { Weights(nil, keys, query, v, []int{1}) })
	require.Panics(t, func() { Weights(nil, keys, nets.New(2, 3), v, []int{1, 1}) })
	require.Panics(t, func() { Context(nil, nets.New(2, 2), nets.New(3, 2, 4)) })
}

func TestTanh32(t *testing.T) {
	worst := 0.0
	for x := -12.0; x <= 12; x += 1.0 / 1024 {
		for _, v := range []float64{x, x * 1e-4} {
			want := math.Tanh(float64(float32(v)))
			got := float64(tanh32(float32(v)))
			// relative to the value, with a floor at float32's epsilon
			err := math.Abs(got-want) / max(math.Abs(want), 1e-30)
			worst = max(worst, err)
		}
	}
	t.Logf("worst relative error %.3g", worst)
	require.Less(t, worst, 4e-7, "a few float32 ulps (2^-23 = 1.2e-7)")
	require.Equal(t, float32(1), tanh32(100))
	require.Equal(t, float32(-1), tanh32(-100))
	require.Equal(t, float32(0), tanh32(0))
}
