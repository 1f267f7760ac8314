package nets_test

import (
	"math"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func TestBatchNormGradients(t *testing.T) {
	rng := newRNG(40)
	for _, shape := range [][]int{{5, 3}, {3, 2, 4}, {2, 3, 3, 4}} {
		bn := nets.NewBatchNorm(shape[1])
		nets.Uniform(rng, bn.Gamma, 0.5, 1.5)
		nets.Uniform(rng, bn.Beta, -1, 1)
		nets.Uniform(rng, bn.RunningMean, -0.5, 0.5)
		nets.Uniform(rng, bn.RunningVar, 0.5, 2)
		x := randTensor(rng, -2, 2, shape...)
		check(t, "BatchNorm train", func(tp *nets.Tape) *nets.Tensor { return bn.Forward(tp, x) }, x, bn.Gamma, bn.Beta)
		check(t, "BatchNorm eval", func(tp *nets.Tape) *nets.Tensor {
			tp.Train = false
			return bn.Forward(tp, x)
		}, x, bn.Gamma, bn.Beta)
	}
}

func TestBatchNormStatistics(t *testing.T) {
	// Two channels of [N=2, C=2, 1, 2]: channel 0 holds 1, 2, 5, 8, channel 1 holds 0, 0, 4, 4.
	x := nets.FromData([]float32{1, 2, 0, 0, 5, 8, 4, 4}, 2, 2, 1, 2)
	bn := nets.NewBatchNorm(2)
	tp := nets.NewTape()
	y := bn.Forward(tp, x)
	// Channel 0: mean 4, biased variance (9+4+1+16)/4 = 7.5, unbiased 10.
	inv := 1 / math.Sqrt(7.5+1e-5)
	for i, v := range []float64{1, 2, 5, 8} {
		at := []int{0, 1, 4, 5}[i]
		require.InDelta(t, (v-4)*inv, float64(y.Data[at]), 1e-6)
	}
	require.InDelta(t, 0.1*4, float64(bn.RunningMean.Data[0]), 1e-7)
	require.InDelta(t, 0.9+0.1*10, float64(bn.RunningVar.Data[0]), 1e-6)
	// Channel 1: mean 2, biased variance 4, unbiased 16/3.
	require.InDelta(t, 0.2, float64(bn.RunningMean.Data[1]), 1e-7)
	require.InDelta(t, 0.9+0.1*16/3, float64(bn.RunningVar.Data[1]), 1e-6)

	// Evaluation uses the running statistics and changes nothing.
	tp.Train = false
	tp.Reset()
	mean, v := bn.RunningMean.Clone(), bn.RunningVar.Clone()
	y = bn.Forward(tp, x)
	require.InDelta(t, (1-0.4)/math.Sqrt(1.9+1e-5), float64(y.Data[0]), 1e-6)
	require.Equal(t, mean.Data, bn.RunningMean.Data)
	require.Equal(t, v.Data, bn.RunningVar.Data)
	require.Equal(t, y.Data, bn.Forward(nil, x).Data, "a nil tape evaluates")

	names := []string{}
	for _, p := range nets.State(bn) {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"weight", "bias", "running_mean", "running_var"}, names)
	require.Panics(t, func() { bn.Forward(nets.NewTape(), nets.New(1, 2)) }, "one value per channel in training")
	require.Panics(t, func() { bn.Forward(nil, nets.New(4, 3)) }, "wrong channels")
}

func TestResidualAndInceptionBlocks(t *testing.T) {
	rng := newRNG(41)
	x := randTensor(rng, -1, 1, 2, 3, 6, 5)
	// ReLUs inside: steps small enough not to cross their kinks, tolerances
	// wide enough for float32 losses differenced over them.
	opt := gradcheck.Options{Eps: 1e-4, RelTol: 1e-2, AbsTol: 2e-3}
	for _, tc := range []struct {
		in, out, stride int
		bn              bool
		shape           []int
	}{
		{3, 3, 1, false, []int{2, 3, 6, 5}},
		{3, 4, 2, false, []int{2, 4, 3, 3}},
		{3, 4, 1, true, []int{2, 4, 6, 5}},
		{3, 3, 2, true, []int{2, 3, 3, 3}},
	} {
		r := nets.NewResidual(rng, tc.in, tc.out, tc.stride, tc.bn)
		require.Equal(t, tc.shape, r.Forward(nil, x).Shape)
		require.Equal(t, tc.in != tc.out || tc.stride != 1, r.Proj != nil)
		inputs := []*nets.Tensor{x}
		for _, p := range r.Params() {
			inputs = append(inputs, p.Tensor)
		}
		// The block is its formula, op for op: the same values and gradients.
		manual := func(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
			bn := func(b *nets.BatchNorm, v *nets.Tensor) *nets.Tensor {
				if b == nil {
					return v
				}
				return b.Forward(tp, v)
			}
			z := bn(r.BN2, nets.Conv2D(tp, nets.ReLU(tp, bn(r.BN1, nets.Conv2D(tp, x, r.Conv1.W, r.Conv1.B, nets.StridePad(tc.stride, 1)))), r.Conv2.W, r.Conv2.B, nets.StridePad(1, 1)))
			short := x
			if r.Proj != nil {
				short = bn(r.ProjBN, nets.Conv2D(tp, x, r.Proj.W, r.Proj.B, nets.StridePad(tc.stride, 0)))
			}
			return nets.ReLU(tp, nets.Add(tp, z, short))
		}
		want := gradsOf(t, manual, inputs)
		require.Equal(t, want, gradsOf(t, r.Forward, inputs), "%+v", tc)
		if !tc.bn { // with batch norm, every output moves with each input: too many kinks nearby
			require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor { return r.Forward(tp, x) }, inputs, opt), "%+v", tc)
		}
	}
	r := nets.NewResidual(rng, 3, 4, 2, true)
	var names []string
	for _, p := range nets.State(r) {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
		"downsample.0.weight", "downsample.1.weight", "downsample.1.bias",
		"bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var", "downsample.1.running_mean", "downsample.1.running_var"}, names)

	m := nets.NewInception(rng, 3, 2, 2, 3, 1, 2, 2, false)
	y := m.Forward(nil, x)
	require.Equal(t, []int{2, 2 + 3 + 2 + 2, 6, 5}, y.Shape)
	inputs := []*nets.Tensor{x}
	for _, p := range m.Params() {
		inputs = append(inputs, p.Tensor)
	}
	require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor { return m.Forward(tp, x) }, inputs, opt))
	// The first channels are the 1x1 branch's.
	b1 := nets.ReLU(nil, m.B1.Forward(nil, x))
	require.Equal(t, b1.Data[:30], y.Data[:30])
	require.Empty(t, m.Buffers())

	// With batch norm, the module is its formula, op for op.
	m = nets.NewInception(rng, 3, 2, 2, 3, 1, 2, 2, true)
	require.Nil(t, m.B3.B, "no bias before batch norm")
	inputs = []*nets.Tensor{x}
	for _, p := range m.Params() {
		inputs = append(inputs, p.Tensor)
	}
	manual := func(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
		unit := func(c *nets.Conv, bn *nets.BatchNorm, v *nets.Tensor) *nets.Tensor {
			return nets.ReLU(tp, bn.Forward(tp, nets.Conv2D(tp, v, c.W, nil, c.Opts)))
		}
		return nets.Concat(tp, 1, unit(m.B1, m.BNs[0], x), unit(m.B3, m.BNs[2], unit(m.B3Reduce, m.BNs[1], x)),
			unit(m.B5, m.BNs[4], unit(m.B5Reduce, m.BNs[3], x)), unit(m.PoolProj, m.BNs[5], nets.MaxPool2D(tp, x, 3, 1, 1)))
	}
	require.Equal(t, gradsOf(t, manual, inputs), gradsOf(t, m.Forward, inputs))
	names = names[:0]
	for _, p := range nets.State(m) {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"branch1.weight", "branch1_bn.weight", "branch1_bn.bias", "branch3_reduce.weight", "branch3_reduce_bn.weight", "branch3_reduce_bn.bias",
		"branch3.weight", "branch3_bn.weight", "branch3_bn.bias", "branch5_reduce.weight", "branch5_reduce_bn.weight", "branch5_reduce_bn.bias",
		"branch5.weight", "branch5_bn.weight", "branch5_bn.bias", "branch_pool.weight", "branch_pool_bn.weight", "branch_pool_bn.bias",
		"branch1_bn.running_mean", "branch1_bn.running_var", "branch3_reduce_bn.running_mean", "branch3_reduce_bn.running_var",
		"branch3_bn.running_mean", "branch3_bn.running_var", "branch5_reduce_bn.running_mean", "branch5_reduce_bn.running_var",
		"branch5_bn.running_mean", "branch5_bn.running_var", "branch_pool_bn.running_mean", "branch_pool_bn.running_var"}, names)
}

// gradsOf runs f on a fresh tape, back-propagates a fixed projection of
// its output and returns the output followed by the inputs' gradients.
func gradsOf(t *testing.T, f func(tp *nets.Tape, x *nets.Tensor) *nets.Tensor, inputs []*nets.Tensor) [][]float32 {
	t.Helper()
	for _, in := range inputs {
		in.SetRequiresGrad(true)
		in.ZeroGrad()
	}
	tp := nets.NewTape()
	y := f(tp, inputs[0])
	dy := randTensor(newRNG(99), -1, 1, y.Size()).Data
	tp.BackwardFrom(y, dy)
	out := [][]float32{append([]float32(nil), y.Data...)}
	for _, in := range inputs {
		out = append(out, append([]float32(nil), in.Grad...))
	}
	return out
}
