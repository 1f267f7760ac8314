package envs_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// TestCartPoleMatchesGymnasiumEquations replays the trajectories of
// testdata/cartpole_steps.json, which gen_cartpole.py computed in float64
// with Python's math from the equations of Gymnasium's CartPole-v1. Go's
// sin and cos may differ from C's by an ulp, so states compare within
// 1e-12 (relative, or absolute below 1).
func TestCartPoleMatchesGymnasiumEquations(t *testing.T) {
	data, err := os.ReadFile("testdata/cartpole_steps.json")
	require.NoError(t, err)
	var ref struct {
		Cases []struct {
			Start      []float64
			Actions    []int
			States     [][]float64
			Terminated []bool
		}
	}
	require.NoError(t, json.Unmarshal(data, &ref))
	require.NotEmpty(t, ref.Cases)
	for i, c := range ref.Cases {
		cp := envs.NewCartPole()
		cp.Seed(1)
		cp.Reset()
		cp.SetState(c.Start)
		for k, a := range c.Actions {
			obs, r, term, trunc, _ := cp.Step(a)
			want := c.States[k]
			for j, v := range cp.State() {
				require.InDelta(t, want[j], v, 1e-12*max(1, math.Abs(want[j])), "case %d step %d value %d", i, k, j)
				require.Equal(t, float32(v), obs.F32[j], "the observation is the state's float32 copy")
			}
			require.Equal(t, c.Terminated[k], term, "case %d step %d", i, k)
			require.False(t, trunc)
			require.Equal(t, 1.0, r, "reward 1 on every step, the last included")
		}
	}
}

// balance is a linear controller that keeps the pole up (its gains were
// picked by hand): push towards the side the pole leans and falls to,
// corrected for the cart's drift.
func balance(obs []float32) int {
	if 0.05*obs[0]+0.2*obs[1]+3*obs[2]+0.8*obs[3] > 0 {
		return 1
	}
	return 0
}

func TestCartPoleBalancedIsTruncatedAtExactly500(t *testing.T) {
	for seed := range uint64(5) {
		env, err := envs.Make("cartpole", nil)
		require.NoError(t, err)
		env.Seed(seed)
		obs, _ := env.Reset()
		steps := 0
		for {
			var term, trunc bool
			var info envs.Info
			obs, _, term, trunc, info = env.Step(balance(obs.F32))
			steps++
			require.False(t, term, "seed %d: the pole fell at step %d", seed, steps)
			if trunc {
				require.Equal(t, 500, steps, "seed %d", seed)
				require.Equal(t, 500.0, info[envs.InfoEpisodeReturn])
				require.Equal(t, 500.0, info[envs.InfoEpisodeLength])
				break
			}
		}
		require.PanicsWithValue(t, "envs: TimeLimit: Step after the episode ended; call Reset", func() { env.Step(0) })
	}
}

func TestCartPoleStartsNearUpright(t *testing.T) {
	cp := envs.NewCartPole()
	cp.Seed(3)
	seen := map[bool]int{}
	for range 200 {
		obs, _ := cp.Reset()
		for j, v := range cp.State() {
			require.LessOrEqual(t, math.Abs(v), 0.05)
			require.Equal(t, float32(v), obs.F32[j])
			seen[v > 0]++
		}
	}
	require.Greater(t, seen[true], 300, "uniform in [-0.05, 0.05]: both signs")
	require.Greater(t, seen[false], 300)
	require.Same(t, envs.Env(cp), envs.Unwrap(envs.NewMonitor(envs.NewTimeLimit(cp, 500))))
}
