package charlm

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// BenchmarkTrainStep is one training step of the default model (a 2-layer
// LSTM of 512 units, embedding 64, 65 characters) on 64 streams of 128
// characters: forward, backward, clipping and Adam.
func BenchmarkTrainStep(b *testing.B) {
	cfg := DefaultConfig()
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewModel(rng, ModelConfig{Kind: rnn.LSTM, Vocab: 65, Embed: cfg.Embed, Hidden: cfg.Hidden, Layers: cfg.Layers, Dropout: cfg.Dropout})
	m.DropRNG = rand.New(rand.NewPCG(3, 4))
	params := m.Params()
	opt := nets.NewAdam(params, nets.DefaultAdamConfig())
	T, B := cfg.SeqLen, cfg.Batch
	x, y := make([]int, T*B), make([]int, T*B)
	for i := range x {
		x[i], y[i] = rng.IntN(65), rng.IntN(65)
	}
	tp := nets.NewTape()
	var carry rnn.Carry
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		opt.ZeroGrad()
		logits, final := m.Forward(tp, x, T, B, carry.Init())
		nets.CrossEntropy(tp, logits, y, nets.ReduceMean).Backward()
		nets.ClipGradNorm(params, cfg.Clip)
		opt.Step()
		carry.Keep(final)
	}
}
