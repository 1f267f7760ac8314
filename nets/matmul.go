package nets

import (
	"fmt"

	"github.com/arcadelab/arcade/nets/kernels"
)

// matMulOp is C = op(A) op(B) for 2-D A and B, or for 3-D ones batch by
// batch, op being a transpose or not.
type matMulOp struct {
	a, b           *Tensor
	transA, transB bool
	batch, m, n, k int
}

// MatMul returns op(a)·op(b), where op transposes its argument when the
// flag says so. a and b are 2-D ([M,K]·[K,N] -> [M,N] without transposes),
// or 3-D with the same leading batch size B ([B,M,K]·[B,K,N] -> [B,M,N]).
// Every product goes through kernels.Sgemm.
func MatMul(tp *Tape, a, b *Tensor, transA, transB bool) *Tensor {
	if a.Rank() != b.Rank() || a.Rank() < 2 || a.Rank() > 3 || a.Rank() == 3 && a.Shape[0] != b.Shape[0] {
		panic(fmt.Sprintf("nets: MatMul of shapes %v and %v", a.Shape, b.Shape))
	}
	r := a.Rank()
	batch := 1
	if r == 3 {
		batch = a.Shape[0]
	}
	m, ka := a.Shape[r-2], a.Shape[r-1]
	if transA {
		m, ka = ka, m
	}
	kb, n := b.Shape[r-2], b.Shape[r-1]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		panic(fmt.Sprintf("nets: MatMul of shapes %v (transposed %v) and %v (transposed %v): inner sizes %d and %d", a.Shape, transA, b.Shape, transB, ka, kb))
	}
	var shape [3]int
	if r == 3 {
		shape = [3]int{batch, m, n}
	} else {
		shape = [3]int{m, n}
	}
	op, out := Record[matMulOp](tp, shape[:r], a, b)
	*op = matMulOp{a: a, b: b, transA: transA, transB: transB, batch: batch, m: m, n: n, k: ka}
	lda, ldb := op.lds()
	for i := 0; i < batch; i++ {
		kernels.Sgemm(transA, transB, m, n, ka, 1, a.Data[i*m*ka:], lda, b.Data[i*ka*n:], ldb, 0, out.Data[i*m*n:], n)
	}
	return out
}

// lds returns the leading dimensions of A and B as stored.
func (op *matMulOp) lds() (lda, ldb int) {
	lda, ldb = op.k, op.n
	if op.transA {
		lda = op.m
	}
	if op.transB {
		ldb = op.k
	}
	return lda, ldb
}

// Backward: with C = op(A) op(B), d op(A) = dC op(B)ᵀ and
// d op(B) = op(A)ᵀ dC, transposed back where A or B was transposed.
func (op *matMulOp) Backward(out *Tensor) {
	m, n, k := op.m, op.n, op.k
	lda, ldb := op.lds()
	da, db := op.a.GradBuf(), op.b.GradBuf()
	for i := 0; i < op.batch; i++ {
		a, b, dc := op.a.Data[i*m*k:], op.b.Data[i*k*n:], out.Grad[i*m*n:]
		if da != nil {
			dai := da[i*m*k:]
			if op.transA { // dA[K,M] += op(B)[K,N] · dCᵀ[N,M]
				kernels.Sgemm(op.transB, true, k, m, n, 1, b, ldb, dc, n, 1, dai, m)
			} else { // dA[M,K] += dC[M,N] · op(B)ᵀ[N,K]
				kernels.Sgemm(false, !op.transB, m, k, n, 1, dc, n, b, ldb, 1, dai, k)
			}
		}
		if db != nil {
			dbi := db[i*k*n:]
			if op.transB { // dB[N,K] += dCᵀ[N,M] · op(A)[M,K]
				kernels.Sgemm(true, op.transA, n, k, m, 1, dc, n, a, lda, 1, dbi, k)
			} else { // dB[K,N] += op(A)ᵀ[K,M] · dC[M,N]
				kernels.Sgemm(!op.transA, false, k, n, m, 1, a, lda, dc, n, 1, dbi, n)
			}
		}
	}
}

// affineOp is y = x·Wᵀ + b (or x·W + b when transW), x flattened to rows.
type affineOp struct {
	x, w, b *Tensor
	transW  bool
	rows    int // N: the product of x's leading axes
	in, out int
	sumCols func(lo, hi int) // db += column sums of dy, built once
	dy, db  []float32        // the current pass's operands of sumCols
}

// Affine returns x·Wᵀ + b, PyTorch's linear map: W is [Out, In], b is
// [Out] or nil, x is [..., In] and the result [..., Out].
func Affine(tp *Tape, x, w, b *Tensor) *Tensor { return affine(tp, x, w, b, false) }

// AffineT returns x·W + b with W of shape [In, Out]: the transposed use of
// a [Out', In'] weight, as a tied decoder uses its encoder's weight.
func AffineT(tp *Tape, x, w, b *Tensor) *Tensor { return affine(tp, x, w, b, true) }

func affine(tp *Tape, x, w, b *Tensor, transW bool) *Tensor {
	if w.Rank() != 2 || x.Rank() < 1 {
		panic(fmt.Sprintf("nets: Affine of x %v and weight %v", x.Shape, w.Shape))
	}
	out, in := w.Shape[0], w.Shape[1]
	if transW {
		out, in = in, out
	}
	if x.Dim(-1) != in {
		panic(fmt.Sprintf("nets: Affine of x %v with weight %v (transposed %v): x's last axis must be %d", x.Shape, w.Shape, transW, in))
	}
	if b != nil && (b.Rank() != 1 || b.Shape[0] != out) {
		panic(fmt.Sprintf("nets: Affine bias of shape %v, want [%d]", b.Shape, out))
	}
	var shape [8]int
	if x.Rank() > len(shape) {
		panic(fmt.Sprintf("nets: Affine of a tensor of rank %d", x.Rank()))
	}
	n := copy(shape[:], x.Shape)
	shape[n-1] = out
	var op *affineOp
	var y *Tensor
	if b != nil {
		op, y = Record[affineOp](tp, shape[:n], x, w, b)
	} else {
		op, y = Record[affineOp](tp, shape[:n], x, w)
	}
	op.x, op.w, op.b, op.transW = x, w, b, transW
	op.rows, op.in, op.out = x.Size()/in, in, out
	beta := float32(0)
	if b != nil {
		for r := 0; r < op.rows; r++ {
			copy(y.Data[r*out:(r+1)*out], b.Data)
		}
		beta = 1
	}
	// W is stored [Out, In] (not transposed: use Wᵀ) or [In, Out].
	kernels.Sgemm(false, !transW, op.rows, out, in, 1, x.Data, in, w.Data, w.Shape[1], beta, y.Data, out)
	return y
}

// Backward: dx += dy·W (dy·Wᵀ when transW), dW += dyᵀ·x (xᵀ·dy when
// transW), db += the column sums of dy.
func (op *affineOp) Backward(y *Tensor) {
	rows, in, out := op.rows, op.in, op.out
	dy := y.Grad
	if dx := op.x.GradBuf(); dx != nil {
		kernels.Sgemm(false, op.transW, rows, in, out, 1, dy, out, op.w.Data, op.w.Shape[1], 1, dx, in)
	}
	if dw := op.w.GradBuf(); dw != nil {
		if op.transW { // dW[In,Out] += xᵀ[In,N] · dy[N,Out]
			kernels.Sgemm(true, false, in, out, rows, 1, op.x.Data, in, dy, out, 1, dw, out)
		} else { // dW[Out,In] += dyᵀ[Out,N] · x[N,In]
			kernels.Sgemm(true, false, out, in, rows, 1, dy, out, op.x.Data, in, 1, dw, in)
		}
	}
	if op.b == nil {
		return
	}
	if db := op.b.GradBuf(); db != nil {
		if op.sumCols == nil {
			op.sumCols = op.sumColumns
		}
		op.dy, op.db = dy, db
		Parallel(out, rows, op.sumCols)
		op.dy, op.db = nil, nil
	}
}

// sumColumns adds the sums over rows of columns [lo, hi) of dy into db,
// each in row order.
func (op *affineOp) sumColumns(lo, hi int) {
	db, dy, out := op.db[lo:hi], op.dy, op.out
	for r := 0; r < op.rows; r++ {
		row := dy[r*out+lo : r*out+hi]
		for j, g := range row {
			db[j] += g
		}
	}
}
