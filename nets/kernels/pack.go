package kernels

// packA packs rows [i, i+rows) and depth [pc, pc+kc) of alpha*op(A) into
// dst as one micro-panel of mr rows: dst[p*mr+r] = alpha*op(A)[i+r][pc+p],
// zero for r >= rows.
func packA(id kernelID, dst []float32, mr int, transA bool, a []float32, lda, i, rows, pc, kc int, alpha float32) {
	dst = dst[:kc*mr]
	if transA && packAsm(id, dst, mr, a[pc*lda+i:], lda, rows, kc, true, alpha) ||
		!transA && packAsm(id, dst, mr, a[i*lda+pc:], lda, rows, kc, false, alpha) {
		return
	}
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
	interleave(dst, mr, a[i*lda+pc:], lda, rows, kc, alpha)
}

// packB packs columns [j, j+cols) and depth [pc, pc+kc) of op(B) into dst
// as one panel of nr columns: dst[p*nr+c] = op(B)[pc+p][j+c], zero for
// c >= cols.
func packB(id kernelID, dst []float32, nr int, transB bool, b []float32, ldb, j, cols, pc, kc int) {
	dst = dst[:kc*nr]
	if transB && packAsm(id, dst, nr, b[j*ldb+pc:], ldb, cols, kc, false, 1) ||
		!transB && packAsm(id, dst, nr, b[pc*ldb+j:], ldb, cols, kc, true, 1) {
		return
	}
	if cols < nr {
		clear(dst)
	}
	if transB {
		interleave(dst, nr, b[j*ldb+pc:], ldb, cols, kc, 1)
		return
	}
	// B is k x n: the nr floats of a k step are contiguous
	for p := 0; p < kc; p++ {
		copy(dst[p*nr:p*nr+cols], b[(pc+p)*ldb+j:(pc+p)*ldb+j+cols])
	}
}

// interleave sets dst[p*stride+r] = alpha*src[r*ld+p] for r < rows and
// p < kc: it transposes rows of length kc into the k steps of a panel.
// Four rows at a time, so that each k step's four floats are stored
// together.
func interleave(dst []float32, stride int, src []float32, ld, rows, kc int, alpha float32) {
	r := 0
	for ; r+4 <= rows; r += 4 {
		s0 := src[r*ld : r*ld+kc]
		s1 := src[(r+1)*ld : (r+1)*ld+kc]
		s2 := src[(r+2)*ld : (r+2)*ld+kc]
		s3 := src[(r+3)*ld : (r+3)*ld+kc]
		for p := range s0 {
			d := dst[p*stride+r : p*stride+r+4 : p*stride+r+4]
			d[0] = alpha * s0[p]
			d[1] = alpha * s1[p]
			d[2] = alpha * s2[p]
			d[3] = alpha * s3[p]
		}
	}
	for ; r < rows; r++ {
		for p, v := range src[r*ld : r*ld+kc] {
			dst[p*stride+r] = alpha * v
		}
	}
}
