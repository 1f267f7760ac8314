package rnn

import "math"

// The gates' nonlinearities, evaluated in float32 by the same range
// reduction and polynomial on every path (Cephes' expf: e^x = 2^n e^r with
// |r| <= ln2/2 and e^r - 1 = r + r²P(r), P of degree 5), so that the
// pure-Go loops below and the vector kernels of act_amd64.s agree to a few
// units in the last place. Both work in place: sigmoids(x) sets x[i] =
// σ(x[i]), tanhs(x) sets x[i] = tanh(x[i]).

// Constants of the range reduction and of P (Cephes, expf.c).
const (
	log2e   = 1.44269504088896341
	ln2Hi   = 0.693359375     // ln 2 rounded to 12 bits: n·ln2Hi is exact
	ln2Lo   = -2.12194440e-4  // ln 2 - ln2Hi
	expP0   = 1.9875691500e-4 // the coefficients of P, highest degree first
	expP1   = 1.3981999507e-3 //
	expP2   = 8.3334519073e-3 //
	expP3   = 4.1665795894e-2 //
	expP4   = 1.6666665459e-1 //
	expP5   = 5.0000001201e-1 //
	expLo   = -86.0           // e^x is clamped to [e^-86, e^88]: 2^n stays a normal number
	expHi   = 88.0            //
	tanhMax = 9.0             // tanh(9) rounds to 1 in float32
)

// expm1Parts returns s = 2^n and q = e^r - 1 for x = n ln2 + r, x clamped
// to [expLo, expHi]: e^x = s(1 + q) and e^x - 1 = s·q + (s - 1), both
// without cancellation.
func expm1Parts(x float32) (s, q float32) {
	x = min(max(x, expLo), expHi)
	n := float32(math.RoundToEven(float64(x * log2e)))
	r := x - n*ln2Hi
	r -= n * ln2Lo
	p := float32(expP0)
	p = p*r + expP1
	p = p*r + expP2
	p = p*r + expP3
	p = p*r + expP4
	p = p*r + expP5
	q = p*(r*r) + r
	return math.Float32frombits(uint32(int32(n)+127) << 23), q
}

// sigmoid32 is σ(x) = 1/(1 + e^-x).
func sigmoid32(x float32) float32 {
	s, q := expm1Parts(-x)
	return 1 / (1 + (s*q + s))
}

// tanh32 is tanh(x) = -m/(2 + m) with m = e^(-2|x|) - 1, signed as x.
func tanh32(x float32) float32 {
	s, q := expm1Parts(-2 * min(float32(math.Abs(float64(x))), tanhMax))
	m := s*q + (s - 1)
	return float32(math.Copysign(float64(-m/(2+m)), float64(x)))
}

// sigmoidsGo and tanhsGo are the loops that the vector kernels replace.
func sigmoidsGo(x []float32) {
	for i, v := range x {
		x[i] = sigmoid32(v)
	}
}

func tanhsGo(x []float32) {
	for i, v := range x {
		x[i] = tanh32(v)
	}
}
