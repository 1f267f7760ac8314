// Package bleu scores translations against references with BLEU (Papineni
// et al., "BLEU: a Method for Automatic Evaluation of Machine Translation",
// 2002), as sacreBLEU computes it (Post, "A Call for Clarity in Reporting
// BLEU Scores", 2018): modified n-gram precisions with counts clipped by the
// references, n = 1..4, their geometric mean, and a brevity penalty.
//
// The score is a function of sufficient statistics (Stats: matches and
// totals per order, system and reference length), which add up over
// sentences: corpus BLEU adds the statistics of every sentence and scores
// the sum; sentence BLEU scores one sentence's statistics, usually with
// smoothing, since one missing 4-gram would otherwise give 0. Scores are
// fractions in [0, 1] (sacreBLEU prints 100 times them).
//
// Text comes in as tokens: Words splits at white space (sacreBLEU's
// tokenize="none"), Chars makes every non-space character a token
// (sacreBLEU's tokenize="char").
package bleu

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Order is the longest n-gram counted.
const Order = 4

// Stats are the sufficient statistics of BLEU for one sentence or, added
// up, for a corpus.
type Stats struct {
	Matches [Order]int // n-grams of the hypothesis found in a reference, clipped, for n = 1..Order
	Totals  [Order]int // n-grams of the hypothesis
	SysLen  int        // hypothesis tokens
	RefLen  int        // tokens of the reference closest in length (the shorter on a tie)
}

// Add adds o's statistics into s (corpus BLEU).
func (s *Stats) Add(o Stats) {
	for n := range Order {
		s.Matches[n] += o.Matches[n]
		s.Totals[n] += o.Totals[n]
	}
	s.SysLen += o.SysLen
	s.RefLen += o.RefLen
}

// Smoothing is what a zero precision becomes, after sacreBLEU's
// smooth_method (Chen and Cherry, "A Systematic Comparison of Smoothing
// Techniques for Sentence-Level BLEU", 2014).
type Smoothing int

const (
	// None leaves zero precisions at zero, so the score is 0.
	None Smoothing = iota
	// Floor replaces a zero precision of order n by Value/Totals[n]
	// (sacreBLEU's default Value 0.1).
	Floor
	// AddK adds Value to the matches and the totals of the orders n >= 2
	// (sacreBLEU's default Value 1).
	AddK
	// Exp is the exponential decay of NIST's mteval: the k-th zero
	// precision becomes 1/(2^k Totals[n]).
	Exp
)

var smoothingNames = [...]string{None: "none", Floor: "floor", AddK: "add-k", Exp: "exp"}

// String returns sacreBLEU's name of the method.
func (m Smoothing) String() string {
	if m < 0 || int(m) >= len(smoothingNames) {
		return fmt.Sprintf("Smoothing(%d)", int(m))
	}
	return smoothingNames[m]
}

// ParseSmoothing returns the method of a sacreBLEU name: none, floor,
// add-k or exp.
func ParseSmoothing(name string) (Smoothing, error) {
	for m, s := range smoothingNames {
		if s == name {
			return Smoothing(m), nil
		}
	}
	return 0, fmt.Errorf("bleu: smoothing %q: want none, floor, add-k or exp", name)
}

// Options choose how statistics become a score.
type Options struct {
	Smooth Smoothing
	// Value is Floor's floor and AddK's k; 0 means sacreBLEU's default
	// (0.1 and 1), since a floor or a k of 0 is no smoothing (None). The
	// other methods ignore it.
	Value float64
	// EffectiveOrder averages only the orders up to the longest one the
	// hypothesis has (sacreBLEU's use_effective_order), so that a sentence
	// shorter than 4 tokens can score above 0.
	EffectiveOrder bool
}

// CorpusOptions are sacreBLEU's corpus_bleu defaults: exp smoothing, all
// four orders.
func CorpusOptions() Options { return Options{Smooth: Exp} }

// SentenceOptions are sacreBLEU's sentence_bleu defaults: exp smoothing and
// the effective order.
func SentenceOptions() Options { return Options{Smooth: Exp, EffectiveOrder: true} }

// Result is a score and the numbers it came from.
type Result struct {
	BLEU       float64        // BP · exp(Σ log p_n / orders), in [0, 1]
	Precisions [Order]float64 // p_n after smoothing, in [0, 1]; 0 past the orders used
	BP         float64        // brevity penalty: 1, or exp(1 - RefLen/SysLen) for a short hypothesis
	Orders     int            // how many orders the mean took (Order unless EffectiveOrder cut it)
}

// Score computes BLEU from statistics, exactly as sacreBLEU's
// BLEU.compute_bleu does: no matches at all score 0; the orders stop at
// the first one with no n-grams (which scores 0 unless EffectiveOrder
// ends the mean there); a zero precision is smoothed as opt says.
func Score(s Stats, opt Options) Result {
	value := opt.Value
	if value == 0 {
		switch opt.Smooth {
		case Floor:
			value = 0.1
		case AddK:
			value = 1
		}
	}
	r := Result{BP: 1, Orders: Order}
	if s.SysLen < s.RefLen {
		r.BP = 0
		if s.SysLen > 0 {
			r.BP = math.Exp(1 - float64(s.RefLen)/float64(s.SysLen))
		}
	}
	anyMatch := false
	for _, m := range s.Matches {
		anyMatch = anyMatch || m > 0
	}
	if !anyMatch {
		return r
	}
	decay := 1.0
	for n := range Order {
		matches, total := float64(s.Matches[n]), float64(s.Totals[n])
		if opt.Smooth == AddK && n > 0 {
			matches += value
			total += value
		}
		if total == 0 {
			break
		}
		if opt.EffectiveOrder {
			r.Orders = n + 1
		}
		switch {
		case matches > 0:
			r.Precisions[n] = matches / total
		case opt.Smooth == Exp:
			decay *= 2
			r.Precisions[n] = 1 / (decay * total)
		case opt.Smooth == Floor:
			r.Precisions[n] = value / total
		}
	}
	logSum := 0.0
	for _, p := range r.Precisions[:r.Orders] {
		if p == 0 {
			return r
		}
		logSum += math.Log(p)
	}
	r.BLEU = r.BP * math.Exp(logSum/float64(r.Orders))
	return r
}

// SentenceStats counts the statistics of one hypothesis against its
// references (one or more): every n-gram of the hypothesis matches at most
// as often as it occurs in the reference that has it most often (the
// clipped count), and the reference length is the one closest to the
// hypothesis's, the shorter on a tie.
func SentenceStats(hyp []string, refs [][]string) Stats {
	if len(refs) == 0 {
		panic("bleu: a hypothesis without references")
	}
	s := Stats{SysLen: len(hyp), RefLen: -1}
	for _, ref := range refs {
		d, best := abs(len(ref)-len(hyp)), abs(s.RefLen-len(hyp))
		if s.RefLen < 0 || d < best || d == best && len(ref) < s.RefLen {
			s.RefLen = len(ref)
		}
	}
	hypGrams, maxRef := ngrams(hyp), ngrams(refs[0])
	for _, ref := range refs[1:] {
		for n, grams := range ngrams(ref) {
			for g, c := range grams {
				maxRef[n][g] = max(maxRef[n][g], c)
			}
		}
	}
	for n, grams := range hypGrams {
		for g, c := range grams {
			s.Totals[n] += c
			s.Matches[n] += min(c, maxRef[n][g])
		}
	}
	return s
}

// ngrams counts the n-grams of tokens for n = 1..Order (index n-1), each
// joined by NUL bytes.
func ngrams(tokens []string) [Order]map[string]int {
	var counts [Order]map[string]int
	for n := range Order {
		counts[n] = map[string]int{}
		for i := 0; i+n < len(tokens); i++ {
			counts[n][strings.Join(tokens[i:i+n+1], "\x00")]++
		}
	}
	return counts
}

func abs(x int) int { return max(x, -x) }

// Sentence scores one hypothesis against its references.
func Sentence(hyp []string, refs [][]string, opt Options) Result {
	return Score(SentenceStats(hyp, refs), opt)
}

// Corpus scores hypotheses against their references (refs[i] are the
// references of hyps[i]) by adding up their statistics.
func Corpus(hyps [][]string, refs [][][]string, opt Options) Result {
	if len(hyps) != len(refs) {
		panic(fmt.Sprintf("bleu: %d hypotheses and %d reference sets", len(hyps), len(refs)))
	}
	var s Stats
	for i, h := range hyps {
		s.Add(SentenceStats(h, refs[i]))
	}
	return Score(s, opt)
}

// Words splits text at white space: each word is a token.
func Words(text string) []string { return strings.Fields(text) }

// Chars makes each character of text a token, white space left out.
func Chars(text string) []string {
	var out []string
	for _, c := range text {
		if !unicode.IsSpace(c) {
			out = append(out, string(c))
		}
	}
	return out
}
