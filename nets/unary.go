package nets

import "math"

// unaryFunc is one elementwise function: its forward kernel and, right
// below it in the source, its backward kernel.
type unaryFunc struct {
	// forward sets y[i] = f(x[i]) (p holds the op's parameters).
	forward func(y, x []float32, p [2]float32)
	// backward adds dy[i] * f'(x[i]) into dx[i]; it may read y = f(x).
	backward func(dx, dy, x, y []float32, p [2]float32)
}

// unaryOp applies one unaryFunc elementwise.
type unaryOp struct {
	f        *unaryFunc
	p        [2]float32
	x, y     *Tensor
	fwd, bwd func(lo, hi int) // built once
}

// unary records y = f(x) with parameters p.
func unary(tp *Tape, f *unaryFunc, x *Tensor, p [2]float32) *Tensor {
	op, y := Record[unaryOp](tp, x.Shape, x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardChunk, op.backwardChunk
	}
	op.f, op.p, op.x, op.y = f, p, x, y
	Parallel(x.Size(), 1, op.fwd)
	return y
}

func (op *unaryOp) forwardChunk(lo, hi int) {
	op.f.forward(op.y.Data[lo:hi], op.x.Data[lo:hi], op.p)
}

// Backward runs the function's backward kernel over all elements.
func (op *unaryOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(y.Size(), 1, op.bwd)
	}
}

func (op *unaryOp) backwardChunk(lo, hi int) {
	op.f.backward(op.x.Grad[lo:hi], op.y.Grad[lo:hi], op.x.Data[lo:hi], op.y.Data[lo:hi], op.p)
}

// Exp returns e^x elementwise.
func Exp(tp *Tape, x *Tensor) *Tensor { return unary(tp, &expFunc, x, [2]float32{}) }

var expFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = float32(math.Exp(float64(v)))
		}
	},
	// d e^x = e^x dx
	backward: func(dx, dy, _, y []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g * y[i]
		}
	},
}

// Log returns the natural logarithm elementwise.
func Log(tp *Tape, x *Tensor) *Tensor { return unary(tp, &logFunc, x, [2]float32{}) }

var logFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = float32(math.Log(float64(v)))
		}
	},
	// d log x = dx / x
	backward: func(dx, dy, x, _ []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g / x[i]
		}
	},
}

// Sqrt returns the square root elementwise.
func Sqrt(tp *Tape, x *Tensor) *Tensor { return unary(tp, &sqrtFunc, x, [2]float32{}) }

var sqrtFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = float32(math.Sqrt(float64(v)))
		}
	},
	// d sqrt(x) = dx / (2 sqrt(x))
	backward: func(dx, dy, _, y []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g / (2 * y[i])
		}
	},
}

// Square returns x² elementwise.
func Square(tp *Tape, x *Tensor) *Tensor { return unary(tp, &squareFunc, x, [2]float32{}) }

var squareFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = v * v
		}
	},
	// d x² = 2x dx
	backward: func(dx, dy, x, _ []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += 2 * x[i] * g
		}
	},
}

// Abs returns |x| elementwise; its gradient at 0 is 0, as in PyTorch.
func Abs(tp *Tape, x *Tensor) *Tensor { return unary(tp, &absFunc, x, [2]float32{}) }

var absFunc = unaryFunc{
	forward: func(y, x []float32, _ [2]float32) {
		for i, v := range x {
			y[i] = float32(math.Abs(float64(v)))
		}
	},
	// d|x| = sign(x) dx
	backward: func(dx, dy, x, _ []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g * sign(x[i])
		}
	},
}

// sign returns -1, 0 or 1.
func sign(v float32) float32 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Clamp returns x limited to [lo, hi] elementwise. The gradient passes
// where lo <= x <= hi, as in PyTorch.
func Clamp(tp *Tape, x *Tensor, lo, hi float32) *Tensor {
	return unary(tp, &clampFunc, x, [2]float32{lo, hi})
}

var clampFunc = unaryFunc{
	forward: func(y, x []float32, p [2]float32) {
		for i, v := range x {
			y[i] = min(max(v, p[0]), p[1])
		}
	},
	// d clamp(x) = dx inside [lo, hi], 0 outside
	backward: func(dx, dy, x, _ []float32, p [2]float32) {
		for i, g := range dy {
			if x[i] >= p[0] && x[i] <= p[1] {
				dx[i] += g
			}
		}
	},
}

// AddScalar returns x + c elementwise.
func AddScalar(tp *Tape, x *Tensor, c float32) *Tensor {
	return unary(tp, &addScalarFunc, x, [2]float32{c})
}

var addScalarFunc = unaryFunc{
	forward: func(y, x []float32, p [2]float32) {
		for i, v := range x {
			y[i] = v + p[0]
		}
	},
	// d(x + c) = dx
	backward: func(dx, dy, _, _ []float32, _ [2]float32) {
		for i, g := range dy {
			dx[i] += g
		}
	},
}

// MulScalar returns c * x elementwise.
func MulScalar(tp *Tape, x *Tensor, c float32) *Tensor {
	return unary(tp, &mulScalarFunc, x, [2]float32{c})
}

var mulScalarFunc = unaryFunc{
	forward: func(y, x []float32, p [2]float32) {
		for i, v := range x {
			y[i] = p[0] * v
		}
	},
	// d(c x) = c dx
	backward: func(dx, dy, _, _ []float32, p [2]float32) {
		for i, g := range dy {
			dx[i] += p[0] * g
		}
	},
}
