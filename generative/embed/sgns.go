package embed

import (
	"math"
	"math/rand/v2"
)

// sgns is skip-gram with negative sampling (Mikolov et al., 2013). For a
// word w_I and a word w_O of its window it maximizes
//
//	log σ(v'_O · v_I) + Σ_{k=1..K} log σ(-v'_k · v_I),  w_k ~ U(w)^{3/4} / Z
//
// by SGD on v_I (in, the embedding) and the v' (out, the context vectors).
type sgns struct {
	m       *Model
	in, out []float32 // V x D each
	keep    []float64 // subsampling
	noise   alias     // the unigram distribution raised to 3/4
	dIn     []float32 // D: the gradient step of v_I, applied after its pair
}

func newSGNS(m *Model, rng *rand.Rand) *sgns {
	v, d := m.Corpus.Vocab.Len(), m.Dim
	s := &sgns{m: m, in: uniformInit(v*d, d, rng), out: make([]float32, v*d),
		keep: keepProbs(m.Corpus.Vocab.Counts, m.Subsample), dIn: make([]float32, d)}
	w := make([]float64, v)
	for i, n := range m.Corpus.Vocab.Counts {
		w[i] = math.Pow(float64(n), 0.75)
	}
	s.noise = newAlias(w)
	return s
}

func (s *sgns) epoch(rng *rand.Rand, pr *pass) (float64, error) {
	loss, n, err := walkWindows(s.m.Corpus, s.m.Window, s.keep, rng, pr, func(sent []int32, i, b int, lr float32) (float64, int) {
		var loss float64
		n := 0
		for j := max(0, i-b); j <= min(len(sent)-1, i+b); j++ {
			if j != i {
				loss += s.pair(sent[i], sent[j], lr, rng)
				n++
			}
		}
		return loss, n
	})
	return meanLoss(loss, n), err
}

// pair takes one SGD step on the pair (w_I, w_O) with K fresh negatives
// and returns its loss -log σ(v'_O·v_I) - Σ log σ(-v'_k·v_I). As in
// word2vec, a negative that happens to be w_O is skipped.
func (s *sgns) pair(wi, wo int32, lr float32, rng *rand.Rand) float64 {
	d := s.m.Dim
	vi := row(s.in, int(wi), d)
	clear(s.dIn)
	var loss float64
	for k := 0; k <= s.m.Negatives; k++ {
		target, label := wo, float32(1)
		if k > 0 {
			if target = s.noise.sample(rng); target == wo {
				continue
			}
			label = 0
		}
		vo := row(s.out, int(target), d)
		f := dot(vi, vo)
		if label == 1 {
			loss -= logSigmoid(f)
		} else {
			loss -= logSigmoid(-f)
		}
		g := (label - sigmoid(f)) * lr // ascent on the log-likelihood
		axpy(s.dIn, g, vo)
		axpy(vo, g, vi)
	}
	axpy(vi, 1, s.dIn)
	return loss
}

func (s *sgns) tensors() []Tensor {
	v, d := s.m.Corpus.Vocab.Len(), s.m.Dim
	return []Tensor{{"in", []int{v, d}, s.in}, {"out", []int{v, d}, s.out}}
}

func (s *sgns) embeddings() []float32 { return s.in }
