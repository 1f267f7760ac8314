//go:build !noasm

package kernels

import "golang.org/x/sys/cpu"

// sgemmAVX512 is the AVX-512F micro-kernel (sgemm_avx512_amd64.s): for a
// 12 x 32 tile of C and a packed panel a of A (12 floats per k step),
//
//	for i := 0; i < 12; i++ {
//		for j := 0; j < 32; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += a[p*12+i] * b[p*ldb+j] // fused multiply-add
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j] // fused
//			}
//		}
//	}
//
// with kc >= 1; a holds kc*12 floats, b (kc-1)*ldb+32, c 11*ldc+32.
//
//go:noescape
func sgemmAVX512(kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// sgemmAVX512Half is sgemmAVX512 for a 12 x 16 tile, one vector a row,
// for the last panel of C where it has at most 16 columns:
//
//	for i := 0; i < 12; i++ {
//		for j := 0; j < 16; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += a[p*12+i] * b[p*ldb+j] // fused multiply-add
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j] // fused
//			}
//		}
//	}
//
//go:noescape
func sgemmAVX512Half(kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// sgemmAVX2 is the AVX2+FMA3 micro-kernel (sgemm_avx2_amd64.s): for a
// 6 x 16 tile of C and a packed panel a of A (6 floats per k step),
//
//	for i := 0; i < 6; i++ {
//		for j := 0; j < 16; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += a[p*6+i] * b[p*ldb+j] // fused multiply-add
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j] // fused
//			}
//		}
//	}
//
// with kc >= 1; a holds kc*6 floats, b (kc-1)*ldb+16, c 5*ldc+16.
//
//go:noescape
func sgemmAVX2(kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// sgemmAVX2Half is sgemmAVX2 for a 6 x 8 tile, one vector a row, for the
// last panel of C where it has at most 8 columns:
//
//	for i := 0; i < 6; i++ {
//		for j := 0; j < 8; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += a[p*6+i] * b[p*ldb+j] // fused multiply-add
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j] // fused
//			}
//		}
//	}
//
//go:noescape
func sgemmAVX2Half(kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// fmaPeakAVX512 runs n iterations of 28 independent 16-lane FMAs:
//
//	for ; n > 0; n-- {
//		for r := 0; r < 28; r++ {
//			acc[r] += x * y // 16 lanes
//		}
//	}
func fmaPeakAVX512(n int)

// fmaPeakAVX2 runs n iterations of 12 independent 8-lane FMAs:
//
//	for ; n > 0; n-- {
//		for r := 0; r < 12; r++ {
//			acc[r] += x * y // 8 lanes
//		}
//	}
func fmaPeakAVX2(n int)

// copyPanelAVX512 copies kc rows of w <= 32 floats, ld apart, into rows
// of dstW <= 32 floats, scaled, zero-filled (sgemm_avx512_amd64.s):
//
//	for p := 0; p < kc; p++ {
//		for c := 0; c < dstW; c++ {
//			dst[p*dstW+c] = 0
//			if c < w {
//				dst[p*dstW+c] = alpha * src[p*ld+c]
//			}
//		}
//	}
//
// with kc >= 1. It reads only the w floats of each row.
//
//go:noescape
func copyPanelAVX512(dst *float32, dstW int, src *float32, ld, w, kc int, alpha float32)

// interleaveAVX512 transposes rows <= 16 rows of kc floats, ld apart, into
// kc rows of dstW floats of which it writes the first lanes <= 16
// (sgemm_avx512_amd64.s):
//
//	for p := 0; p < kc; p++ {
//		for r := 0; r < lanes; r++ {
//			dst[p*dstW+r] = 0
//			if r < rows {
//				dst[p*dstW+r] = alpha * src[r*ld+p]
//			}
//		}
//	}
//
// with kc >= 1. It reads only the kc floats of each of the rows.
//
//go:noescape
func interleaveAVX512(dst *float32, dstW, lanes int, src *float32, ld, rows, kc int, alpha float32)

// dots1x6AVX512 .. dots4x6AVX512 are the AVX-512 dot-product kernels
// (sgemm_avx512_amd64.s): for N = 1..4 rows of A,
//
//	for i := 0; i < N; i++ {
//		for j := 0; j < 6; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[i][p] * b[j][p] // in 16 lanes, added up at the end
//			}
//			out[i*6+j] = s
//		}
//	}
//
// with each row of a and b holding k floats.
//
//go:noescape
func dots1x6AVX512(k int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32)

//go:noescape
func dots2x6AVX512(k int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32)

//go:noescape
func dots3x6AVX512(k int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32)

//go:noescape
func dots4x6AVX512(k int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32)

// dotProducts runs the dot-product kernel of kernel id on rows rows of A
// (see dotsGo for the semantics).
func dotProducts(id kernelID, k, rows int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32) {
	if id != kernelAVX512 {
		dotsGo(k, rows, a, b, out)
		return
	}
	switch rows {
	case 1:
		dots1x6AVX512(k, a, b, out)
	case 2:
		dots2x6AVX512(k, a, b, out)
	case 3:
		dots3x6AVX512(k, a, b, out)
	default:
		dots4x6AVX512(k, a, b, out)
	}
}

// hasAVX512Packing says whether the packing routines of the AVX-512 kernel
// can run: they also use BMI2 for their masks.
var hasAVX512Packing = cpu.X86.HasAVX512F && cpu.X86.HasBMI2

// packAsm packs a micro-panel of op(A) or a panel of op(B) with the
// AVX-512 routines when kernel id is the AVX-512 one, and reports whether
// it did: dst[p*width+r] = alpha*src[r*rowStep + p*kStep] for r < rows, zero
// for rows <= r < width, p < kc, where one of rowStep and kStep is 1 and the
// other is ld.
func packAsm(id kernelID, dst []float32, width int, src []float32, ld, rows, kc int, rowsContiguous bool, alpha float32) bool {
	if id != kernelAVX512 || !hasAVX512Packing {
		return false
	}
	if rowsContiguous { // the width floats of a k step are contiguous: copy rows
		copyPanelAVX512(&dst[0], width, &src[0], ld, rows, kc, alpha)
		return true
	}
	for r0 := 0; r0 < width; r0 += 16 { // transpose 16 rows at a time
		lanes := min(16, width-r0)
		n := max(0, min(lanes, rows-r0))
		s := &src[0]
		if n > 0 {
			s = &src[r0*ld]
		}
		interleaveAVX512(&dst[r0], width, lanes, s, ld, n, kc, alpha)
	}
	return true
}

// archKernels returns the assembly micro-kernels this CPU supports, fastest
// first.
func archKernels() []*kernelInfo {
	var ks []*kernelInfo
	if cpu.X86.HasAVX512F {
		ks = append(ks, newKernelInfo(kernelAVX512, kernelAVX512Half, "avx512", 12, 32, hasAVX512Packing))
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, newKernelInfo(kernelAVX2, kernelAVX2Half, "avx2", 6, 16, false))
	}
	return ks
}

// peakLoop returns the widest FMA loop this CPU runs and the float32
// operations of one of its iterations (2 per lane per FMA), or nil.
func peakLoop() (loop func(n int), flopsPerIter float64) {
	switch {
	case cpu.X86.HasAVX512F:
		return fmaPeakAVX512, 28 * 16 * 2
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return fmaPeakAVX2, 12 * 8 * 2
	}
	return nil, 0
}

// microKernel runs kernel id on one tile (see sgemmGo for the semantics).
func microKernel(id kernelID, kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32) {
	switch id {
	case kernelAVX512:
		sgemmAVX512(kc, a, b, ldb, c, ldc, beta)
	case kernelAVX512Half:
		sgemmAVX512Half(kc, a, b, ldb, c, ldc, beta)
	case kernelAVX2:
		sgemmAVX2(kc, a, b, ldb, c, ldc, beta)
	case kernelAVX2Half:
		sgemmAVX2Half(kc, a, b, ldb, c, ldc, beta)
	default:
		sgemmGo(kc, a, b, ldb, c, ldc, beta)
	}
}
