package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
	"github.com/arcadelab/arcade/nets/models"
)

// convBenchNet is one network of arcade bench conv: how to build it, its
// input batch and its layers' forward FLOPs.
type convBenchNet struct {
	name  string
	build func(rng *rand.Rand) nets.Layer
	input [4]int
	// flops are the forward FLOPs of each layer with weights, in order:
	// 2·N·Cout·OH·OW·Cin·kH·kW for a convolution, 2·N·In·Out for a dense
	// layer.
	flops []float64
}

// convBenchNets are the DQN Nature network (Mnih et al. 2015) on 32
// stacks of four 84x84 frames, the small-grid DQN network (MinAtar's) on
// 32 grids of 4x10x10, and LeNet-5 (nets/models) on 64 digits.
var convBenchNets = []convBenchNet{
	{"nature", func(rng *rand.Rand) nets.Layer {
		return nets.NewSequential(
			nets.NewConv(rng, 4, 32, 8, nets.StridePad(4, 0)), nets.Func(nets.ReLU),
			nets.NewConv(rng, 32, 64, 4, nets.StridePad(2, 0)), nets.Func(nets.ReLU),
			nets.NewConv(rng, 64, 64, 3, nets.StridePad(1, 0)), nets.Func(nets.ReLU), &nets.FlattenLayer{},
			nets.NewLinear(rng, 3136, 512), nets.Func(nets.ReLU), nets.NewLinear(rng, 512, 6))
	}, [4]int{32, 4, 84, 84}, []float64{
		2 * 32 * 32 * 20 * 20 * 4 * 8 * 8, 2 * 32 * 64 * 9 * 9 * 32 * 4 * 4, 2 * 32 * 64 * 7 * 7 * 64 * 3 * 3,
		2 * 32 * 3136 * 512, 2 * 32 * 512 * 6}},
	{"smallgrid", func(rng *rand.Rand) nets.Layer {
		return nets.NewSequential(
			nets.NewConv(rng, 4, 16, 3, nets.StridePad(1, 0)), nets.Func(nets.ReLU), &nets.FlattenLayer{},
			nets.NewLinear(rng, 1024, 128), nets.Func(nets.ReLU), nets.NewLinear(rng, 128, 6))
	}, [4]int{32, 4, 10, 10}, []float64{2 * 32 * 16 * 8 * 8 * 4 * 3 * 3, 2 * 32 * 1024 * 128, 2 * 32 * 128 * 6}},
	{"lenet5", func(rng *rand.Rand) nets.Layer { return models.NewLeNet(rng, 0, nil) }, [4]int{64, 1, 28, 28}, []float64{
		2 * 64 * 6 * 28 * 28 * 1 * 5 * 5, 2 * 64 * 16 * 10 * 10 * 6 * 5 * 5, 2 * 64 * 400 * 120, 2 * 64 * 120 * 84, 2 * 64 * 84 * 10}},
}

// benchConv measures each network's forward pass (evaluation: no
// gradients) and forward and backward passes (the parameters' gradients,
// no optimizer step) at each thread count, against PyTorch's same networks
// (peers/conv.py) in the same run. FLOPs: the forward's, and for forward
// and backward three times the forward's less the first layer's input
// gradient (which nothing needs), dense layers included (DESIGN.md).
func benchConv(bn *bencher) ([]benchRow, error) {
	peak := kernels.PeakGFLOPS()
	names := make([]string, len(convBenchNets))
	for i, n := range convBenchNets {
		names[i] = n.name
	}
	defer par.SetThreads(par.SetThreads(1))
	var rows []benchRow
	for _, threads := range bn.threads {
		var peer struct {
			MS    map[string]float64 `json:"ms"`
			Torch string             `json:"torch"`
		}
		peerErr := runPeer("conv.py", threads, names, &peer)
		peerName := "pytorch"
		if peerErr == nil {
			peerName = "pytorch-" + peer.Torch
		}
		par.SetThreads(threads)
		for _, n := range convBenchNets {
			fwd := 0.0
			for _, f := range n.flops {
				fwd += f
			}
			for _, backward := range []bool{false, true} {
				key, flops, suffix := n.name+"/forward", fwd, "_fwd"
				if backward {
					key, flops, suffix = n.name+"/forward+backward", 3*fwd-n.flops[0], "_fwd+bwd"
				}
				r := benchRow{Name: n.name + suffix, Threads: threads, MS: timeMS(11, convPass(n, backward))}
				r.withFLOPs(flops, peak)
				switch ms, ok := peer.MS[key]; {
				case peerErr != nil:
					r.withPeer(peerName, 0, peerErr)
				case !ok:
					r.withPeer(peerName, 0, fmt.Errorf("conv.py did not time %s", key))
				default:
					r.withPeer(peerName, ms, nil)
				}
				rows = append(rows, r)
			}
		}
	}
	return rows, nil
}

// convPass returns one pass of the network on a fixed random batch: the
// forward pass on a tape that records no gradients (evaluation mode), or
// the forward pass in training mode and the backward pass from a fixed
// random gradient of the output.
func convPass(n convBenchNet, backward bool) func() {
	rng := rand.New(rand.NewPCG(1, 2))
	model := n.build(rng)
	x := nets.New(n.input[:]...)
	nets.Uniform(rng, x, 0, 1)
	tp := &nets.Tape{NoGrad: !backward, Train: backward}
	var dy []float32
	return func() {
		tp.Reset()
		y := model.Forward(tp, x)
		if !backward {
			return
		}
		if dy == nil {
			dy = randomFloats(rng, y.Size())
		}
		tp.BackwardFrom(y, dy)
	}
}
