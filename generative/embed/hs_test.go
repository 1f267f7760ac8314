package embed

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func code(h huffman, w int) string {
	var b strings.Builder
	for _, c := range h.codes[h.start[w]:h.start[w+1]] {
		b.WriteByte('0' + c)
	}
	return b.String()
}

func TestHuffmanCodesOfAKnownTree(t *testing.T) {
	// counts 5 4 3 2 1 (words 0..4): join 1+2 = 3 (word 3 takes bit 1),
	// then that node and word 2 (a tie goes to the inner node first; word 2
	// takes bit 1) = 6, then 4+5 = 9 (word 0 takes bit 1), then 6+9 = 15
	// (the 9 takes bit 1). Codes are read from the root.
	h := newHuffman([]int64{5, 4, 3, 2, 1})
	require.Equal(t, []string{"11", "10", "01", "001", "000"}, []string{code(h, 0), code(h, 1), code(h, 2), code(h, 3), code(h, 4)})
	require.Equal(t, int32(3), h.points[h.start[0]], "every path starts at the root, inner node V-2")
	require.InDelta(t, (5*2+4*2+3*2+2*3+1*3)/15.0, h.meanCodeLength([]int64{5, 4, 3, 2, 1}), 1e-12)
}

func TestHuffmanCodesArePrefixFreeAndNearTheEntropy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	counts := make([]int64, 300)
	for i := range counts {
		counts[i] = int64(1e6 / float64(i+1)) // Zipf
		counts[i] += int64(rng.IntN(3))
	}
	h := newHuffman(counts)
	var kraft, entropy, total float64
	seen := map[string]bool{}
	for w := range counts {
		c := code(h, w)
		require.False(t, seen[c])
		seen[c] = true
		kraft += math.Pow(2, -float64(len(c)))
		total += float64(counts[w])
	}
	for w := range counts {
		p := float64(counts[w]) / total
		entropy -= p * math.Log2(p)
	}
	require.InDelta(t, 1, kraft, 1e-12, "a full binary tree: Kraft's sum is 1")
	for a := range counts {
		for b := range counts {
			if a != b {
				require.False(t, strings.HasPrefix(code(h, a), code(h, b)), "%d's code starts with %d's", a, b)
			}
		}
	}
	l := h.meanCodeLength(counts)
	require.GreaterOrEqual(t, l, entropy)
	require.Less(t, l, entropy+1)
	require.Less(t, l, math.Log2(300))
}

func TestHierarchicalSoftmaxSumsToOne(t *testing.T) {
	m := tinyModel(t, "hs")
	h := m.learn.(*hs)
	d := m.Dim
	vi := row(h.in, 5, d)
	var sum float64
	for w := range m.Corpus.Vocab.Len() {
		p := 1.0
		for k := h.tree.start[w]; k < h.tree.start[w+1]; k++ {
			f := dot64(vi, row(h.out, int(h.tree.points[k]), d))
			if h.tree.codes[k] == 1 {
				f = -f
			}
			p *= 1 / (1 + math.Exp(-f))
		}
		sum += p
	}
	require.InDelta(t, 1, sum, 1e-9, "p(w | w_I) over the vocabulary")
}
