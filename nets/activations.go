package nets

import (
	"math"

	"github.com/arcadelab/arcade/nets/kernels"
)

// ReLU returns max(x, 0) elementwise; its gradient at 0 is 0, as in PyTorch.
func ReLU(tp *Tape, x *Tensor) *Tensor { return unary(tp, &reluFunc, x, [2]float32{}) }

var reluFunc = unaryFunc{
	// y = max(x, 0), in vector registers (nets/kernels: the same bits)
	forward: func(y, x []float32, _ [2]float32) { kernels.Relu(y, x) },
	// d relu(x) = dx where x > 0
	backward: func(dx, dy, x, _ []float32, _ [2]float32) { kernels.ReluBackward(dx, dy, x) },
}

// LeakyReLU returns x where x > 0 and slope*x elsewhere (PyTorch's default
// slope is 0.01).
func LeakyReLU(tp *Tape, x *Tensor, slope float32) *Tensor {
	return unary(tp, &leakyReLUFunc, x, [2]float32{slope})
}

var leakyReLUFunc = unaryFunc{
	forward: func(y, x []float32, p [2]float32) {
		for i, v := range x {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = p[0] * v
			}
		}
	},
	// d leaky(x) = dx where x > 0, slope dx elsewhere
	backward: func(dx, dy, x, _ []float32, p [2]float32) {
		for i, g := range dy {
			if x[i] > 0 {
				dx[i] += g
			} else {
				dx[i] += p[0] * g
			}
		}
	},
}

// Sigmoid returns 1 / (1 + e^-x) elementwise, computed without overflow.
func Sigmoid(tp *Tape, x *Tensor) *Tensor { return unary(tp, &sigmoidFunc, x, [2]float32{}) }

var sigmoidFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = sigmoid(v)
		}
	},
	// d σ(x) = σ(x) (1 - σ(x)) dx
	backward: func(dx, dy, _, y []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g * y[i] * (1 - y[i])
		}
	},
}

// sigmoid is 1 / (1 + e^-v), evaluated on the side where the exponential
// cannot overflow.
func sigmoid(v float32) float32 {
	if v >= 0 {
		return float32(1 / (1 + math.Exp(-float64(v))))
	}
	e := math.Exp(float64(v))
	return float32(e / (1 + e))
}

// Tanh returns the hyperbolic tangent elementwise.
func Tanh(tp *Tape, x *Tensor) *Tensor { return unary(tp, &tanhFunc, x, [2]float32{}) }

var tanhFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = float32(math.Tanh(float64(v)))
		}
	},
	// d tanh(x) = (1 - tanh²(x)) dx
	backward: func(dx, dy, _, y []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g * (1 - y[i]*y[i])
		}
	},
}
