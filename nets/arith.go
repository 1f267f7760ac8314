package nets

import (
	"fmt"
)

// binaryKind names an elementwise binary op.
type binaryKind int

const (
	opAdd binaryKind = iota
	opSub
	opMul
	opDiv
)

var binaryNames = [...]string{"Add", "Sub", "Mul", "Div"}

// binaryOp is c = a ∘ b with NumPy broadcasting. The output is seen as
// rows of its last axis; offA[r] and offB[r] are where row r of the output
// starts in a and b, and stepA, stepB (0 or 1) how they move along the row.
type binaryOp struct {
	kind         binaryKind
	a, b, c      *Tensor
	rows, inner  int
	stepA, stepB int
	offA, offB   []int
	forward      func(lo, hi int) // built once
	backSame     func(lo, hi int) // the gradient of an operand shaped like c, built once
	dOperand     int              // which operand backSame serves: 0 a, 1 b
}

// Add returns a + b, with NumPy broadcasting: shapes are aligned on their
// last axes and an axis of size 1 (or a missing one) is repeated, so a
// bias [C] adds to every row of [N, C] and a scalar to everything.
func Add(tp *Tape, a, b *Tensor) *Tensor { return elementwise(tp, opAdd, a, b) }

// Sub returns a - b, broadcasting as Add does.
func Sub(tp *Tape, a, b *Tensor) *Tensor { return elementwise(tp, opSub, a, b) }

// Mul returns a * b elementwise, broadcasting as Add does.
func Mul(tp *Tape, a, b *Tensor) *Tensor { return elementwise(tp, opMul, a, b) }

// Div returns a / b elementwise, broadcasting as Add does.
func Div(tp *Tape, a, b *Tensor) *Tensor { return elementwise(tp, opDiv, a, b) }

func elementwise(tp *Tape, kind binaryKind, a, b *Tensor) *Tensor {
	var shape [maxRank]int
	rank := max(a.Rank(), b.Rank())
	if rank > maxRank {
		panic(fmt.Sprintf("nets: %s of shapes %v and %v: rank above %d", binaryNames[kind], a.Shape, b.Shape, maxRank))
	}
	for i := 1; i <= rank; i++ {
		da, db := dimFromEnd(a.Shape, i), dimFromEnd(b.Shape, i)
		switch {
		case da == db || db == 1:
			shape[rank-i] = da
		case da == 1:
			shape[rank-i] = db
		default:
			panic(fmt.Sprintf("nets: %s of shapes %v and %v: axis %d does not broadcast", binaryNames[kind], a.Shape, b.Shape, rank-i))
		}
	}
	op, c := Record[binaryOp](tp, shape[:rank], a, b)
	if op.forward == nil {
		op.forward, op.backSame = op.forwardRows, op.backwardSame
	}
	op.kind, op.a, op.b, op.c = kind, a, b, c
	op.inner = 1
	if rank > 0 {
		op.inner = shape[rank-1]
	}
	op.rows = 0
	if op.inner > 0 {
		op.rows = c.Size() / op.inner
	}
	op.stepA = boolInt(dimFromEnd(a.Shape, 1) == op.inner && op.inner != 1)
	op.stepB = boolInt(dimFromEnd(b.Shape, 1) == op.inner && op.inner != 1)
	op.offA = rowOffsets(op.offA, a.Shape, shape[:rank])
	op.offB = rowOffsets(op.offB, b.Shape, shape[:rank])
	Parallel(op.rows, op.inner, op.forward)
	return c
}

// maxRank bounds the rank of broadcast operands.
const maxRank = 8

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dimFromEnd returns the size of the i-th axis from the end (1-based), or
// 1 when the shape has fewer axes.
func dimFromEnd(shape []int, i int) int {
	if i > len(shape) {
		return 1
	}
	return shape[len(shape)-i]
}

// rowOffsets fills buf with the offset in an operand of shape s of each
// row (all axes but the last) of the broadcast output shape out.
func rowOffsets(buf []int, s, out []int) []int {
	rank := len(out)
	rows := 1
	for _, d := range out[:max(rank-1, 0)] {
		rows *= d
	}
	buf = grow(buf, rows)
	// stride of each output axis in the operand (0 where broadcast)
	var stride [maxRank]int
	st := 1
	for i := 1; i <= rank; i++ {
		d := dimFromEnd(s, i)
		if d != 1 {
			stride[rank-i] = st
		}
		st *= d
	}
	var idx [maxRank]int
	off := 0
	for r := 0; r < rows; r++ {
		buf[r] = off
		for ax := rank - 2; ax >= 0; ax-- { // next row: odometer over the leading axes
			idx[ax]++
			off += stride[ax]
			if idx[ax] < out[ax] {
				break
			}
			off -= stride[ax] * idx[ax]
			idx[ax] = 0
		}
	}
	return buf
}

// forwardRows computes rows [lo, hi) of c.
func (op *binaryOp) forwardRows(lo, hi int) {
	a, b, c, n, sa, sb := op.a.Data, op.b.Data, op.c.Data, op.inner, op.stepA, op.stepB
	for r := lo; r < hi; r++ {
		ca, cb, cr := op.offA[r], op.offB[r], c[r*n:(r+1)*n]
		switch op.kind {
		case opAdd:
			for j := range cr {
				cr[j] = a[ca+j*sa] + b[cb+j*sb]
			}
		case opSub:
			for j := range cr {
				cr[j] = a[ca+j*sa] - b[cb+j*sb]
			}
		case opMul:
			for j := range cr {
				cr[j] = a[ca+j*sa] * b[cb+j*sb]
			}
		case opDiv:
			for j := range cr {
				cr[j] = a[ca+j*sa] / b[cb+j*sb]
			}
		}
	}
}

// Backward: d(a+b) = (dc, dc); d(a-b) = (dc, -dc); d(a*b) = (dc*b, dc*a);
// d(a/b) = (dc/b, -dc*c/b). An operand shaped like c gets its gradient
// elementwise (in parallel); a broadcast one sums it in output order.
func (op *binaryOp) Backward(c *Tensor) {
	for which, t := range [2]*Tensor{op.a, op.b} {
		g := t.GradBuf()
		if g == nil {
			continue
		}
		if t.Size() == c.Size() {
			op.dOperand = which
			Parallel(op.rows, op.inner, op.backSame)
			continue
		}
		for r := 0; r < op.rows; r++ {
			op.gradRow(which, g, r)
		}
	}
}

// backwardSame adds the gradient of rows [lo, hi) into the operand
// op.dOperand, which has the output's shape.
func (op *binaryOp) backwardSame(lo, hi int) {
	g := op.a.Grad
	if op.dOperand == 1 {
		g = op.b.Grad
	}
	for r := lo; r < hi; r++ {
		op.gradRow(op.dOperand, g, r)
	}
}

// gradRow adds the gradient that row r of c sends to operand which (0 a,
// 1 b) into g.
func (op *binaryOp) gradRow(which int, g []float32, r int) {
	n := op.inner
	a, b, c, dc := op.a.Data, op.b.Data, op.c.Data[r*n:(r+1)*n], op.c.Grad[r*n:(r+1)*n]
	ca, cb, sa, sb := op.offA[r], op.offB[r], op.stepA, op.stepB
	if which == 0 {
		switch op.kind {
		case opAdd, opSub:
			for j, d := range dc {
				g[ca+j*sa] += d
			}
		case opMul:
			for j, d := range dc {
				g[ca+j*sa] += d * b[cb+j*sb]
			}
		case opDiv:
			for j, d := range dc {
				g[ca+j*sa] += d / b[cb+j*sb]
			}
		}
		return
	}
	switch op.kind {
	case opAdd:
		for j, d := range dc {
			g[cb+j*sb] += d
		}
	case opSub:
		for j, d := range dc {
			g[cb+j*sb] -= d
		}
	case opMul:
		for j, d := range dc {
			g[cb+j*sb] += d * a[ca+j*sa]
		}
	case opDiv:
		for j, d := range dc {
			g[cb+j*sb] -= d * c[j] / b[cb+j*sb]
		}
	}
}
