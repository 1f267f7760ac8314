package nets

import (
	"fmt"
)

// copyOp is an output that holds x's values under another shape (Reshape)
// or without a gradient path (Detach).
type copyOp struct {
	x      *Tensor
	detach bool
}

// Reshape returns x's values under a new shape with the same number of
// elements; one size may be -1 (inferred). The values are copied.
func Reshape(tp *Tape, x *Tensor, shape ...int) *Tensor {
	var buf [maxRank]int
	if len(shape) > maxRank {
		panic(fmt.Sprintf("nets: Reshape to rank %d", len(shape)))
	}
	s := buf[:copy(buf[:], shape)]
	infer, known := -1, 1
	for i, d := range s {
		if d == -1 && infer < 0 {
			infer = i
		} else if d < 0 {
			panic(fmt.Sprintf("nets: Reshape of %v to %v", x.Shape, shape))
		} else {
			known *= d
		}
	}
	if infer >= 0 && known > 0 {
		s[infer] = x.Size() / known
	}
	if sizeOf(s) != x.Size() {
		panic(fmt.Sprintf("nets: Reshape of %v (%d elements) to %v", x.Shape, x.Size(), shape))
	}
	op, y := Record[copyOp](tp, s, x)
	op.x, op.detach = x, false
	copy(y.Data, x.Data)
	return y
}

// Flatten returns x [N, ...] as [N, rest]: the conv-to-dense step.
func Flatten(tp *Tape, x *Tensor) *Tensor {
	if x.Rank() < 1 {
		panic("nets: Flatten of a scalar")
	}
	return Reshape(tp, x, x.Shape[0], -1)
}

// Detach returns a copy of x's values through which no gradient flows:
// the generator's output fed to the discriminator's own step, a target
// that must stay fixed.
func Detach(tp *Tape, x *Tensor) *Tensor {
	op, y := Record[copyOp](tp, x.Shape)
	op.x, op.detach = x, true
	copy(y.Data, x.Data)
	return y
}

// Backward: dx += dy (nothing for Detach, whose output needs no gradient).
func (op *copyOp) Backward(y *Tensor) {
	if op.detach {
		return
	}
	if dx := op.x.GradBuf(); dx != nil {
		for i, g := range y.Grad {
			dx[i] += g
		}
	}
}

// concatOp joins inputs along one axis; it also serves Slice (one input,
// one window of it).
type concatOp struct {
	xs      []*Tensor
	outer   int   // product of the axes before the axis
	inner   int   // product of the axes after it
	offs    []int // where each input starts along the axis, in the output
	sizes   []int // each input's size along the axis
	outAxis int   // the joined size along the axis (Concat: the output's, Slice: the input's)
	slice   bool  // Slice: xs[0] is the input, the output its window at offs[0]
}

// Concat joins xs along axis (negative counts from the end); the other
// axes must agree.
func Concat(tp *Tape, axis int, xs ...*Tensor) *Tensor {
	if len(xs) == 0 {
		panic("nets: Concat of nothing")
	}
	var buf [maxRank]int
	s := buf[:copy(buf[:], xs[0].Shape)]
	if axis < 0 {
		axis += len(s)
	}
	if axis < 0 || axis >= len(s) {
		panic(fmt.Sprintf("nets: Concat over axis %d of shape %v", axis, xs[0].Shape))
	}
	total := 0
	for _, x := range xs {
		if x.Rank() != len(s) {
			panic(fmt.Sprintf("nets: Concat of shapes %v and %v", xs[0].Shape, x.Shape))
		}
		for i, d := range x.Shape {
			if i != axis && d != s[i] {
				panic(fmt.Sprintf("nets: Concat over axis %d of shapes %v and %v", axis, xs[0].Shape, x.Shape))
			}
		}
		total += x.Shape[axis]
	}
	s[axis] = total
	op, y := Record[concatOp](tp, s, xs...)
	op.slice = false
	op.xs = append(op.xs[:0], xs...)
	op.setAxis(s, axis)
	op.offs, op.sizes = op.offs[:0], op.sizes[:0]
	off := 0
	for _, x := range xs {
		op.offs, op.sizes = append(op.offs, off), append(op.sizes, x.Shape[axis])
		off += x.Shape[axis]
	}
	for k, x := range xs {
		op.moveBlocks(x.Data, y.Data, k, false)
	}
	return y
}

// setAxis records the sizes around axis of the joined shape (Concat's
// output, Slice's input).
func (op *concatOp) setAxis(joined []int, axis int) {
	op.outer, op.inner, op.outAxis = 1, 1, joined[axis]
	for _, d := range joined[:axis] {
		op.outer *= d
	}
	for _, d := range joined[axis+1:] {
		op.inner *= d
	}
}

// moveBlocks copies part k between its own buffer part and the joined
// buffer whole: into whole (toPart false), or adding whole into part (the
// backward direction, toPart true).
func (op *concatOp) moveBlocks(part, whole []float32, k int, toPart bool) {
	n := op.sizes[k] * op.inner
	for o := 0; o < op.outer; o++ {
		p := part[o*n : (o+1)*n]
		w := whole[(o*op.outAxis+op.offs[k])*op.inner:][:n]
		if toPart {
			for i, g := range w {
				p[i] += g
			}
		} else {
			copy(w, p)
		}
	}
}

// Slice returns the window [lo, hi) of x along axis (negative counts from
// the end), e.g. one gate's columns of an LSTM's pre-activations.
func Slice(tp *Tape, x *Tensor, axis, lo, hi int) *Tensor {
	var buf [maxRank]int
	s := buf[:copy(buf[:], x.Shape)]
	if axis < 0 {
		axis += len(s)
	}
	if axis < 0 || axis >= len(s) || lo < 0 || hi < lo || hi > s[axis] {
		panic(fmt.Sprintf("nets: Slice [%d, %d) over axis %d of shape %v", lo, hi, axis, x.Shape))
	}
	s[axis] = hi - lo
	op, y := Record[concatOp](tp, s, x)
	op.slice = true
	op.xs = append(op.xs[:0], x)
	op.setAxis(x.Shape, axis)
	op.offs, op.sizes = append(op.offs[:0], lo), append(op.sizes[:0], hi-lo)
	// Here the "part" is the output and the "whole" the input.
	n := op.sizes[0] * op.inner
	for o := 0; o < op.outer; o++ {
		copy(y.Data[o*n:(o+1)*n], x.Data[(o*op.outAxis+lo)*op.inner:][:n])
	}
	return y
}

// Backward: each input gets its block of dy back (Slice: dy goes back to
// its window of the input).
func (op *concatOp) Backward(y *Tensor) {
	if op.slice {
		dx := op.xs[0].GradBuf()
		if dx == nil {
			return
		}
		n := op.sizes[0] * op.inner
		for o := 0; o < op.outer; o++ {
			w := dx[(o*op.outAxis+op.offs[0])*op.inner:][:n]
			for i, g := range y.Grad[o*n : (o+1)*n] {
				w[i] += g
			}
		}
		return
	}
	for k, x := range op.xs {
		if dx := x.GradBuf(); dx != nil {
			op.moveBlocks(dx, y.Grad, k, true)
		}
	}
}

// Split cuts x along axis into consecutive pieces of the given sizes
// (which must add up to the axis) and appends them to dst[:0], which it
// returns; pass the previous result as dst to allocate nothing.
func Split(tp *Tape, dst []*Tensor, x *Tensor, axis int, sizes ...int) []*Tensor {
	dst = dst[:0]
	lo := 0
	for _, n := range sizes {
		dst = append(dst, Slice(tp, x, axis, lo, lo+n))
		lo += n
	}
	if lo != x.Dim(axis) {
		panic(fmt.Sprintf("nets: Split of %v over axis %d into sizes %v", x.Shape, axis, sizes))
	}
	return dst
}
