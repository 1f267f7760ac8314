package window

import (
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

func TestSpeedRunsFromSlowMotionToFastForward(t *testing.T) {
	s := speed{ticks: 8, steps: 1}
	require.Equal(t, "7.5 steps/s", s.String())
	for range 3 {
		s.faster()
	}
	require.Equal(t, speed{ticks: 1, steps: 1}, s)
	for range 20 {
		s.faster()
	}
	require.Equal(t, speed{ticks: 1, steps: maxSteps}, s)
	require.Equal(t, "15360 steps/s", s.String())
	for range 30 {
		s.slower()
	}
	require.Equal(t, speed{ticks: maxTicks, steps: 1}, s)
	require.Equal(t, "0.469 steps/s", s.String())
}

func TestNaturalTicks(t *testing.T) {
	for _, tc := range []struct {
		env   string
		opts  map[string]string
		ticks int
	}{
		{"cartpole", nil, 1},
		{"frozenlake", nil, 16},
		{"catch", nil, 8},
		{"min-seaquest", nil, 8},
		{"snake", nil, 6},
		{"pong", nil, 4},
		{"breakout", map[string]string{"frame_skip": "2"}, 2},
		{"breakout", map[string]string{"frame_skip": "1"}, 1},
	} {
		env, err := envs.Make(tc.env, tc.opts)
		require.NoError(t, err)
		require.Equal(t, tc.ticks, naturalTicks(tc.env, env), "%s %v", tc.env, tc.opts)
	}
}
