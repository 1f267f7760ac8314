package kernels

import (
	"unsafe"

	"github.com/arcadelab/arcade/internal/par"
)

// The dot-product kernels compute up to dotRows x dotCols dot products of
// rows of A with rows of B (or of B^T) at a time.
const dotRows, dotCols = 4, 6

// useDots reports whether the product goes by dot products of A's rows
// with op(B)'s columns instead of the packed GEMM. A must not be
// transposed, so that its rows are contiguous, and op(B)'s columns must be
// cheap to get: op(B) has at most dotCols columns (a network's head: B^T is
// small to pack, while packing A would cost more than the product), or
// op(B) is B^T, whose columns are B's rows, and A has few rows (a Linear
// layer's forward on a small batch): packing B^T for the GEMM kernel then
// costs more than the dot products' final sums. The bounds were measured
// with the AVX-512 kernels on layers of 512 to 3136 inputs (BENCHMARKS.md):
// at 8 and 16 rows the dot products run 1.4x to 2.7x as fast; at 32 and 64
// rows they win only when k is at least 768.
func useDots(kern *kernelInfo, transA, transB bool, m, n, k int) bool {
	if !kern.dots || transA {
		return false
	}
	return n <= dotCols || transB && (m <= 16 || m <= 64 && k >= 768)
}

// runDots computes the product by dot products, dotRows x dotCols of them
// per kernel call; each call is one unit of work, so the result does not
// depend on the number of threads.
func (g *gemm) runDots() {
	g.rowBlocks, g.colBlocks = ceilDiv(g.m, dotRows), ceilDiv(g.n, dotCols)
	g.bt, g.ldbt = g.b, g.ldb
	if !g.transB { // op(B)'s columns are B^T's rows: pack B^T, n x k
		g.bufB = grow(g.bufB, g.n*g.k)
		if !packAsm(g.kern.id, g.bufB, g.k, g.b, g.ldb, g.k, g.n, false, 1) {
			interleave(g.bufB, g.k, g.b, g.ldb, g.k, g.n, 1)
		}
		g.bt, g.ldbt = g.bufB, g.k
	}
	units := g.rowBlocks * g.colBlocks
	if g.m*g.n*g.k > parallelWork {
		par.For(units, ceilDiv(units, 4*minTasks), g.dotsFn)
	} else {
		g.dotUnits(0, units)
	}
}

// dotUnits runs units [lo, hi) of runDots: unit u is the block of rows
// u%rowBlocks and columns u/rowBlocks, so that consecutive units share the
// rows of op(B).
func (g *gemm) dotUnits(lo, hi int) {
	var a [dotRows]*float32
	var b [dotCols]*float32
	var out [dotRows * dotCols]float32
	for u := lo; u < hi; u++ {
		i0, j0 := u%g.rowBlocks*dotRows, u/g.rowBlocks*dotCols
		rows, cols := min(dotRows, g.m-i0), min(dotCols, g.n-j0)
		for i := 0; i < rows; i++ {
			a[i] = &g.a[(i0+i)*g.lda]
		}
		for j := 0; j < dotCols; j++ {
			b[j] = &g.bt[(j0+min(j, cols-1))*g.ldbt] // the last column again past the edge
		}
		dotProducts(g.kern.id, g.k, rows, &a, &b, &out)
		for i := 0; i < rows; i++ {
			ci := g.c[(i0+i)*g.ldc+j0 : (i0+i)*g.ldc+j0+cols]
			for j := range ci {
				v := g.alpha * out[i*dotCols+j]
				if g.beta != 0 {
					v += g.beta * ci[j]
				}
				ci[j] = v
			}
		}
	}
}

// dotsGo is the pure-Go dot-product kernel:
//
//	for i := 0; i < rows; i++ {
//		for j := 0; j < dotCols; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[i][p] * b[j][p]
//			}
//			out[i*dotCols+j] = s
//		}
//	}
//
// with each row of a and b holding k floats.
func dotsGo(k, rows int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32) {
	var bs [dotCols][]float32
	for j := range bs {
		bs[j] = unsafe.Slice(b[j], k)
	}
	for i := 0; i < rows; i++ {
		ai := unsafe.Slice(a[i], k)
		var s0, s1, s2, s3, s4, s5 float32
		b0, b1, b2, b3, b4, b5 := bs[0][:k], bs[1][:k], bs[2][:k], bs[3][:k], bs[4][:k], bs[5][:k]
		for p, v := range ai {
			s0 += v * b0[p]
			s1 += v * b1[p]
			s2 += v * b2[p]
			s3 += v * b3[p]
			s4 += v * b4[p]
			s5 += v * b5[p]
		}
		out[i*dotCols], out[i*dotCols+1], out[i*dotCols+2] = s0, s1, s2
		out[i*dotCols+3], out[i*dotCols+4], out[i*dotCols+5] = s3, s4, s5
	}
}
