package par

import (
	"math"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, threads := range []int{1, 2, 7} {
		p := New(threads)
		for _, tc := range []struct{ total, grain int }{{0, 3}, {1, 1}, {10, 3}, {100, 100}, {1000, 7}} {
			hits := make([]int32, tc.total)
			p.For(tc.total, tc.grain, func(lo, hi int) {
				require.Equal(t, 0, lo%tc.grain, "chunk starts on a grain boundary")
				require.LessOrEqual(t, hi-lo, tc.grain)
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&hits[i], 1)
				}
			})
			for i, h := range hits {
				require.Equal(t, int32(1), h, "threads %d total %d index %d", threads, tc.total, i)
			}
		}
		p.Close()
	}
}

// sumChunked adds x in chunks of grain and then adds the chunk sums in order,
// the pattern package doc recommends for reductions.
func sumChunked(p *Pool, x []float32, grain int) float32 {
	partial := make([]float32, Chunks(len(x), grain))
	p.For(len(x), grain, func(lo, hi int) {
		s := float32(0)
		for _, v := range x[lo:hi] {
			s += v
		}
		partial[lo/grain] = s
	})
	total := float32(0)
	for _, s := range partial {
		total += s
	}
	return total
}

func TestReductionIsTheSameBytesForAnyThreadCount(t *testing.T) {
	x := make([]float32, 100003)
	for i := range x {
		x[i] = float32(math.Sin(float64(i))) * 1e3
	}
	var want uint32
	for i, threads := range []int{1, 2, 7} {
		p := New(threads)
		got := math.Float32bits(sumChunked(p, x, 1000))
		p.Close()
		if i == 0 {
			want = got
		}
		require.Equal(t, want, got, "threads %d", threads)
	}
}

func TestNestedLoopRunsInline(t *testing.T) {
	p := New(2)
	defer p.Close()
	var n atomic.Int64
	p.For(4, 1, func(lo, hi int) {
		p.For(10, 3, func(lo, hi int) { n.Add(int64(hi - lo)) })
	})
	require.Equal(t, int64(40), n.Load())
}

func TestSetThreads(t *testing.T) {
	prev := SetThreads(3)
	defer SetThreads(prev)
	require.Equal(t, 3, Threads())
	var n atomic.Int64
	For(50, 4, func(lo, hi int) { n.Add(int64(hi - lo)) })
	require.Equal(t, int64(50), n.Load())
}

func TestForAllocatesNothingWithAPrebuiltClosure(t *testing.T) {
	p := New(2)
	defer p.Close()
	out := make([]float32, 4096)
	fill := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = float32(i)
		}
	}
	allocs := testing.AllocsPerRun(100, func() { p.For(len(out), 256, fill) })
	require.Zero(t, allocs)
}
