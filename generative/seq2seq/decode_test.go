package seq2seq

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// Toy tokens: a, b, c and EOS; BOS is only read.
const (
	tokA, tokB, tokC, tokEOS, tokBOS = 0, 1, 2, 3, 4
	toyClasses                       = 4
)

// toyModel is a Stepper whose next-token distribution is a function of
// the source and the prefix written so far.
type toyModel struct {
	dist    func(source, prefix []int) []float64 // probabilities of the toyClasses tokens
	sources [][]int                              // per row
	prefix  [][]int                              // per row
	logp    []float32
	steps   int // Step calls, for tests of early stopping
}

func (m *toyModel) Begin(sources [][]int, copies int) {
	m.sources, m.prefix = m.sources[:0], m.prefix[:0]
	for _, s := range sources {
		for range copies {
			m.sources = append(m.sources, s)
			m.prefix = append(m.prefix, nil)
		}
	}
}

func (m *toyModel) Step(prev []int) []float32 {
	m.steps++
	m.logp = m.logp[:0]
	for r, p := range prev {
		if p != tokBOS {
			m.prefix[r] = append(slices.Clip(m.prefix[r]), p)
		}
		for _, x := range m.dist(m.sources[r], m.prefix[r]) {
			m.logp = append(m.logp, float32(math.Log(x)))
		}
	}
	return m.logp
}

func (m *toyModel) Reorder(from []int) {
	old := slices.Clone(m.prefix)
	for r, f := range from {
		m.prefix[r] = old[f]
	}
}

// table is a distribution given by prefix; unknown prefixes end at once.
func table(t map[string][toyClasses]float64) func(_, prefix []int) []float64 {
	return func(_, prefix []int) []float64 {
		key := ""
		for _, p := range prefix {
			key += string(rune('a' + p))
		}
		if d, ok := t[key]; ok {
			return d[:]
		}
		return []float64{0.01, 0.01, 0.01, 0.97}
	}
}

// randomDist draws a distribution from the source and the prefix, EOS
// more likely as the prefix grows.
func randomDist(source, prefix []int) []float64 {
	seed := uint64(1)
	for _, x := range append(slices.Clone(source), prefix...) {
		seed = seed*1000003 + uint64(x) + 7
	}
	rng := rand.New(rand.NewPCG(seed, uint64(len(prefix))))
	p := make([]float64, toyClasses)
	sum := 0.0
	for i := range p {
		p[i] = rng.Float64() + 0.05
		if i == tokEOS {
			p[i] *= float64(len(prefix)) / 2
		}
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func toySearch(width int) Search {
	return Search{BOS: tokBOS, EOS: tokEOS, MaxLen: 6, Width: width, Alpha: 0.7}
}

func TestBeamFindsWhatGreedyMisses(t *testing.T) {
	// Greedy takes a (0.6) and then can only end with 0.35: P = 0.21. Beam
	// search of width 2 also keeps b (0.4), which ends with 0.9: P = 0.36.
	m := &toyModel{dist: table(map[string][toyClasses]float64{
		"":  {0.6, 0.4, 0, 0},
		"a": {0.33, 0.32, 0, 0.35},
		"b": {0.05, 0.05, 0, 0.9},
	})}
	src := [][]int{{0}}
	g := Greedy(m, src, toySearch(1))[0]
	require.Equal(t, []int{tokA}, g.Tokens)
	require.True(t, g.Ended)
	require.InDelta(t, math.Log(0.6*0.35), g.LogProb, 1e-6)
	b := Beam(m, src, toySearch(2))[0]
	require.Equal(t, []int{tokB}, b.Tokens)
	require.InDelta(t, math.Log(0.4*0.9), b.LogProb, 1e-6)
	require.Equal(t, g, Beam(m, src, toySearch(1))[0], "width 1 is greedy")
}

func TestLengthNormalisation(t *testing.T) {
	// Ending at once has P 0.5; "aaa" has 0.5·0.9²·0.99 = 0.401 over 4
	// tokens. Width 3 also finishes "ab" (P 0.0485) on the way.
	m := &toyModel{dist: table(map[string][toyClasses]float64{
		"":    {0.5, 0, 0, 0.5},
		"a":   {0.9, 0.1, 0, 0},
		"aa":  {0.9, 0.1, 0, 0},
		"aaa": {0.01, 0, 0, 0.99},
	})}
	src := [][]int{{0}}
	s := toySearch(3)
	s.Alpha = 0
	require.Empty(t, Beam(m, src, s)[0].Tokens, "log P alone prefers the short output")
	s.Alpha = 0.7 // log(0.5)/1 = -0.69 against log(0.401)/4^0.7 = -0.35
	h := Beam(m, src, s)[0]
	require.Equal(t, []int{tokA, tokA, tokA}, h.Tokens)
	require.InDelta(t, math.Log(0.5*0.9*0.9*0.99), h.LogProb, 1e-6)
	require.InDelta(t, -0.3463103, Normalized(h.LogProb, h.Len(), 0.7), 1e-6) // log(0.400950)/4^0.7
}

// exhaustive returns the best normalised score over every output that ends
// with EOS within maxLen tokens.
func exhaustive(dist func(source, prefix []int) []float64, source []int, maxLen int, alpha float64) float64 {
	best := math.Inf(-1)
	var walk func(prefix []int, logp float64)
	walk = func(prefix []int, logp float64) {
		p := dist(source, prefix)
		best = max(best, Normalized(logp+float64(float32(math.Log(p[tokEOS]))), len(prefix)+1, alpha))
		if len(prefix)+1 < maxLen {
			for v := range toyClasses {
				if v != tokEOS {
					walk(append(slices.Clip(prefix), v), logp+float64(float32(math.Log(p[v]))))
				}
			}
		}
	}
	walk(nil, 0)
	return best
}

func TestWideBeamIsExhaustiveAndWidthOneIsGreedy(t *testing.T) {
	m := &toyModel{dist: randomDist}
	var src [][]int
	for i := range 40 {
		src = append(src, []int{i, i % 3})
	}
	s := toySearch(1)
	require.Equal(t, Greedy(m, src, s), Beam(m, src, s))

	s = toySearch(3 * 3 * 3 * 3 * 3) // every hypothesis of up to 5 tokens fits
	s.MaxLen = 5
	wide := Beam(m, src, s)
	beat := 0
	ns := toySearch(3)
	ns.MaxLen = s.MaxLen
	narrow := Beam(m, src, ns)
	for i, h := range wide {
		require.True(t, h.Ended)
		require.InDelta(t, exhaustive(randomDist, src[i], s.MaxLen, s.Alpha), Normalized(h.LogProb, h.Len(), s.Alpha), 1e-9, "source %d", i)
		wideScore, narrowScore := Normalized(h.LogProb, h.Len(), s.Alpha), Normalized(narrow[i].LogProb, narrow[i].Len(), s.Alpha)
		require.GreaterOrEqual(t, wideScore, narrowScore-1e-9)
		if wideScore > narrowScore+1e-9 {
			beat++
		}
	}
	t.Logf("width 3 missed the best output of %d of %d sources", beat, len(src))
	require.Positive(t, beat, "a narrow beam is not an exhaustive search")
	require.Less(t, beat, len(src))
}

func TestForcedScoresWhatTheSearchFound(t *testing.T) {
	m := &toyModel{dist: randomDist}
	var src [][]int
	for i := range 25 {
		src = append(src, []int{i})
	}
	s := toySearch(3)
	s.Batch = 7
	hyps := Beam(m, src, s)
	all := s
	all.Batch = 0
	require.Equal(t, hyps, Beam(m, src, all), "batches do not change the answers")
	outs := make([][]int, len(hyps))
	for i, h := range hyps {
		outs[i] = h.Sequence(tokEOS)
		require.Equal(t, h.Ended, outs[i][len(outs[i])-1] == tokEOS)
	}
	for i, lp := range Forced(m, src, outs, s) {
		require.InDelta(t, hyps[i].LogProb, lp, 1e-9)
	}
	// by hand: P(a | source 0) · P(EOS | a)
	p0, p1 := randomDist(src[0], nil), randomDist(src[0], []int{tokA})
	want := float64(float32(math.Log(p0[tokA]))) + float64(float32(math.Log(p1[tokEOS])))
	require.InDelta(t, want, Forced(m, src[:1], [][]int{{tokA, tokEOS}}, s)[0], 1e-12)
}

func TestBeamStopsWhenNothingCanBeatAFinishedOutput(t *testing.T) {
	m := &toyModel{dist: table(map[string][toyClasses]float64{"": {0.1, 0.1, 0.1, 0.7}})}
	s := toySearch(3)
	s.MaxLen = 50
	h := Beam(m, [][]int{{0}}, s)[0]
	require.Empty(t, h.Tokens)
	// Step 1 finishes EOS (log 0.7 = -0.36) and keeps a and b (log 0.1:
	// at best -2.3/50^0.7 = -0.15 later); step 2 finishes a and b and
	// keeps aa, which can reach only log 0.001/50^0.7 = -0.45.
	require.Equal(t, 2, m.steps)

	// Never ending: cut at MaxLen, the best unfinished output returned.
	m = &toyModel{dist: func(_, _ []int) []float64 { return []float64{0.7, 0.2, 0.1, 0} }}
	s.MaxLen = 4
	h = Beam(m, [][]int{{0}}, s)[0]
	require.False(t, h.Ended)
	require.Equal(t, []int{tokA, tokA, tokA, tokA}, h.Tokens)
	require.Equal(t, 4, h.Len())
	g := Greedy(m, [][]int{{0}}, s)[0]
	require.Equal(t, h.Tokens, g.Tokens)
	require.False(t, g.Ended)
	require.Panics(t, func() { Beam(m, nil, Search{MaxLen: 1}) })
}

func TestVocab(t *testing.T) {
	v := NewVocab("0123456789-")
	ids, err := v.Encode(nil, "1993-03-09")
	require.NoError(t, err)
	require.Equal(t, []int{1, 9, 9, 3, 10, 0, 3, 10, 0, 9}, ids)
	require.Equal(t, "1993-03-09", v.Decode(append(ids, v.EOS(), 4)))
	require.Equal(t, 11, v.EOS())
	require.Equal(t, 12, v.BOS())
	require.Equal(t, "1?", v.Decode([]int{1, v.BOS()}))
	_, err = v.Encode(nil, "19x3")
	require.EqualError(t, err, `character 'x' at byte 2 of "19x3" is not one of "0123456789-"`)
	require.Panics(t, func() { NewVocab("abca") })
}

func FuzzVocabEncode(f *testing.F) {
	v := NewVocab(" -./0123456789abcdefghijklmnopqrstuvwxyz")
	for _, s := range []string{"tuesday march 9 1993", "09.03.93", "", "March 9, 1993", "\xff", "3/9/93"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := v.Encode(nil, s)
		if err != nil {
			return
		}
		require.Len(t, ids, len(s))
		require.Equal(t, s, v.Decode(ids))
	})
}

func TestBeamWaitsForAnUnfinishedOutputThatCanWin(t *testing.T) {
	// Width 2 finishes "" (P 0.3) at step 1 and "a" (P 0.06) at step 2,
	// while "aa" (P 0.54 so far) is still open: it ends with P 0.5346,
	// the best output, so the search must not stop at two finished ones.
	m := &toyModel{dist: table(map[string][toyClasses]float64{
		"":   {0.6, 0.1, 0, 0.3},
		"a":  {0.9, 0, 0, 0.1},
		"aa": {0.01, 0, 0, 0.99},
	})}
	h := Beam(m, [][]int{{0}}, toySearch(2))[0]
	require.Equal(t, []int{tokA, tokA}, h.Tokens)
	require.InDelta(t, math.Log(0.6*0.9*0.99), h.LogProb, 1e-6)
}
