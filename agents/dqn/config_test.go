package dqn

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultPresets(t *testing.T) {
	for env, want := range map[string]string{
		"cartpole": "classic", "catch": "classic", "frozenlake": "classic",
		"min-breakout": "minatar-adam", "min-seaquest": "minatar-adam",
		"pong": "rainbow-lite", "breakout": "rainbow-lite",
	} {
		require.Equal(t, want, DefaultPreset(env), env)
	}
}

// The grids' default is rainbow-lite with its four parts turned off
// (docs/results.md measured it so, as --double=false --dueling=false
// --prioritized=false --n-step 1).
func TestMinatarAdamIsRainbowLiteWithoutItsParts(t *testing.T) {
	got, ok := Preset("minatar-adam", "min-asterix")
	require.True(t, ok)
	want, ok := Preset("rainbow-lite", "min-asterix")
	require.True(t, ok)
	want.Preset, want.Net = "minatar-adam", "minatar"
	want.Double, want.Dueling, want.Prioritized, want.NStep = false, false, false, 1
	require.Equal(t, want, got)
}
