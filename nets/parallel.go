package nets

import (
	"sync/atomic"

	"github.com/arcadelab/arcade/internal/par"
)

// The two knobs of Parallel, in elements. Tests lower them to run the
// parallel path on small tensors.
var (
	parallelMin   atomic.Int64 // work from which the pool is used
	parallelGrain atomic.Int64 // elements per chunk
)

func init() {
	parallelMin.Store(1 << 15)
	parallelGrain.Store(1 << 14) // 64 KiB of float32
}

// SetParallel sets the work size (in elements) from which Parallel uses the
// worker pool and the number of elements per chunk, and returns the
// previous values. Tests of ops in any package lower both to run the
// parallel path on small inputs and compare thread counts byte for byte;
// programs leave them alone.
func SetParallel(minElems, grainElems int) (prevMin, prevGrain int) {
	if minElems < 1 || grainElems < 1 {
		panic("nets: SetParallel wants positive sizes")
	}
	return int(parallelMin.Swap(int64(minElems))), int(parallelGrain.Swap(int64(grainElems)))
}

// Chunk returns the chunk size, in units of unit elements each (a row of
// unit floats, say), that Parallel uses: at least 1.
func Chunk(unit int) int { return max(1, int(parallelGrain.Load())/max(unit, 1)) }

// Parallel calls fn(lo, hi) for the chunks [0, c), [c, 2c), ... of [0, n)
// units, c = Chunk(unit), where a unit is unit elements of work (1 for an
// elementwise kernel, the row width for a row-wise one). The chunks run in
// order on the caller's goroutine when the work n*unit is small, on the
// worker pool (internal/par, sized by --threads) otherwise. The chunks are
// the same either way, so a kernel whose chunks write disjoint outputs, and
// whose cross-chunk sums are added in chunk order (partial[lo/c]), gives
// the same bytes at any thread count.
//
// fn escapes: in an op that must not allocate, build the closure once (a
// field of the op struct, set when the struct is new), not on every call.
func Parallel(n, unit int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	c := Chunk(unit)
	if int64(n)*int64(max(unit, 1)) < parallelMin.Load() || n <= c {
		for lo := 0; lo < n; lo += c {
			fn(lo, min(lo+c, n))
		}
		return
	}
	par.For(n, c, fn)
}

// chunks returns the number of chunks Parallel splits n units into.
func chunks(n, unit int) int { return par.Chunks(n, Chunk(unit)) }
