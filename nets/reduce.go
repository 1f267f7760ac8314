package nets

import (
	"fmt"
	"slices"
)

// axisView describes x as [outer, D, inner] around one axis; the reduced
// output is [outer, inner], x's shape without the axis.
type axisView struct {
	outer, d, inner int
}

// viewAround splits shape around axis (negative counts from the end) and
// returns the view and the shape without the axis in buf.
func viewAround(name string, shape []int, axis int, buf *[maxRank]int) (axisView, []int) {
	r := len(shape)
	if axis < 0 {
		axis += r
	}
	if axis < 0 || axis >= r || r > maxRank {
		panic(fmt.Sprintf("nets: %s over axis %d of shape %v", name, axis, shape))
	}
	v := axisView{outer: 1, d: shape[axis], inner: 1}
	for _, s := range shape[:axis] {
		v.outer *= s
	}
	for _, s := range shape[axis+1:] {
		v.inner *= s
	}
	n := copy(buf[:], shape[:axis])
	n += copy(buf[n:], shape[axis+1:])
	return v, buf[:n]
}

// outputRuns calls fn(o, i0, i1) for the runs of output positions [lo, hi)
// of an [outer, inner] output, one run per o.
func (v axisView) outputRuns(lo, hi int, fn func(o, i0, i1 int)) {
	for p := lo; p < hi; {
		o, i := p/v.inner, p%v.inner
		end := min(v.inner, i+hi-p)
		fn(o, i, end)
		p += end - i
	}
}

// sumOp is a sum (or mean) over one axis.
type sumOp struct {
	mean     bool
	x, y     *Tensor
	v        axisView
	fwd, bwd func(lo, hi int) // built once
	fwdRun   func(o, i0, i1 int)
}

// Sum returns the sum of x over axis (negative counts from the end); the
// axis is removed from the shape.
func Sum(tp *Tape, x *Tensor, axis int) *Tensor { return sumAxis(tp, x, axis, false) }

// Mean returns the mean of x over axis (negative counts from the end); the
// axis is removed from the shape.
func Mean(tp *Tape, x *Tensor, axis int) *Tensor { return sumAxis(tp, x, axis, true) }

func sumAxis(tp *Tape, x *Tensor, axis int, mean bool) *Tensor {
	var buf [maxRank]int
	v, shape := viewAround("Sum", x.Shape, axis, &buf)
	op, y := Record[sumOp](tp, shape, x)
	if op.fwd == nil {
		op.fwd, op.bwd, op.fwdRun = op.forwardOut, op.backwardRows, op.sumRun
	}
	op.mean, op.x, op.y, op.v = mean, x, y, v
	Parallel(v.outer*v.inner, v.d, op.fwd)
	return y
}

func (op *sumOp) forwardOut(lo, hi int) { op.v.outputRuns(lo, hi, op.fwdRun) }

// sumRun sums x[o, :, i0:i1] over the axis, in axis order.
func (op *sumOp) sumRun(o, i0, i1 int) {
	v := op.v
	y := op.y.Data[o*v.inner+i0 : o*v.inner+i1]
	clear(y)
	for d := 0; d < v.d; d++ {
		row := op.x.Data[(o*v.d+d)*v.inner+i0 : (o*v.d+d)*v.inner+i1]
		for i, x := range row {
			y[i] += x
		}
	}
	if op.mean && v.d > 0 {
		s := 1 / float32(v.d)
		for i := range y {
			y[i] *= s
		}
	}
}

// Backward: every element of x[o, :, i] gets dy[o, i] (divided by D for
// the mean).
func (op *sumOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(op.v.outer*op.v.d, op.v.inner, op.bwd)
	}
}

// backwardRows handles rows (o, d) in [lo, hi) of x seen as
// [outer*D, inner].
func (op *sumOp) backwardRows(lo, hi int) {
	v := op.v
	s := float32(1)
	if op.mean {
		s = 1 / float32(v.d)
	}
	for r := lo; r < hi; r++ {
		o := r / v.d
		dx, dy := op.x.Grad[r*v.inner:(r+1)*v.inner], op.y.Grad[o*v.inner:(o+1)*v.inner]
		for i, g := range dy {
			dx[i] += s * g
		}
	}
}

// sumAllOp is the sum (or mean) of every element, a scalar.
type sumAllOp struct {
	mean     bool
	x        *Tensor
	partial  []float64 // one sum per chunk, added in chunk order
	fwd, bwd func(lo, hi int)
	dy       float32 // the scaled output gradient during Backward
}

// SumAll returns the sum of all elements of x as a scalar (shape []).
// Chunks of the sum are added in a fixed order, so the result is the same
// bytes at any thread count.
func SumAll(tp *Tape, x *Tensor) *Tensor { return sumAll(tp, x, false) }

// MeanAll returns the mean of all elements of x as a scalar.
func MeanAll(tp *Tape, x *Tensor) *Tensor { return sumAll(tp, x, true) }

func sumAll(tp *Tape, x *Tensor, mean bool) *Tensor {
	op, y := Record[sumAllOp](tp, nil, x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.sumChunk, op.backwardChunk
	}
	op.mean, op.x = mean, x
	n := x.Size()
	op.partial = grow(op.partial, chunks(n, 1))
	Parallel(n, 1, op.fwd)
	s := 0.0
	for _, p := range op.partial {
		s += p
	}
	if mean && n > 0 {
		s /= float64(n)
	}
	y.Data[0] = float32(s)
	return y
}

func (op *sumAllOp) sumChunk(lo, hi int) {
	s := 0.0
	for _, v := range op.x.Data[lo:hi] {
		s += float64(v)
	}
	op.partial[lo/Chunk(1)] = s
}

// Backward: every element gets dy (dy/n for the mean).
func (op *sumAllOp) Backward(y *Tensor) {
	if op.x.GradBuf() == nil {
		return
	}
	op.dy = y.Grad[0]
	if op.mean {
		op.dy /= float32(op.x.Size())
	}
	Parallel(op.x.Size(), 1, op.bwd)
}

func (op *sumAllOp) backwardChunk(lo, hi int) {
	dx := op.x.Grad[lo:hi]
	for i := range dx {
		dx[i] += op.dy
	}
}

// maxOp is the maximum over one axis, with the index that won.
type maxOp struct {
	x, y     *Tensor
	v        axisView
	arg      []int32 // the winning index along the axis, per output element
	fwd, bwd func(lo, hi int)
	fwdRun   func(o, i0, i1 int)
	bwdRun   func(o, i0, i1 int)
}

// Max returns the maximum of x over axis (negative counts from the end),
// the axis removed: max over actions of Q-values [N, A] -> [N]. The
// gradient goes to the first maximal element, as in PyTorch's max(dim).
func Max(tp *Tape, x *Tensor, axis int) *Tensor {
	var buf [maxRank]int
	v, shape := viewAround("Max", x.Shape, axis, &buf)
	if v.d == 0 {
		panic(fmt.Sprintf("nets: Max over an empty axis of shape %v", x.Shape))
	}
	op, y := Record[maxOp](tp, shape, x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardOut, op.backwardOut
		op.fwdRun, op.bwdRun = op.maxRun, op.gradRun
	}
	op.x, op.y, op.v = x, y, v
	op.arg = grow(op.arg, v.outer*v.inner)
	Parallel(v.outer*v.inner, v.d, op.fwd)
	return y
}

func (op *maxOp) forwardOut(lo, hi int) { op.v.outputRuns(lo, hi, op.fwdRun) }

// maxRun takes the maximum of x[o, :, i0:i1] over the axis.
func (op *maxOp) maxRun(o, i0, i1 int) {
	v := op.v
	base := o * v.inner
	y, arg := op.y.Data[base+i0:base+i1], op.arg[base+i0:base+i1]
	copy(y, op.x.Data[o*v.d*v.inner+i0:o*v.d*v.inner+i1])
	clear(arg)
	for d := 1; d < v.d; d++ {
		row := op.x.Data[(o*v.d+d)*v.inner+i0 : (o*v.d+d)*v.inner+i1]
		for i, x := range row {
			if x > y[i] {
				y[i], arg[i] = x, int32(d)
			}
		}
	}
}

// Backward: dy goes to the element that won.
func (op *maxOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(op.v.outer*op.v.inner, op.v.d, op.bwd)
	}
}

func (op *maxOp) backwardOut(lo, hi int) { op.v.outputRuns(lo, hi, op.bwdRun) }

func (op *maxOp) gradRun(o, i0, i1 int) {
	v := op.v
	for i := i0; i < i1; i++ {
		d := int(op.arg[o*v.inner+i])
		op.x.Grad[(o*v.d+d)*v.inner+i] += op.y.Grad[o*v.inner+i]
	}
}

// ArgMax returns, in dst[:rows] (grown as needed), the index of the largest
// value of each row of x's last axis (the first one on ties): the predicted
// class of logits [N, K], the greedy action of Q-values [N, A]. It records
// nothing.
func ArgMax(x *Tensor, dst []int) []int {
	k := x.Dim(-1)
	rows := 0
	if k > 0 {
		rows = x.Size() / k
	}
	dst = slices.Grow(dst[:0], rows)[:rows]
	for r := range dst {
		row := x.Data[r*k : (r+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		dst[r] = best
	}
	return dst
}
