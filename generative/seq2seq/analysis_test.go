package seq2seq

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorAnalysisBlamesTheSearchOrTheModel(t *testing.T) {
	// The model of TestBeamFindsWhatGreedyMisses: greedy answers "a" with
	// P 0.21, while "b" has P 0.36 (the search is at fault when "b" is
	// right) and "aa" has P 0.6·0.33·0.97 = 0.192 (the model is at fault
	// when "aa" is right).
	m := &toyModel{dist: table(map[string][toyClasses]float64{
		"":  {0.6, 0.4, 0, 0},
		"a": {0.33, 0.32, 0, 0.35},
		"b": {0.05, 0.05, 0, 0.9},
	})}
	src := [][]int{{0}, {1}, {2}}
	targets := [][]int{{tokB}, {tokA, tokA}, {tokA}}
	s := toySearch(1)
	outs := Greedy(m, src, s)
	a := Analyze(m, s, src, targets, outs)
	require.Equal(t, 3, a.Examples)
	require.Equal(t, 2, a.Wrong)
	require.Equal(t, 1, a.SearchFaults)
	require.Equal(t, 1, a.ModelFaults)
	require.InDelta(t, 1.0/3, a.Accuracy(), 1e-12)
	require.Len(t, a.Faults, 2)
	f0, f1 := a.Faults[0], a.Faults[1]
	require.Equal(t, 0, f0.Index)
	require.True(t, f0.Search)
	require.InDelta(t, math.Log(0.36), f0.LogPTarget, 1e-6)
	require.InDelta(t, math.Log(0.21), f0.LogPOutput, 1e-6)
	require.Equal(t, 1, f1.Index)
	require.False(t, f1.Search)
	require.InDelta(t, math.Log(0.6*0.33*0.97), f1.LogPTarget, 1e-6)

	var b strings.Builder
	require.NoError(t, a.WriteReport(&b, []string{"x", "y", "z"}, []string{"b", "aa", "a"}, []string{"a", "a", "a"}, 1))
	report := b.String()
	require.Contains(t, report, "error analysis of greedy search: 2 of 3 outputs wrong (exact match 0.3333)")
	require.Contains(t, report, "search at fault (P(y*|x) > P(y^|x): a wider beam could find y*): 1\n")
	require.Contains(t, report, "model at fault  (P(y*|x) <= P(y^|x): the model prefers its wrong answer): 1\n")
	require.Contains(t, report, "x                            b            a                 -1.0217      -1.5606  search\n")
	require.Contains(t, report, "... and 1 more\n")

	// Beam search of width 2 finds "b": only the model is at fault then.
	s = toySearch(2)
	a = Analyze(m, s, src, targets, Beam(m, src, s))
	require.Equal(t, 2, a.Wrong)
	require.Equal(t, 0, a.SearchFaults)
	require.Equal(t, 2, a.ModelFaults)
	b.Reset()
	require.NoError(t, a.WriteReport(&b, []string{"x", "y", "z"}, []string{"b", "aa", "a"}, []string{"b", "b", "b"}, 5))
	require.Contains(t, b.String(), "beam search (width 2, alpha 0.7)")
}
