package rnn

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
)

// recurrence is what the steps of one sequence share. Their forward passes
// read W_hh transposed once for the sequence (a GEMM reads it in place,
// without packing it at every step); their backward passes leave, row
// block t by row block t, the gradient of the recurrent pre-activations
// dG_h [T, B, G·H] next to the previous states H_prev [T, B, H], so that
// the first step's backward, which runs last, forms dW_hh += dG_hᵀ H_prev
// and db_hh with one GEMM over all T·B rows instead of T small ones. Each
// step still back-propagates into its previous state at once, since the
// step before needs it.
//
// A sequence's steps are a chain (each step's state feeds the next), so a
// backward pass that reaches any of them reaches all of them, the first
// one last; a single Cell.Step is a sequence of one step.
type recurrence struct {
	cell     *Cell
	steps, b int
	wT       []float32 // W_hhᵀ [H, G·H] for sequences of several steps; nil: read W_hh transposed
	hPrev    []float32 // [T, B, H] by time index; zero where the previous state is
	anyPrev  bool      // some step had a previous state that was not zero
	own      []float32 // [T, B, G·H]: dG_h when gx's gradient cannot hold it
	dG       []float32 // dG_h for this backward pass: gx's gradient or own
	done     int       // steps back-propagated in this pass
	sumCols  func(lo, hi int)
	db       []float32 // the db_hh that sumCols adds into
}

// stepBase is the part of every step op that handles the recurrence: its
// time step, its inputs, the rows that are padding.
type stepBase struct {
	cell     *Cell
	rec      *recurrence // the sequence's: &first.own for the first step
	own      recurrence
	k, t     int
	b, h, g  int          // batch, hidden units, G·H
	gx       *nets.Tensor // [T, B, G·H] (or [B, G·H]): the projected inputs
	hPrev    *nets.Tensor // [B, H]; nil: zero
	valid    []bool       // per row: its sequence is still running at t; nil: every row
	keep     bool         // record what backward needs (the output needs a gradient)
	zeros    []float32    // [H] a row of a zero state
	fwd, bwd func(lo, hi int)
}

// begin fills the step's fields and its part of the recurrence; first is
// the sequence's recurrence (nil for its first step, k = 0).
func (op *stepBase) begin(c *Cell, first *recurrence, k, steps int, gx *nets.Tensor, t int, hPrev *nets.Tensor, lengths []int, out *nets.Tensor) {
	op.cell, op.k, op.t, op.gx, op.hPrev = c, k, t, gx, hPrev
	op.h, op.g = c.Hidden, c.Gates()*c.Hidden
	op.b = gx.Shape[gx.Rank()-2]
	if len(op.zeros) != op.h {
		op.zeros = make([]float32, op.h)
	}
	if gx.Shape[gx.Rank()-1] != op.g || gx.Size() < (t+1)*op.b*op.g {
		panic(fmt.Sprintf("rnn: %s step %d of projected inputs %v", c.Kind, t, gx.Shape))
	}
	op.valid = op.valid[:0]
	if lengths != nil {
		if len(lengths) != op.b {
			panic(fmt.Sprintf("rnn: %d lengths for a batch of %d", len(lengths), op.b))
		}
		for _, n := range lengths {
			op.valid = append(op.valid, t < n)
		}
	} else {
		op.valid = nil
	}
	op.keep = out.RequiresGrad()
	r := first
	if k == 0 {
		r = &op.own
		r.cell, r.steps, r.b, r.anyPrev, r.done = c, steps, op.b, false, 0
		r.wT = r.wT[:0]
		if steps > 1 {
			r.wT = transpose(r.wT, c.WHH.Data, op.g, op.h)
		}
		if op.keep {
			r.hPrev = grow(r.hPrev, steps*op.b*op.h)
		}
	}
	op.rec = r
	if op.keep {
		dst := r.hPrev[t*op.b*op.h : (t+1)*op.b*op.h]
		if hPrev == nil {
			clear(dst)
		} else {
			copy(dst, hPrev.Data)
			r.anyPrev = true
		}
	}
}

// rowValid reports whether row b is still running (not padding).
func (op *stepBase) rowValid(b int) bool { return op.valid == nil || op.valid[b] }

// gxRows returns the projected inputs of the step's rows [lo, hi).
func (op *stepBase) gxRows(lo, hi int) []float32 {
	base := op.t * op.b * op.g
	return op.gx.Data[base+lo*op.g : base+hi*op.g]
}

// recurrent sets gh [B, G·H] to b_hh + h_prev W_hhᵀ, row by row.
func (op *stepBase) recurrent(gh []float32) {
	c := op.cell
	for b := 0; b < op.b; b++ {
		copy(gh[b*op.g:(b+1)*op.g], c.BHH.Data)
	}
	if op.hPrev == nil {
		return
	}
	if wT := op.rec.wT; len(wT) > 0 {
		kernels.Sgemm(false, false, op.b, op.g, op.h, 1, op.hPrev.Data, op.h, wT, op.g, 1, gh, op.g)
	} else {
		kernels.Sgemm(false, true, op.b, op.g, op.h, 1, op.hPrev.Data, op.h, c.WHH.Data, op.h, 1, gh, op.g)
	}
}

// gradRows returns where the step writes (=) the gradient of its recurrent
// pre-activations, dG_h [B, G·H], and of its projected inputs, dG_x (nil
// when gx needs no gradient). For every kind but the GRU the two are the
// same values, and both are gx's gradient itself when it has one (dG_x is
// then dG_h). The first call of a backward pass picks the buffer.
func (op *stepBase) gradRows() (dgh, dgx []float32) {
	r := op.rec
	gxGrad := op.gx.GradBuf()
	if r.done == 0 {
		if gxGrad != nil && op.cell.Kind != GRU {
			r.dG = gxGrad
		} else {
			r.own = grow(r.own, r.steps*r.b*op.g)
			r.dG = r.own
		}
	}
	n := op.b * op.g
	dgh = r.dG[op.t*n : (op.t+1)*n]
	if gxGrad != nil {
		dgx = gxGrad[op.t*n : (op.t+1)*n]
	}
	return dgh, dgx
}

// backRecurrent adds dG_h W_hh into the previous state's gradient and
// counts the step; the first step of the sequence, the last to run, then
// adds dW_hh += dG_hᵀ H_prev and db_hh += the column sums of dG_h.
func (op *stepBase) backRecurrent(dgh []float32) {
	c, r := op.cell, op.rec
	if op.hPrev != nil {
		if dh := op.hPrev.GradBuf(); dh != nil {
			kernels.Sgemm(false, false, op.b, op.h, op.g, 1, dgh, op.g, c.WHH.Data, op.h, 1, dh, op.h)
		}
	}
	r.done++
	if op.k != 0 {
		return
	}
	if r.done != r.steps {
		panic(fmt.Sprintf("rnn: internal error: the backward pass reached %d of the %d steps of a sequence", r.done, r.steps))
	}
	r.done = 0
	rows := r.steps * r.b
	if dw := c.WHH.GradBuf(); dw != nil && r.anyPrev {
		kernels.Sgemm(true, false, op.g, op.h, rows, 1, r.dG, op.g, r.hPrev, op.h, 1, dw, op.h)
	}
	if db := c.BHH.GradBuf(); db != nil {
		if r.sumCols == nil {
			r.sumCols = r.sumColumns
		}
		r.db = db
		nets.Parallel(op.g, rows, r.sumCols)
		r.db = nil
	}
}

// sumColumns adds the sums over all rows of columns [lo, hi) of dG_h into
// db, each in row order.
func (r *recurrence) sumColumns(lo, hi int) {
	g := len(r.db)
	db := r.db[lo:hi]
	for row := 0; row < r.steps*r.b; row++ {
		for j, v := range r.dG[row*g+lo : row*g+hi] {
			db[j] += v
		}
	}
}

// inputs lists the tensors a step reads, for Record: those that are set.
func inputs(buf *[6]*nets.Tensor, ts ...*nets.Tensor) []*nets.Tensor {
	n := 0
	for _, t := range ts {
		if t != nil {
			buf[n] = t
			n++
		}
	}
	return buf[:n]
}

// transpose returns dst holding the transpose of the rows x cols matrix a.
func transpose(dst, a []float32, rows, cols int) []float32 {
	dst = grow(dst, rows*cols)
	const blk = 32
	for i0 := 0; i0 < rows; i0 += blk {
		for j0 := 0; j0 < cols; j0 += blk {
			for i := i0; i < min(i0+blk, rows); i++ {
				for j := j0; j < min(j0+blk, cols); j++ {
					dst[j*rows+i] = a[i*cols+j]
				}
			}
		}
	}
	return dst
}

// grow returns buf resized to n elements, reusing its memory when it can.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// row returns row b of the state x [B, H], or a zero row for a zero state.
func (op *stepBase) row(x *nets.Tensor, b int) []float32 {
	if x == nil {
		return op.zeros
	}
	return x.Data[b*op.h : (b+1)*op.h]
}

// gradOf returns x's gradient buffer, nil for a zero state or a tensor
// that needs none. Call it before the parallel part of a backward pass:
// the first call of a pass clears the buffer.
func gradOf(x *nets.Tensor) []float32 {
	if x == nil {
		return nil
	}
	return x.GradBuf()
}

// addTo adds x into dst.
func addTo(dst, x []float32) {
	x = x[:len(dst)]
	for j, v := range x {
		dst[j] += v
	}
}

// addMul adds x ⊙ y into dst.
func addMul(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for j := range dst {
		dst[j] += x[j] * y[j]
	}
}
