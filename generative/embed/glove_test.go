package embed

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCooccurrencesWeighByInverseDistance(t *testing.T) {
	// vocabulary by count: a (3), b (2), c (1)
	c, err := CorpusFromSentences([]string{"a b a c", "b a"}, 1)
	require.NoError(t, err)
	got := map[[2]int32]float64{}
	for _, e := range cooccurrences(c, 2) {
		got[[2]int32{e.i, e.j}] = e.x
	}
	const a, b, cc = 0, 1, 2
	// sentence 1: a-b at 1, a-a at 2, b-a at 1, b-c at 2, a-c at 1;
	// sentence 2: b-a at 1. Each counts both ways.
	require.Equal(t, map[[2]int32]float64{
		{a, b}: 1 + 1 + 1, {b, a}: 1 + 1 + 1,
		{a, a}:  0.5 + 0.5,
		{b, cc}: 0.5, {cc, b}: 0.5,
		{a, cc}: 1, {cc, a}: 1,
	}, got)
}

func TestGloVeWeighting(t *testing.T) {
	c, err := CorpusFromSentences([]string{"a b a c", "b a"}, 1)
	require.NoError(t, err)
	cfg := DefaultConfig()
	cfg.Method, cfg.Window, cfg.XMax, cfg.Alpha = "glove", 2, 2, 0.75
	g := New(cfg, c, 1).learn.(*gloVe)
	for k, e := range g.cooc {
		want := 1.0 // x >= x_max
		if e.x < 2 {
			want = math.Pow(e.x/2, 0.75)
		}
		require.InDelta(t, want, float64(g.fX[k]), 1e-7)
		require.InDelta(t, math.Log(e.x), float64(g.logX[k]), 1e-7)
	}
	n, ok := New(cfg, c, 1).Cooccurrences()
	require.True(t, ok)
	require.Equal(t, 7, n)
	_, ok = New(smallConfig("sgns"), c, 1).Cooccurrences()
	require.False(t, ok)
}
