//go:build !noasm

package kernels

import "golang.org/x/sys/cpu"

// rowsAVX512 says whether the CPU runs the AVX-512 row copies.
var rowsAVX512 = cpu.X86.HasAVX512F

// copyRowsAVX512 is copyRows's loop in AVX-512F (im2col_amd64.s): for
// b < blocks, r < rows and j < n, dst[b*dstBlock+r*dstStride+j] =
// src[b*srcBlock+r*srcStride+j*step], by vector moves when step is 1,
// permutes of 2 or 4 vectors when it is 2 or 4, gathers otherwise.
//
//go:noescape
func copyRowsAVX512(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int)

// addRowsAVX512 is addRows's loop in AVX-512F (im2col_amd64.s): for
// b < blocks, r < rows and j < n, dst[b*dstBlock+r*dstStride+j*step] +=
// src[b*srcBlock+r*srcStride+j], by vector adds when step is 1, adds
// under the mask of the even lanes when it is 2, gathers and scatters
// otherwise (the n elements of a row are distinct, so a scatter never
// overlaps itself).
//
//go:noescape
func addRowsAVX512(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int)

// copyRowsAsm runs copyRowsAVX512 where the CPU has AVX-512F and reports
// whether it did.
func copyRowsAsm(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int) bool {
	if !rowsAVX512 {
		return false
	}
	copyRowsAVX512(dst, src, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step)
	return true
}

// addRowsAsm runs addRowsAVX512 where the CPU has AVX-512F and reports
// whether it did.
func addRowsAsm(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int) bool {
	if !rowsAVX512 {
		return false
	}
	addRowsAVX512(dst, src, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step)
	return true
}
