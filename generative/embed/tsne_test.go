package embed

import (
	"bytes"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// clusters returns k clusters of m points each in d dimensions, the
// centres 10 apart, the spread 1.
func clusters(k, m, d int, rng *rand.Rand) []float64 {
	x := make([]float64, 0, k*m*d)
	for c := range k {
		for range m {
			for j := range d {
				centre := 0.0
				if j == c {
					centre = 10
				}
				x = append(x, centre+rng.NormFloat64())
			}
		}
	}
	return x
}

func TestPerplexityCalibration(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n, d := 40, 5
	x := clusters(2, n/2, d, rng)
	for _, perp := range []float64{2, 5, 12} {
		p := make([]float64, n)
		for i := range n {
			d2 := make([]float64, n)
			for j := range n {
				for k := range d {
					diff := x[i*d+k] - x[j*d+k]
					d2[j] += diff * diff
				}
			}
			calibrateRow(d2, p, i, math.Log(perp))
			var sum, h float64
			for j, v := range p {
				sum += v
				if v > 0 {
					h -= v * math.Log(v)
				}
				if j == i {
					require.Zero(t, v)
				}
			}
			require.InDelta(t, 1, sum, 1e-12)
			require.InDelta(t, perp, math.Exp(h), 1e-3*perp, "row %d", i)
		}
	}
	p := jointP(x, n, d, 5)
	var sum float64
	for i := range n {
		for j := range n {
			require.Equal(t, p[i*n+j], p[j*n+i])
			sum += p[i*n+j]
		}
	}
	require.InDelta(t, 1, sum, 1e-9)
}

func TestTSNEGradientMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 7
	x := clusters(2, 4, 3, rng)[:n*3]
	p := jointP(x, n, 3, 2)
	y := make([]float64, 2*n)
	for i := range y {
		y[i] = rng.NormFloat64()
	}
	s := &tsneStep{n: n, p: p, y: y, num: make([]float64, n*n), grad: make([]float64, 2*n),
		partZ: make([]float64, par.Chunks(n, tsneGrain)), exaggeration: 1}
	s.numFn, s.gradFn = s.numRows, s.gradRows
	kl := func() float64 {
		s.gradient()
		var c float64
		for i := range n {
			for j := range n {
				if i != j {
					c += p[i*n+j] * math.Log(p[i*n+j]/(s.num[i*n+j]/s.z))
				}
			}
		}
		return c
	}
	s.gradient()
	grad := append([]float64(nil), s.grad...)
	for k := range y {
		old := y[k]
		y[k] = old + 1e-6
		hi := kl()
		y[k] = old - 1e-6
		lo := kl()
		y[k] = old
		require.InDelta(t, (hi-lo)/2e-6, grad[k], 1e-5, "dC/dy[%d]", k)
	}
}

func TestTSNESeparatesClustersDeterministically(t *testing.T) {
	x := clusters(3, 15, 8, rand.New(rand.NewPCG(3, 3)))
	cfg := DefaultTSNE()
	cfg.Iterations = 400
	defer par.SetThreads(par.SetThreads(1))
	y1, kl := TSNE(x, 45, 8, cfg, rand.New(rand.NewPCG(4, 4)))
	par.SetThreads(2)
	y2, _ := TSNE(x, 45, 8, cfg, rand.New(rand.NewPCG(4, 4)))
	require.Equal(t, y1, y2, "same bytes at 1 and 2 threads")
	require.Less(t, kl, 1.0)
	// each point's nearest neighbour in the map is from its own cluster
	for i := range 45 {
		best, bestD := -1, math.Inf(1)
		for j := range 45 {
			if dx, dy := y1[2*i]-y1[2*j], y1[2*i+1]-y1[2*j+1]; j != i && dx*dx+dy*dy < bestD {
				best, bestD = j, dx*dx+dy*dy
			}
		}
		require.Equal(t, i/15, best/15, "point %d", i)
	}
}

func TestPlotTSNEDrawsTheWordsItKnows(t *testing.T) {
	e := toyEmbedding([]string{"a", "b", "c", "d"}, [][]float32{{1, 0}, {0.9, 0.1}, {0, 1}, {0.1, 0.9}})
	cfg := DefaultTSNE()
	cfg.Iterations = 50
	var buf bytes.Buffer
	n, err := PlotTSNE(&buf, e, []string{"a", "b", "c", "absent", "a"}, cfg, rand.New(rand.NewPCG(1, 1)), "t")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	_, err = png.Decode(&buf)
	require.NoError(t, err)
	_, err = PlotTSNE(&buf, e, []string{"a", "absent"}, cfg, rand.New(rand.NewPCG(1, 1)), "t")
	require.EqualError(t, err, "t-SNE wants 2 or more words in the vocabulary, got 1")
}
