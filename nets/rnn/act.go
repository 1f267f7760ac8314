package rnn

import "math"

// The gates' nonlinearities, evaluated in float32 by the same range
// reduction and polynomial on every path (Cephes' expf: e^t = 2^n e^r with
// |r| <= ln2/2 and e^r - 1 = q = (P(r)·r)·r + r, P of degree 5), so that
// the pure-Go loops below and the vector kernels of act_amd64.s agree to a
// few units in the last place. Both work in place: sigmoids(x) sets x[i] =
// σ(x[i]), tanhs(x) sets x[i] = tanh(x[i]). Only e^t with t <= 0 is ever
// needed, so nothing overflows:
//
//	σ(x)    = 1/(1 + e) for x >= 0, e/(1 + e) for x < 0, e = e^-|x|
//	tanh(x) = sign(x)·(-m)/(2 + m), m = e^(-2|x|) - 1 = s·q + (s - 1), s = 2^n
//
// (the second form of m has no cancellation near 0).

// Constants of the range reduction and of P (Cephes, expf.c).
const (
	log2e   = 1.44269504088896341
	ln2Hi   = 0.693359375     // ln 2 rounded to 12 bits: n·ln2Hi is exact
	ln2Lo   = -2.12194440e-4  // ln 2 - ln2Hi
	expP0   = 1.9875691500e-4 // the coefficients of P, highest degree first
	expP1   = 1.3981999507e-3
	expP2   = 8.3334519073e-3
	expP3   = 4.1665795894e-2
	expP4   = 1.6666665459e-1
	expP5   = 5.0000001201e-1
	sigLo   = -86.0 // e^-|x| is clamped at e^-86 (2^n stays a normal number)
	tanhMax = 9.0   // tanh(9) rounds to 1 in float32
)

// expm1Parts returns s = 2^n and q = e^r - 1 for t = n·ln2 + r, t <= 0:
// e^t = s(1 + q) and e^t - 1 = s·q + (s - 1).
func expm1Parts(t float32) (s, q float32) {
	n := float32(math.RoundToEven(float64(t * log2e)))
	r := t - n*ln2Hi
	r -= n * ln2Lo
	p := float32(expP0)
	p = p*r + expP1
	p = p*r + expP2
	p = p*r + expP3
	p = p*r + expP4
	p = p*r + expP5
	q = (p*r)*r + r
	return math.Float32frombits(uint32(int32(n)+127) << 23), q
}

// sigmoid32 is σ(x).
func sigmoid32(x float32) float32 {
	s, q := expm1Parts(max(-float32(math.Abs(float64(x))), sigLo))
	e := (1 + q) * s
	num := float32(1)
	if math.Signbit(float64(x)) {
		num = e
	}
	return num / (1 + e)
}

// tanh32 is tanh(x).
func tanh32(x float32) float32 {
	s, q := expm1Parts(-2 * min(float32(math.Abs(float64(x))), tanhMax))
	nm := (1 - s) - s*q
	return float32(math.Copysign(float64(nm/(2-nm)), float64(x)))
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
