package seq2seq

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Stepper is a conditional model of output tokens P(y_t | x, y_<t),
// decoded one step at a time for a batch of rows; each row is one
// hypothesis about one source.
type Stepper interface {
	// Begin starts decoding sources (token ids), each copies times: there
	// are len(sources)*copies rows, row i*copies+j being copy j of source i.
	Begin(sources [][]int, copies int)
	// Step feeds every row its previous output token (BOS at the first
	// step) and returns the log-probabilities of each row's next token,
	// [rows, classes] row-major, valid until the next call.
	Step(prev []int) []float32
	// Reorder makes row r continue the hypothesis of row from[r], for every
	// row r (len(from) is the number of rows). Beam search moves rows only
	// among the copies of one source.
	Reorder(from []int)
}

// Search says how to decode.
type Search struct {
	BOS, EOS int     // the ids of the first input token and of the end of an output
	MaxLen   int     // the most output tokens, EOS included
	Width    int     // B, the hypotheses beam search keeps (1: greedy)
	Alpha    float64 // length normalisation: hypotheses rank by log P / T^Alpha
	Batch    int     // sources decoded together (0: all at once)
}

// DefaultSearch is beam search of width 3 and α = 0.7 (the syllabus's
// values), 64 sources at a time.
func DefaultSearch(bos, eos, maxLen int) Search {
	return Search{BOS: bos, EOS: eos, MaxLen: maxLen, Width: 3, Alpha: 0.7, Batch: 64}
}

func (s Search) check() {
	if s.MaxLen < 1 || s.Width < 1 || s.Batch < 0 || !(s.Alpha >= 0) {
		panic(fmt.Sprintf("seq2seq: search %+v: want MaxLen and Width of 1 or more, Batch and Alpha of 0 or more", s))
	}
}

// Hypothesis is one decoded output.
type Hypothesis struct {
	Tokens  []int   // the output, without EOS
	LogProb float64 // log P(output | source): Σ log P of the tokens, and of EOS when Ended
	Ended   bool    // it ended with EOS (false: cut at MaxLen)
}

// Len is T, the number of tokens the log-probability sums over (EOS
// counts as one).
func (h Hypothesis) Len() int {
	if h.Ended {
		return len(h.Tokens) + 1
	}
	return len(h.Tokens)
}

// Normalized returns log P / T^α, the score beam search ranks hypotheses
// by: without it (α = 0) shorter outputs win, since each token multiplies
// in a probability below 1.
func Normalized(logProb float64, t int, alpha float64) float64 {
	if t == 0 {
		return logProb
	}
	return logProb / math.Pow(float64(t), alpha)
}

// batches calls fn for consecutive batches of sources.
func (s Search) batches(n int, fn func(lo, hi int)) {
	size := s.Batch
	if size == 0 {
		size = n
	}
	for lo := 0; lo < n; lo += size {
		fn(lo, min(lo+size, n))
	}
}

// Greedy decodes each source by taking the most likely token at every
// step (the lowest id on a tie) until EOS or MaxLen tokens.
func Greedy(m Stepper, sources [][]int, s Search) []Hypothesis {
	s.check()
	out := make([]Hypothesis, len(sources))
	s.batches(len(sources), func(lo, hi int) {
		hyps := out[lo:hi]
		m.Begin(sources[lo:hi], 1)
		prev := make([]int, len(hyps))
		for i := range prev {
			prev[i] = s.BOS
		}
		for t := 0; t < s.MaxLen; t++ {
			logp := m.Step(prev)
			classes := len(logp) / len(hyps)
			live := false
			for i := range hyps {
				h := &hyps[i]
				if h.Ended {
					continue
				}
				row := logp[i*classes : (i+1)*classes]
				best := 0
				for v, x := range row {
					if x > row[best] {
						best = v
					}
				}
				h.LogProb += float64(row[best])
				if best == s.EOS {
					h.Ended = true
					continue
				}
				h.Tokens = append(h.Tokens, best)
				prev[i] = best
				live = true
			}
			if !live {
				break
			}
		}
	})
	return out
}

// candidate is a hypothesis of a beam extended by one token.
type candidate struct {
	beam, token int
	logProb     float64
}

// beamState is one source's beam.
type beamState struct {
	alive    []Hypothesis // Width slots, best first; a slot without a hypothesis has LogProb -Inf
	finished []Hypothesis
	done     bool
}

// Beam decodes each source by beam search (the syllabus's): it keeps the B
// = Width most likely partial outputs (by summed log-probabilities); at
// each step it extends each by every token and keeps the B best of the
// B·V candidates, setting aside as finished those that end with EOS (so
// that width 1 is greedy search). The answer is the finished hypothesis
// with the best log P / T^α. A source is decoded once no unfinished
// hypothesis can beat that: log-probabilities only fall as tokens are
// added, so an unfinished one of log P = L ends with at most
// L / MaxLen^α. At MaxLen tokens the search stops, and unfinished
// hypotheses count only if none finished. Ties go to the lower beam, then
// the lower token.
func Beam(m Stepper, sources [][]int, s Search) []Hypothesis {
	s.check()
	out := make([]Hypothesis, len(sources))
	b := s.Width
	s.batches(len(sources), func(lo, hi int) {
		n := hi - lo
		m.Begin(sources[lo:hi], b)
		beams := make([]beamState, n)
		prev := make([]int, n*b)
		from := make([]int, n*b)
		for i := range beams {
			beams[i].alive = make([]Hypothesis, b)
			for k := range b {
				beams[i].alive[k].LogProb = math.Inf(-1) // only the first slot starts
				prev[i*b+k] = s.BOS
			}
			beams[i].alive[0].LogProb = 0
		}
		var cands []candidate
		for t := 0; t < s.MaxLen; t++ {
			logp := m.Step(prev)
			classes := len(logp) / (n * b)
			live := false
			for i := range beams {
				st := &beams[i]
				for k := range b {
					from[i*b+k] = i*b + k
				}
				if st.done {
					continue
				}
				cands = cands[:0]
				for k, h := range st.alive {
					if math.IsInf(h.LogProb, -1) {
						continue
					}
					for v, x := range logp[(i*b+k)*classes : (i*b+k+1)*classes] {
						cands = append(cands, candidate{k, v, h.LogProb + float64(x)})
					}
				}
				slices.SortFunc(cands, func(x, y candidate) int {
					return cmp.Or(cmp.Compare(y.logProb, x.logProb), cmp.Compare(x.beam, y.beam), cmp.Compare(x.token, y.token))
				})
				next := make([]Hypothesis, 0, b)
				for _, c := range cands[:min(b, len(cands))] {
					parent := st.alive[c.beam]
					if c.token == s.EOS {
						st.finished = append(st.finished, Hypothesis{Tokens: parent.Tokens, LogProb: c.logProb, Ended: true})
						continue
					}
					from[i*b+len(next)] = i*b + c.beam
					prev[i*b+len(next)] = c.token
					next = append(next, Hypothesis{Tokens: append(slices.Clip(parent.Tokens), c.token), LogProb: c.logProb})
				}
				for len(next) < b {
					next = append(next, Hypothesis{LogProb: math.Inf(-1)})
				}
				st.alive = next
				st.done = math.IsInf(next[0].LogProb, -1) || st.settled(s.MaxLen, s.Alpha)
				live = live || !st.done
			}
			m.Reorder(from)
			if !live {
				break
			}
		}
		for i := range beams {
			out[lo+i] = beams[i].best(s.Alpha)
		}
	})
	return out
}

// settled reports whether a finished hypothesis scores at least as high as
// any unfinished one can.
func (st *beamState) settled(maxLen int, alpha float64) bool {
	if len(st.finished) == 0 {
		return false
	}
	best := math.Inf(-1)
	for _, h := range st.finished {
		best = max(best, Normalized(h.LogProb, h.Len(), alpha))
	}
	for _, h := range st.alive {
		if Normalized(h.LogProb, maxLen, alpha) > best {
			return false
		}
	}
	return true
}

// best returns the finished hypothesis with the best normalised score, or
// the best unfinished one when none finished.
func (st *beamState) best(alpha float64) Hypothesis {
	pool := st.finished
	if len(pool) == 0 {
		for _, h := range st.alive {
			if !math.IsInf(h.LogProb, -1) {
				pool = append(pool, h)
			}
		}
	}
	if len(pool) == 0 {
		return Hypothesis{}
	}
	best := pool[0]
	for _, h := range pool[1:] {
		if Normalized(h.LogProb, h.Len(), alpha) > Normalized(best.LogProb, best.Len(), alpha) {
			best = h
		}
	}
	return best
}

// Forced returns log P(output | source) for each pair by forced decoding:
// the decoder reads the given output instead of its own guesses, and the
// log-probabilities of the output's tokens add up. An output that should
// end includes EOS (Hypothesis.Sequence).
func Forced(m Stepper, sources, outputs [][]int, s Search) []float64 {
	s.check()
	if len(sources) != len(outputs) {
		panic(fmt.Sprintf("seq2seq: %d sources and %d outputs", len(sources), len(outputs)))
	}
	out := make([]float64, len(sources))
	s.batches(len(sources), func(lo, hi int) {
		n := hi - lo
		m.Begin(sources[lo:hi], 1)
		longest := 0
		for _, o := range outputs[lo:hi] {
			longest = max(longest, len(o))
		}
		prev := make([]int, n)
		for i := range prev {
			prev[i] = s.BOS
		}
		for t := range longest {
			logp := m.Step(prev)
			classes := len(logp) / n
			for i, o := range outputs[lo:hi] {
				if t < len(o) {
					out[lo+i] += float64(logp[i*classes+o[t]])
					prev[i] = o[t]
				}
			}
		}
	})
	return out
}

// Sequence returns the tokens the hypothesis's log-probability covers: its
// tokens, then eos if it ended.
func (h Hypothesis) Sequence(eos int) []int {
	seq := slices.Clone(h.Tokens)
	if h.Ended {
		seq = append(seq, eos)
	}
	return seq
}
