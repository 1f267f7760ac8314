package bleu

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The expected values in this file are the ones sacreBLEU's test suite
// publishes (test/test_bleu.py and test/test_sentence_bleu.py of
// github.com/mjpost/sacrebleu, v2), divided by 100. sacreBLEU's
// raw_corpus_bleu is floor smoothing with the effective order and no
// tokenizer.

const eps = 1e-8 // sacreBLEU's EPSILON for these cases

func TestScoreFromStatistics(t *testing.T) {
	// test_case_scoring
	s := Stats{Matches: [4]int{9, 7, 5, 3}, Totals: [4]int{10, 8, 6, 4}, SysLen: 11, RefLen: 11}
	r := Score(s, CorpusOptions())
	require.InDelta(t, 0.8375922397, r.BLEU, eps)
	require.Equal(t, 1.0, r.BP)
	require.Equal(t, [4]float64{0.9, 7.0 / 8, 5.0 / 6, 0.75}, r.Precisions)

	// test_case_offset: the statistics of "am I am a character sequence"
	// against "I am a symbol string sequence a a"
	s = Stats{Matches: [4]int{4, 2, 1, 0}, Totals: [4]int{6, 5, 4, 3}, SysLen: 6, RefLen: 8}
	require.Equal(t, 0.0, Score(s, Options{}).BLEU, "no smoothing: a zero 4-gram precision")
	require.InDelta(t, 0.1555722182, Score(s, Options{Smooth: Floor, Value: 0.1}).BLEU, eps)
	require.InDelta(t, 0.1555722182, Score(s, Options{Smooth: Floor}).BLEU, eps, "0.1 is the default floor")
}

func TestStatisticsOfASentence(t *testing.T) {
	// test_case_statistics
	s := SentenceStats(Words("am I am a character sequence"), [][]string{Words("I am a symbol string sequence a a")})
	require.Equal(t, Stats{Matches: [4]int{4, 2, 1, 0}, Totals: [4]int{6, 5, 4, 3}, SysLen: 6, RefLen: 8}, s)
}

func TestDegenerateStatistics(t *testing.T) {
	// test_case_degenerate_stats: floor smoothing with these values scores 0
	for _, c := range []struct {
		matches, totals [4]int
		sys, ref        int
		floor           float64
	}{
		{[4]int{0, 0, 0, 0}, [4]int{4, 4, 2, 1}, 0, 1, 0},
		{[4]int{0, 0, 0, 0}, [4]int{10, 11, 12, 0}, 14, 10, 0},
		{[4]int{0, 0, 0, 0}, [4]int{0, 0, 0, 0}, 0, 0, 0},
		{[4]int{6, 5, 4, 0}, [4]int{6, 5, 4, 3}, 6, 6, 0}, // sacreBLEU's floor 0.0: no smoothing
		{[4]int{0, 0, 0, 0}, [4]int{0, 0, 0, 0}, 0, 0, 0.1},
		{[4]int{0, 0, 0, 0}, [4]int{0, 0, 0, 0}, 1, 5, 0.01},
	} {
		s := Stats{Matches: c.matches, Totals: c.totals, SysLen: c.sys, RefLen: c.ref}
		opt := Options{Smooth: Floor, Value: c.floor}
		if c.floor == 0 { // Value 0 is the default floor here; a floor of 0 is None
			opt = Options{Smooth: None}
		}
		require.Equal(t, 0.0, Score(s, opt).BLEU, "%+v", c)
	}
}

// raw is sacreBLEU's raw_corpus_bleu(hyps, [refs], floor): one reference
// per hypothesis, white-space tokens.
func raw(hyps, refs []string, floor float64) float64 {
	h := make([][]string, len(hyps))
	r := make([][][]string, len(hyps))
	for i := range hyps {
		h[i], r[i] = Words(hyps[i]), [][]string{Words(refs[i])}
	}
	return Corpus(h, r, Options{Smooth: Floor, Value: floor, EffectiveOrder: true}).BLEU
}

func TestRawCorpusBLEU(t *testing.T) {
	// test_raw_bleu_cases and test_case_effective_order
	for _, c := range []struct {
		hyps, refs []string
		want       float64
	}{
		{[]string{"this is a test", "another test"}, []string{"ref1", "ref2"}, 0},
		{[]string{"this is a test"}, []string{"this is a test"}, 1},
		{[]string{"this is a fest"}, []string{"this is a test"}, 0.223606797749979},
		{[]string{"test"}, []string{"a test"}, 0.3678794411714425},
		{[]string{"a test"}, []string{"a test"}, 1},
		{[]string{"a little test"}, []string{"a test"}, 0.03218297948685433},
	} {
		require.InDelta(t, c.want, raw(c.hyps, c.refs, 0.01), eps, "%v", c.hyps)
	}
}

func TestCorpusBLEUWithTwoReferences(t *testing.T) {
	// test_corpus_bleu_cases, tokenize="none": sacreBLEU's README example
	hyps := []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	refs := [][]string{
		{"The dog bit the man.", "The dog had bit the man."},
		{"It was not unexpected.", "No one was surprised."},
		{"The man bit him first.", "The man had bitten the dog."},
	}
	h := make([][]string, len(hyps))
	r := make([][][]string, len(hyps))
	for i := range hyps {
		h[i] = Words(hyps[i])
		for _, ref := range refs[i] {
			r[i] = append(r[i], Words(ref))
		}
	}
	require.InDelta(t, 0.491919566, Corpus(h, r, CorpusOptions()).BLEU, eps)
	empty := [][]string{Words(""), Words(""), Words("")}
	require.Equal(t, 0.0, Corpus(empty, r, CorpusOptions()).BLEU, "empty hypotheses score 0")
}

// The example of sacreBLEU's issue #98 (test_sentence_bleu.py); its 13a
// tokenizer only splits the final semicolon off, done here by hand.
const (
	ref98 = "produc\u0163ia de zah\u0103r brut se exprim\u0103 \u00een zah\u0103r alb;"
	sys98 = "Produc\u021bia de zah\u0103r prim\u0103 va fi exprimat\u0103 \u00een ceea ce prive\u0219te zah\u0103rul alb;"
)

func TestSentenceSmoothing(t *testing.T) {
	tok := func(s string) []string { return Words(strings.ReplaceAll(s, ";", " ;")) }
	const tol = 1e-5 // the published values have 4 or 5 digits (sacreBLEU's EPSILON 1e-3 on 0..100)
	for _, c := range []struct {
		smooth string
		value  float64
		want   float64
	}{
		{"exp", 0, 0.08493},
		{"none", 0, 0},
		{"floor", 0, 0.0451688},
		{"floor", 0.1, 0.0451688},
		{"floor", 0.5, 0.1010},
		{"add-k", 0, 0.14882},
		{"add-k", 1, 0.14882},
		{"add-k", 2, 0.21389},
	} {
		m, err := ParseSmoothing(c.smooth)
		require.NoError(t, err)
		require.Equal(t, c.smooth, m.String())
		opt := Options{Smooth: m, Value: c.value, EffectiveOrder: true}
		require.InDelta(t, c.want, Sentence(tok(sys98), [][]string{tok(ref98)}, opt).BLEU, tol, "%s %g", c.smooth, c.value)
	}
	require.InDelta(t, 0.07347, Sentence(Words(sys98), [][]string{Words(ref98)}, SentenceOptions()).BLEU, tol, "tokenize none")
	require.InDelta(t, 0.408759, Sentence(Chars(sys98), [][]string{Chars(ref98)}, SentenceOptions()).BLEU, tol, "tokenize char")
	require.InDelta(t, 0.420267, Sentence(Chars(strings.ToLower(sys98)), [][]string{Chars(strings.ToLower(ref98))}, SentenceOptions()).BLEU, tol, "char, lower case")

	// issue #141: no matches at all score 0 whatever the smoothing
	for _, m := range []Smoothing{Exp, None, Floor, AddK} {
		require.Equal(t, 0.0, Sentence(Words("this is a cat"), [][]string{Words("okay thanks")}, Options{Smooth: m, EffectiveOrder: true}).BLEU, m.String())
	}
	_, err := ParseSmoothing("add-one")
	require.ErrorContains(t, err, `smoothing "add-one"`)
}

func TestExpSmoothingDecaysByHand(t *testing.T) {
	// Two zero precisions: 1/(2·4) and 1/(4·2); BP 1.
	s := Stats{Matches: [4]int{5, 3, 0, 0}, Totals: [4]int{6, 5, 4, 2}, SysLen: 6, RefLen: 6}
	r := Score(s, Options{Smooth: Exp})
	require.Equal(t, [4]float64{5.0 / 6, 3.0 / 5, 1.0 / 8, 1.0 / 8}, r.Precisions)
	require.InDelta(t, 0.2973017787506803, r.BLEU, 1e-15) // (5/6 · 3/5 · 1/8 · 1/8)^(1/4) = 2^(-7/4)
}

func TestClippingAndReferenceLength(t *testing.T) {
	// Papineni et al.'s example: "the the the the the the the" against
	// two references with at most two "the": unigram precision 2/7.
	hyp := Words("the the the the the the the")
	refs := [][]string{Words("the cat is on the mat"), Words("there is a cat on the mat")}
	s := SentenceStats(hyp, refs)
	require.Equal(t, 2, s.Matches[0])
	require.Equal(t, 7, s.Totals[0])
	require.Equal(t, 7, s.RefLen, "the reference closest in length")
	// on a tie of distances the shorter reference counts
	s = SentenceStats(Words("a b c d e"), [][]string{Words("a b c d e f g"), Words("a b c")})
	require.Equal(t, 3, s.RefLen)

	var sum Stats
	sum.Add(Stats{Matches: [4]int{1, 2, 3, 4}, Totals: [4]int{5, 6, 7, 8}, SysLen: 9, RefLen: 10})
	sum.Add(Stats{Matches: [4]int{1, 1, 1, 1}, Totals: [4]int{1, 1, 1, 1}, SysLen: 1, RefLen: 1})
	require.Equal(t, Stats{Matches: [4]int{2, 3, 4, 5}, Totals: [4]int{6, 7, 8, 9}, SysLen: 10, RefLen: 11}, sum)

	require.Equal(t, []string{"1", "9", "9", "3", "-", "0", "3"}, Chars("1993-03"))
	require.Equal(t, []string{"a", "b"}, Chars(" a  b "))
	require.Panics(t, func() { SentenceStats(hyp, nil) })
	require.Panics(t, func() { Corpus([][]string{hyp}, nil, Options{}) })
}

func TestShortHypothesesArePenalized(t *testing.T) {
	hyp := Words("1 2 3 4 5")
	full := Sentence(hyp, [][]string{Words("1 2 3 4 5")}, Options{})
	require.Equal(t, 1.0, full.BLEU)
	cut := Sentence(hyp, [][]string{Words("1 2 3 4 5 6 7 8 9 10")}, Options{})
	require.InDelta(t, 0.36787944117144233, cut.BP, 1e-15) // e^(1-10/5)
	require.InDelta(t, cut.BP, cut.BLEU, 1e-15)
}
