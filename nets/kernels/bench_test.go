package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/arcadelab/arcade/internal/par"
)

// benchShapes are arcade bench gemm's shapes, m x k x n: square ones and
// the RL ones (a DQN's 3136 -> 512 layer on a batch of 32, its 512 -> 6
// head, an MLP's 784 -> 400 layer on a batch of 128).
var benchShapes = [][3]int{{128, 128, 128}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {2048, 2048, 2048},
	{32, 3136, 512}, {32, 512, 6}, {128, 784, 400}}

// BenchmarkSgemm measures C = A*B for each shape, kernel and thread count
// (1 and 2), and reports GFLOP/s.
func BenchmarkSgemm(b *testing.B) {
	defer SetKernel(Kernel())
	defer par.SetThreads(par.SetThreads(1))
	rng := rand.New(rand.NewPCG(1, 1))
	for _, kern := range Kernels() {
		if _, err := SetKernel(kern); err != nil {
			b.Fatal(err)
		}
		for _, s := range benchShapes {
			m, k, n := s[0], s[1], s[2]
			if kern == "go" && m*n*k > 1<<30 {
				continue // seconds a call without SIMD
			}
			x, y, z := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n)
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%dx%dx%d/threads=%d", kern, m, k, n, threads), func(b *testing.B) {
					par.SetThreads(threads)
					for b.Loop() {
						Sgemm(false, false, m, n, k, 1, x, k, y, n, 0, z, n)
					}
					b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkSgemmTransposed measures the transposes a Linear layer uses on
// a batch of 32 through 512 units: forward x*W^T, weight gradient dY^T*x,
// input gradient dY*W.
func BenchmarkSgemmTransposed(b *testing.B) {
	defer par.SetThreads(par.SetThreads(1))
	rng := rand.New(rand.NewPCG(2, 2))
	const batch, in, out = 32, 512, 512
	x, w, dy, z := randSlice(rng, batch*in), randSlice(rng, out*in), randSlice(rng, batch*out), make([]float32, out*in)
	for _, tc := range []struct {
		name           string
		transA, transB bool
		m, n, k        int
		a, b           []float32
		lda, ldb       int
	}{
		{"forward_x_WT", false, true, batch, out, in, x, w, in, in},
		{"dW_dYT_x", true, false, out, in, batch, dy, x, out, in},
		{"dx_dY_W", false, false, batch, in, out, dy, w, out, in},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, z, tc.n)
			}
			b.ReportMetric(2*float64(tc.m*tc.n*tc.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkPeak measures PeakGFLOPS's loop afresh each iteration and
// reports the best.
func BenchmarkPeak(b *testing.B) {
	best := 0.0
	for b.Loop() {
		best = max(best, measurePeak())
	}
	b.ReportMetric(best, "GFLOP/s")
}

// BenchmarkPeakAllCores runs the FMA peak loop on 1, 2, 4, ... and
// runtime.NumCPU locked threads at once (sub-benchmarks threads=T) and
// reports the best sum: T times PeakGFLOPS when the cores are free and
// really distinct. (A virtual machine's vCPUs may land on the two
// hyperthreads of one physical core, which share its FMA units: the sum
// is then one core's peak.) The count is the sub-benchmark's own, not
// GOMAXPROCS (raised to it while the sub-benchmark runs): a b.Loop
// benchmark may run its loop before -cpu's value is set.
func BenchmarkPeakAllCores(b *testing.B) {
	loop, flopsPerIter := peakLoop()
	if loop == nil {
		b.Skip("no assembly peak loop in this build")
	}
	for _, threads := range benchThreadCounts(runtime.NumCPU()) {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(threads, runtime.GOMAXPROCS(0))))
			const iters = 1 << 18
			best := 0.0
			for b.Loop() {
				var wg sync.WaitGroup
				start := time.Now()
				for range threads {
					wg.Add(1)
					go func() {
						defer wg.Done()
						runtime.LockOSThread()
						defer runtime.UnlockOSThread()
						loop(iters)
					}()
				}
				wg.Wait()
				best = max(best, float64(threads)*iters*flopsPerIter/float64(time.Since(start).Nanoseconds()))
			}
			b.ReportMetric(best, "GFLOP/s")
		})
	}
}

// benchThreadCounts returns 1, 2, 4, ... below most, then most.
func benchThreadCounts(most int) []int {
	var counts []int
	for t := 1; t < most; t *= 2 {
		counts = append(counts, t)
	}
	return append(counts, most)
}

func randSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = rng.Float32()*2 - 1
	}
	return x
}
