package envs_test

import (
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// The actions of FrozenLake, Gymnasium's order.
const (
	left = iota
	down
	right
	up
)

func TestFrozenLakeTableIsGymnasiums(t *testing.T) {
	f := envs.NewFrozenLake("4x4", true, true)
	require.Equal(t, 16, f.NumStates())
	require.Equal(t, 100, f.TimeLimit())
	third := 1.0 / 3
	p := f.P()
	// From the start, LEFT slips UP, goes LEFT or slips DOWN: the edge keeps
	// the first two in place (two entries all the same, as in Gymnasium).
	require.Equal(t, []envs.Transition{{third, 0, 0, false}, {third, 0, 0, false}, {third, 4, 0, false}}, p[0][left])
	// Beside the goal (row 3, col 2), RIGHT slips DOWN (the edge), reaches
	// the goal, or slips UP.
	require.Equal(t, []envs.Transition{{third, 14, 0, false}, {third, 15, 1, true}, {third, 10, 0, false}}, p[14][right])
	// Next to a hole, DOWN slips LEFT, falls in (terminated, no reward) or
	// slips RIGHT.
	require.Equal(t, []envs.Transition{{third, 0, 0, false}, {third, 5, 0, true}, {third, 2, 0, false}}, p[1][down])
	// Holes and the goal keep the agent, terminated.
	for _, s := range []int{5, 7, 11, 12, 15} {
		for a := range 4 {
			require.Equal(t, []envs.Transition{{1, s, 0, true}}, p[s][a], "state %d action %d", s, a)
		}
	}
	for s := range p {
		for a := range p[s] {
			sum := 0.0
			for _, tr := range p[s][a] {
				sum += tr.Prob
			}
			require.InDelta(t, 1, sum, 1e-15)
		}
	}
	dry := envs.NewFrozenLake("8x8", false, false)
	require.Equal(t, 64, dry.NumStates())
	require.Equal(t, 200, dry.TimeLimit())
	require.Equal(t, []envs.Transition{{1, 1, 0, false}}, dry.P()[0][right])
	require.Equal(t, []envs.Transition{{1, 63, 1, true}}, dry.P()[55][down])
}

// TestFrozenLakeStepSamplesTheTable checks that slippery steps land where
// P says, each with probability 1/3.
func TestFrozenLakeStepSamplesTheTable(t *testing.T) {
	f := envs.NewFrozenLake("4x4", true, false)
	f.Seed(4)
	counts := map[int]int{}
	const n = 30000
	for range n {
		f.Reset()
		obs, _, _, _, _ := f.Step(right)
		counts[int(obs.U8[0])]++
		require.Equal(t, int(obs.U8[0]), f.State())
	}
	// From 0, RIGHT slips DOWN (to 4), goes RIGHT (to 1), or slips UP (stays).
	require.Len(t, counts, 3)
	for _, s := range []int{0, 1, 4} {
		require.InDelta(t, n/3, counts[s], 330, "state %d (4 standard deviations: sqrt(n/3*2/3) = 82)", s)
	}
}

func TestFrozenLakeDryPathToTheGoal(t *testing.T) {
	env, err := envs.Make("frozenlake", map[string]string{"slippery": "false"})
	require.NoError(t, err)
	env.Seed(1)
	obs, _ := env.Reset()
	require.Equal(t, []int{16}, obs.Shape)
	require.Equal(t, float32(1), obs.F32[0], "one-hot on the start")
	path := []int{down, down, right, right, down, right}
	for i, a := range path {
		obs, r, term, trunc, info := env.Step(a)
		require.False(t, trunc)
		if i < len(path)-1 {
			require.False(t, term, "step %d", i)
			require.Zero(t, r)
			continue
		}
		require.True(t, term)
		require.Equal(t, 1.0, r)
		require.Equal(t, float32(1), obs.F32[15])
		require.Equal(t, 1.0, info[envs.InfoEpisodeReturn])
		require.Equal(t, 6.0, info[envs.InfoEpisodeLength])
	}
}

func TestFrozenLakeTimeLimits(t *testing.T) {
	for _, c := range []struct {
		opts  map[string]string
		limit int
	}{
		{map[string]string{"slippery": "false"}, 100},
		{map[string]string{"slippery": "false", "map": "8x8"}, 200},
		{map[string]string{"slippery": "false", "max_steps": "17"}, 17},
	} {
		env, err := envs.Make("frozenlake", c.opts)
		require.NoError(t, err)
		env.Seed(1)
		env.Reset()
		for i := 1; ; i++ {
			_, _, term, trunc, _ := env.Step(left) // stays on the start
			require.False(t, term)
			if trunc {
				require.Equal(t, c.limit, i, "%v", c.opts)
				break
			}
		}
	}
}
