package kernels

import "fmt"

// Elementwise kernels of a training step besides the optimizers: ReLU
// forward and backward, and a sum of squares. The avx512 and avx2 kernels
// (Kernel) run them in vector registers (elem_amd64.s), the go kernel and
// builds without assembly by the Go loops below, with the same bits.

// Relu sets y[i] = max(x[i], 0), Go's max: +0 for x ≤ 0 (-0 included), a
// NaN for a NaN (with its sign cleared, as Go's max on amd64 gives it).
func Relu(y, x []float32) {
	checkLens("Relu", len(y), len(x))
	k := reluVector(y, x)
	reluGo(y[k:], x[k:])
}

// ReluBackward adds dy[i] to dx[i] where x[i] > 0 (ReLU's gradient; a NaN
// x passes none).
func ReluBackward(dx, dy, x []float32) {
	checkLens("ReluBackward", len(dx), len(dy), len(x))
	k := reluBackwardVector(dx, dy, x)
	reluBackwardGo(dx[k:], dy[k:], x[k:])
}

// sumLanes is the number of partial sums of SumSquares.
const sumLanes = 32

// SumSquares returns the sum of x[i]² in float64, each square exact: in 32
// partial sums, x[i]² added to sum i mod 32 in order, the partial sums then
// added in a fixed tree, the last len(x) mod 32 squares after them in order.
// It is faster than one sum in order (a chain of dependent additions) and
// differs from it by rounding: at most about len(x)·2⁻⁵³ relative to the
// exact sum, as that one.
func SumSquares(x []float32) float64 {
	var acc [sumLanes]float64
	k := sumSquaresVector(x, &acc)
	if k == 0 {
		k = len(x) &^ (sumLanes - 1)
		sumSquaresGo(x[:k], &acc)
	}
	for w := sumLanes / 2; w >= 1; w /= 2 { // the tree: lane i += lane i+w
		for i := 0; i < w; i++ {
			acc[i] += acc[i+w]
		}
	}
	s := acc[0]
	for _, v := range x[k:] {
		s += float64(v) * float64(v)
	}
	return s
}

// reluGo is Relu's loop.
func reluGo(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// reluBackwardGo is ReluBackward's loop.
func reluBackwardGo(dx, dy, x []float32) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i, g := range dy {
		if x[i] > 0 {
			dx[i] += g
		}
	}
}

// sumSquaresGo adds x[i]² to acc[i mod 32] in order, len(x) a multiple of
// 32.
func sumSquaresGo(x []float32, acc *[sumLanes]float64) {
	if len(x)%sumLanes != 0 {
		panic(fmt.Sprintf("kernels: sumSquaresGo of %d floats", len(x)))
	}
	for i := 0; i < len(x); i += sumLanes {
		for l, v := range x[i : i+sumLanes] {
			acc[l] += float64(v) * float64(v)
		}
	}
}
