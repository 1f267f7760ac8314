package nets_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// mlpStep returns one training step of a 784-512-256-10 ReLU MLP with
// dropout, cross-entropy and Adam at the given batch size, on fixed data.
func mlpStep(batch int) func() {
	rng := rand.New(rand.NewPCG(1, 2))
	drop := rand.New(rand.NewPCG(3, 4))
	model := nets.NewSequential(
		nets.NewLinear(rng, 784, 512), nets.Func(nets.ReLU), &nets.DropoutLayer{P: 0.2, RNG: drop},
		nets.NewLinear(rng, 512, 256), nets.Func(nets.ReLU), &nets.DropoutLayer{P: 0.2, RNG: drop},
		nets.NewLinear(rng, 256, 10),
	)
	opt := nets.NewAdam(model.Params(), nets.DefaultAdamConfig())
	x := nets.New(batch, 784)
	nets.Uniform(rng, x, 0, 1)
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	tp := nets.NewTape()
	return func() {
		tp.Reset()
		opt.ZeroGrad()
		loss := nets.CrossEntropy(tp, model.Forward(tp, x), labels, nets.ReduceMean)
		loss.Backward()
		opt.Step()
	}
}

func TestTrainingStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	step := mlpStep(128)
	step() // warm-up: the tape and the optimizer allocate their buffers
	require.Zero(t, testing.AllocsPerRun(3, step))
}

// BenchmarkMLPStep is one training step (forward, backward, Adam) of the
// 784-512-256-10 MNIST MLP with dropout at batch 128, at 1 and 2 threads;
// it reports allocs/op (0). An epoch of MNIST is 469 steps. Its PyTorch
// twin is testdata/bench_mlp.py.
func BenchmarkMLPStep(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			prev := par.SetThreads(threads)
			defer par.SetThreads(prev)
			step := mlpStep(128)
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				step()
			}
		})
	}
}
