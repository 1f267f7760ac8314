package data

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

func makeEnv(t *testing.T, name string, opts map[string]string) envs.Env {
	t.Helper()
	env, err := envs.Make(name, opts)
	require.NoError(t, err)
	return env
}

func TestCollectFramesLayouts(t *testing.T) {
	for _, tc := range []struct {
		env     string
		opts    map[string]string
		c, h, w int
	}{
		{"catch", nil, 1, 10, 5},                             // [H, W] of 0/1
		{"min-breakout", nil, 4, 10, 10},                     // object layers
		{"pong", map[string]string{"size": "16"}, 1, 16, 16}, // a stack of 4: the newest frame
	} {
		env := makeEnv(t, tc.env, tc.opts)
		f, err := CollectFrames(tc.env, env, 30, 2, 7, RandomActor(env.ActionSpace().N))
		require.NoError(t, err, tc.env)
		require.Equal(t, []int{30, tc.c, tc.h, tc.w}, []int{f.N, f.C, f.H, f.W}, tc.env)
		require.Len(t, f.Images, 30*tc.c*tc.h*tc.w)
		lit := 0
		for _, v := range f.Images {
			require.True(t, v >= 0 && v <= 1, tc.env)
			if v > 0 {
				lit++
			}
		}
		require.Positive(t, lit, tc.env)
		again, err := CollectFrames(tc.env, makeEnv(t, tc.env, tc.opts), 30, 2, 7, RandomActor(env.ActionSpace().N))
		require.NoError(t, err)
		require.Equal(t, f.Images, again.Images, "%s: the same seed gives the same frames", tc.env)
	}
}

// The frames are the observations of every every-th step, the newest
// frame of a stack, scaled to [0, 1].
func TestCollectFramesKeepsEveryKthObservation(t *testing.T) {
	opts := map[string]string{"size": "12", "stack": "3"}
	actor := func(_ envs.Obs, rng *rand.Rand) int { return rng.IntN(3) }
	f, err := CollectFrames("pong", makeEnv(t, "pong", opts), 4, 3, 9, actor)
	require.NoError(t, err)
	env := makeEnv(t, "pong", opts)
	env.Seed(9)
	obs, _ := env.Reset()
	rng := rand.New(rand.NewPCG(9, 0x6672616d6573))
	for i := range 4 {
		newest := obs.U8[2*144:]
		for p := range 144 {
			require.Equal(t, float32(newest[p])/255, f.Images[i*144+p], "frame %d pixel %d", i, p)
		}
		for range 3 {
			obs, _, _, _, _ = env.Step(actor(obs, rng))
		}
	}
}

func TestCollectFramesRefusesVectorsAndHugeSets(t *testing.T) {
	_, err := CollectFrames("cartpole", makeEnv(t, "cartpole", nil), 10, 1, 1, RandomActor(2))
	require.ErrorContains(t, err, "frames of cartpole: observations")
	_, err = CollectFrames("pong", makeEnv(t, "pong", nil), 1<<20, 1, 1, RandomActor(3))
	require.ErrorContains(t, err, "exceed 4 GiB")
	_, err = CollectFrames("catch", makeEnv(t, "catch", nil), 0, 1, 1, RandomActor(3))
	require.ErrorContains(t, err, "want 1 or more")
}
