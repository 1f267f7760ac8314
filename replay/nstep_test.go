package replay

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNStepByHand pins the 3-step returns (gamma 0.9) of three episodes
// with values computed by hand. Observations are one number, an id.
//
//	A: 10 -1-> 11 -2-> 12 -4-> 13 terminated
//	B: 20 -1-> 21 -1-> 22 truncated
//	C: 30 -1-> 31 -0-> 32 -0-> 33 -2-> 34 still running
func TestNStepByHand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.DType, cfg.NStep, cfg.Gamma = 20, []int{1}, F32, 3, 0.9
	b, err := New(cfg)
	require.NoError(t, err)
	episode := func(first float32, rewards []float64, terminated, truncated bool) {
		for i, r := range rewards {
			last := i == len(rewards)-1
			b.AddF32([]float32{first + float32(i)}, i, r, []float32{first + float32(i) + 1}, last && terminated, last && truncated)
		}
	}
	episode(10, []float64{1, 2, 4}, true, false)
	episode(20, []float64{1, 1}, false, true)
	episode(30, []float64{1, 0, 0, 2}, false, false)

	type row struct {
		ret, next, disc float32
		terminal        bool
	}
	want := map[float32]row{
		10: {1 + 0.9*2 + 0.81*4, 13, 0.729, true}, // 6.04: the episode ends inside the window
		11: {2 + 0.9*4, 13, 0.81, true},           // 5.6
		12: {4, 13, 0.9, true},
		20: {1 + 0.9*1, 22, 0.81, false}, // 1.9: truncated, bootstrap from the real last observation
		21: {1, 22, 0.9, false},
		30: {1 + 0 + 0, 33, 0.729, false},
		31: {0 + 0 + 0.81*2, 34, 0.729, false}, // 1.62
		// 32 and 33 wait for the steps that complete their windows
	}
	require.Equal(t, len(want), b.Len())

	batch := b.NewBatch(64)
	seen := map[float32]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10 {
		b.Sample(batch, rng, 1)
		for i, obs := range batch.Obs {
			w, ok := want[obs]
			require.True(t, ok, "sampled obs %v", obs)
			seen[obs] = true
			require.InDelta(t, w.ret, batch.Returns[i], 1e-6, "return of %v", obs)
			require.Equal(t, w.next, batch.NextObs[i], "bootstrap obs of %v", obs)
			require.InDelta(t, w.disc, batch.Discounts[i], 1e-7, "discount of %v", obs)
			require.Equal(t, w.terminal, batch.Terminal[i], "terminal of %v", obs)
			require.Equal(t, int(obs)%10, batch.Actions[i])
			require.Equal(t, float32(1), batch.Weights[i])
		}
	}
	require.Len(t, seen, len(want))
}
