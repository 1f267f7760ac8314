package kernels

import (
	"sync"
	"time"
)

var (
	peakOnce sync.Once
	peak     float64
)

// PeakGFLOPS returns the float32 FMA peak of one core in GFLOP/s, measured
// once (about 50 ms, on the calling goroutine): the best rate of a loop of
// independent fused multiply-adds on the widest vectors the CPU has (28
// AVX-512 accumulators, or 12 AVX2 ones, enough to cover the FMA latency on
// two ports), counting 2 FLOPs per lane. It returns 0 where no assembly
// loop exists (noasm builds, other architectures).
func PeakGFLOPS() float64 {
	peakOnce.Do(func() { peak = measurePeak() })
	return peak
}

func measurePeak() float64 {
	loop, flopsPerIter := peakLoop()
	if loop == nil {
		return 0
	}
	const iters = 1 << 18 // 0.5 to 2 ms a run on a 2-3 GHz core
	loop(iters)           // bring the vector units to full speed
	best := 0.0
	for r := 0; r < 20; r++ {
		start := time.Now()
		loop(iters)
		if g := iters * flopsPerIter / float64(time.Since(start).Nanoseconds()); g > best {
			best = g
		}
	}
	return best
}
