package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
	"github.com/arcadelab/arcade/nets/rnn"
)

// rnnBenchShape is arcade bench rnn's workload: an LSTM of 128 hidden
// units over 64 steps of a batch of 32 inputs of 65 features (a
// character model's one-hot inputs).
var rnnBenchShape = struct{ T, B, In, H int }{64, 32, 65, 128}

// benchRNN times one forward and backward pass of a one-layer LSTM over the
// workload (from the outputs, with a fixed upstream gradient; no input
// gradient; the parameters' gradients accumulate), the median of at least
// 11 calls at each thread count, against PyTorch's nn.LSTM in the same run.
// FLOPs count the two products of each step, 2·T·B·4H·(In + H) forward, and
// forward+backward as 3x forward minus the input gradient 2·T·B·4H·In
// (DESIGN.md).
func benchRNN(bn *bencher) ([]benchRow, error) {
	s := rnnBenchShape
	rng := rand.New(rand.NewPCG(1, 2))
	r := rnn.New(rng, rnn.Config{Kind: rnn.LSTM, Input: s.In, Hidden: s.H, Layers: 1})
	xs, dy := nets.New(s.T, s.B, s.In), nets.New(s.T, s.B, s.H)
	nets.Uniform(rng, xs, -1, 1)
	nets.Uniform(rng, dy, -1, 1)
	tp := nets.NewTape()
	pass := func() {
		tp.Reset()
		ys, _ := r.Forward(tp, xs, nil, nil)
		tp.BackwardFrom(ys, dy.Data)
	}
	forward := 2 * float64(s.T*s.B*4*s.H) * float64(s.In+s.H)
	flops := 3*forward - 2*float64(s.T*s.B*4*s.H)*float64(s.In)
	args := []string{strconv.Itoa(s.T), strconv.Itoa(s.B), strconv.Itoa(s.In), strconv.Itoa(s.H)}
	name := fmt.Sprintf("lstm_h%d_in%d_b%d_t%d", s.H, s.In, s.B, s.T)
	defer par.SetThreads(par.SetThreads(1))
	var rows []benchRow
	for _, threads := range bn.threads {
		var peer struct {
			MS    float64 `json:"ms"`
			Torch string  `json:"torch"`
		}
		peerErr := runPeer("rnn.py", threads, args, &peer)
		par.SetThreads(threads)
		row := benchRow{Name: name, Threads: threads, MS: timeMS(11, pass)}
		row.withFLOPs(flops, kernels.PeakGFLOPS())
		row.withPeer("pytorch-"+peer.Torch, peer.MS, peerErr)
		rows = append(rows, row)
	}
	return rows, nil
}
