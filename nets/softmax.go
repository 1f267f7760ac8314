package nets

import (
	"fmt"
	"math"
)

// softmaxOp is softmax or log-softmax over the last axis, row by row.
type softmaxOp struct {
	log      bool
	x, y     *Tensor
	cols     int
	fwd, bwd func(lo, hi int) // built once
}

// Softmax returns e^x / Σ e^x over the last axis, computed after
// subtracting each row's maximum so that nothing overflows.
func Softmax(tp *Tape, x *Tensor) *Tensor { return softmax(tp, x, false) }

// LogSoftmax returns x - log Σ e^x over the last axis, computed stably
// (x - max - log Σ e^(x - max)).
func LogSoftmax(tp *Tape, x *Tensor) *Tensor { return softmax(tp, x, true) }

func softmax(tp *Tape, x *Tensor, log bool) *Tensor {
	if x.Rank() == 0 {
		panic(fmt.Sprintf("nets: softmax of a tensor of shape %v", x.Shape))
	}
	op, y := Record[softmaxOp](tp, x.Shape, x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.log, op.x, op.y, op.cols = log, x, y, x.Dim(-1)
	if op.cols > 0 {
		Parallel(x.Size()/op.cols, op.cols, op.fwd)
	}
	return y
}

func (op *softmaxOp) forwardRows(lo, hi int) {
	n := op.cols
	for r := lo; r < hi; r++ {
		softmaxRow(op.y.Data[r*n:(r+1)*n], op.x.Data[r*n:(r+1)*n], op.log)
	}
}

// softmaxRow writes the softmax (or log-softmax) of x into y.
func softmaxRow(y, x []float32, log bool) {
	m := x[0]
	for _, v := range x {
		m = max(m, v)
	}
	sum := 0.0
	for i, v := range x {
		e := math.Exp(float64(v - m))
		sum += e
		y[i] = float32(e)
	}
	if log {
		lse := float32(math.Log(sum))
		for i, v := range x {
			y[i] = v - m - lse
		}
		return
	}
	inv := 1 / sum
	for i := range y {
		y[i] = float32(float64(y[i]) * inv)
	}
}

// Backward: for y = softmax(x), dx = y ⊙ (dy - Σ dy⊙y); for
// y = log softmax(x), dx = dy - e^y Σ dy.
func (op *softmaxOp) Backward(y *Tensor) {
	if op.cols > 0 && op.x.GradBuf() != nil {
		Parallel(y.Size()/op.cols, op.cols, op.bwd)
	}
}

func (op *softmaxOp) backwardRows(lo, hi int) {
	n := op.cols
	for r := lo; r < hi; r++ {
		dx, dy, y := op.x.Grad[r*n:(r+1)*n], op.y.Grad[r*n:(r+1)*n], op.y.Data[r*n:(r+1)*n]
		s := 0.0
		if op.log {
			for _, g := range dy {
				s += float64(g)
			}
			for i, g := range dy {
				dx[i] += g - float32(math.Exp(float64(y[i]))*s)
			}
			continue
		}
		for i, g := range dy {
			s += float64(g) * float64(y[i])
		}
		for i, g := range dy {
			dx[i] += y[i] * (g - float32(s))
		}
	}
}
