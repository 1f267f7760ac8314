package window

import (
	"slices"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/require"
)

func TestPlayMapsKeysToActionNames(t *testing.T) {
	ale := envs.Discrete{N: 7, Names: []string{"NOOP", "FIRE", "UP", "RIGHT", "UPRIGHT", "UPFIRE", "UPRIGHTFIRE"}}
	names := func(env string) envs.Discrete {
		e, err := envs.Make(env, nil)
		require.NoError(t, err)
		return e.ActionSpace()
	}
	up, down, left, right, space := ebiten.KeyArrowUp, ebiten.KeyArrowDown, ebiten.KeyArrowLeft, ebiten.KeyArrowRight, ebiten.KeySpace
	for _, tc := range []struct {
		space envs.Discrete
		keys  []ebiten.Key
		want  string // "" for no action
	}{
		{names("min-breakout"), nil, ""},
		{names("min-breakout"), []ebiten.Key{left}, "LEFT"},
		{names("min-breakout"), []ebiten.Key{space}, "FIRE"},
		{names("min-breakout"), []ebiten.Key{left, space}, "LEFT"},
		{names("min-breakout"), []ebiten.Key{up, right}, "UP"},
		{names("min-breakout"), []ebiten.Key{left, right}, ""},
		{names("breakout"), []ebiten.Key{space}, "FIRE"},
		{names("breakout"), []ebiten.Key{up}, ""},
		{names("pong"), []ebiten.Key{down}, "DOWN"},
		{names("pong"), []ebiten.Key{space}, ""},
		{names("frozenlake"), []ebiten.Key{up}, "UP"},
		{names("cartpole"), []ebiten.Key{right}, "RIGHT"},
		{ale, []ebiten.Key{up, right, space}, "UPRIGHTFIRE"},
		{ale, []ebiten.Key{up, space}, "UPFIRE"},
		{ale, []ebiten.Key{up, right}, "UPRIGHT"},
		{ale, []ebiten.Key{right, space}, "RIGHT"},
	} {
		got := actionFor(tc.space, func(keys ...ebiten.Key) bool {
			return slices.ContainsFunc(keys, func(k ebiten.Key) bool { return slices.Contains(tc.keys, k) })
		})
		require.Equal(t, tc.space.Index(tc.want), got, "%v with keys %v", tc.space.Names, tc.keys)
	}
	require.Equal(t, "up+right+space", keysOf("UPRIGHTFIRE"))
	require.Equal(t, "no key", keysOf("NOOP"))
	require.Equal(t, "left", keysOf("LEFT"))
}

func newTestPlay(t *testing.T, name string, opts map[string]string, k *keys) *Play {
	t.Helper()
	env, err := envs.Make(name, opts)
	require.NoError(t, err)
	g, err := NewPlay(PlayConfig{Env: env, EnvName: name, Seed: 2, OutDir: t.TempDir(), Input: k})
	require.NoError(t, err)
	return g
}

func TestPlayRunsAtTheEnvsPace(t *testing.T) {
	// Catch steps every 8 updates, from the first: LEFT while the arrow is
	// held, NOOP without a key.
	k := newKeys().hold(1, 12, ebiten.KeyArrowLeft)
	g := newTestPlay(t, "catch", nil, k)
	shot := capture(t, &driven{g, k}, 17)
	require.Equal(t, 3, g.steps, "updates 1, 9 and 17")
	require.Equal(t, 0, g.action, "NOOP at update 17, the key released")
	requireGameArea(t, shot, rendered(g.env), g.scale)

	// A tap between two steps is played at the next one.
	k = newKeys().press(3, ebiten.KeyArrowRight)
	g = newTestPlay(t, "catch", nil, k)
	show(&driven{g, k}, 9, func(*ebiten.Image) {})
	require.Equal(t, 2, g.steps)
	require.Equal(t, 2, g.action, "RIGHT")

	// FrozenLake has no NOOP: it waits for a key, then steps at once.
	k = newKeys().press(30, ebiten.KeyArrowRight).press(33, ebiten.KeyArrowDown).press(60, ebiten.KeyR)
	g = newTestPlay(t, "frozenlake", map[string]string{"slippery": "false"}, k)
	lake := envs.Unwrap(g.env).(*envs.FrozenLake)
	show(&driven{g, k}, 29, func(*ebiten.Image) {})
	require.Equal(t, 0, g.steps, "no key, no step")
	show(&driven{g, k}, 1, func(*ebiten.Image) {})
	require.Equal(t, 1, g.steps, "update 30 steps at once")
	require.Equal(t, 1, lake.State())
	show(&driven{g, k}, 16, func(*ebiten.Image) {})
	require.Equal(t, 2, g.steps, "DOWN, pressed at 33, plays at 46, 16 updates after 30")
	require.Equal(t, 5, lake.State(), "into the hole")
	require.True(t, g.over)
	require.Equal(t, 1, g.played)
	show(&driven{g, k}, 14, func(*ebiten.Image) {})
	require.Equal(t, 1, g.game, "R starts the next game")
	require.Equal(t, 0, lake.State())
	require.False(t, g.over)
}

func TestPlayKeepsTheScore(t *testing.T) {
	// Catch with no key: the ball falls for 9 steps, then the game ends
	// with +1 or -1; P pauses.
	k := newKeys().press(100, ebiten.KeyP)
	g := newTestPlay(t, "catch", nil, k)
	g.speed = speed{ticks: 1, steps: 1}
	show(&driven{g, k}, 100, func(*ebiten.Image) {})
	require.True(t, g.over)
	require.Equal(t, 9, g.steps)
	require.Contains(t, []float64{-1, 1}, g.score)
	require.Equal(t, g.score, g.last)
	require.True(t, g.paused)
}
