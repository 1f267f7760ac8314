//go:build !noasm

package kernels

// reluAVX512 is reluGo on x[:n] in AVX-512F (elem_amd64.s), n a positive
// multiple of 16:
//
//	for i := 0; i < n; i++ {
//		y[i] = max(x[i], 0)
//	}
//
//go:noescape
func reluAVX512(y, x *float32, n int)

// reluAVX2 is reluAVX512 in AVX2, n a positive multiple of 8.
//
//go:noescape
func reluAVX2(y, x *float32, n int)

// reluBackwardAVX512 is reluBackwardGo on n elements in AVX-512F
// (elem_amd64.s), n a positive multiple of 16:
//
//	for i := 0; i < n; i++ {
//		if x[i] > 0 {
//			dx[i] += dy[i]
//		}
//	}
//
//go:noescape
func reluBackwardAVX512(dx, dy, x *float32, n int)

// reluBackwardAVX2 is reluBackwardAVX512 in AVX2, n a positive multiple of
// 8.
//
//go:noescape
func reluBackwardAVX2(dx, dy, x *float32, n int)

// sumSquaresAVX512 is sumSquaresGo on x[:n] in AVX-512F (elem_amd64.s), n
// a positive multiple of 32:
//
//	for i := 0; i < n; i += 32 {
//		for l := 0; l < 32; l++ {
//			acc[l] += float64(x[i+l]) * float64(x[i+l])
//		}
//	}
//
//go:noescape
func sumSquaresAVX512(x *float32, n int, acc *[sumLanes]float64)

// sumSquaresAVX2 is sumSquaresAVX512 in AVX2 and FMA3.
//
//go:noescape
func sumSquaresAVX2(x *float32, n int, acc *[sumLanes]float64)

// reluVector runs the vector kernel of Relu on the leading elements and
// returns how many it did.
func reluVector(y, x []float32) int {
	lanes := vectorLanes()
	n := vectorPart(len(x), lanes)
	if n == 0 {
		return 0
	}
	if lanes == 16 {
		reluAVX512(&y[0], &x[0], n)
	} else {
		reluAVX2(&y[0], &x[0], n)
	}
	return n
}

// reluBackwardVector runs the vector kernel of ReluBackward on the leading
// elements and returns how many it did.
func reluBackwardVector(dx, dy, x []float32) int {
	lanes := vectorLanes()
	n := vectorPart(len(x), lanes)
	if n == 0 {
		return 0
	}
	if lanes == 16 {
		reluBackwardAVX512(&dx[0], &dy[0], &x[0], n)
	} else {
		reluBackwardAVX2(&dx[0], &dy[0], &x[0], n)
	}
	return n
}

// sumSquaresVector runs the vector kernel of SumSquares on the leading
// multiple of 32 elements and returns how many it did.
func sumSquaresVector(x []float32, acc *[sumLanes]float64) int {
	lanes := vectorLanes()
	n := len(x) &^ (sumLanes - 1)
	if lanes == 0 || n == 0 {
		return 0
	}
	if lanes == 16 {
		sumSquaresAVX512(&x[0], n, acc)
	} else {
		sumSquaresAVX2(&x[0], n, acc)
	}
	return n
}
