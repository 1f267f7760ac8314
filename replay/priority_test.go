package replay

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSumTreeFrequencies draws 200,000 values uniformly in [0, total) and
// checks that each leaf is found with frequency p_i / sum p: the count of
// a leaf is binomial, so its frequency has standard deviation
// sqrt(P(1-P)/draws); the tolerance is 5 of them. The empty leaf is never
// found.
func TestSumTreeFrequencies(t *testing.T) {
	p := []float64{1, 2, 3, 4, 0, 10}
	tree := newPriorities(len(p), 1, 1)
	for j, v := range p {
		tree.set(j, v)
	}
	require.Equal(t, 20.0, tree.sum[1])
	require.Equal(t, 1.0, tree.min[1])

	const draws = 200_000
	counts := make([]int, len(p))
	rng := rand.New(rand.NewPCG(1, 2))
	for range draws {
		counts[tree.find(rng.Float64()*tree.sum[1])]++
	}
	for j, v := range p {
		P := v / 20
		require.InDelta(t, P, float64(counts[j])/draws, 5*math.Sqrt(P*(1-P)/draws), "leaf %d", j)
	}
	require.Zero(t, counts[4])
	// At and past the total (rounding), find still lands on a non-empty leaf.
	require.Equal(t, 5, tree.find(20))
	require.Equal(t, 5, tree.find(21))
}

// handBuffer holds one terminated episode of four one-step transitions,
// with priorities (|delta| + 1)^0.5 = 1, 2, 3, 4.
func handBuffer(t *testing.T) *Buffer {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.DType, cfg.Prioritized, cfg.Alpha, cfg.Eps = 16, []int{1}, F32, true, 0.5, 1
	b, err := New(cfg)
	require.NoError(t, err)
	for i := range 4 {
		b.AddF32([]float32{float32(i)}, 0, 0, []float32{float32(i + 1)}, i == 3, false)
	}
	require.Equal(t, 4, b.Len())
	b.UpdatePriorities([]int{0, 1, 2, 3}, []float32{0, -3, 8, 15})
	return b
}

// TestImportanceWeightsByHand: P(i) = p_i / 10 = 0.1, 0.2, 0.3, 0.4 and
// N = 4, so w_i = (4 P(i))^-beta / (4 * 0.1)^-beta = (0.1 / P(i))^beta.
func TestImportanceWeightsByHand(t *testing.T) {
	b := handBuffer(t)
	want := map[float64][]float64{
		0.5: {1, math.Sqrt(0.5), math.Sqrt(1.0 / 3), 0.5}, // sqrt(0.1/0.2) = 0.70711, sqrt(0.1/0.3) = 0.57735
		1:   {1, 0.5, 1.0 / 3, 0.25},
		0:   {1, 1, 1, 1},
	}
	batch := b.NewBatch(40)
	rng := rand.New(rand.NewPCG(3, 4))
	for beta, w := range want {
		b.Sample(batch, rng, beta)
		for i, j := range batch.Indices {
			require.InDelta(t, w[j], batch.Weights[i], 1e-6, "beta %v slot %d", beta, j)
		}
	}
}

// TestStratifiedFrequencies samples the hand buffer by stratified batches:
// the frequencies match P(i) = 0.1 ... 0.4 within the binomial tolerance
// of TestSumTreeFrequencies (stratification only lowers the variance).
func TestStratifiedFrequencies(t *testing.T) {
	b := handBuffer(t)
	batch := b.NewBatch(32)
	rng := rand.New(rand.NewPCG(5, 6))
	counts := make([]int, 4)
	const draws = 32 * 5000
	for range draws / 32 {
		b.Sample(batch, rng, 1)
		for _, j := range batch.Indices {
			counts[j]++
		}
	}
	for j, c := range counts {
		P := float64(j+1) / 10
		require.InDelta(t, P, float64(c)/draws, 5*math.Sqrt(P*(1-P)/draws), "slot %d", j)
	}
}

func TestNewTransitionsGetTheLargestPriority(t *testing.T) {
	b := handBuffer(t)
	b.AddF32([]float32{10}, 0, 0, []float32{11}, false, false)
	require.Equal(t, 4.0, b.prio.sum[b.prio.leaves+5]) // slot 4 holds the final observation 4
	require.Equal(t, 1+2+3+4+4.0, b.prio.sum[1])
	b.UpdatePriorities([]int{5}, []float32{24}) // (24 + 1)^0.5 = 5
	require.Equal(t, 5.0, b.prio.max)
	b.UpdatePriorities([]int{5}, []float32{0})
	require.Equal(t, 5.0, b.prio.max, "the largest priority seen so far, not the current one")
	require.PanicsWithValue(t, "replay: UpdatePriorities index 4 is not a sampleable transition", func() {
		b.UpdatePriorities([]int{4}, []float32{1})
	})
	require.PanicsWithValue(t, "replay: TD error NaN of index 0 is not finite", func() {
		b.UpdatePriorities([]int{0}, []float32{float32(math.NaN())})
	})
}

func TestBetaAt(t *testing.T) {
	require.Equal(t, 0.4, BetaAt(0.4, 0, 100))
	require.InDelta(t, 0.7, BetaAt(0.4, 50, 100), 1e-15)
	require.Equal(t, 1.0, BetaAt(0.4, 100, 100))
	require.Equal(t, 1.0, BetaAt(0.4, 500, 100))
}
