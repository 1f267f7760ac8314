package embed

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAliasSamplesInProportionToTheWeights(t *testing.T) {
	w := []float64{8, 1, 0, 3, 4}
	a := newAlias(w)
	for i, x := range w {
		require.InDelta(t, x/16, aliasP(a, i), 1e-12, "the table of index %d", i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 160000
	counts := make([]int, len(w))
	for range n {
		counts[a.sample(rng)]++
	}
	for i, x := range w {
		p := x / 16
		// 4 binomial standard errors of n draws
		require.InDelta(t, p, float64(counts[i])/n, 4*math.Sqrt(p*(1-p)/n)+1e-9, "index %d", i)
	}
}

func TestUnigramNoiseIsRaisedToThreeQuarters(t *testing.T) {
	c, err := CorpusFromSentences([]string{"a a a a a a a a a a a a a a a a b"}, 1)
	require.NoError(t, err)
	s := New(Config{Method: "sgns", Dim: 2, Window: 1, Negatives: 1, MinCount: 1, XMax: 1, Batch: 1}, c, 1).learn.(*sgns)
	// 16 a and 1 b: P(b) = 1 / (16^0.75 + 1) = 1/9
	require.InDelta(t, 1.0/9, aliasP(s.noise, 1), 1e-12)
}

// aliasP is the exact probability that a draws i: column i keeps i with
// prob[i], and every column j that aliases i gives it 1 - prob[j].
func aliasP(a alias, i int) float64 {
	p := a.prob[i]
	for j, o := range a.other {
		if int(o) == i && j != i {
			p += 1 - a.prob[j]
		}
	}
	return p / float64(len(a.prob))
}

func TestKeepProbsFollowMikolov(t *testing.T) {
	keep := keepProbs([]int64{900, 90, 10}, 1e-2)
	// frequency 0.9: sqrt(0.01/0.9); 0.09: sqrt(1/9); 0.01: 1
	require.InDelta(t, math.Sqrt(0.01/0.9), keep[0], 1e-12)
	require.InDelta(t, 1.0/3, keep[1], 1e-12)
	require.Equal(t, 1.0, keep[2])
	require.Equal(t, []float64{1, 1, 1}, keepProbs([]int64{900, 90, 10}, 0))
}

func TestWindowsShrinkUniformly(t *testing.T) {
	sentence := "a b c d e f g h i j k l m n o p q r s t u v w x y z"
	var sents []string
	for range 400 {
		sents = append(sents, sentence)
	}
	c, err := CorpusFromSentences(sents, 1)
	require.NoError(t, err)
	keep := keepProbs(c.Vocab.Counts, 0)
	pr := &pass{ctx: context.Background(), lr0: 1, total: int64(len(c.Tokens)), every: checkEvery}
	sizes := make([]int, 4)
	_, n, err := walkWindows(c, 3, keep, rand.New(rand.NewPCG(1, 1)), pr, func(sent []int32, i, b int, lr float32) (float64, int) {
		require.Len(t, sent, 26)
		sizes[b]++
		return 1, 1
	})
	require.NoError(t, err)
	require.Equal(t, 400*26, n)
	require.Zero(t, sizes[0])
	for b := 1; b <= 3; b++ {
		require.InDelta(t, 1.0/3, float64(sizes[b])/float64(n), 0.03, "window %d", b)
	}
	require.Equal(t, int64(len(c.Tokens)), pr.done)
}

func TestLearningRateDecaysLinearly(t *testing.T) {
	p := &pass{lr0: 0.025, total: 1000}
	require.InDelta(t, 0.025, float64(p.lr()), 1e-9)
	p.done = 250
	require.InDelta(t, 0.01875, float64(p.lr()), 1e-9)
	p.done = 1000
	require.InDelta(t, 0.025e-4, float64(p.lr()), 1e-12, "floored at lr0/10^4")
}
