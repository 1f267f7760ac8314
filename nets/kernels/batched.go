package kernels

import (
	"fmt"

	"github.com/arcadelab/arcade/internal/par"
)

// SgemmStrided computes batch products C_i = alpha*op(A_i)*op(B_i) +
// beta*C_i, where A_i starts at a[i*strideA], B_i at b[i*strideB] and C_i
// at c[i*strideC], each as in Sgemm (attention heads, batched matmul). The
// C_i must not overlap each other, A or B. Small products run side by side
// on the pool's threads, each on one; large ones one after the other, each
// on all of them. Either way each C_i is the same bytes as Sgemm's, at any
// number of threads.
func SgemmStrided(transA, transB bool, batch, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int) {
	if batch < 0 || strideA < 0 || strideB < 0 || strideC < 0 {
		panic(fmt.Sprintf("kernels: negative batch %d or stride (%d, %d, %d)", batch, strideA, strideB, strideC))
	}
	if batch == 0 {
		return
	}
	last := func(x []float32, stride int) []float32 { // the last matrix, for checkGemm
		if (batch-1)*stride > len(x) {
			panic(fmt.Sprintf("kernels: %d matrices %d apart do not fit in %d floats", batch, stride, len(x)))
		}
		return x[(batch-1)*stride:]
	}
	checkGemm(transA, transB, m, n, k, len(last(a, strideA)), lda, len(last(b, strideB)), ldb, len(last(c, strideC)), ldc)
	if m*n*k > parallelWork || batch == 1 {
		for i := 0; i < batch; i++ {
			Sgemm(transA, transB, m, n, k, alpha, a[i*strideA:], lda, b[i*strideB:], ldb, beta, c[i*strideC:], ldc)
		}
		return
	}
	j := batchJobs.get()
	j.transA, j.transB, j.m, j.n, j.k, j.alpha, j.beta = transA, transB, m, n, k, alpha, beta
	j.a, j.lda, j.strideA, j.b, j.ldb, j.strideB, j.c, j.ldc, j.strideC = a, lda, strideA, b, ldb, strideB, c, ldc, strideC
	// Each chunk of products holds about parallelWork multiply-adds.
	par.For(batch, max(1, parallelWork/max(1, m*n*k)), j.fn)
	j.a, j.b, j.c = nil, nil, nil
	batchJobs.put(j)
}

// batchJob is one SgemmStrided call on the pool; its fn is bound once, so
// that a call allocates nothing.
type batchJob struct {
	transA, transB            bool
	m, n, k                   int
	alpha, beta               float32
	a, b, c                   []float32
	lda, ldb, ldc             int
	strideA, strideB, strideC int
	fn                        func(lo, hi int)
}

// batchJobs holds the batched calls' states between calls.
var batchJobs = freeList[batchJob]{alloc: func() *batchJob {
	j := new(batchJob)
	j.fn = j.products
	return j
}}

// products computes products [lo, hi). Running inside the pool's loop,
// each Sgemm stays on this goroutine (par.For runs nested loops inline).
func (j *batchJob) products(lo, hi int) {
	for i := lo; i < hi; i++ {
		Sgemm(j.transA, j.transB, j.m, j.n, j.k, j.alpha, j.a[i*j.strideA:], j.lda, j.b[i*j.strideB:], j.ldb, j.beta, j.c[i*j.strideC:], j.ldc)
	}
}
