package nets

import "fmt"

// gatherOp picks one element along an axis per output position.
type gatherOp struct {
	x   *Tensor
	v   axisView
	idx []int32
}

// Gather returns x with axis removed, picking at each position the element
// whose index along the axis idx gives: for Q-values [N, A] and actions
// idx [N], Gather(tp, q, 1, idx) is Q(s, a) [N]. len(idx) is the size of
// the output (x's size without the axis). It is PyTorch's
// x.gather(axis, idx.unsqueeze(axis)).squeeze(axis).
func Gather(tp *Tape, x *Tensor, axis int, idx []int) *Tensor {
	var buf [maxRank]int
	v, shape := viewAround("Gather", x.Shape, axis, &buf)
	if len(idx) != v.outer*v.inner {
		panic(fmt.Sprintf("nets: Gather over axis %d of shape %v with %d indices, want %d", axis, x.Shape, len(idx), v.outer*v.inner))
	}
	op, y := Record[gatherOp](tp, shape, x)
	op.x, op.v = x, v
	op.idx = grow(op.idx, len(idx))
	for p, k := range idx {
		if k < 0 || k >= v.d {
			panic(fmt.Sprintf("nets: Gather index %d at %d outside [0, %d)", k, p, v.d))
		}
		op.idx[p] = int32(k)
		o, i := p/v.inner, p%v.inner
		y.Data[p] = x.Data[(o*v.d+k)*v.inner+i]
	}
	return y
}

// Backward: dy goes back to the picked elements.
func (op *gatherOp) Backward(y *Tensor) {
	dx := op.x.GradBuf()
	if dx == nil {
		return
	}
	v := op.v
	for p, k := range op.idx {
		o, i := p/v.inner, p%v.inner
		dx[(o*v.d+int(k))*v.inner+i] += y.Grad[p]
	}
}

// lookupOp copies rows of a table: an embedding lookup.
type lookupOp struct {
	w   *Tensor
	idx []int32
}

// Lookup returns the rows idx of the table w [V, D] as [len(idx), D]: an
// embedding lookup. The gradient of a row used several times is the sum of
// its uses, added in idx order.
func Lookup(tp *Tape, w *Tensor, idx []int) *Tensor {
	if w.Rank() != 2 {
		panic(fmt.Sprintf("nets: Lookup in a table of shape %v, want [V, D]", w.Shape))
	}
	v, d := w.Shape[0], w.Shape[1]
	op, y := Record[lookupOp](tp, []int{len(idx), d}, w)
	op.w = w
	op.idx = grow(op.idx, len(idx))
	for r, k := range idx {
		if k < 0 || k >= v {
			panic(fmt.Sprintf("nets: Lookup of row %d at %d in a table of %d rows", k, r, v))
		}
		op.idx[r] = int32(k)
		copy(y.Data[r*d:(r+1)*d], w.Data[k*d:(k+1)*d])
	}
	return y
}

// Backward: dW[idx[r]] += dy[r], in r order.
func (op *lookupOp) Backward(y *Tensor) {
	dw := op.w.GradBuf()
	if dw == nil {
		return
	}
	d := op.w.Shape[1]
	for r, k := range op.idx {
		row := dw[int(k)*d : int(k+1)*d]
		for j, g := range y.Grad[r*d : (r+1)*d] {
			row[j] += g
		}
	}
}
