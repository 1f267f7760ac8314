package kernels

import (
	"fmt"

	"github.com/arcadelab/arcade/internal/par"
)

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(A) is m x k and op(B) is k x n, and C is m x n with leading
// dimension ldc. Without transA, A is m x k with lda >= k; with it, A is
// k x m with lda >= m, and likewise for B. When beta is 0, C is not read
// (NaN in C does not propagate), as in BLAS.
//
// The result for each element of C is computed in the same order whatever
// the number of threads, so it is the same bytes at any --threads.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	rows := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ci := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(ci)
			} else if beta != 1 {
				for j := range ci {
					ci[j] *= beta
				}
			}
			for p := 0; p < k; p++ {
				var aip float32
				if transA {
					aip = a[p*lda+i]
				} else {
					aip = a[i*lda+p]
				}
				aip *= alpha
				if aip == 0 {
					continue
				}
				if transB {
					for j := range ci {
						ci[j] += aip * b[j*ldb+p]
					}
				} else {
					bp := b[p*ldb : p*ldb+n]
					for j := range ci {
						ci[j] += aip * bp[j]
					}
				}
			}
		}
	}
	if m*n*k < 1<<16 {
		rows(0, m)
		return
	}
	par.For(m, 16, rows)
}

// checkGemm panics with a kernels: message when the sizes do not fit.
func checkGemm(transA, transB bool, m, n, k, la, lda, lb, ldb, lc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels: negative size m=%d n=%d k=%d", m, n, k))
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	check := func(name string, rows, cols, l, ld int) {
		if rows == 0 || cols == 0 {
			return
		}
		if ld < cols {
			panic(fmt.Sprintf("kernels: ld%s %d < %d columns", name, ld, cols))
		}
		if l < (rows-1)*ld+cols {
			panic(fmt.Sprintf("kernels: %s has %d elements, want at least %d for %d x %d with ld %d", name, l, (rows-1)*ld+cols, rows, cols, ld))
		}
	}
	check("a", ar, ac, la, lda)
	check("b", br, bc, lb, ldb)
	check("c", m, n, lc, ldc)
}
