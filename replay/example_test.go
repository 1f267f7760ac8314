package replay_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/replay"
)

// A 2-step buffer (gamma 0.5) of vector observations: one episode of
// three steps of reward 1, truncated by a time limit. The first two
// transitions return 1 + 0.5*1 and bootstrap two steps on; the last stops
// at the episode end and bootstraps from the real last observation [3 0].
func Example() {
	cfg := replay.DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.DType = 100, []int{2}, replay.F32
	cfg.NStep, cfg.Gamma = 2, 0.5
	buf, err := replay.New(cfg)
	if err != nil {
		panic(err)
	}
	obs := []float32{0, 0}
	for t := 1; t <= 3; t++ {
		next := []float32{float32(t), 0}
		buf.AddF32(obs, t%2, 1, next, false, t == 3)
		obs = next
	}
	batch := buf.NewBatch(4)
	buf.Sample(batch, rand.New(rand.NewPCG(6, 2)), 1)
	fmt.Println("sampleable:", buf.Len())
	for i := range batch.Actions {
		fmt.Printf("s=%v a=%d R=%v s'=%v gamma^m=%v terminal=%v\n", batch.Obs[2*i:2*i+2], batch.Actions[i],
			batch.Returns[i], batch.NextObs[2*i:2*i+2], batch.Discounts[i], batch.Terminal[i])
	}
	// Output:
	// sampleable: 3
	// s=[1 0] a=0 R=1.5 s'=[3 0] gamma^m=0.25 terminal=false
	// s=[2 0] a=1 R=1 s'=[3 0] gamma^m=0.5 terminal=false
	// s=[0 0] a=1 R=1.5 s'=[2 0] gamma^m=0.25 terminal=false
	// s=[0 0] a=1 R=1.5 s'=[2 0] gamma^m=0.25 terminal=false
}
