package kernels

import (
	"fmt"
	"math"
)

// MaxPool2x2 writes into y [rows, n] the maximum of each 2x2 window of x,
// rows of w floats: output row r pools x's rows 2r and 2r+1, column j
// their columns 2j and 2j+1 (2n <= w). A window holding a NaN pools to a
// NaN (bits 0x7fffffff), as PyTorch's max pooling gives a NaN; among the
// others -0 < +0. Planes of an even height follow each other as further
// rows, so one call pools a run of whole planes.
func MaxPool2x2(y, x []float32, rows, w, n int) {
	checkPool("MaxPool2x2", len(x), len(y), rows, w, n)
	if rows == 0 || n == 0 || maxPoolAsm(&y[0], &x[0], rows, w, n) {
		return
	}
	for r := 0; r < rows; r++ {
		top, bot, yr := x[2*r*w:2*r*w+2*n], x[(2*r+1)*w:(2*r+1)*w+2*n], y[r*n:(r+1)*n]
		for j := range yr {
			m := max(poolKey(top[2*j]), poolKey(top[2*j+1]), poolKey(bot[2*j]), poolKey(bot[2*j+1]))
			yr[j] = math.Float32frombits(uint32(m ^ (m >> 31 & 0x7fffffff)))
		}
	}
}

// MaxPool2x2Backward adds each dy [rows, n] into dx (shaped as x) at the
// first maximum, in row order, of its 2x2 window of x, the windows as in
// MaxPool2x2: the gradient of max pooling as PyTorch routes it (a window
// with a NaN routes to its first NaN).
func MaxPool2x2Backward(dx, x, dy []float32, rows, w, n int) {
	checkPool("MaxPool2x2Backward", len(x), len(dy), rows, w, n)
	if len(dx) != len(x) {
		panic(fmt.Sprintf("kernels: MaxPool2x2Backward with %d floats of dx for %d of x", len(dx), len(x)))
	}
	if rows == 0 || n == 0 || maxPoolBackwardAsm(&dx[0], &x[0], &dy[0], rows, w, n) {
		return
	}
	for r := 0; r < rows; r++ {
		t, g := 2*r*w, dy[r*n:(r+1)*n]
		top, bot := x[t:t+2*n], x[t+w:t+w+2*n]
		for j, gj := range g {
			a, b, c, d := poolKey(top[2*j]), poolKey(top[2*j+1]), poolKey(bot[2*j]), poolKey(bot[2*j+1])
			at := t + 2*j + b2i(b > a)
			if max(c, d) > max(a, b) {
				at = t + w + 2*j + b2i(d > c)
			}
			dx[at] += gj
		}
	}
}

// checkPool panics unless x holds 2·rows rows of w floats (the last one
// at least 2n long) and y rows·n floats.
func checkPool(name string, nx, ny, rows, w, n int) {
	if rows < 0 || n < 0 || 2*n > w || ny != rows*n || (rows > 0 && nx < (2*rows-1)*w+2*n) {
		panic(fmt.Sprintf("kernels: %s of %d rows of %d outputs from rows %d wide, with %d floats of x and %d of the output", name, rows, n, w, nx, ny))
	}
}

// poolKey maps a float32 to an int32 in the same order (-Inf < ... < -0 <
// +0 < ... < +Inf), every NaN to the largest, 0x7fffffff. It is its own
// inverse on the keys of numbers.
func poolKey(v float32) int32 {
	if v != v {
		return math.MaxInt32
	}
	u := int32(math.Float32bits(v))
	return u ^ (u >> 31 & 0x7fffffff)
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
