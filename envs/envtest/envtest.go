// Package envtest checks that an env keeps arcade's env contract
// (DESIGN.md), as Gymnasium's env_checker does for Python envs: the same
// seed plays the same trajectory and different seeds different ones;
// observations lie in the observation space; terminated and truncated
// mean what they say, and programmer errors panic with an "envs: ..."
// message; Render is deterministic and leaves the state alone; Step
// allocates nothing after warm-up. Every env of the registry passes it,
// in envs' tests; new envs and wrappers should too:
//
//	func TestMyEnv(t *testing.T) {
//		envtest.Check(t, func() envs.Env { return NewMyEnv() }, envtest.Config{})
//	}
package envtest

import (
	"fmt"
	"hash/fnv"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// Config says what Check expects of an env beyond the contract.
type Config struct {
	// Steps is the number of steps each check plays, across episodes
	// (default 400; a quarter under the race detector).
	Steps int
	// Deterministic says that the env draws no random numbers (FrozenLake
	// on dry ice), so that different seeds may play the same trajectory.
	Deterministic bool
	// MaxSteps is the time limit of the env's stack, 0 for none: episodes
	// are truncated exactly at that step and never otherwise.
	MaxSteps int
	// Monitored says that a Monitor reports episode_return and
	// episode_length at the end of every episode, and at no other step.
	Monitored bool
}

// Check runs every check on envs made by newEnv, which must return a
// fresh, unseeded env each time.
func Check(t *testing.T, newEnv func() envs.Env, c Config) {
	t.Helper()
	if c.Steps == 0 {
		c.Steps = 400
	}
	if raceEnabled {
		c.Steps = max(c.Steps/4, 50) // the race detector slows Go down tenfold
	}
	t.Run("Spaces", func(t *testing.T) { checkSpaces(t, newEnv, c) })
	t.Run("SameSeedSameTrajectory", func(t *testing.T) {
		a, b := play(t, newEnv, 11, c, nil), play(t, newEnv, 11, c, nil)
		requireSame(t, a, b, "two envs seeded with 11")
	})
	t.Run("SeedsDiffer", func(t *testing.T) {
		if c.Deterministic {
			t.Skip("the env draws no random numbers")
		}
		a, b := play(t, newEnv, 11, c, nil), play(t, newEnv, 12, c, nil)
		require.False(t, slices.Equal(a, b), "seeds 11 and 12 played the same %d steps", c.Steps)
	})
	t.Run("EpisodeEnds", func(t *testing.T) { checkEnds(t, newEnv, c) })
	t.Run("Render", func(t *testing.T) { checkRender(t, newEnv, c) })
	t.Run("StepAllocatesNothing", func(t *testing.T) {
		if raceEnabled {
			t.Skip("the race detector changes allocation counts")
		}
		env := newEnv()
		env.Seed(3)
		env.Reset()
		acts, n := actions(env), env.ActionSpace().N
		allocs := testing.AllocsPerRun(1, func() {
			for range c.Steps {
				if _, _, term, trunc, _ := env.Step(acts.IntN(n)); term || trunc {
					env.Reset()
				}
			}
		})
		require.Zero(t, allocs, "allocations in %d steps after as many of warm-up", c.Steps)
	})
}

// actions returns the generator of the random actions checks play.
func actions(env envs.Env) *rand.Rand { return rand.New(rand.NewPCG(7, uint64(env.ActionSpace().N))) }

// step is a digest of one step, enough to compare trajectories.
type step struct {
	Obs         uint64 // FNV-1a of the observation's bytes
	Reward      float64
	Term, Trunc bool
	Info        string
	Reset       bool // the observation came from Reset
}

// play seeds a new env, plays c.Steps random steps across episodes, and
// returns their digests; visit, if not nil, is called after every step.
func play(t *testing.T, newEnv func() envs.Env, seed uint64, c Config, visit func(env envs.Env)) []step {
	t.Helper()
	env := newEnv()
	env.Seed(seed)
	acts := actions(env)
	var out []step
	obs, info := env.Reset()
	out = append(out, digest(obs, 0, false, false, info, true))
	for range c.Steps {
		obs, r, term, trunc, info := env.Step(acts.IntN(env.ActionSpace().N))
		out = append(out, digest(obs, r, term, trunc, info, false))
		if visit != nil {
			visit(env)
		}
		if term || trunc {
			obs, info = env.Reset()
			out = append(out, digest(obs, 0, false, false, info, true))
		}
	}
	return out
}

func digest(obs envs.Obs, r float64, term, trunc bool, info envs.Info, reset bool) step {
	h := fnv.New64a()
	h.Write(obs.U8)
	for _, v := range obs.F32 {
		b := math.Float32bits(v)
		h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
	}
	keys := make([]string, 0, len(info))
	for k := range info {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var s strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&s, "%s=%v ", k, info[k])
	}
	return step{Obs: h.Sum64(), Reward: r, Term: term, Trunc: trunc, Info: s.String(), Reset: reset}
}

func requireSame(t *testing.T, a, b []step, what string) {
	t.Helper()
	require.Equal(t, len(a), len(b), "%s: trajectory lengths", what)
	for i := range a {
		require.Equal(t, a[i], b[i], "%s: first difference at record %d", what, i)
	}
}

func checkSpaces(t *testing.T, newEnv func() envs.Env, c Config) {
	env := newEnv()
	as := env.ActionSpace()
	require.Positive(t, as.N, "actions")
	require.Len(t, as.Names, as.N, "one name per action")
	for i, n := range as.Names {
		require.NotEmpty(t, n, "name of action %d", i)
		require.Equal(t, i, as.Index(n), "action names are distinct: %v", as.Names)
	}
	space := env.ObservationSpace()
	require.Positive(t, space.Size())
	require.Contains(t, []envs.Dtype{envs.Uint8, envs.Float32}, space.Dtype)
	require.True(t, len(space.Low) == 1 || len(space.Low) == space.Size(), "Low has 1 or Size values")
	require.Equal(t, len(space.Low), len(space.High))
	env.Seed(5)
	acts := actions(env)
	obs, _ := env.Reset()
	require.NoError(t, space.Check(obs), "Reset's observation")
	for i := range c.Steps {
		var term, trunc bool
		obs, _, term, trunc, _ = env.Step(acts.IntN(as.N))
		require.NoError(t, space.Check(obs), "observation of step %d", i)
		if term || trunc {
			obs, _ = env.Reset()
			require.NoError(t, space.Check(obs), "Reset's observation after step %d", i)
		}
	}
	require.Equal(t, space, env.ObservationSpace(), "the space stays the same")
}

// requirePanics checks that f panics with an "envs: " message.
func requirePanics(t *testing.T, f func(), what string) {
	t.Helper()
	var msg any
	func() {
		defer func() { msg = recover() }()
		f()
	}()
	require.NotNil(t, msg, "%s must panic", what)
	require.True(t, strings.HasPrefix(fmt.Sprint(msg), "envs: "), "%s panics with %q; want an \"envs: \" message", what, msg)
}

func checkEnds(t *testing.T, newEnv func() envs.Env, c Config) {
	env := newEnv()
	requirePanics(t, func() { env.Reset() }, "Reset before Seed")
	env = newEnv()
	env.Seed(9)
	requirePanics(t, func() { env.Step(0) }, "Step before Reset")
	env = newEnv()
	env.Seed(9)
	_, info := env.Reset()
	require.NotNil(t, info, "Reset's Info")
	n := env.ActionSpace().N
	requirePanics(t, func() { env.Step(-1) }, "action -1")
	requirePanics(t, func() { env.Step(n) }, fmt.Sprintf("action %d of %d", n, n))

	env = newEnv()
	env.Seed(9)
	env.Reset()
	acts := actions(env)
	length, ended := 0, 0
	for i := range c.Steps {
		_, _, term, trunc, info := env.Step(acts.IntN(n))
		length++
		require.NotNil(t, info, "Info of step %d", i)
		if c.MaxSteps > 0 {
			require.Equal(t, length == c.MaxSteps, trunc, "truncated at step %d of the episode, limit %d", length, c.MaxSteps)
		} else {
			require.False(t, trunc, "truncated without a time limit at step %d of the episode", length)
		}
		_, hasReturn := info[envs.InfoEpisodeReturn]
		if c.Monitored {
			require.Equal(t, term || trunc, hasReturn, "episode_return at step %d (ended: %v)", length, term || trunc)
			if term || trunc {
				require.Equal(t, float64(length), info[envs.InfoEpisodeLength], "episode_length")
			}
		}
		if term || trunc {
			requirePanics(t, func() { env.Step(0) }, "Step after the episode ended")
			env.Reset()
			length = 0
			ended++
		}
	}
	t.Logf("%d episodes ended in %d steps", ended, c.Steps)
}

func checkRender(t *testing.T, newEnv func() envs.Env, c Config) {
	env := newEnv()
	size := envs.RenderSize(env)
	require.True(t, size.X > 0 && size.Y > 0, "RenderSize %v", size)
	requirePanics(t, func() { env.Render(image.NewRGBA(image.Rect(0, 0, size.X-1, size.Y))) }, "Render into a small image")

	// Render at some steps, twice; a twin env with the same seed that does
	// not render must play the same trajectory, and its pictures must be
	// the same.
	var pictures [][]uint8
	every := max(1, c.Steps/10)
	k := 0
	visit := func(env envs.Env) {
		if k++; k%every != 0 {
			return
		}
		a := image.NewRGBA(image.Rectangle{Max: size})
		b := image.NewRGBA(image.Rect(3, 5, 3+size.X+2, 5+size.Y+1)) // an offset, larger target
		env.Render(a)
		env.Render(b)
		for y := range size.Y {
			require.Equal(t, a.Pix[y*a.Stride:y*a.Stride+4*size.X], b.Pix[y*b.Stride:y*b.Stride+4*size.X],
				"row %d of two renders of the same state", y)
		}
		pictures = append(pictures, a.Pix)
	}
	rendered := play(t, newEnv, 21, c, visit)
	plain := play(t, newEnv, 21, c, nil)
	requireSame(t, rendered, plain, "an env that renders and one that does not")
	require.NotEmpty(t, pictures)
	require.False(t, slices.ContainsFunc(pictures, flat), "a picture is one flat colour")
	first := pictures
	pictures, k = nil, 0
	play(t, newEnv, 21, c, visit)
	require.Equal(t, first, pictures, "pictures of two envs with the same seed")
}

// flat reports whether every pixel of an RGBA picture has the same colour.
func flat(pix []uint8) bool {
	for i := 4; i < len(pix); i += 4 {
		if pix[i] != pix[0] || pix[i+1] != pix[1] || pix[i+2] != pix[2] {
			return false
		}
	}
	return true
}
