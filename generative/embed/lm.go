package embed

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets/kernels"
)

// lm is the neural language-model way: the mean h of the context words'
// vectors (the window around a word, the word left out) predicts the word
// through a full softmax,
//
//	p(w | context) = exp(u_w · h + c_w) / Σ_{v in V} exp(u_v · h + c_v),
//
// trained by SGD on the cross-entropy. Every example touches all |V| rows
// of the output layer, which is what negative sampling and hierarchical
// softmax avoid. Examples go through the matrix products Batch at a time
// (B: examples in the batch):
//
//	Z[B,V] = H[B,D] U^T        logits, then softmax; G = P - onehot(target)
//	dH[B,D] = G U              before U changes
//	U -= lr G^T H,  c -= lr Σ_b G_b,  v_ctx -= lr dH_b / |context|
//
// The learning rate applies to each example's gradient: a batch sums them.
type lm struct {
	m         *Model
	in        []float32 // V x D: the word vectors v (the embedding)
	out       []float32 // V x D: the output vectors u
	bias      []float32 // V: the output biases c
	keep      []float64
	h, dh     []float32 // B x D
	z         []float32 // B x V: logits, then probabilities, then G
	loss      []float64 // B: each example's loss
	target    []int32   // B
	context   []int32   // the context words of the batch's examples, one after the other
	ctxEnd    []int     // B: where each example's context ends in context
	n         int       // examples in the batch
	softmaxFn func(lo, hi int)
}

func newLM(m *Model, rng *rand.Rand) *lm {
	v, d, b := m.Corpus.Vocab.Len(), m.Dim, m.Batch
	l := &lm{m: m, in: uniformInit(v*d, d, rng), out: make([]float32, v*d), bias: make([]float32, v),
		keep: keepProbs(m.Corpus.Vocab.Counts, m.Subsample),
		h:    make([]float32, b*d), dh: make([]float32, b*d), z: make([]float32, b*v),
		loss: make([]float64, b), target: make([]int32, b), ctxEnd: make([]int, b)}
	l.softmaxFn = l.softmaxRows
	return l
}

func (l *lm) epoch(rng *rand.Rand, pr *pass) (float64, error) {
	var lastLR float32
	loss, n, err := walkWindows(l.m.Corpus, l.m.Window, l.keep, rng, pr, func(sent []int32, i, b int, lr float32) (float64, int) {
		lo, hi := max(0, i-b), min(len(sent)-1, i+b)
		if lo == hi {
			return 0, 0 // a sentence of one word has no context
		}
		l.add(sent[lo:i], sent[i+1:hi+1], sent[i])
		lastLR = lr
		if l.n < l.m.Batch {
			return 0, 0
		}
		return l.step(lr), l.m.Batch
	})
	if err != nil {
		l.n, l.context = 0, l.context[:0]
		return 0, err
	}
	if l.n > 0 {
		k := l.n
		loss += l.step(lastLR)
		n += k
	}
	return meanLoss(loss, n), nil
}

// add appends the example (context left and right of target) to the batch.
func (l *lm) add(left, right []int32, target int32) {
	d := l.m.Dim
	h := row(l.h, l.n, d)
	clear(h)
	l.context = append(l.context, left...)
	l.context = append(l.context, right...)
	for _, c := range left {
		axpy(h, 1, row(l.in, int(c), d))
	}
	for _, c := range right {
		axpy(h, 1, row(l.in, int(c), d))
	}
	scale := 1 / float32(len(left)+len(right))
	for k := range h {
		h[k] *= scale
	}
	l.target[l.n] = target
	l.ctxEnd[l.n] = len(l.context)
	l.n++
}

// step trains on the batch, empties it and returns the summed loss.
func (l *lm) step(lr float32) float64 {
	v, d, n := l.m.Corpus.Vocab.Len(), l.m.Dim, l.n
	kernels.Sgemm(false, true, n, v, d, 1, l.h, d, l.out, d, 0, l.z, v)
	par.For(n, 4, l.softmaxFn)
	var loss float64
	for b := range n {
		loss += l.loss[b]
	}
	kernels.Sgemm(false, false, n, d, v, 1, l.z, v, l.out, d, 0, l.dh, d)
	kernels.Sgemm(true, false, v, d, n, -lr, l.z, v, l.h, d, 1, l.out, d)
	for b := range n {
		axpy(l.bias, -lr, row(l.z, b, v))
	}
	lo := 0
	for b := range n {
		ctx := l.context[lo:l.ctxEnd[b]]
		g := -lr / float32(len(ctx))
		for _, c := range ctx {
			axpy(row(l.in, int(c), d), g, row(l.dh, b, d))
		}
		lo = l.ctxEnd[b]
	}
	l.n, l.context = 0, l.context[:0]
	return loss
}

// softmaxRows turns rows lo..hi of the logits into G = softmax - onehot,
// recording each row's cross-entropy.
func (l *lm) softmaxRows(lo, hi int) {
	v := l.m.Corpus.Vocab.Len()
	for b := lo; b < hi; b++ {
		z := row(l.z, b, v)
		mx := float32(math.Inf(-1))
		for k := range z {
			z[k] += l.bias[k]
			mx = max(mx, z[k])
		}
		var sum float64
		for k, x := range z {
			e := math.Exp(float64(x - mx))
			z[k] = float32(e)
			sum += e
		}
		t := l.target[b]
		l.loss[b] = math.Log(sum) - math.Log(float64(z[t]))
		inv := float32(1 / sum)
		for k := range z {
			z[k] *= inv
		}
		z[t]--
	}
}

func (l *lm) tensors() []Tensor {
	v, d := l.m.Corpus.Vocab.Len(), l.m.Dim
	return []Tensor{{"in", []int{v, d}, l.in}, {"out", []int{v, d}, l.out}, {"bias", []int{v}, l.bias}}
}

func (l *lm) embeddings() []float32 { return l.in }
