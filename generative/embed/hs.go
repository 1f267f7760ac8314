package embed

import (
	"math"
	"math/rand/v2"
)

// huffman is the binary Huffman tree over the vocabulary that hierarchical
// softmax walks: word w's path from the root is the inner nodes
// points[start[w]:start[w+1]], and at each the branch taken is the bit in
// codes. Frequent words get short paths; the mean path, weighted by use,
// is within one bit of the entropy of the unigram distribution and so at
// most about log2|V|.
type huffman struct {
	start  []int32 // V+1 offsets into codes and points
	codes  []uint8 // branch bits, root first
	points []int32 // inner node indices 0..V-2, root first
}

// newHuffman builds the tree from counts sorted in descending order, the
// way word2vec does: two queues (leaves from the rarest up, inner nodes in
// order of creation) merged by always joining the two lightest nodes.
func newHuffman(counts []int64) huffman {
	v := len(counts)
	count := make([]int64, 2*v-1)
	copy(count, counts)
	for i := v; i < len(count); i++ {
		count[i] = math.MaxInt64
	}
	parent := make([]int32, 2*v-1)
	bit := make([]uint8, 2*v-1)
	leaf, inner := v-1, v // the next rarest leaf, the next lightest inner node
	lightest := func() int {
		if leaf >= 0 && count[leaf] < count[inner] {
			leaf--
			return leaf + 1
		}
		inner++
		return inner - 1
	}
	for a := range v - 1 {
		m1 := lightest()
		m2 := lightest()
		count[v+a] = count[m1] + count[m2]
		parent[m1], parent[m2] = int32(v+a), int32(v+a)
		bit[m2] = 1
	}
	root := int32(2*v - 2)
	h := huffman{start: make([]int32, v+1)}
	var path []int32
	for w := range v {
		path = path[:0]
		for n := int32(w); n != root; n = parent[n] {
			path = append(path, n)
		}
		for k := len(path) - 1; k >= 0; k-- {
			h.codes = append(h.codes, bit[path[k]])
			h.points = append(h.points, parent[path[k]]-int32(v))
		}
		h.start[w+1] = int32(len(h.codes))
	}
	return h
}

// meanCodeLength is the path length averaged over word uses.
func (h *huffman) meanCodeLength(counts []int64) float64 {
	var sum, n float64
	for w, c := range counts {
		sum += float64(c) * float64(h.start[w+1]-h.start[w])
		n += float64(c)
	}
	return sum / n
}

// hs is skip-gram with hierarchical softmax (Mikolov et al., 2013, section
// 2.1): p(w_O | w_I) is the product, over the inner nodes n on w_O's path,
// of σ(±v'_n · v_I), the sign set by the branch. It costs about log2|V|
// dot products per pair instead of |V|.
type hs struct {
	m       *Model
	tree    huffman
	in, out []float32 // V x D word vectors, (V-1) x D inner-node vectors
	keep    []float64
	dIn     []float32
}

func newHS(m *Model, rng *rand.Rand) *hs {
	v, d := m.Corpus.Vocab.Len(), m.Dim
	return &hs{m: m, tree: newHuffman(m.Corpus.Vocab.Counts), in: uniformInit(v*d, d, rng),
		out: make([]float32, (v-1)*d), keep: keepProbs(m.Corpus.Vocab.Counts, m.Subsample),
		dIn: make([]float32, d)}
}

// MeanCodeLength reports, for an hs model, the mean Huffman path length
// per word use (the sigmoid units a prediction costs), and false for the
// other methods.
func (m *Model) MeanCodeLength() (float64, bool) {
	h, ok := m.learn.(*hs)
	if !ok {
		return 0, false
	}
	return h.tree.meanCodeLength(m.Corpus.Vocab.Counts), true
}

func (h *hs) epoch(rng *rand.Rand, pr *pass) (float64, error) {
	loss, n, err := walkWindows(h.m.Corpus, h.m.Window, h.keep, rng, pr, func(sent []int32, i, b int, lr float32) (float64, int) {
		var loss float64
		n := 0
		for j := max(0, i-b); j <= min(len(sent)-1, i+b); j++ {
			if j != i {
				loss += h.pair(sent[i], sent[j], lr)
				n++
			}
		}
		return loss, n
	})
	return meanLoss(loss, n), err
}

// pair takes one SGD step on -log p(w_O | w_I) and returns it. The branch
// bit 0 is the label 1, as in word2vec.
func (h *hs) pair(wi, wo int32, lr float32) float64 {
	d := h.m.Dim
	vi := row(h.in, int(wi), d)
	clear(h.dIn)
	var loss float64
	for k := h.tree.start[wo]; k < h.tree.start[wo+1]; k++ {
		vn := row(h.out, int(h.tree.points[k]), d)
		f := dot(vi, vn)
		label := float32(1 - h.tree.codes[k])
		if label == 1 {
			loss -= logSigmoid(f)
		} else {
			loss -= logSigmoid(-f)
		}
		g := (label - sigmoid(f)) * lr
		axpy(h.dIn, g, vn)
		axpy(vn, g, vi)
	}
	axpy(vi, 1, h.dIn)
	return loss
}

func (h *hs) tensors() []Tensor {
	v, d := h.m.Corpus.Vocab.Len(), h.m.Dim
	return []Tensor{{"in", []int{v, d}, h.in}, {"out", []int{v - 1, d}, h.out}}
}

func (h *hs) embeddings() []float32 { return h.in }
