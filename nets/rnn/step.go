package rnn

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
)

// stepBase is the part of every step op that handles the recurrence: its
// sequence, its time step, its previous state, the rows that are padding.
type stepBase struct {
	cell     *Cell
	seq      *seqOp
	t        int
	b, h, g  int          // batch, hidden units, G·H
	gx       *nets.Tensor // [T, B, G·H] (or [B, G·H]): the projected inputs, the seqOp's output
	hPrev    *nets.Tensor // [B, H]; nil: zero
	valid    []bool       // per row: its sequence is still running at t; nil: every row
	zeros    []float32    // [H] a row of a zero state
	scratch  []float32    // [B, G·H] dG_h when gx needs no gradient
	fwd, bwd func(lo, hi int)
}

// begin fills the step's fields and records its previous state in seq.
func (op *stepBase) begin(c *Cell, seq *seqOp, gx *nets.Tensor, t int, hPrev *nets.Tensor, lengths []int) {
	op.cell, op.seq, op.t, op.gx, op.hPrev = c, seq, t, gx, hPrev
	op.h, op.g, op.b = c.Hidden, c.Gates()*c.Hidden, seq.b
	if t < 0 || t >= seq.steps {
		panic(fmt.Sprintf("rnn: step %d of a sequence of %d", t, seq.steps))
	}
	if len(op.zeros) != op.h {
		op.zeros = make([]float32, op.h)
	}
	if lengths != nil {
		if len(lengths) != op.b {
			panic(fmt.Sprintf("rnn: %d lengths for a batch of %d", len(lengths), op.b))
		}
		op.valid = grow(op.valid, op.b)
		for b, n := range lengths {
			op.valid[b] = t < n
		}
	} else {
		op.valid = nil
	}
	seq.keepPrev(t, hPrev)
}

// rowValid reports whether row b is still running (not padding).
func (op *stepBase) rowValid(b int) bool { return op.valid == nil || op.valid[b] }

// gates returns the step's block of gx [B, G·H]: its projected inputs,
// then its pre-activations, then its gates' activations.
func (op *stepBase) gates() []float32 {
	n := op.b * op.g
	return op.gx.Data[op.t*n : (op.t+1)*n]
}

// row returns row b of the state x [B, H], or a zero row for a zero state.
func (op *stepBase) row(x *nets.Tensor, b int) []float32 {
	if x == nil {
		return op.zeros
	}
	return x.Data[b*op.h : (b+1)*op.h]
}

// recurrent adds h_prev W_hhᵀ into dst [B, G·H], panel by panel of the
// sequence's W_hhᵀ (see transposePanels).
func (op *stepBase) recurrent(dst []float32) {
	if op.hPrev == nil {
		return
	}
	wT := op.seq.wT
	if len(wT) == 0 {
		kernels.Sgemm(false, true, op.b, op.g, op.h, 1, op.hPrev.Data, op.h, op.cell.WHH.Data, op.h, 1, dst, op.g)
		return
	}
	for p0 := 0; p0 < op.g; p0 += panelWidth {
		w := min(panelWidth, op.g-p0)
		kernels.Sgemm(false, false, op.b, w, op.h, 1, op.hPrev.Data, op.h, wT[p0*op.h:], w, 1, dst[p0:], op.g)
	}
}

// gradRows returns where the step writes (=) the gradient of its
// projected inputs, dG_x [B, G·H] (nil when gx needs no gradient), and of
// its recurrent pre-activations, dG_h: the same buffer for every kind but
// the GRU.
func (op *stepBase) gradRows() (dgh, dgx []float32) {
	n := op.b * op.g
	if g := op.gx.GradBuf(); g != nil {
		dgx = g[op.t*n : (op.t+1)*n]
	}
	switch {
	case op.cell.Kind == GRU && op.seq.keep:
		dgh = op.seq.dgh[op.t*n : (op.t+1)*n]
	case op.cell.Kind != GRU && dgx != nil:
		dgh = dgx
	default:
		op.scratch = grow(op.scratch, n)
		dgh = op.scratch
	}
	return dgh, dgx
}

// backRecurrent adds dG_h W_hh into the previous state's gradient.
func (op *stepBase) backRecurrent(dgh []float32) {
	if op.hPrev == nil {
		return
	}
	if dh := op.hPrev.GradBuf(); dh != nil {
		kernels.Sgemm(false, false, op.b, op.h, op.g, 1, dgh, op.g, op.cell.WHH.Data, op.h, 1, dh, op.h)
	}
}

// inputs lists the tensors a step reads, for Record: those that are set.
func inputs(buf *[4]*nets.Tensor, ts ...*nets.Tensor) []*nets.Tensor {
	n := 0
	for _, t := range ts {
		if t != nil {
			buf[n] = t
			n++
		}
	}
	return buf[:n]
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

// addMul adds x ⊙ y into dst.
func addMul(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for j := range dst {
		dst[j] += x[j] * y[j]
	}
}

// grow returns buf resized to n elements, reusing its memory when it can.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}
