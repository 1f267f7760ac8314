package rnn

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
)

// BenchmarkLSTMForwardBackward is arcade bench rnn's workload: an LSTM of
// 128 hidden units over 64 steps of a batch of 32 inputs of 65 features,
// forward and backward from the outputs, at one thread.
func BenchmarkLSTMForwardBackward(b *testing.B) {
	defer par.SetThreads(par.SetThreads(1))
	const T, B, In, H = 64, 32, 65, 128
	rng := rand.New(rand.NewPCG(1, 2))
	r := New(rng, Config{Kind: LSTM, Input: In, Hidden: H, Layers: 1})
	xs := randTensor(rng, 1, T, B, In)
	dy := randTensor(rng, 1, T, B, H).Data
	tp := nets.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		ys, _ := r.Forward(tp, xs, nil, nil)
		tp.BackwardFrom(ys, dy)
	}
}
