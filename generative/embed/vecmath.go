package embed

import "math"

// dot returns x·y over len(x) elements; y must be at least as long.
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy computes y += a*x over len(x) elements.
func axpy(y []float32, a float32, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// sigmoid is 1/(1+e^-x).
func sigmoid(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}

// logSigmoid is log(1/(1+e^-x)), accurate for large |x|.
func logSigmoid(x float32) float64 {
	v := float64(x)
	if v >= 0 {
		return -math.Log1p(math.Exp(-v))
	}
	return v - math.Log1p(math.Exp(v))
}

// row returns row i of a row-major matrix of d columns.
func row(m []float32, i, d int) []float32 { return m[i*d : (i+1)*d : (i+1)*d] }
