package rollout

import (
	"image"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// catchPolicy moves Catch's paddle under the ball: a perfect player.
type catchPolicy struct{}

func (catchPolicy) NumActions() int { return 3 }

// QValues finds the ball (row < 9) and the paddle (row 9) of each
// [10, 5] board and values the move towards the ball at 1.
func (catchPolicy) QValues(obs envs.Obs, q []float32) {
	for i := range len(obs.U8) / 50 {
		board := obs.U8[i*50 : (i+1)*50]
		ball, paddle := 0, 0
		for c, v := range board {
			if v == 1 && c < 45 {
				ball = c % 5
			} else if v == 1 {
				paddle = c % 5
			}
		}
		row := q[i*3 : (i+1)*3]
		row[0], row[1], row[2] = 0, 0, 0
		switch {
		case ball < paddle:
			row[1] = 1
		case ball > paddle:
			row[2] = 1
		default:
			row[0] = 1
		}
	}
}

func TestEvaluateIsPerEpisode(t *testing.T) {
	perfect, err := Evaluate(catchPolicy{}, Config{Env: "catch", Episodes: 40, Seed: 5})
	require.NoError(t, err)
	require.Equal(t, 1.0, perfect.Mean(), "the perfect player catches every ball")
	require.Equal(t, 0.0, perfect.Std())
	require.Equal(t, 9, perfect.Lengths[0])

	noisy, err := Evaluate(catchPolicy{}, Config{Env: "catch", Episodes: 40, Seed: 5, Epsilon: 0.5})
	require.NoError(t, err)
	require.Less(t, noisy.Mean(), 1.0)
	require.Equal(t, -1.0, noisy.Min())
	fewer, err := Evaluate(catchPolicy{}, Config{Env: "catch", Episodes: 7, Seed: 5, Epsilon: 0.5})
	require.NoError(t, err)
	require.Equal(t, noisy.Returns[:7], fewer.Returns, "episode i does not depend on how many are played beside it")

	env, err := envs.Make("catch", nil)
	require.NoError(t, err)
	frames := 0
	ret, length := Play(catchPolicy{}, env, 5, 3, 0.5, func() { frames++ })
	require.Equal(t, noisy.Returns[3], ret, "Play replays Evaluate's episode 3")
	require.Equal(t, noisy.Lengths[3], length)
	require.Equal(t, length+1, frames)

	_, err = Evaluate(catchPolicy{}, Config{Env: "cartpole", Episodes: 1})
	require.ErrorContains(t, err, "cartpole has 2 actions; the policy has 3")
}

func TestTrainAndEvalSeedsNeverMeet(t *testing.T) {
	seen := map[uint64]bool{}
	for i := range 10_000 {
		seen[TrainSeed(1, i)] = true
	}
	for i := range 10_000 {
		require.False(t, seen[EvalSeed(1, i)], "evaluation episode %d", i)
	}
}

// play steps s with random actions for n steps, resetting after ends, and
// returns what it saw.
func play(s *Stream, obs envs.Obs, rng *rand.Rand, n int) ([]float64, envs.Obs) {
	var trace []float64
	A := s.Env().ActionSpace().N
	for range n {
		next, r, term, trunc, info := s.Step(rng.IntN(A))
		trace = append(trace, r, float64(next.U8[len(next.U8)/2]), info[envs.InfoLives], float64(s.Game()))
		if term || trunc {
			next = s.Reset()
		}
		obs = next
	}
	return trace, obs
}

// A Stream restored from its State goes on exactly as the original:
// Catch's games, and pixel Breakout with EpisodicLife, whose agent
// episodes end at each lost life while the game goes on.
func TestStreamRestoreReplaysTheGame(t *testing.T) {
	for _, tc := range []struct {
		env  string
		opts map[string]string
	}{{"catch", nil}, {"breakout", map[string]string{"episodic_life": "true", "size": "16", "max_steps": "300"}}} {
		mk := func() *Stream {
			env, err := envs.Make(tc.env, tc.opts)
			require.NoError(t, err)
			return NewStream(env, 9)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		s := mk()
		_, obs := play(s, s.Reset(), rng, 700)
		st := s.State()
		at := append([]uint8(nil), obs.U8...) // the env's view: Step overwrites it
		rngState := rng.Uint64()
		want, _ := play(s, obs, rand.New(rand.NewPCG(rngState, 2)), 500)

		r := mk()
		obs2, err := r.Restore(st)
		require.NoError(t, err)
		require.Equal(t, at, obs2.U8, tc.env)
		got, _ := play(r, obs2, rand.New(rand.NewPCG(rngState, 2)), 500)
		require.Equal(t, want, got, tc.env)
		require.Greater(t, s.Game(), 1, tc.env)
	}
	env, _ := envs.Make("catch", nil)
	_, err := NewStream(env, 1).Restore(StreamState{Game: 0, Actions: []byte{7}})
	require.ErrorContains(t, err, "action 7")
}

func TestRecordableFrames(t *testing.T) {
	env, _ := envs.Make("catch", nil)
	size := envs.RenderSize(env)
	dst := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
	n := 0
	Play(catchPolicy{}, env, 1, 0, 0, func() { env.Render(dst); n++ })
	require.Equal(t, 10, n)
}

func TestLinear(t *testing.T) {
	require.Equal(t, 1.0, Linear(1, 0, 10, 0))
	require.Equal(t, 0.5, Linear(1, 0, 10, 5))
	require.Equal(t, 0.0, Linear(1, 0, 10, 11))
}

// Restore takes a checkpoint's action log as it comes: any bytes give the
// restored env or an error, never a panic.
func FuzzStreamRestore(f *testing.F) {
	f.Add(0, []byte{0, 1, 2, 1})
	f.Add(3, []byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 1})
	f.Add(-1, []byte{})
	f.Add(1, []byte{9})
	f.Fuzz(func(t *testing.T, game int, actions []byte) {
		env, _ := envs.Make("catch", nil)
		s := NewStream(env, 1)
		obs, err := s.Restore(StreamState{Game: game, Actions: actions})
		if err == nil {
			require.Equal(t, 50, obs.Len())
			require.Equal(t, game, s.Game())
		}
	})
}
