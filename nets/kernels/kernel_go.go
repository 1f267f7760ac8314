package kernels

import "unsafe"

// The pure-Go micro-kernel's tile: 16 accumulators stay in registers.
const (
	goMR = 4
	goNR = 4
)

// sgemmGo is the pure-Go micro-kernel: for a 4 x 4 tile,
//
//	for i := 0; i < 4; i++ {
//		for j := 0; j < 4; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += a[p*4+i] * b[p*ldb+j]
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j]
//			}
//		}
//	}
//
// with kc >= 1; a holds kc*4 floats, b (kc-1)*ldb+4, c 3*ldc+4.
func sgemmGo(kc int, a, b *float32, ldb int, c *float32, ldc int, beta float32) {
	as := unsafe.Slice(a, kc*goMR)
	bs := unsafe.Slice(b, (kc-1)*ldb+goNR)
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	for p := 0; p < kc; p++ {
		ap := as[p*goMR : p*goMR+goMR : p*goMR+goMR]
		bp := bs[p*ldb : p*ldb+goNR : p*ldb+goNR]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	cs := unsafe.Slice(c, 3*ldc+goNR)
	tile := [goMR][goNR]float32{
		{c00, c01, c02, c03},
		{c10, c11, c12, c13},
		{c20, c21, c22, c23},
		{c30, c31, c32, c33},
	}
	for i := range tile {
		row := cs[i*ldc : i*ldc+goNR : i*ldc+goNR]
		for j, s := range tile[i] {
			if beta != 0 {
				s += beta * row[j]
			}
			row[j] = s
		}
	}
}
