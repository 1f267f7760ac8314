package rnn

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
)

// seqOp starts a sequence of steps of one cell. Its output is the input
// projection of all T steps at once, gx = x·W_ihᵀ [T, B, G·H] (one GEMM).
// Each step then adds its recurrent part h·W_hhᵀ and the biases to its row
// block of gx and turns it into the gates' activations in place, which its
// backward pass reads: gx's values are the steps' scratch, not an input of
// anything else. The op holds what the steps share: W_hh transposed once
// for the sequence, in column panels that each step's GEMM reads in place
// (see panelWidth), each step's previous state H_prev [T, B, H], and for
// the GRU the gradient of the recurrent pre-activations dG_h [T, B, G·H].
// Each step's backward writes its dG_x into gx's gradient (and its dG_h
// here) and back-propagates into its previous state at once, since the
// step before needs it; this op's backward, which runs after all of
// theirs, forms the gradients of the weights with one GEMM each over all
// T·B rows:
//
//	dW_ih += dG_xᵀ x    dW_hh += dG_hᵀ H_prev    dx += dG_x W_ih
//	db_ih += Σ dG_x     db_hh += Σ dG_h
//
// (dG_h is dG_x for every kind but the GRU). A single Cell.Step is a
// sequence of one step.
type seqOp struct {
	cell     *Cell
	x        *nets.Tensor // [T, B, In] or [B, In]
	steps, b int
	rows     int       // T·B
	wT       []float32 // W_hhᵀ [H, G·H] in column panels, for sequences of several steps; empty: read W_hh transposed
	bias     []float32 // the biases a step adds to gx: b_ih + b_hh, or b_ih for the GRU [G·H]
	hPrev    []float32 // [T, B, H] in time order; zero where the previous state is
	anyPrev  bool      // some step had a previous state that was not zero
	dgh      []float32 // the GRU's dG_h [T, B, G·H]
	dwT      []float32 // dW_ihᵀ [In, G·H] of a narrow input (see narrowTile)
	keep     bool      // the steps record what the backward pass needs
	// The column sums of the backward pass: of src into sums.
	sumCols   func(lo, hi int)
	src, sums []float32
}

// project records the seqOp of a sequence of steps of c over x [T, B, In]
// (or one step, x [B, In]) and returns gx and the op.
func project(tp *nets.Tape, c *Cell, x *nets.Tensor, steps int) (*nets.Tensor, *seqOp) {
	r := x.Rank()
	if x.Shape[r-1] != c.In || x.Size() == 0 {
		panic(fmt.Sprintf("rnn: %s inputs of shape %v, want [..., %d]", c.Kind, x.Shape, c.In))
	}
	g := c.Gates() * c.Hidden
	var shape [3]int
	n := copy(shape[:], x.Shape)
	shape[n-1] = g
	op, gx := nets.Record[seqOp](tp, shape[:n], x, c.WIH, c.WHH, c.BIH, c.BHH)
	op.cell, op.x, op.steps = c, x, steps
	op.rows = x.Size() / c.In
	op.b = op.rows / steps
	op.keep = gx.RequiresGrad()
	op.bias = grow(op.bias, g)
	copy(op.bias, c.BIH.Data)
	if c.Kind != GRU {
		addTo(op.bias, c.BHH.Data)
	}
	kernels.Sgemm(false, true, op.rows, g, c.In, 1, x.Data, c.In, c.WIH.Data, c.In, 0, gx.Data, g)
	op.wT = op.wT[:0]
	if steps > 1 {
		op.wT = transposePanels(op.wT, c.WHH.Data, g, c.Hidden)
	}
	op.anyPrev = false
	if op.keep {
		op.hPrev = grow(op.hPrev, op.rows*c.Hidden)
		if c.Kind == GRU {
			op.dgh = grow(op.dgh, op.rows*g)
		}
	}
	return gx, op
}

// keepPrev records the previous state of step t (nil: zero).
func (op *seqOp) keepPrev(t int, hPrev *nets.Tensor) {
	if !op.keep {
		return
	}
	n := op.b * op.cell.Hidden
	dst := op.hPrev[t*n : (t+1)*n]
	if hPrev == nil {
		clear(dst)
		return
	}
	copy(dst, hPrev.Data)
	op.anyPrev = true
}

// Backward: the weights' gradients from all steps' dG_x and dG_h (see
// seqOp).
func (op *seqOp) Backward(gx *nets.Tensor) {
	c := op.cell
	g, h, in := c.Gates()*c.Hidden, c.Hidden, c.In
	dgx, dgh := gx.Grad, gx.Grad
	if c.Kind == GRU {
		dgh = op.dgh
	}
	if dw := c.WIH.GradBuf(); dw != nil {
		if in%narrowTile == 0 {
			kernels.Sgemm(true, false, g, in, op.rows, 1, dgx, g, op.x.Data, in, 1, dw, in)
		} else { // dW_ihᵀ = xᵀ dG_x, In the tall side (see narrowTile)
			op.dwT = grow(op.dwT, in*g)
			kernels.Sgemm(true, false, in, g, op.rows, 1, op.x.Data, in, dgx, g, 0, op.dwT, g)
			addTransposed(dw, op.dwT, in, g)
		}
	}
	if dw := c.WHH.GradBuf(); dw != nil && op.anyPrev {
		kernels.Sgemm(true, false, g, h, op.rows, 1, dgh, g, op.hPrev, h, 1, dw, h)
	}
	if dx := op.x.GradBuf(); dx != nil {
		kernels.Sgemm(false, false, op.rows, in, g, 1, dgx, g, c.WIH.Data, in, 1, dx, in)
	}
	dbi, dbh := c.BIH.GradBuf(), c.BHH.GradBuf()
	if dbi != nil || dbh != nil {
		op.columnSums(dgx, g)
		addTo(dbi, op.sums)
		if c.Kind == GRU {
			op.columnSums(dgh, g)
		}
		addTo(dbh, op.sums)
	}
}

// narrowTile: an input whose width In is not a multiple of it leaves the
// last column tile of dW_ih [G·H, In] mostly empty in nets/kernels' widest
// micro-kernel (12 x 32 on AVX-512): In = 65 computes 96 columns. The
// product is then formed as its transpose, In the tall side (tiles of 12
// rows), and added back transposed: measured (one thread, 2048 rows,
// G·H = 512) 1.7 ms the direct way, 1.1 ms transposed; with In = 128 the
// direct way is the faster (2.3 against 2.6 ms).
const narrowTile = 32

// addTransposed adds the transpose of a [rows, cols] into dst [cols, rows].
func addTransposed(dst, a []float32, rows, cols int) {
	for j := 0; j < cols; j++ {
		d := dst[j*rows : (j+1)*rows]
		for i := range d {
			d[i] += a[i*cols+j]
		}
	}
}

// columnSums sets op.sums to the sums over all rows of the columns of src
// [rows, g], each added in row order.
func (op *seqOp) columnSums(src []float32, g int) {
	if op.sumCols == nil {
		op.sumCols = op.sumColumns
	}
	op.src = src
	op.sums = grow(op.sums, g)
	clear(op.sums)
	// Chunks of 256 columns: long runs along each row.
	const cols = 256
	if op.rows*g < 1<<16 {
		op.sumCols(0, g)
	} else {
		nets.Parallel(g, nets.Chunk(1)/cols, op.sumCols)
	}
	op.src = nil
}

func (op *seqOp) sumColumns(lo, hi int) {
	g := len(op.sums)
	sums := op.sums[lo:hi]
	for r := 0; r < op.rows; r++ {
		addTo(sums, op.src[r*g+lo:r*g+hi])
	}
}

// panelWidth is the width of the column panels of W_hhᵀ: 512 floats, 2
// KiB between rows, which nets/kernels reads in place instead of packing
// (a whole row of a wide W_hhᵀ, 8 KiB for 4·512 units, is packed at every
// step: measured 64x2048x512, one thread, 1.09 ms as one product, 0.89 ms
// as four panels).
const panelWidth = 512

// transposePanels returns dst holding the transpose of the rows x cols
// matrix a, cut into column panels of panelWidth (the last one narrower):
// panel p is the [cols, w_p] matrix of columns p·panelWidth.. of aᵀ, stored
// row by row from p·panelWidth·cols.
func transposePanels(dst, a []float32, rows, cols int) []float32 {
	dst = grow(dst, rows*cols)
	const block = 16 // rows of a read side by side: each of their cache lines serves 16 columns
	for p0 := 0; p0 < rows; p0 += panelWidth {
		w := min(panelWidth, rows-p0)
		panel := dst[p0*cols : (p0+w)*cols]
		for i0 := p0; i0 < p0+w; i0 += block {
			i1 := min(i0+block, p0+w)
			for j := 0; j < cols; j++ {
				out := panel[j*w+i0-p0 : j*w+i1-p0]
				for k := range out {
					out[k] = a[(i0+k)*cols+j]
				}
			}
		}
	}
	return dst
}
