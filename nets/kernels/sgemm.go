package kernels

import (
	"fmt"
)

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(A) is m x k and op(B) is k x n, and C is m x n with leading
// dimension ldc. Without transA, A is m x k with lda >= k; with it, A is
// k x m with lda >= m, and likewise for B. When beta is 0, C is not read
// (NaN in C does not propagate), as in BLAS. C must not overlap A or B.
// Sgemm is safe to call from several goroutines at once.
//
// The result for each element of C is computed in the same order whatever
// the number of threads, so it is the same bytes at any --threads.
//
// How: the packed, cache-blocked GEMM of Goto and van de Geijn ("Anatomy
// of high-performance matrix multiplication", ACM TOMS 34(3), 2008). Panels
// of alpha*op(A) (mr rows) and op(B) (nr columns) are packed so that the
// micro-kernel (see Kernel) reads both sequentially; the k loop is split
// into blocks of a depth fixed by the shape and the cache sizes; C is split
// into tasks of whole mr x nr tiles, each tile computed by one task, so the
// thread count decides only which goroutine computes a tile. Small products
// skip the threads; where op(B) is B itself, the kernel reads it in place
// when few rows reuse it or its rows are close; narrow products and small
// batches against B^T go by dot products (see useDots).
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	g := gemms.get()
	g.run(active.Load(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	gemms.put(g)
}

// scaleC sets C = beta*C, or C = 0 without reading it when beta is 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(ci)
		case 1:
		default:
			for j := range ci {
				ci[j] *= beta
			}
		}
	}
}

// Limits of the plan; see gemm.run.
const (
	// parallelWork is the m*n*k above which a product runs on the pool's
	// threads; below it waking the workers costs about what it saves.
	// Measured with 2 threads on an idle machine: 0.9x at 96x96x96, 1.1x
	// to 1.25x at 32x256x128 to 128x128x128; but 0.8x to 0.95x at
	// 128x128x128 in arcade bench runs, as the workers' wake-up time varies.
	// So products of more than 2M multiply-adds (25 us on one core) only.
	parallelWork = 1 << 21
	// minTasks is how many tasks a parallel product is split into at least,
	// so that two or more threads stay balanced.
	minTasks = 8
	// When op(B) is B, the kernel reads it in place, unpacked, if A has at
	// most inPlaceRowPanels row panels (of mr rows: B is used too few times
	// for its packing to pay), or if B's rows are at most inPlaceStride
	// bytes apart. Rows further apart cross pages, and rows a multiple of
	// 4 KiB apart fall into few cache sets and evict each other: measured
	// (AVX-512, one thread), in-place B gains 3 to 20% on 128x128x128 to
	// 768x768x768 and loses up to half on 1024x1024x1024 and
	// 2048x2048x2048.
	inPlaceRowPanels = 4
	inPlaceStride    = 3 << 10
	// maxMR and maxNR bound the tile of any micro-kernel.
	maxMR, maxNR = 12, 32
)

// gemm is one Sgemm call in progress: its operands, its plan and its
// packing buffers. A pool keeps them, so that a steady stream of calls
// allocates nothing.
type gemm struct {
	kern           *kernelInfo
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int

	// The plan, from the shape and the kernel only.
	kc, nk   int  // k is split evenly into nk blocks of depth kc (the last one shallower) of at most blocks.kc
	passK    int  // k blocks per pass
	packB    bool // pack op(B); otherwise read B in place (only the partial last panel is packed)
	parallel bool // run the phases on the pool
	passCols int  // columns of C per pass (packed B at most blocks.maxPacked floats)
	passRows int  // rows of C per pass (packed A at most blocks.maxPacked floats)

	// The current pass: rows [ic, ic+mc) and columns [jc, jc+nc) of C,
	// mp row panels of mr and np column panels of nr, k blocks [kb0, kb1),
	// and whether its B still has to be packed (only on the first row pass
	// of a column pass and k pass).
	ic, mc, jc, nc, mp, np, kb0, kb1 int
	needB                            bool

	// The current pass's tasks: rowTasks x colTasks rectangles of
	// taskRows x taskCols tiles; with ownA, each task packs the A panels it
	// alone uses, right before using them.
	taskRows, taskCols, rowTasks, colTasks int
	ownA                                   bool

	// Packed A of the pass: for its b-th k block, mp micro-panels of
	// mr x kc, panel i at (b*mp+i)*mr*kc. Packed B: for each k block, np
	// panels of kc x nr at (b*np+j)*nr*kc, or only the partial last one, at
	// b*nr*kc, when B is read in place; or B^T for runDots.
	bufA, bufB []float32

	// The dot-product path (runDots): op(B)'s columns as rows ldbt apart,
	// and the blocks of dotRows x dotCols products.
	bt                   []float32
	ldbt                 int
	rowBlocks, colBlocks int

	packFn, taskFn, dotsFn func(lo, hi int) // the phases, bound once for par.For
}

// gemms holds the products' states and packing buffers between calls.
var gemms = freeList[gemm]{alloc: newGemm}

func newGemm() *gemm {
	g := new(gemm)
	g.packFn, g.taskFn, g.dotsFn = g.pack, g.tasks, g.dotUnits
	return g
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// run computes the product with kernel kern; see Sgemm.
//
// The loops, outermost first: passes over C's columns, over k blocks (as
// many as fit in blocks.passFloats: all of k for mid-size products) and
// over C's rows, bounded by the packing buffers; one pass for most
// products. For each pass, at most one phase packs the panels that tasks
// share, and one runs the tasks (pass, blocked.go), each computing its
// rectangle of C: for each k block, for each of its row panels, for each
// of its column panels, the micro-kernel. Few phases per product keep the
// pool's workers from going back to sleep.
func (g *gemm) run(kern *kernelInfo, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	*g = gemm{kern: kern, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
		bufA: g.bufA, bufB: g.bufB, packFn: g.packFn, taskFn: g.taskFn, dotsFn: g.dotsFn}
	defer g.release()
	if useDots(kern, transA, transB, m, n, k) {
		g.runDots()
		return
	}
	mr, nr, bl := kern.mr, kern.nr, kern.blocks
	g.nk = ceilDiv(k, bl.kc)
	g.kc = ceilDiv(k, g.nk)
	g.passK = min(g.nk, max(1, bl.passFloats/((m+n)*g.kc)))
	g.parallel = m*n*k > parallelWork
	g.packB = transB || ceilDiv(m, mr) > inPlaceRowPanels && 4*ldb > inPlaceStride
	depth := g.passK * g.kc // of a pass's packed panels
	g.passCols = n
	if g.packB {
		step := bl.ncPanels * nr
		g.passCols = min(n, max(step, bl.maxPacked/depth/step*step))
	}
	g.passRows = min(m, max(mr, bl.maxPacked/depth/mr*mr))
	g.bufA = grow(g.bufA, ceilDiv(g.passRows, mr)*mr*depth)
	if g.packB {
		g.bufB = grow(g.bufB, ceilDiv(g.passCols, nr)*nr*depth)
	} else {
		g.bufB = grow(g.bufB, nr*depth)
	}
	for g.jc = 0; g.jc < n; g.jc += g.passCols {
		g.nc = min(g.passCols, n-g.jc)
		for g.kb0 = 0; g.kb0 < g.nk; g.kb0 += g.passK {
			g.kb1 = min(g.kb0+g.passK, g.nk)
			g.needB = true
			for g.ic = 0; g.ic < m; g.ic += g.passRows {
				g.mc = min(g.passRows, m-g.ic)
				g.pass()
				g.needB = false
			}
		}
	}
}

// release drops the references to the caller's matrices, so that the pool
// does not keep them alive.
func (g *gemm) release() { g.a, g.b, g.c, g.bt = nil, nil, nil, nil }

// grow returns buf with room for n floats.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
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
