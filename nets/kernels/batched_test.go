package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// stacked returns batch copies of rows x cols matrices with leading
// dimension ld, stride floats apart, NaN between them.
func stacked(rng *rand.Rand, batch, rows, cols, ld, stride int) []float32 {
	x := make([]float32, (batch-1)*stride+(rows-1)*ld+cols)
	for i := range x {
		x[i] = float32(math.NaN())
	}
	for b := 0; b < batch; b++ {
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				x[b*stride+r*ld+c] = rng.Float32()*2 - 1
			}
		}
	}
	return x
}

func TestSgemmStridedMatchesSgemm(t *testing.T) {
	defer par.SetThreads(par.SetThreads(1))
	rng := rand.New(rand.NewPCG(31, 32))
	for _, tc := range []struct {
		gemmCase
		batch int
	}{
		{gemmCase{m: 16, n: 16, k: 8, alpha: 1, beta: 0}, 37},                                // small: side by side
		{gemmCase{transB: true, m: 64, n: 64, k: 32, alpha: 0.5, beta: 1}, 9},                // attention-like
		{gemmCase{transA: true, m: 5, n: 3, k: 7, alpha: -1, beta: 2}, 200},                  // tiny, many
		{gemmCase{transA: true, transB: true, m: 150, n: 160, k: 100, alpha: 1, beta: 0}, 3}, // large: one after the other
		{gemmCase{m: 1, n: 1, k: 1, alpha: 1, beta: 0}, 1},
	} {
		ar, ac := tc.m, tc.k
		if tc.transA {
			ar, ac = tc.k, tc.m
		}
		br, bc := tc.k, tc.n
		if tc.transB {
			br, bc = tc.n, tc.k
		}
		lda, ldb, ldc := ac+1, bc+2, tc.n+3
		sa, sb, sc := ar*lda+5, br*ldb+1, tc.m*ldc+7
		a, b := stacked(rng, tc.batch, ar, ac, lda, sa), stacked(rng, tc.batch, br, bc, ldb, sb)
		c0 := stacked(rng, tc.batch, tc.m, tc.n, ldc, sc)
		want := append([]float32(nil), c0...)
		for i := 0; i < tc.batch; i++ {
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a[i*sa:], lda, b[i*sb:], ldb, tc.beta, want[i*sc:], ldc)
		}
		for _, threads := range []int{1, 2, 7} {
			par.SetThreads(threads)
			got := append([]float32(nil), c0...)
			SgemmStrided(tc.transA, tc.transB, tc.batch, tc.m, tc.n, tc.k, tc.alpha, a, lda, sa, b, ldb, sb, tc.beta, got, ldc, sc)
			require.Equal(t, bitsOf(want), bitsOf(got), "%v batch %d, %d threads", tc.gemmCase, tc.batch, threads)
		}
	}
}

func TestSgemmStridedChecksSizes(t *testing.T) {
	x := make([]float32, 40)
	SgemmStrided(false, false, 0, 2, 2, 2, 1, nil, 2, 4, nil, 2, 4, 0, nil, 2, 4) // an empty batch
	require.PanicsWithValue(t, "kernels: negative batch -1 or stride (4, 4, 4)", func() {
		SgemmStrided(false, false, -1, 2, 2, 2, 1, x, 2, 4, x, 2, 4, 0, x, 2, 4)
	})
	require.PanicsWithValue(t, "kernels: 12 matrices 4 apart do not fit in 40 floats", func() {
		SgemmStrided(false, false, 12, 2, 2, 2, 1, x, 2, 4, x, 2, 4, 0, x, 2, 4)
	})
	require.PanicsWithValue(t, "kernels: a has 0 elements, want at least 4 for 2 x 2 with ld 2", func() {
		SgemmStrided(false, false, 11, 2, 2, 2, 1, x, 2, 4, make([]float32, 44), 2, 4, 0, make([]float32, 44), 2, 4)
	})
}

func TestSgemmStridedAllocatesNothingWhenWarm(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	defer par.SetThreads(par.SetThreads(2))
	const batch, m, n, k = 48, 16, 16, 16
	a, b, c := make([]float32, batch*m*k), make([]float32, batch*k*n), make([]float32, batch*m*n)
	call := func() { SgemmStrided(false, true, batch, m, n, k, 1, a, k, m*k, b, k, n*k, 0, c, n, m*n) }
	call()
	require.Zero(t, testing.AllocsPerRun(5, call))
}
