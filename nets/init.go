package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Fans returns the fan-in and fan-out of a weight as PyTorch computes
// them: for [Out, In] they are In and Out; for a conv weight [Out, In,
// kH, kW] both are multiplied by the kernel's area.
func Fans(shape []int) (fanIn, fanOut int) {
	if len(shape) < 2 {
		panic(fmt.Sprintf("nets: fans of a weight of shape %v (want rank >= 2)", shape))
	}
	field := 1
	for _, d := range shape[2:] {
		field *= d
	}
	return shape[1] * field, shape[0] * field
}

// Gain returns the recommended gain of PyTorch's init.calculate_gain for a
// nonlinearity: "linear", "sigmoid" 1, "tanh" 5/3, "relu" √2,
// "leaky_relu" √(2/(1+slope²)) with slope 0.01, "selu" 3/4.
func Gain(nonlinearity string) float64 {
	switch nonlinearity {
	case "linear", "sigmoid", "conv":
		return 1
	case "tanh":
		return 5.0 / 3
	case "relu":
		return math.Sqrt2
	case "leaky_relu":
		return math.Sqrt(2 / (1 + 0.01*0.01))
	case "selu":
		return 0.75
	}
	panic(fmt.Sprintf("nets: no gain for nonlinearity %q", nonlinearity))
}

// Uniform fills t with draws from U(lo, hi).
func Uniform(rng *rand.Rand, t *Tensor, lo, hi float64) {
	for i := range t.Data {
		t.Data[i] = float32(lo + (hi-lo)*rng.Float64())
	}
}

// Normal fills t with draws from N(mean, std²).
func Normal(rng *rand.Rand, t *Tensor, mean, std float64) {
	for i := range t.Data {
		t.Data[i] = float32(mean + std*rng.NormFloat64())
	}
}

// XavierUniform fills the weight t from U(-a, a), a = gain·√(6/(fanIn +
// fanOut)) (Glorot and Bengio 2010).
func XavierUniform(rng *rand.Rand, t *Tensor, gain float64) {
	in, out := Fans(t.Shape)
	a := gain * math.Sqrt(6/float64(in+out))
	Uniform(rng, t, -a, a)
}

// XavierNormal fills the weight t from N(0, std²), std = gain·√(2/(fanIn
// + fanOut)) (Glorot and Bengio 2010).
func XavierNormal(rng *rand.Rand, t *Tensor, gain float64) {
	in, out := Fans(t.Shape)
	Normal(rng, t, 0, gain*math.Sqrt(2/float64(in+out)))
}

// KaimingUniform fills the weight t from U(-b, b), b = gain·√(3/fanIn)
// (He et al. 2015; gain √2 for ReLU, see Gain).
func KaimingUniform(rng *rand.Rand, t *Tensor, gain float64) {
	in, _ := Fans(t.Shape)
	b := gain * math.Sqrt(3/float64(in))
	Uniform(rng, t, -b, b)
}

// KaimingNormal fills the weight t from N(0, std²), std = gain/√fanIn
// (He et al. 2015).
func KaimingNormal(rng *rand.Rand, t *Tensor, gain float64) {
	in, _ := Fans(t.Shape)
	Normal(rng, t, 0, gain/math.Sqrt(float64(in)))
}

// DefaultInit fills a weight and its bias (nil allowed) as PyTorch's
// nn.Linear and nn.Conv2d do: the weight from U(-1/√fanIn, 1/√fanIn)
// (Kaiming uniform with a = √5) and the bias from the same range.
func DefaultInit(rng *rand.Rand, w, b *Tensor) {
	in, _ := Fans(w.Shape)
	bound := 1 / math.Sqrt(float64(in))
	Uniform(rng, w, -bound, bound)
	if b != nil {
		Uniform(rng, b, -bound, bound)
	}
}
