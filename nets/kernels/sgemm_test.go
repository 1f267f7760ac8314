package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// guardBits is the NaN that fills the guard regions around every operand
// and the padding between its rows (ld > cols): reading one of them puts
// NaN into C, writing one changes its bits.
const guardBits = 0x7fc0beef

// guardLen is the length of the guard regions before and after an operand.
const guardLen = 37

// operand is a rows x cols matrix with leading dimension ld inside a
// buffer of guards.
type operand struct {
	rows, cols, ld int
	buf            []float32 // guard, (rows-1)*ld+cols floats, guard
}

// newOperand returns a rows x cols operand with values in [-1, 1) and a
// leading dimension cols, cols+1, cols+3 or cols+16 (chosen by rng).
func newOperand(rng *rand.Rand, rows, cols int) operand {
	ld := max(1, cols) + []int{0, 0, 1, 3, 16}[rng.IntN(5)]
	x := operand{rows: rows, cols: cols, ld: ld}
	x.buf = make([]float32, guardLen+x.size()+guardLen)
	for i := range x.buf {
		x.buf[i] = math.Float32frombits(guardBits)
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x.buf[guardLen+i*ld+j] = rng.Float32()*2 - 1
		}
	}
	return x
}

func (x operand) size() int {
	if x.rows == 0 || x.cols == 0 {
		return 0
	}
	return (x.rows-1)*x.ld + x.cols
}

// data is the slice Sgemm gets: exactly the operand, capacity included.
func (x operand) data() []float32 {
	return x.buf[guardLen : guardLen+x.size() : guardLen+x.size()]
}

func (x operand) at(i, j int) float32 { return x.buf[guardLen+i*x.ld+j] }

// isData reports whether buffer index q is an element of the matrix.
func (x operand) isData(q int) bool {
	q -= guardLen
	return q >= 0 && q < x.size() && q%x.ld < x.cols
}

func (x operand) clone() operand {
	y := x
	y.buf = append([]float32(nil), x.buf...)
	return y
}

// gemmCase is one product to check.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("transA=%v transB=%v m=%d n=%d k=%d alpha=%g beta=%g", tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta)
}

// operands returns A, B and C for the case; with beta 0, C holds NaN.
func (tc gemmCase) operands(rng *rand.Rand) (a, b, c operand) {
	if tc.transA {
		a = newOperand(rng, tc.k, tc.m)
	} else {
		a = newOperand(rng, tc.m, tc.k)
	}
	if tc.transB {
		b = newOperand(rng, tc.n, tc.k)
	} else {
		b = newOperand(rng, tc.k, tc.n)
	}
	c = newOperand(rng, tc.m, tc.n)
	if tc.beta == 0 {
		for i := 0; i < tc.m; i++ {
			for j := 0; j < tc.n; j++ {
				c.buf[guardLen+i*c.ld+j] = float32(math.NaN())
			}
		}
	}
	return a, b, c
}

// sgemmFunc is Sgemm or a variant of it with a fixed plan.
type sgemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// checkCase runs the case through gemm and compares C with the naive triple
// loop in float64, checks the guards and the padding of C, and that A and B
// are unmodified.
func checkCase(t *testing.T, rng *rand.Rand, gemm sgemmFunc, tc gemmCase) {
	t.Helper()
	a, b, c := tc.operands(rng)
	a0, b0, c0 := a.clone(), b.clone(), c.clone()
	gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a.data(), a.ld, b.data(), b.ld, tc.beta, c.data(), c.ld)

	// op(A) row by row and op(B) column by column, in float64
	opA, opBT := make([]float64, tc.m*tc.k), make([]float64, tc.n*tc.k)
	for i := 0; i < tc.m; i++ {
		for p := 0; p < tc.k; p++ {
			if tc.transA {
				opA[i*tc.k+p] = float64(a0.at(p, i))
			} else {
				opA[i*tc.k+p] = float64(a0.at(i, p))
			}
		}
	}
	for j := 0; j < tc.n; j++ {
		for p := 0; p < tc.k; p++ {
			if tc.transB {
				opBT[j*tc.k+p] = float64(b0.at(j, p))
			} else {
				opBT[j*tc.k+p] = float64(b0.at(p, j))
			}
		}
	}
	for i := 0; i < tc.m; i++ {
		ai := opA[i*tc.k : i*tc.k+tc.k]
		for j := 0; j < tc.n; j++ {
			bj := opBT[j*tc.k : j*tc.k+tc.k]
			var sum, abs float64
			for p, x := range ai {
				x *= bj[p]
				sum += x
				abs += math.Abs(x)
			}
			want := float64(tc.alpha) * sum
			abs *= math.Abs(float64(tc.alpha))
			if tc.beta != 0 {
				bc := float64(tc.beta) * float64(c0.at(i, j))
				want += bc
				abs += math.Abs(bc)
			}
			// Higham (2002), eq. 3.5: a float32 dot product of length k
			// is off by at most gamma_k * sum|a_p*b_p|, gamma_k ~ k*2^-24;
			// alpha, beta and the fused or separate adds add a few
			// roundings more. Twice that bound:
			tol := float64(tc.k+4) * 0x1p-23 * abs
			got := float64(c.at(i, j))
			if math.Abs(got-want) > tol || math.IsNaN(got) {
				t.Fatalf("%v: C[%d][%d] = %g, want %g (tolerance %g)", tc, i, j, got, want, tol)
			}
		}
	}
	for q, v := range c.buf {
		if !c.isData(q) && math.Float32bits(v) != guardBits {
			t.Fatalf("%v: C's buffer index %d (outside the matrix) was written: %g", tc, q, v)
		}
	}
	require.Equal(t, bitsOf(a0.buf), bitsOf(a.buf), "%v: A was modified", tc)
	require.Equal(t, bitsOf(b0.buf), bitsOf(b.buf), "%v: B was modified", tc)
}

func bitsOf(x []float32) []uint32 {
	u := make([]uint32, len(x))
	for i, v := range x {
		u[i] = math.Float32bits(v)
	}
	return u
}

// sweep returns the values the swept dimension takes: every size up to
// 17, the sizes around each tile and block edge up to 300, and random
// ones.
func sweep(rng *rand.Rand) []int {
	var vs []int
	for v := 1; v <= 17; v++ {
		vs = append(vs, v)
	}
	vs = append(vs, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129, 191, 192, 193, 255, 256, 257, 299, 300)
	for i := 0; i < 6; i++ {
		vs = append(vs, 1+rng.IntN(300))
	}
	return vs
}

// scalars are the alpha and beta values the cases cycle through.
var scalars = []struct{ alpha, beta float32 }{{1, 0}, {1, 1}, {-0.5, 0}, {0.75, -2}, {2, 0.5}, {1, -0}}

// sweepCases returns the cases of sweeping m, n and k in turn, the other
// two random up to others, cycling through the transposes and scalars.
func sweepCases(rng *rand.Rand, others int) []gemmCase {
	var cases []gemmCase
	for dim := 0; dim < 3; dim++ {
		for _, v := range sweep(rng) {
			d := [3]int{1 + rng.IntN(others), 1 + rng.IntN(others), 1 + rng.IntN(others)}
			d[dim] = v
			x := len(cases)
			s := scalars[x%len(scalars)]
			cases = append(cases, gemmCase{transA: x%2 == 1, transB: x/2%2 == 1, m: d[0], n: d[1], k: d[2], alpha: s.alpha, beta: s.beta})
		}
	}
	return cases
}

// sweepOthers bounds the random dimensions of the sweep; the race
// detector slows the reference loop tenfold, so it checks smaller shapes.
func sweepOthers() int {
	if raceEnabled {
		return 40
	}
	return 300
}

func TestSgemmMatchesNaiveLoopOverSweptShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range sweepCases(rng, sweepOthers()) {
		checkCase(t, rng, Sgemm, tc)
	}
}

func TestSgemmEveryTransposeAndScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][3]int{{1, 1, 1}, {12, 32, 8}, {13, 33, 9}, {32, 6, 512}, {40, 70, 600}, {1, 300, 77}, {300, 1, 77},
		{61, 790, 20}} // B packed even when not transposed: rows far apart, many row panels
	if raceEnabled {
		shapes = append(shapes[:4], shapes[len(shapes)-1])
	}
	for _, s := range shapes {
		for tr := 0; tr < 4; tr++ {
			for _, sc := range scalars {
				checkCase(t, rng, Sgemm, gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: s[0], n: s[1], k: s[2], alpha: sc.alpha, beta: sc.beta})
			}
		}
	}
}

// withBlocking returns Sgemm run with the active kernel under a given
// blocking, to exercise the k blocks and the row and column passes on
// small shapes.
func withBlocking(bl blocking) sgemmFunc {
	return func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		kern := *active.Load()
		kern.blocks = bl
		newGemm().run(&kern, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

func TestSgemmBlockingEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, bl := range []blocking{
		{kc: 5, ncPanels: 1, maxPacked: 1, passFloats: 1},       // one row panel, column panel and k block a pass
		{kc: 16, ncPanels: 2, maxPacked: 600, passFloats: 2000}, // a few of each a pass
		{kc: 512, ncPanels: 3, maxPacked: 1 << 21, passFloats: 1 << 20},
	} {
		for _, tc := range []gemmCase{
			{m: 1, n: 1, k: 40, alpha: 1, beta: 0.5},
			{m: 50, n: 70, k: 33, alpha: 1, beta: 0},
			{transA: true, m: 70, n: 130, k: 45, alpha: -1, beta: 1},
			{transB: true, m: 100, n: 90, k: 64, alpha: 0.5, beta: 2},
			{transA: true, transB: true, m: 37, n: 301, k: 29, alpha: 1.5, beta: 0},
			{m: 65, n: 129, k: 1100, alpha: 1, beta: -1}, // parallel, several k blocks
			{m: 61, n: 790, k: 21, alpha: 1, beta: 1},    // B packed
		} {
			checkCase(t, rng, withBlocking(bl), tc)
		}
	}
}

func TestSgemmDeepK(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i, k := range []int{513, 1024, 1537, 3136} {
		checkCase(t, rng, Sgemm, gemmCase{transA: i%2 == 1, transB: i/2 == 1, m: 5 + i*7, n: 3 + i*11, k: k, alpha: 1, beta: float32(i % 2)})
	}
}

func TestSgemmZeroSizesAndScalars(t *testing.T) {
	nan := float32(math.NaN())
	c := []float32{nan, 2, nan, 4}
	Sgemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0, c, 2)
	require.Equal(t, []float32{0, 0, 0, 0}, c, "k = 0 and beta = 0 clear C")

	c = []float32{1, 2, 3, 4}
	Sgemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 3, c, 2)
	require.Equal(t, []float32{3, 6, 9, 12}, c, "k = 0 scales C by beta")

	a, b := []float32{nan, 1, 2, 3}, []float32{1, 2, 3, 4}
	c = []float32{1, 2, 3, 4}
	Sgemm(false, false, 2, 2, 2, 0, a, 2, b, 2, 1, c, 2)
	require.Equal(t, []float32{1, 2, 3, 4}, c, "alpha = 0 reads neither A nor B")

	Sgemm(false, false, 0, 2, 2, 1, nil, 2, b, 2, 0, nil, 2) // m = 0: nothing to do
	Sgemm(false, false, 2, 0, 2, 1, a, 2, nil, 1, 0, nil, 1) // n = 0
}

func TestSgemmPanicsOnBadSizes(t *testing.T) {
	x := make([]float32, 16)
	require.PanicsWithValue(t, "kernels: negative size m=-1 n=2 k=2", func() { Sgemm(false, false, -1, 2, 2, 1, x, 2, x, 2, 0, x, 2) })
	require.PanicsWithValue(t, "kernels: lda 1 < 2 columns", func() { Sgemm(false, false, 2, 2, 2, 1, x, 1, x, 2, 0, x, 2) })
	require.PanicsWithValue(t, "kernels: lda 2 < 3 columns", func() { Sgemm(true, false, 3, 2, 2, 1, x, 2, x, 2, 0, x, 2) })
	require.PanicsWithValue(t, "kernels: b has 16 elements, want at least 20 for 5 x 4 with ld 4", func() { Sgemm(false, true, 2, 5, 4, 1, x, 4, x, 4, 0, x, 5) })
	require.PanicsWithValue(t, "kernels: c has 3 elements, want at least 4 for 2 x 2 with ld 2", func() { Sgemm(false, false, 2, 2, 2, 1, x, 2, x, 2, 0, x[:3], 2) })
}

// deterministicShapes are above parallelWork, so they run on the pool.
var deterministicShapes = []gemmCase{
	{m: 200, n: 300, k: 150, alpha: 1, beta: 0},
	{transB: true, m: 32, n: 512, k: 3136, alpha: 1, beta: 0},
	{transA: true, m: 128, n: 400, k: 784, alpha: 0.5, beta: 1},
	{transA: true, transB: true, m: 70, n: 1000, k: 40, alpha: -1, beta: 2},
	{m: 600, n: 33, k: 700, alpha: 1, beta: 0},
	{m: 100, n: 1030, k: 50, alpha: 1, beta: 0},               // B packed
	{transB: true, m: 1, n: 1024, k: 3136, alpha: 1, beta: 0}, // dot products, a batch of 1
	{m: 700, n: 6, k: 512, alpha: 1, beta: 0.5},               // dot products, a narrow head
}

func TestSgemmSameBytesForAnyThreadCount(t *testing.T) {
	defer par.SetThreads(par.SetThreads(1))
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range deterministicShapes {
		require.Greater(t, tc.m*tc.n*tc.k, parallelWork, "%v runs on one thread", tc)
		a, b, c := tc.operands(rng)
		var first []uint32
		for _, threads := range []int{1, 2, 7} {
			par.SetThreads(threads)
			ci := c.clone()
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a.data(), a.ld, b.data(), b.ld, tc.beta, ci.data(), ci.ld)
			if first == nil {
				first = bitsOf(ci.buf)
				continue
			}
			require.Equal(t, first, bitsOf(ci.buf), "%v: %d threads differ from 1", tc, threads)
		}
	}
}

func TestSgemmAllocatesNothingWhenWarm(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	defer par.SetThreads(par.SetThreads(2))
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []gemmCase{{m: 32, n: 64, k: 16, alpha: 1}, deterministicShapes[0], deterministicShapes[1]} {
		a, b, c := tc.operands(rng)
		call := func() {
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a.data(), a.ld, b.data(), b.ld, tc.beta, c.data(), c.ld)
		}
		call()
		require.Zero(t, testing.AllocsPerRun(5, call), "%v", tc)
		// A garbage collection keeps the buffers (a sync.Pool would drop
		// them and the next call would allocate).
		require.Zero(t, testing.AllocsPerRun(3, func() { runtime.GC(); call() }), "%v after a collection", tc)
	}
}

// Sgemm may be called from several goroutines at once: each call has its
// own buffers, and a call that finds the pool busy runs on its own thread.
func TestSgemmConcurrentCalls(t *testing.T) {
	defer par.SetThreads(par.SetThreads(2))
	rng := rand.New(rand.NewPCG(13, 14))
	tc := deterministicShapes[0]
	a, b, c := tc.operands(rng)
	want := c.clone()
	Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a.data(), a.ld, b.data(), b.ld, tc.beta, want.data(), want.ld)
	results := make([]operand, 4)
	done := make(chan int)
	for g := range results {
		results[g] = c.clone()
		go func() {
			r := results[g]
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a.data(), a.ld, b.data(), b.ld, tc.beta, r.data(), r.ld)
			done <- g
		}()
	}
	for range results {
		<-done
	}
	for g, r := range results {
		require.Equal(t, bitsOf(want.buf), bitsOf(r.buf), "goroutine %d", g)
	}
}
