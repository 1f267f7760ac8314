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

// lstmBackwardAVX2 is lstmBackwardGo over units [0, n), n a multiple of
// 8, of a row whose gate blocks (in a and dG) are h floats apart; dcPrev
// may be nil (act_amd64.s).
//
//go:noescape
func lstmBackwardAVX2(a, dG, tc, cp, dh, dc, dcPrev *float32, h, n int)

// addAVX2 adds n floats of x into dst, n a multiple of 8 (act_amd64.s).
//
//go:noescape
func addAVX2(dst, x *float32, n int)

// lstmCellAVX2 sets c[j] = (f·cp) + (i·g) for j < n, n a multiple of 8,
// with i, f, g the blocks of a, h floats apart (act_amd64.s).
//
//go:noescape
func lstmCellAVX2(c, a, cp *float32, h, n int)

// mulAVX2 sets dst[j] = x[j]·y[j] for j < n, n a multiple of 8.
//
//go:noescape
func mulAVX2(dst, x, y *float32, n int)

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

// lstmBackwardVector runs lstmBackwardAVX2 on the groups of eight units of
// a row and returns how many units it did.
func lstmBackwardVector(dG, dcPrev, a, tc, cp, dh, dc []float32) int {
	H := len(dh)
	n := H &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	_, _, _, _, _ = a[4*H-1], dG[4*H-1], tc[H-1], cp[H-1], dc[H-1]
	var prev *float32
	if dcPrev != nil {
		prev = &dcPrev[:H][0]
	}
	lstmBackwardAVX2(&a[0], &dG[0], &tc[0], &cp[0], &dh[0], &dc[0], prev, H, n)
	return n
}

// addTo adds x into dst.
func addTo(dst, x []float32) {
	x = x[:len(dst)]
	n := 0
	if hasAVX2 {
		n = len(dst) &^ 7
		if n > 0 {
			addAVX2(&dst[0], &x[0], n)
		}
	}
	for j := n; j < len(dst); j++ {
		dst[j] += x[j]
	}
}

// lstmCellVector runs lstmCellAVX2 on the groups of eight units and
// returns how many it did.
func lstmCellVector(c, a, cp []float32) int {
	H := len(c)
	n := H &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	_, _ = a[3*H-1], cp[H-1]
	lstmCellAVX2(&c[0], &a[0], &cp[0], H, n)
	return n
}

// mulVector runs mulAVX2 on the groups of eight and returns how many it
// did.
func mulVector(dst, x, y []float32) int {
	n := len(dst) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	_, _ = x[len(dst)-1], y[len(dst)-1]
	mulAVX2(&dst[0], &x[0], &y[0], n)
	return n
}
