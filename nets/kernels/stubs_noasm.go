//go:build !amd64 || noasm

package kernels

// archKernels returns no assembly micro-kernels: this build has only the
// pure-Go one.
func archKernels() []*kernelInfo { return nil }

// peakLoop returns no FMA loop: the peak is unknown without assembly.
func peakLoop() (loop func(n int), flopsPerIter float64) { return nil, 0 }

// microKernel runs the pure-Go micro-kernel, the only one of this build.
func microKernel(_ kernelID, kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32) {
	sgemmGo(kc, a, b, ldb, c, ldc, beta)
}

// packAsm packs nothing: this build packs in Go.
func packAsm(kernelID, []float32, int, []float32, int, int, int, bool, float32) bool { return false }

// dotProducts runs the pure-Go dot-product kernel, the only one of this
// build.
func dotProducts(_ kernelID, k, rows int, a *[dotRows]*float32, b *[dotCols]*float32, out *[dotRows * dotCols]float32) {
	dotsGo(k, rows, a, b, out)
}
