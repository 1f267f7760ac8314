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

// archKernels returns the assembly micro-kernels this CPU supports, fastest
// first.
func archKernels() []*kernelInfo {
	var ks []*kernelInfo
	if cpu.X86.HasAVX512F {
		ks = append(ks, newKernelInfo(kernelAVX512, "avx512", 12, 32))
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, newKernelInfo(kernelAVX2, "avx2", 6, 16))
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
	case kernelAVX2:
		sgemmAVX2(kc, a, b, ldb, c, ldc, beta)
	default:
		sgemmGo(kc, a, b, ldb, c, ldc, beta)
	}
}
