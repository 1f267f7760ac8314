package seq2seq

import "math"

// tanh32 returns tanh(x) in float32 arithmetic, within a few units in the
// last place: tanh(x) = -m/(2+m) for m = e^(-2|x|) - 1, signed as x. The
// attention weights evaluate N·S·A of them at every output step, where
// math.Tanh's float64 path is the op's largest cost.
//
// m is e^y - 1 for y = -2|x| in [-18, 0]: with y = n·ln2 + r, |r| <=
// ln2/2, e^y - 1 = 2^n·q + (2^n - 1) where q = e^r - 1 is its Taylor
// polynomial of degree 7 (remainder below r^8/8! < 6e-9), so that nothing
// cancels for small |x|.
func tanh32(x float32) float32 {
	const (
		ln2Hi = 0.693145751953125     // ln 2 to 16 bits: n·ln2Hi is exact
		ln2Lo = 1.4286068203094173e-6 // ln 2 - ln2Hi
		limit = 9                     // tanh(9) rounds to 1 in float32
	)
	ax := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	y := -2 * min(ax, limit)
	k := int32(-y*math.Log2E + 0.5) // round(-y/ln2), -y >= 0
	n := float32(-k)
	r := (y - n*ln2Hi) - n*ln2Lo
	q := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040)))))))
	s := math.Float32frombits(uint32(127-k) << 23) // 2^n, n in [-26, 0]
	m := s*q + (s - 1)
	t := -m / (2 + m)
	return math.Float32frombits(math.Float32bits(t) | math.Float32bits(x)&(1<<31))
}
