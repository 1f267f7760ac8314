package envs_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// vectorRun plays steps vector steps of n copies of name with random
// actions at the given thread count and returns everything it saw.
func vectorRun(t *testing.T, name string, opts map[string]string, n, steps, threads int) (obs [][]uint8, rewards []float64, ends []bool) {
	defer par.SetThreads(par.SetThreads(threads))
	v, err := envs.MakeVector(name, opts, n)
	require.NoError(t, err)
	v.Seed(9)
	first := v.Reset()
	obs = append(obs, slices.Clone(first.U8))
	rng := rand.New(rand.NewPCG(4, 4))
	acts := make([]int, n)
	for range steps {
		for i := range acts {
			acts[i] = rng.IntN(v.ActionSpace().N)
		}
		s := v.Step(acts)
		obs = append(obs, slices.Clone(s.Obs.U8), slices.Clone(s.FinalObs.U8))
		rewards = append(rewards, s.Reward...)
		for i := range n {
			ends = append(ends, s.Terminated[i], s.Truncated[i])
		}
	}
	return obs, rewards, ends
}

func TestVectorIsTheSameAtAnyThreadCount(t *testing.T) {
	for name, opts := range map[string]map[string]string{"min-asterix": nil, "pong": {"max_steps": "25"}} {
		o1, r1, e1 := vectorRun(t, name, opts, 6, 60, 1)
		o2, r2, e2 := vectorRun(t, name, opts, 6, 60, 2)
		require.True(t, slices.EqualFunc(o1, o2, slices.Equal), name)
		require.Equal(t, r1, r2, name)
		require.Equal(t, e1, e2, name)
		require.True(t, slices.Contains(e1, true), "%s: some episode ended", name)
	}
}

// TestVectorAutoResets checks every copy against a single env seeded with
// DeriveSeed and played by hand, resetting it where its episode ends.
func TestVectorAutoResets(t *testing.T) {
	const n = 4
	opts := map[string]string{"max_steps": "5", "sticky": "0.3"}
	v, err := envs.MakeVector("min-breakout", opts, n)
	require.NoError(t, err)
	require.Equal(t, n, v.N())
	require.Equal(t, []int{4, 10, 10}, v.ObservationSpace().Shape)
	v.Seed(3)
	first := v.Reset()
	require.Equal(t, []int{n, 4, 10, 10}, first.Shape)
	single := make([]envs.Env, n)
	for i := range single {
		single[i], err = envs.Make("min-breakout", opts)
		require.NoError(t, err)
		single[i].Seed(envs.DeriveSeed(3, i))
		obs, _ := single[i].Reset()
		require.Equal(t, obs.U8, first.U8[i*400:(i+1)*400], "copy %d starts as a single env", i)
	}
	acts := make([]int, n)
	truncations := 0
	for step := range 23 {
		for i := range acts {
			acts[i] = (step + i) % 6
		}
		s := v.Step(acts)
		for i, env := range single {
			obs, r, term, trunc, info := env.Step(acts[i])
			require.Equal(t, r, s.Reward[i])
			require.Equal(t, term, s.Terminated[i])
			require.Equal(t, trunc, s.Truncated[i])
			require.Equal(t, obs.U8, s.FinalObs.U8[i*400:(i+1)*400], "step %d copy %d: FinalObs is the step's observation", step, i)
			require.Equal(t, info, s.Info[i])
			if term || trunc {
				require.Contains(t, s.Info[i], envs.InfoEpisodeReturn, "the ended episode's Info")
				if trunc {
					truncations++
				}
				obs, _ = env.Reset()
			}
			require.Equal(t, obs.U8, s.Obs.U8[i*400:(i+1)*400], "step %d copy %d: Obs is what to act on next", step, i)
		}
	}
	require.Positive(t, truncations, "time limits cut some episodes")
	require.Panics(t, func() { v.Step(acts[:2]) })
}

func TestVectorOfFloatObservations(t *testing.T) {
	v, err := envs.MakeVector("cartpole", nil, 3)
	require.NoError(t, err)
	v.Seed(1)
	obs := v.Reset()
	require.Equal(t, []int{3, 4}, obs.Shape)
	require.Len(t, obs.F32, 12)
	require.Nil(t, obs.U8)
	s := v.Step([]int{0, 1, 0})
	require.Len(t, s.FinalObs.F32, 12)
	require.NotEqual(t, obs.F32[:4], obs.F32[4:8], "copies are seeded differently")
	_, err = envs.MakeVector("nope", nil, 3)
	require.Error(t, err)
}

func TestVectorStepAllocatesNothing(t *testing.T) {
	defer par.SetThreads(par.SetThreads(2))
	v, err := envs.MakeVector("catch", nil, 8)
	require.NoError(t, err)
	v.Seed(1)
	v.Reset()
	acts := make([]int, 8)
	allocs := testing.AllocsPerRun(1, func() {
		for range 100 {
			v.Step(acts)
		}
	})
	require.Zero(t, allocs)
}
