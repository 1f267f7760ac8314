package envs_test

import (
	"image"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// ticker is a scripted env for the wrapper tests. After t steps of an
// episode its observation is [200 on odd t else 0, t], the reward of
// action a is a-2, the lives are 3 - t/4, and the episode terminates after
// end steps. It records the actions it executes.
type ticker struct {
	t, end   int
	running  bool
	resets   int
	executed []int
	obs      [2]uint8
	info     envs.Info
}

func newTicker(end int) *ticker { return &ticker{end: end, info: envs.Info{}} }

func (k *ticker) Seed(uint64) {}
func (k *ticker) Reset() (envs.Obs, envs.Info) {
	k.t, k.running = 0, true
	k.resets++
	return k.observe(), k.info
}
func (k *ticker) Step(a int) (envs.Obs, float64, bool, bool, envs.Info) {
	if !k.running {
		panic("envs: ticker: Step after the episode ended; call Reset")
	}
	k.t++
	k.executed = append(k.executed, a)
	k.running = k.t < k.end
	return k.observe(), float64(a - 2), !k.running, false, k.info
}
func (k *ticker) observe() envs.Obs {
	k.obs = [2]uint8{uint8(200 * (k.t % 2)), uint8(k.t)}
	clear(k.info)
	k.info[envs.InfoLives] = float64(3 - k.t/4)
	return envs.Obs{Shape: []int{2}, U8: k.obs[:]}
}
func (k *ticker) ActionSpace() envs.Discrete {
	return envs.Discrete{N: 5, Names: []string{"NOOP", "A", "B", "C", "D"}}
}
func (k *ticker) ObservationSpace() envs.Box {
	return envs.Box{Shape: []int{2}, Dtype: envs.Uint8, Low: []float64{0}, High: []float64{255}}
}
func (k *ticker) Render(*image.RGBA) {}

func TestTimeLimitTruncates(t *testing.T) {
	k := newTicker(100)
	env := envs.NewTimeLimit(k, 3)
	require.Same(t, envs.Env(k), env.Inner())
	env.Reset()
	for i := 1; i <= 3; i++ {
		_, _, term, trunc, _ := env.Step(2)
		require.False(t, term)
		require.Equal(t, i == 3, trunc, "step %d", i)
	}
	require.PanicsWithValue(t, "envs: TimeLimit: Step after the episode ended; call Reset", func() { env.Step(2) })
	// A game that ends on the limit's step is both terminated and truncated,
	// as in Gymnasium.
	env = envs.NewTimeLimit(newTicker(3), 3)
	env.Reset()
	env.Step(0)
	env.Step(0)
	_, _, term, trunc, _ := env.Step(0)
	require.True(t, term)
	require.True(t, trunc)
}

func TestClipReward(t *testing.T) {
	env := envs.NewClipReward(newTicker(100))
	env.Reset()
	for a, want := range []float64{-1, -1, 0, 1, 1} {
		_, r, _, _, _ := env.Step(a)
		require.Equal(t, want, r, "reward %d clipped", a-2)
	}
}

func TestStickyActions(t *testing.T) {
	k := newTicker(1 << 30)
	always := envs.NewStickyActions(k, 1)
	always.Seed(1)
	always.Reset()
	for range 10 {
		always.Step(3)
	}
	require.Equal(t, make([]int, 10), k.executed, "with p = 1 the first action, no-op, repeats forever")
	require.Panics(t, func() { always.Step(5) }, "an invalid action panics even when it would not run")

	k = newTicker(1 << 30)
	env := envs.NewStickyActions(k, 0.25)
	env.Seed(2)
	env.Reset()
	const n = 20000
	repeats := 0
	for i := range n {
		a := 1 + i%4 // never the previous action
		env.Step(a)
		if k.executed[i] != a {
			repeats++
			require.Equal(t, k.executed[max(i-1, 0)], k.executed[i], "a sticky step repeats the previous executed action")
		}
	}
	require.InDelta(t, n/4, repeats, 4*61, "sqrt(n/4*3/4) = 61")
	env.P = 0
	env.Step(3)
	env.P = 1
	env.Reset()
	env.Step(4)
	require.Zero(t, k.executed[len(k.executed)-1], "Reset makes no-op the previous action")
}

func TestNoopResetPlaysOneToNoopMax(t *testing.T) {
	k := newTicker(1 << 30)
	env := envs.NewNoopReset(k, 5)
	env.Seed(3)
	seen := map[int]int{}
	for range 500 {
		obs, _ := env.Reset()
		require.Equal(t, k.t, int(obs.U8[1]), "the observation after the no-ops")
		seen[k.t]++
	}
	require.Len(t, seen, 5)
	for n := 1; n <= 5; n++ {
		require.Positive(t, seen[n], "%d no-ops", n)
	}
	for _, a := range k.executed {
		require.Zero(t, a)
	}
	// An episode that ends during the no-ops is reset again.
	k = newTicker(2)
	env = envs.NewNoopReset(k, 30)
	env.Seed(4)
	for range 50 {
		env.Reset()
		require.Less(t, k.t, 2)
	}
	require.Panics(t, func() { envs.NewNoopReset(envs.NewCartPole(), 30) }, "action 0 must be NOOP")
}

func TestEpisodicLifeEndsAtEachLostLife(t *testing.T) {
	k := newTicker(10) // lives 3 until t=4, 2 until t=8, then 1
	env := envs.NewEpisodicLife(envs.NewMonitor(k))
	env.Reset()
	var ends []int
	for k.resets < 2 {
		_, _, term, trunc, info := env.Step(1)
		require.False(t, trunc)
		if term {
			ends = append(ends, k.t)
			if k.t == 10 {
				require.Equal(t, 10.0, info[envs.InfoEpisodeLength], "Monitor below EpisodicLife sees whole games")
			} else {
				require.NotContains(t, info, envs.InfoEpisodeLength)
			}
			env.Reset()
		}
	}
	require.Equal(t, []int{4, 8, 10}, ends, "lives lost at t = 4 and 8, game over at 10")
	require.Equal(t, []int{1, 1, 1, 1, 0, 1, 1, 1, 0, 1}, k.executed, "Reset after a lost life plays a no-op")
}

func TestMonitorRecordsEpisodes(t *testing.T) {
	env := envs.NewMonitor(envs.NewClipReward(newTicker(3)))
	for range 2 {
		env.Reset()
		_, _, _, _, info := env.Step(4)
		require.NotContains(t, info, envs.InfoEpisodeReturn)
		env.Step(0)
		_, _, term, _, info := env.Step(3)
		require.True(t, term)
		require.Equal(t, 1.0, info[envs.InfoEpisodeReturn], "1 - 1 + 1")
		require.Equal(t, 3.0, info[envs.InfoEpisodeLength])
	}
}

func TestFrameSkipMaxesTheLastTwoFrames(t *testing.T) {
	k := newTicker(6)
	env := envs.NewFrameSkip(k, 4)
	env.Reset()
	obs, r, term, _, info := env.Step(4)
	require.Equal(t, 4, k.t)
	require.Equal(t, 8.0, r, "rewards summed over 4 frames")
	require.False(t, term)
	require.Equal(t, []uint8{200, 4}, obs.U8, "max of frames 3 [200 3] and 4 [0 4]")
	require.Equal(t, 2.0, info[envs.InfoLives], "the last frame's Info")
	obs, r, term, _, _ = env.Step(3)
	require.True(t, term, "the game ended at frame 6")
	require.Equal(t, 2.0, r, "two frames played")
	require.Equal(t, []uint8{0, 6}, obs.U8, "the last frame alone")
	require.Panics(t, func() { envs.NewFrameSkip(envs.NewCartPole(), 4) }, "float observations")
}

func TestFrameStackOldestFirst(t *testing.T) {
	env := envs.NewFrameStack(newTicker(100), 3)
	require.Equal(t, []int{3, 2}, env.ObservationSpace().Shape)
	obs, _ := env.Reset()
	require.Equal(t, []int{3, 2}, obs.Shape)
	require.Equal(t, []uint8{0, 0, 0, 0, 0, 0}, obs.U8, "the first frame three times")
	obs, _, _, _, _ = env.Step(0)
	require.Equal(t, []uint8{0, 0, 0, 0, 200, 1}, obs.U8)
	obs, _, _, _, _ = env.Step(0)
	obs, _, _, _, _ = env.Step(0)
	require.Equal(t, []uint8{200, 1, 0, 2, 200, 3}, obs.U8, "frames 1, 2, 3")

	floats := envs.NewFrameStack(envs.NewCartPole(), 2)
	space := floats.ObservationSpace()
	require.Equal(t, []int{2, 4}, space.Shape)
	require.Len(t, space.High, 8, "per-element bounds repeat")
	floats.Seed(1)
	fo, _ := floats.Reset()
	require.Equal(t, fo.F32[:4], fo.F32[4:])
}
