package nets

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// lowParallel runs the parallel path on tiny tensors: every kernel of more
// than 8 elements uses the pool, in chunks of 5 elements.
func lowParallel(t *testing.T) {
	pmin, pgrain := SetParallel(8, 5)
	t.Cleanup(func() { SetParallel(pmin, pgrain) })
}

// stepBits runs a forward and backward pass touching every parallel kernel
// plus an Adam step, and returns the bits of every output, gradient and
// parameter.
func stepBits() []uint32 {
	rng := rand.New(rand.NewPCG(3, 4))
	x := New(37, 11)
	Uniform(rng, x, -1, 1)
	x.SetRequiresGrad(true)
	lin := NewLinear(rng, 11, 13)
	scale := NewParam(13)
	Uniform(rng, scale, 0.5, 1.5)
	ps := append(lin.Params(), Param{"scale", scale})
	opt := NewAdam(ps, DefaultAdamConfig())
	labels := make([]int, 37)
	for i := range labels {
		labels[i] = i % 13
	}
	target := New(37, 13)
	Uniform(rng, target, 0, 1)

	tp := NewTape()
	var outs []*Tensor
	for step := 0; step < 2; step++ {
		tp.Reset()
		opt.ZeroGrad()
		h := Mul(tp, lin.Forward(tp, x), scale)
		a := Tanh(tp, h)
		s := Softmax(tp, a)
		ls := LogSoftmax(tp, h)
		m := Add(tp, Mean(tp, s, 0), Sum(tp, ls, 0))
		mx := Max(tp, h, 0)
		loss := Add(tp, CrossEntropy(tp, h, labels, ReduceMean), MSE(tp, Sigmoid(tp, h), target, ReduceSum))
		loss = Add(tp, loss, SumAll(tp, Mul(tp, m, mx)))
		loss = Add(tp, loss, MeanAll(tp, Exp(tp, Clamp(tp, a, -0.5, 0.5))))
		loss.Backward()
		opt.Step()
		outs = []*Tensor{h, a, s, ls, m, mx, loss, x}
	}
	var bits []uint32
	for _, o := range outs {
		for _, v := range o.Data {
			bits = append(bits, math.Float32bits(v))
		}
		for _, v := range o.Grad {
			bits = append(bits, math.Float32bits(v))
		}
	}
	for _, p := range ps {
		for _, v := range p.Data {
			bits = append(bits, math.Float32bits(v))
		}
	}
	return bits
}

func TestSameBytesAtAnyThreadCount(t *testing.T) {
	lowParallel(t)
	prev := par.SetThreads(1)
	defer par.SetThreads(prev)
	want := stepBits()
	for _, threads := range []int{2, 7} {
		par.SetThreads(threads)
		require.Equal(t, want, stepBits(), "threads %d", threads)
	}
}

func TestParallelChunks(t *testing.T) {
	lowParallel(t)
	prev := par.SetThreads(3)
	defer par.SetThreads(prev)
	hits := make([]int, 23)
	starts := make([]bool, 23)
	Parallel(23, 1, func(lo, hi int) {
		starts[lo] = true
		for i := lo; i < hi; i++ {
			hits[i]++
		}
	})
	for i := range hits {
		require.Equal(t, 1, hits[i])
		require.Equal(t, i%5 == 0, starts[i], "chunks start every 5 elements")
	}
	require.Equal(t, 2, Chunk(2))
	require.Equal(t, 5, chunks(23, 1))
}
