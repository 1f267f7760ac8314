package seq2seq

import (
	"fmt"
	"io"
	"slices"
)

// Fault is one wrong output and what is to blame for it.
type Fault struct {
	Index      int        // the example
	Output     Hypothesis // ŷ, what the search returned
	LogPTarget float64    // log P(y*|x) of the right output (EOS included), by forced decoding
	LogPOutput float64    // log P(ŷ|x), by forced decoding
	// Search is true when P(y*|x) > P(ŷ|x): the model prefers the right
	// output, so the search is at fault (a wider beam could find y*); false
	// when P(y*|x) <= P(ŷ|x): the model is at fault. (Beam search ranks by
	// log P / T^α; for outputs of one length, as ISO dates are, the two
	// orders agree.)
	Search bool
}

// Analysis is the syllabus's error analysis of a decoder on a test set.
type Analysis struct {
	Examples, Wrong           int     // outputs analysed, and how many of them are wrong
	SearchFaults, ModelFaults int     // the wrong ones blamed on the search and on the model
	Faults                    []Fault // the wrong outputs, in example order
	Width                     int     // the search's
	Alpha                     float64 // the search's
}

// Analyze compares each output with its target (tokens without EOS; right
// means the same tokens and an EOS) and, for every wrong one, decides by
// forced decoding whether the search or the model is at fault.
func Analyze(m Stepper, s Search, sources, targets [][]int, outputs []Hypothesis) Analysis {
	if len(sources) != len(targets) || len(sources) != len(outputs) {
		panic(fmt.Sprintf("seq2seq: %d sources, %d targets, %d outputs", len(sources), len(targets), len(outputs)))
	}
	a := Analysis{Examples: len(sources), Width: s.Width, Alpha: s.Alpha}
	var wrongSrc, seqs [][]int
	for i, h := range outputs {
		if h.Ended && slices.Equal(h.Tokens, targets[i]) {
			continue
		}
		a.Faults = append(a.Faults, Fault{Index: i, Output: h})
		target := append(slices.Clone(targets[i]), s.EOS)
		wrongSrc = append(wrongSrc, sources[i], sources[i])
		seqs = append(seqs, target, h.Sequence(s.EOS))
	}
	a.Wrong = len(a.Faults)
	if a.Wrong == 0 {
		return a
	}
	logp := Forced(m, wrongSrc, seqs, s)
	for k := range a.Faults {
		f := &a.Faults[k]
		f.LogPTarget, f.LogPOutput = logp[2*k], logp[2*k+1]
		f.Search = f.LogPTarget > f.LogPOutput
		if f.Search {
			a.SearchFaults++
		} else {
			a.ModelFaults++
		}
	}
	return a
}

// Accuracy is the fraction of exact matches.
func (a Analysis) Accuracy() float64 {
	if a.Examples == 0 {
		return 0
	}
	return float64(a.Examples-a.Wrong) / float64(a.Examples)
}

// WriteReport writes the counts and then up to limit faults as a table,
// given the text of every example's source and target and of every
// output.
func (a Analysis) WriteReport(w io.Writer, sources, targets, outputs []string, limit int) error {
	search := "greedy search"
	if a.Width > 1 {
		search = fmt.Sprintf("beam search (width %d, alpha %g)", a.Width, a.Alpha)
	}
	_, err := fmt.Fprintf(w, "error analysis of %s: %d of %d outputs wrong (exact match %.4f)\n"+
		"  search at fault (P(y*|x) > P(y^|x): a wider beam could find y*): %d\n"+
		"  model at fault  (P(y*|x) <= P(y^|x): the model prefers its wrong answer): %d\n",
		search, a.Wrong, a.Examples, a.Accuracy(), a.SearchFaults, a.ModelFaults)
	if err != nil || len(a.Faults) == 0 {
		return err
	}
	fmt.Fprintf(w, "\n%-28s %-12s %-12s %12s %12s  %s\n", "source", "target y*", "output y^", "log P(y*|x)", "log P(y^|x)", "fault")
	for _, f := range a.Faults[:min(limit, len(a.Faults))] {
		who := "model"
		if f.Search {
			who = "search"
		}
		if _, err := fmt.Fprintf(w, "%-28s %-12s %-12s %12.4f %12.4f  %s\n", sources[f.Index], targets[f.Index], outputs[f.Index], f.LogPTarget, f.LogPOutput, who); err != nil {
			return err
		}
	}
	if len(a.Faults) > limit {
		_, err = fmt.Fprintf(w, "... and %d more\n", len(a.Faults)-limit)
	}
	return err
}
