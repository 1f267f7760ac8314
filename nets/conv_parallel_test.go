package nets_test

import (
	"math"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// convStepBits runs two training steps (forward, backward, Adam) of a
// network that uses every op of the conv core, with convolutions above
// the conv core's parallel threshold (more than 2^20 multiply-adds each),
// and returns the bits of its outputs, gradients, parameters and running
// statistics.
func convStepBits() []uint32 {
	rng := newRNG(50)
	x := randTensor(rng, -1, 1, 8, 4, 24, 24).SetRequiresGrad(true)
	stem, bn := nets.NewConv(rng, 4, 16, 3, nets.StridePad(1, 1)), nets.NewBatchNorm(16)
	res := nets.NewResidual(rng, 16, 16, 1, true)
	inc := nets.NewInception(rng, 16, 4, 4, 8, 2, 4, 4, true)
	up := nets.NewConvTranspose(rng, 20, 4, 4, nets.StridePad(2, 1))
	ps := append(append(append(append(stem.Params(), nets.Prefix("bn.", bn.Params())...), nets.Prefix("res.", res.Params())...),
		nets.Prefix("inc.", inc.Params())...), nets.Prefix("up.", up.Params())...)
	opt := nets.NewAdam(ps, nets.DefaultAdamConfig())
	target := randTensor(rng, -1, 1, 8, 4)
	tp := nets.NewTape()
	var outs []*nets.Tensor
	for step := 0; step < 2; step++ {
		tp.Reset()
		opt.ZeroGrad()
		x.ZeroGrad()
		h := nets.MaxPool2D(tp, nets.ReLU(tp, bn.Forward(tp, stem.Forward(tp, x))), 2, 0, 0) // [8, 16, 12, 12]
		r := res.Forward(tp, h)
		i := inc.Forward(tp, r)                                                   // [8, 20, 12, 12]
		u := up.Forward(tp, i)                                                    // [8, 4, 24, 24]
		a := nets.UpsampleNearest2D(tp, nets.AvgPool2D(tp, u, 3, 2, 1), 2)        // [8, 4, 24, 24]
		loss := nets.MSE(tp, nets.GlobalAvgPool2D(tp, a), target, nets.ReduceSum) // [8, 4]
		loss.Backward()
		opt.Step()
		outs = []*nets.Tensor{h, r, i, u, a, loss, x}
	}
	var bits []uint32
	add := func(v []float32) {
		for _, f := range v {
			bits = append(bits, math.Float32bits(f))
		}
	}
	for _, o := range outs {
		add(o.Data)
		add(o.Grad)
	}
	for _, p := range append(ps, append(append(bn.Buffers(), res.Buffers()...), inc.Buffers()...)...) {
		add(p.Data)
	}
	return bits
}

func TestConvCoreSameBytesAtAnyThreadCount(t *testing.T) {
	prevMin, prevGrain := nets.SetParallel(8, 5) // the elementwise kernels on the pool too
	defer nets.SetParallel(prevMin, prevGrain)
	prev := par.SetThreads(1)
	defer par.SetThreads(prev)
	want := convStepBits()
	for _, threads := range []int{2, 7} {
		par.SetThreads(threads)
		require.Equal(t, want, convStepBits(), "threads %d", threads)
	}
}
