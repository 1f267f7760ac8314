package kernels

// packA packs rows [i, i+rows) and depth [pc, pc+kc) of alpha*op(A) into
// dst as one micro-panel of mr rows: dst[p*mr+r] = alpha*op(A)[i+r][pc+p],
// zero for r >= rows.
func packA(dst []float32, mr int, transA bool, a []float32, lda, i, rows, pc, kc int, alpha float32) {
	dst = dst[:kc*mr]
	if rows < mr {
		clear(dst)
	}
	if transA { // A is k x m: the mr floats of a k step are contiguous
		for p := 0; p < kc; p++ {
			src := a[(pc+p)*lda+i : (pc+p)*lda+i+rows]
			d := dst[p*mr : p*mr+rows]
			if alpha == 1 {
				copy(d, src)
				continue
			}
			for r, v := range src {
				d[r] = alpha * v
			}
		}
		return
	}
	for r := 0; r < rows; r++ {
		src := a[(i+r)*lda+pc : (i+r)*lda+pc+kc]
		for p, v := range src {
			dst[p*mr+r] = alpha * v
		}
	}
}

// packB packs columns [j, j+cols) and depth [pc, pc+kc) of op(B) into dst
// as one panel of nr columns: dst[p*nr+c] = op(B)[pc+p][j+c], zero for
// c >= cols.
func packB(dst []float32, nr int, transB bool, b []float32, ldb, j, cols, pc, kc int) {
	dst = dst[:kc*nr]
	if cols < nr {
		clear(dst)
	}
	if !transB { // B is k x n: the nr floats of a k step are contiguous
		for p := 0; p < kc; p++ {
			copy(dst[p*nr:p*nr+cols], b[(pc+p)*ldb+j:(pc+p)*ldb+j+cols])
		}
		return
	}
	for c := 0; c < cols; c++ {
		src := b[(j+c)*ldb+pc : (j+c)*ldb+pc+kc]
		for p, v := range src {
			dst[p*nr+c] = v
		}
	}
}
