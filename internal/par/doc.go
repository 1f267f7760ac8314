// Package par is arcade's one worker pool. Parallel loops are split into
// fixed chunks that depend only on the loop's size and grain, never on the
// number of threads, so every floating-point result is the same bytes at
// any --threads: each chunk writes its own outputs, and sums across chunks
// are added up by the caller in chunk order.
//
// Typical use, a row-parallel kernel with a per-chunk partial sum:
//
//	partial := make([]float32, par.Chunks(rows, 64))
//	par.For(rows, 64, func(lo, hi int) {
//		partial[lo/64] = sumRows(x, lo, hi)
//	})
//	total := float32(0)
//	for _, s := range partial { // chunk order: the same for any thread count
//		total += s
//	}
package par
