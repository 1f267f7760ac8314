//go:build !noasm

package kernels

// The vector kernels take a vector whose arrays hold a lane x with
// 0 < |x| < tiny (float32 bits) the slow way, in float64, where no
// subnormal costs a microcode assist (optim_amd64.s's header); both ways
// give the Go loop's bits.

// smallBits is the vector kernels' tiny, 2^-50: with larger (or zero)
// inputs, no product, quotient or root of the updates comes near the
// subnormals for the coefficients of training (1-β2 = 0.001, step sizes
// above 1e-12); with smaller ones it might. Tests change it to run either
// way on any data.
var smallBits uint32 = 0x26800000

// adamAVX512 is adamGo on elements [0, n) in AVX-512F, n a positive
// multiple of 16 (optim_amd64.s), flags 1 for c.WeightDecay:
//
//	for j := 0; j < n; j++ {
//		gj := grad[j]
//		if flags&1 != 0 {
//			p[j] *= decay
//			gj += float32(wd * p[j])
//		}
//		m[j] = float32(b1*m[j]) + float32(c1*gj)
//		v[j] = float32(b2*v[j]) + float32(float32(c2*gj)*gj)
//		p[j] -= float32(alpha*m[j]) / (sqrt32(v[j]) + eps)
//	}
//
//go:noescape
func adamAVX512(n int, p, grad, m, v *float32, b1, c1, b2, c2, alpha, eps, decay, wd float32, tiny uint32, flags int)

// adamAVX2 is adamAVX512 on 8 lanes in AVX, n a positive multiple of 8.
//
//go:noescape
func adamAVX2(n int, p, grad, m, v *float32, b1, c1, b2, c2, alpha, eps, decay, wd float32, tiny uint32, flags int)

// rmspropAVX512 is rmspropGo on elements [0, n) in AVX-512F, n a positive
// multiple of 16, flags 1 for weight decay, 2 centered, 4 momentum (gAvg
// and buf are read only with their flags):
//
//	for j := 0; j < n; j++ {
//		gj := grad[j]
//		if flags&1 != 0 {
//			gj += float32(wd * p[j])
//		}
//		v[j] = float32(alpha*v[j]) + float32(float32(c*gj)*gj)
//		var s float32
//		if flags&2 != 0 {
//			gAvg[j] = float32(alpha*gAvg[j]) + float32(c*gj)
//			s = sqrt32(v[j]-float32(gAvg[j]*gAvg[j])) + eps
//		} else {
//			s = sqrt32(v[j]) + eps
//		}
//		if flags&4 != 0 {
//			buf[j] = float32(mu*buf[j]) + gj/s
//			p[j] -= float32(lr * buf[j])
//		} else {
//			p[j] -= float32(lr*gj) / s
//		}
//	}
//
//go:noescape
func rmspropAVX512(n int, p, grad, v, gAvg, buf *float32, alpha, c, eps, mu, wd, lr float32, tiny uint32, flags int)

// rmspropAVX2 is rmspropAVX512 on 8 lanes in AVX, n a positive multiple
// of 8.
//
//go:noescape
func rmspropAVX2(n int, p, grad, v, gAvg, buf *float32, alpha, c, eps, mu, wd, lr float32, tiny uint32, flags int)

// dqnRMSPropAVX512 is dqnRMSPropGo on elements [0, n) in AVX-512F, n a
// positive multiple of 16, flags 1 for momentum (delta is read only then):
//
//	for j := 0; j < n; j++ {
//		gj := grad[j]
//		nsq[j] = float32(rho*nsq[j]) + float32(float32(c*gj)*gj)
//		gAvg[j] = float32(rho*gAvg[j]) + float32(c*gj)
//		d := float32(neglr*gj) / sqrt32(nsq[j]-float32(gAvg[j]*gAvg[j])+eps)
//		if flags&1 != 0 {
//			d += float32(mu * delta[j])
//			delta[j] = d
//		}
//		p[j] += d
//	}
//
//go:noescape
func dqnRMSPropAVX512(n int, p, grad, nsq, gAvg, delta *float32, rho, c, eps, mu, neglr float32, tiny uint32, flags int)

// dqnRMSPropAVX2 is dqnRMSPropAVX512 on 8 lanes in AVX, n a positive
// multiple of 8.
//
//go:noescape
func dqnRMSPropAVX2(n int, p, grad, nsq, gAvg, delta *float32, rho, c, eps, mu, neglr float32, tiny uint32, flags int)

// sgdAVX512 is sgdGo on elements [0, n) in AVX-512F, n a positive multiple
// of 16, flags 1 for weight decay, 2 momentum, 4 the first step, 8
// Nesterov (4 and 8 only with 2; buf is read only with 2):
//
//	for j := 0; j < n; j++ {
//		gj := grad[j]
//		if flags&1 != 0 {
//			gj += float32(wd * p[j])
//		}
//		if flags&2 != 0 {
//			if flags&4 != 0 {
//				buf[j] = gj
//			} else {
//				buf[j] = float32(mu*buf[j]) + float32(damp*gj)
//			}
//			if flags&8 != 0 {
//				gj += float32(mu * buf[j])
//			} else {
//				gj = buf[j]
//			}
//		}
//		p[j] -= float32(lr * gj)
//	}
//
//go:noescape
func sgdAVX512(n int, p, grad, buf *float32, lr, wd, mu, damp float32, tiny uint32, flags int)

// sgdAVX2 is sgdAVX512 on 8 lanes in AVX, n a positive multiple of 8.
//
//go:noescape
func sgdAVX2(n int, p, grad, buf *float32, lr, wd, mu, damp float32, tiny uint32, flags int)

// vectorLanes returns the lanes of the optimizer kernels of the kernel in
// use: 16 (avx512), 8 (avx2) or 0 (go: no vector kernel).
func vectorLanes() int {
	switch active.Load().id {
	case kernelAVX512:
		return 16
	case kernelAVX2:
		return 8
	}
	return 0
}

// vectorPart returns the number of leading elements of n that the vector
// kernels of lanes lanes do: a multiple of lanes, 0 when there is none.
func vectorPart(n, lanes int) int {
	if lanes == 0 {
		return 0
	}
	return n &^ (lanes - 1)
}

// first returns the address of s[0], or of a placeholder for a nil s
// (the kernel's flags keep it from being read).
func first(s []float32, placeholder *float32) *float32 {
	if s == nil {
		return placeholder
	}
	return &s[0]
}

// flag returns bit when on is true.
func flag(on bool, bit int) int {
	if on {
		return bit
	}
	return 0
}

// adamVector runs the vector kernel of AdamStep on the leading elements
// and returns how many it did.
func adamVector(p, g, m, v []float32, c *AdamCoeffs) int {
	lanes := vectorLanes()
	n := vectorPart(len(p), lanes)
	if n == 0 {
		return 0
	}
	f := flag(c.WeightDecay, 1)
	if lanes == 16 {
		adamAVX512(n, &p[0], &g[0], &m[0], &v[0], c.B1, c.C1, c.B2, c.C2, c.Alpha, c.Eps, c.Decay, c.WD, smallBits, f)
	} else {
		adamAVX2(n, &p[0], &g[0], &m[0], &v[0], c.B1, c.C1, c.B2, c.C2, c.Alpha, c.Eps, c.Decay, c.WD, smallBits, f)
	}
	return n
}

// rmspropVector runs the vector kernel of RMSPropStep on the leading
// elements and returns how many it did.
func rmspropVector(p, g, v, gAvg, buf []float32, c *RMSPropCoeffs) int {
	lanes := vectorLanes()
	n := vectorPart(len(p), lanes)
	if n == 0 {
		return 0
	}
	f := flag(c.WD != 0, 1) | flag(gAvg != nil, 2) | flag(buf != nil, 4)
	a, b := first(gAvg, &p[0]), first(buf, &p[0])
	if lanes == 16 {
		rmspropAVX512(n, &p[0], &g[0], &v[0], a, b, c.Alpha, c.C, c.Eps, c.Mu, c.WD, c.LR, smallBits, f)
	} else {
		rmspropAVX2(n, &p[0], &g[0], &v[0], a, b, c.Alpha, c.C, c.Eps, c.Mu, c.WD, c.LR, smallBits, f)
	}
	return n
}

// dqnRMSPropVector runs the vector kernel of DQNRMSPropStep on the leading
// elements and returns how many it did.
func dqnRMSPropVector(p, g, nsq, gAvg, delta []float32, c *DQNRMSPropCoeffs) int {
	lanes := vectorLanes()
	n := vectorPart(len(p), lanes)
	if n == 0 {
		return 0
	}
	f := flag(delta != nil, 1)
	d := first(delta, &p[0])
	if lanes == 16 {
		dqnRMSPropAVX512(n, &p[0], &g[0], &nsq[0], &gAvg[0], d, c.Rho, c.C, c.Eps, c.Mu, -c.LR, smallBits, f)
	} else {
		dqnRMSPropAVX2(n, &p[0], &g[0], &nsq[0], &gAvg[0], d, c.Rho, c.C, c.Eps, c.Mu, -c.LR, smallBits, f)
	}
	return n
}

// sgdVector runs the vector kernel of SGDStep on the leading elements and
// returns how many it did.
func sgdVector(p, g, buf []float32, c *SGDCoeffs) int {
	lanes := vectorLanes()
	n := vectorPart(len(p), lanes)
	if n == 0 {
		return 0
	}
	momentum := buf != nil
	f := flag(c.WD != 0, 1) | flag(momentum, 2) | flag(momentum && c.First, 4) | flag(momentum && c.Nesterov, 8)
	b := first(buf, &p[0])
	if lanes == 16 {
		sgdAVX512(n, &p[0], &g[0], b, c.LR, c.WD, c.Mu, c.Damp, smallBits, f)
	} else {
		sgdAVX2(n, &p[0], &g[0], b, c.LR, c.WD, c.Mu, c.Damp, smallBits, f)
	}
	return n
}
