package seq2seq

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/nets"
)

// BenchmarkTrainStep times one training step (forward, backward, Adam) of
// the default model on a batch of 64 dates.
func BenchmarkTrainStep(b *testing.B) {
	m := New(rand.New(rand.NewPCG(1, 1)), DefaultConfig(), data.DateAlphabet, testTgt)
	rng := rand.New(rand.NewPCG(2, 2))
	days := make([]int, data.DateDays)
	for i := range days {
		days[i] = i
	}
	var srcs, tgts []string
	for _, p := range data.DateSample(rng, days, 64) {
		srcs, tgts = append(srcs, p.Human), append(tgts, p.ISO)
	}
	var batch Batch
	if err := m.MakeBatch(&batch, srcs, tgts); err != nil {
		b.Fatal(err)
	}
	params := m.Params()
	opt := nets.NewAdam(params, nets.DefaultAdamConfig())
	tp := nets.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		opt.ZeroGrad()
		m.Loss(tp, &batch).Backward()
		nets.ClipGradNorm(params, 1)
		opt.Step()
	}
}
