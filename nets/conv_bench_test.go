package nets_test

import (
	"fmt"
	"runtime/debug"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// convNet is one of the networks of arcade bench conv, on its batch.
type convNet struct {
	name  string
	build func() nets.Layer
	input []int
}

var convNets = []convNet{
	// The DQN network of Mnih et al. 2015 on 32 stacks of four 84x84 frames.
	{"nature", func() nets.Layer {
		rng := newRNG(60)
		return nets.NewSequential(
			nets.NewConv(rng, 4, 32, 8, nets.StridePad(4, 0)), nets.Func(nets.ReLU),
			nets.NewConv(rng, 32, 64, 4, nets.StridePad(2, 0)), nets.Func(nets.ReLU),
			nets.NewConv(rng, 64, 64, 3, nets.StridePad(1, 0)), nets.Func(nets.ReLU), &nets.FlattenLayer{},
			nets.NewLinear(rng, 3136, 512), nets.Func(nets.ReLU), nets.NewLinear(rng, 512, 6))
	}, []int{32, 4, 84, 84}},
	// MinAtar's network (Young and Tian 2019) on 32 grids of 4x10x10.
	{"smallgrid", func() nets.Layer {
		rng := newRNG(61)
		return nets.NewSequential(
			nets.NewConv(rng, 4, 16, 3, nets.StridePad(1, 0)), nets.Func(nets.ReLU), &nets.FlattenLayer{},
			nets.NewLinear(rng, 1024, 128), nets.Func(nets.ReLU), nets.NewLinear(rng, 128, 6))
	}, []int{32, 4, 10, 10}},
	// LeNet-5 as nets/models builds it, on 64 MNIST digits.
	{"lenet", func() nets.Layer {
		rng := newRNG(62)
		return nets.NewSequential(
			nets.NewConv(rng, 1, 6, 5, nets.StridePad(1, 2)), nets.Func(nets.ReLU), nets.MaxPool{Size: 2},
			nets.NewConv(rng, 6, 16, 5, nets.StridePad(1, 0)), nets.Func(nets.ReLU), nets.MaxPool{Size: 2}, &nets.FlattenLayer{},
			nets.NewLinear(rng, 400, 120), nets.Func(nets.ReLU), nets.NewLinear(rng, 120, 84), nets.Func(nets.ReLU),
			nets.NewLinear(rng, 84, 10))
	}, []int{64, 1, 28, 28}},
}

// convTrainStep returns a training step (forward, cross-entropy,
// backward, Adam) of the network on fixed data.
func convTrainStep(n convNet) func() {
	model := n.build()
	opt := nets.NewAdam(model.Params(), nets.DefaultAdamConfig())
	rng := newRNG(63)
	x := randTensor(rng, 0, 1, n.input...)
	tp := nets.NewTape()
	labels := make([]int, n.input[0])
	for i := range labels {
		labels[i] = rng.IntN(6)
	}
	return func() {
		tp.Reset()
		opt.ZeroGrad()
		nets.CrossEntropy(tp, model.Forward(tp, x), labels, nets.ReduceMean).Backward()
		opt.Step()
	}
}

func TestConvTrainingStepsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, n := range convNets {
		step := convTrainStep(n)
		// Warm-up: the tape, the ops' scratch and the optimizer allocate
		// on the first step; the runtime's per-thread caches (Sgemm's
		// pooled buffers, one per goroutine that calls it, and the
		// waiters of the worker pool's WaitGroup) fill over the next
		// steps as goroutines move between threads, until steps in a row
		// allocate nothing. The collector is off: a collection set off by
		// earlier tests' garbage would empty those caches again.
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		for i, clean := 0, 0; i < 40 && clean < 3; i++ {
			if clean++; testing.AllocsPerRun(1, step) > 0 {
				clean = 0
			}
		}
		require.Zero(t, testing.AllocsPerRun(4, step), n.name)
	}
}

// BenchmarkConvNets times the forward pass (evaluation, no gradients) and
// the forward and backward passes (no optimizer step) of arcade bench
// conv's networks at 1 and 2 threads, with allocs/op (0).
func BenchmarkConvNets(b *testing.B) {
	for _, n := range convNets {
		for _, threads := range []int{1, 2} {
			for _, backward := range []bool{false, true} {
				name := fmt.Sprintf("%s/forward/threads=%d", n.name, threads)
				if backward {
					name = fmt.Sprintf("%s/forward+backward/threads=%d", n.name, threads)
				}
				b.Run(name, func(b *testing.B) {
					defer par.SetThreads(par.SetThreads(threads))
					model := n.build()
					x := randTensor(newRNG(64), 0, 1, n.input...)
					tp := &nets.Tape{NoGrad: !backward, Train: backward}
					var dy []float32
					step := func() {
						tp.Reset()
						y := model.Forward(tp, x)
						if backward {
							if dy == nil {
								dy = randTensor(newRNG(65), -1, 1, y.Size()).Data
							}
							tp.BackwardFrom(y, dy)
						}
					}
					step()
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						step()
					}
				})
			}
		}
	}
}
