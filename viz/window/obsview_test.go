package window

import (
	"math"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

func TestBarSpan(t *testing.T) {
	for _, tc := range []struct {
		v, lo, hi, from, to float64
	}{
		{0.5, 0, 1, 0, 0.5},   // a one-hot value, from the left
		{1, -2, 2, 0.5, 0.75}, // symmetric bounds, from the middle
		{-2.4, -4.8, 4.8, 0.25, 0.5},
		{-1, -math.MaxFloat32, math.MaxFloat32, 0.25, 0.5}, // unbounded: v/(|v|+1)
		{9, -1, 1, 0.5, 1},                                 // clipped at the end
	} {
		from, to := barSpan(tc.v, tc.lo, tc.hi)
		require.InDelta(t, tc.from, from, 1e-12, "%v in [%v, %v]", tc.v, tc.lo, tc.hi)
		require.InDelta(t, tc.to, to, 1e-12, "%v in [%v, %v]", tc.v, tc.lo, tc.hi)
	}
}

func TestObsViewDrawsVectors(t *testing.T) {
	// CartPole: a row per value, its bar from the middle, its number beside.
	env, err := envs.Make("cartpole", nil)
	require.NoError(t, err)
	v := newObsView(env.ObservationSpace(), 356, 200)
	require.False(t, v.vectorAsColumn)
	obs := envs.Obs{Shape: []int{4}, F32: []float32{0, 1, -0.2095, -3}}
	v.draw(obs)
	mid := lineH / 2
	require.Equal(t, barColour, v.pic.RGBAAt(vectorBarW/2, mid), "0: a sliver at the middle")
	require.Equal(t, barTrack, v.pic.RGBAAt(vectorBarW/2+3, mid))
	require.Equal(t, barColour, v.pic.RGBAAt(vectorBarW/2+30, lineH+mid), "1 of an unbounded velocity: a quarter")
	require.Equal(t, barTrack, v.pic.RGBAAt(vectorBarW/2+50, lineH+mid))
	require.Equal(t, barColour, v.pic.RGBAAt(vectorBarW/2-30, 2*lineH+mid), "the angle at half its bound, to the left")
	require.Equal(t, barTrack, v.pic.RGBAAt(vectorBarW/2+5, 2*lineH+mid))
	var texts []string
	for _, l := range v.labels() {
		texts = append(texts, l.text)
	}
	require.Equal(t, []string{"+0", "+1", "-0.2095", "-3"}, texts)

	// FrozenLake's one-hot code: a column per state.
	env, err = envs.Make("frozenlake", map[string]string{"map": "8x8"})
	require.NoError(t, err)
	v = newObsView(env.ObservationSpace(), 356, 200)
	require.True(t, v.vectorAsColumn)
	one := make([]float32, 64)
	one[9] = 1
	v.draw(envs.Obs{Shape: []int{64}, F32: one})
	require.Empty(t, v.labels())
	for s := range 64 {
		want := barTrack
		if s == 9 {
			want = barColour
		}
		require.Equal(t, want, v.pic.RGBAAt(s*v.w, 1), "state %d's column", s)
	}
}
