package embed

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/run"
)

// keepProbs returns each word's probability of being kept by the
// subsampling of frequent words (Mikolov et al., 2013, section 2.3): a
// word of frequency f is discarded with probability 1 - sqrt(t/f). t = 0
// keeps every word.
func keepProbs(counts []int64, t float64) []float64 {
	var total int64
	for _, n := range counts {
		total += n
	}
	keep := make([]float64, len(counts))
	for i, n := range counts {
		keep[i] = 1
		if t > 0 {
			keep[i] = min(1, math.Sqrt(t/(float64(n)/float64(total))))
		}
	}
	return keep
}

// walkWindows makes one pass over the corpus for the window-based methods:
// each sentence is subsampled with keep, and for each position i of what
// is left visit gets the sentence, i and the window b, drawn uniformly from
// 1..window (word2vec's random shrinking, which weighs near words more).
// visit returns the loss it added and how many examples it made. The
// learning rate passed to visit decays per sentence. walkWindows returns
// the summed loss and the number of examples.
func walkWindows(c *Corpus, window int, keep []float64, rng *rand.Rand, pr *pass,
	visit func(sent []int32, i, b int, lr float32) (float64, int)) (float64, int, error) {
	var loss float64
	var examples int
	buf := make([]int32, 0, MaxSentence)
	for s := range c.Ends {
		sent := c.Sentence(s)
		buf = buf[:0]
		for _, w := range sent {
			if p := keep[w]; p >= 1 || rng.Float64() < p {
				buf = append(buf, w)
			}
		}
		lr := pr.lr()
		for i := range buf {
			b := 1 + rng.IntN(window)
			l, n := visit(buf, i, b, lr)
			loss += l
			examples += n
		}
		if pr.advance(len(sent)) {
			return 0, 0, run.ErrInterrupted
		}
	}
	return loss, examples, nil
}

// alias samples from a discrete distribution in O(1) by Walker's alias
// method, in Vose's numerically stable form.
type alias struct {
	prob  []float64
	other []int32
}

// newAlias builds the sampler for weights w (non-negative, not all zero).
func newAlias(w []float64) alias {
	n := len(w)
	var sum float64
	for _, v := range w {
		sum += v
	}
	a := alias{prob: make([]float64, n), other: make([]int32, n)}
	scaled := make([]float64, n)
	var small, large []int32
	for i, v := range w {
		scaled[i] = v * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small, large = small[:len(small)-1], large[:len(large)-1]
		a.prob[s], a.other[s] = scaled[s], l
		scaled[l] = (scaled[l] + scaled[s]) - 1
		if scaled[l] < 1 {
			small = append(small, l)
		} else {
			large = append(large, l)
		}
	}
	for _, i := range large {
		a.prob[i] = 1
	}
	for _, i := range small { // left over only by rounding
		a.prob[i] = 1
	}
	return a
}

// sample draws an index.
func (a *alias) sample(rng *rand.Rand) int32 {
	i := rng.IntN(len(a.prob))
	if rng.Float64() < a.prob[i] {
		return int32(i)
	}
	return a.other[i]
}

// uniformInit returns n values drawn uniformly from [-0.5/d, 0.5/d), the
// initial word vectors of word2vec and GloVe.
func uniformInit(n, d int, rng *rand.Rand) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32((rng.Float64() - 0.5) / float64(d))
	}
	return v
}

// meanLoss is loss / n, or 0 for no examples.
func meanLoss(loss float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return loss / float64(n)
}
