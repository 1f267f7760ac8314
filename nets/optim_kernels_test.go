package nets_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
	"github.com/stretchr/testify/require"
)

// optimizerBits makes three steps of the optimizer of a PyTorch test case
// (testdata/optim.json) on parameters of 1,073 and 131 values, random
// gradients, and returns the bits of the parameters and the state.
func optimizerBits(t *testing.T, kind string, cfg map[string]any) []uint32 {
	rng := rand.New(rand.NewPCG(41, 42))
	var ps []nets.Param
	for i, shape := range [][]int{{37, 29}, {131}} {
		p := nets.NewParam(shape...)
		nets.Uniform(rng, p, -1, 1)
		ps = append(ps, nets.Param{Name: fmt.Sprint(i), Tensor: p})
	}
	opt := newOptimizer(t, kind, cfg, ps)
	for range 3 {
		for _, p := range ps {
			p.Grad = make([]float32, p.Size())
			for j := range p.Grad {
				p.Grad[j] = float32(rng.NormFloat64())
			}
		}
		opt.Step()
	}
	var bits []uint32
	for _, p := range append(ps, opt.State()...) {
		for _, v := range p.Data {
			bits = append(bits, math.Float32bits(v))
		}
	}
	return bits
}

// Every optimizer configuration of the PyTorch tests gives the same bytes
// with the vector kernels (nets/kernels: avx512, avx2) as with the Go
// loops, also when Parallel's chunks are not a multiple of the vector
// width.
func TestOptimizersSameBytesWithEveryKernel(t *testing.T) {
	defer kernels.SetKernel(kernels.Kernel())
	ref := loadOptimRef(t)
	for _, tc := range ref.Cases {
		_, err := kernels.SetKernel("go")
		require.NoError(t, err)
		want := optimizerBits(t, tc.Optimizer, tc.Config)
		for _, k := range kernels.Kernels() {
			_, err := kernels.SetKernel(k)
			require.NoError(t, err)
			require.Equal(t, want, optimizerBits(t, tc.Optimizer, tc.Config), "%s with kernel %s", tc.Name, k)
			pmin, pgrain := nets.SetParallel(8, 45)
			got := optimizerBits(t, tc.Optimizer, tc.Config)
			nets.SetParallel(pmin, pgrain)
			require.Equal(t, want, got, "%s with kernel %s in chunks of 45", tc.Name, k)
		}
	}
}
