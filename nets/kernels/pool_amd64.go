//go:build !noasm

package kernels

// maxPoolAVX512 is MaxPool2x2's loop in AVX-512F (pool_amd64.s), rows and
// n positive, 16 outputs a step (the last partial step under masks).
//
//go:noescape
func maxPoolAVX512(y, x *float32, rows, w, n int)

// maxPoolBackwardAVX512 is MaxPool2x2Backward's loop in AVX-512F
// (pool_amd64.s), rows and n positive, 16 outputs a step.
//
//go:noescape
func maxPoolBackwardAVX512(dx, x, dy *float32, rows, w, n int)

// maxPoolAsm runs maxPoolAVX512 where the CPU has AVX-512F and reports
// whether it did.
func maxPoolAsm(y, x *float32, rows, w, n int) bool {
	if !rowsAVX512 {
		return false
	}
	maxPoolAVX512(y, x, rows, w, n)
	return true
}

// maxPoolBackwardAsm runs maxPoolBackwardAVX512 where the CPU has AVX-512F
// and reports whether it did.
func maxPoolBackwardAsm(dx, x, dy *float32, rows, w, n int) bool {
	if !rowsAVX512 {
		return false
	}
	maxPoolBackwardAVX512(dx, x, dy, rows, w, n)
	return true
}
