//go:build !noasm

package rnn

import "golang.org/x/sys/cpu"

// sigmoidsAVX2 is sigmoidsGo over n floats at x, n a multiple of 8, eight
// lanes at a time in AVX2 and FMA3 (act_amd64.s):
//
//	for i := 0; i < n; i++ {
//		x[i] = sigmoid32(x[i]) // with fused multiply-adds
//	}
//
//go:noescape
func sigmoidsAVX2(x *float32, n int)

// tanhsAVX2 is tanhsGo over n floats at x, n a multiple of 8:
//
//	for i := 0; i < n; i++ {
//		x[i] = tanh32(x[i]) // with fused multiply-adds
//	}
//
//go:noescape
func tanhsAVX2(x *float32, n int)

// hasAVX2 says whether the vector kernels can run.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sigmoids sets x[i] = σ(x[i]).
func sigmoids(x []float32) {
	if !hasAVX2 {
		sigmoidsGo(x)
		return
	}
	n := len(x) &^ 7
	if n > 0 {
		sigmoidsAVX2(&x[0], n)
	}
	if n < len(x) { // the last partial group through a buffer, on the same path
		var buf [8]float32
		copy(buf[:], x[n:])
		sigmoidsAVX2(&buf[0], 8)
		copy(x[n:], buf[:])
	}
}

// tanhs sets x[i] = tanh(x[i]).
func tanhs(x []float32) {
	if !hasAVX2 {
		tanhsGo(x)
		return
	}
	n := len(x) &^ 7
	if n > 0 {
		tanhsAVX2(&x[0], n)
	}
	if n < len(x) {
		var buf [8]float32
		copy(buf[:], x[n:])
		tanhsAVX2(&buf[0], 8)
		copy(x[n:], buf[:])
	}
}
