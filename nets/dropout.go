package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// dropoutOp multiplies by a random mask of 0 and 1/(1-p).
type dropoutOp struct {
	x, y      *Tensor
	mask      []float32
	seed      uint64  // drawn from the caller's rng, one per call
	threshold uint64  // an element survives when its 32-bit draw is at least this
	scale     float32 // 1/(1-p)
	fwd, bwd  func(lo, hi int)
}

// Dropout zeroes each element of x with probability p and scales the rest
// by 1/(1-p) (inverted dropout, Srivastava et al. 2014) when tp is in
// training mode; otherwise (evaluation, a nil tape) it returns x itself.
// It draws one number from rng per call and derives each chunk's mask from
// it and the chunk's position (a PCG stream per chunk), so the mask is the
// same at any thread count.
func Dropout(tp *Tape, x *Tensor, p float64, rng *rand.Rand) *Tensor {
	if p < 0 || p > 1 || math.IsNaN(p) {
		panic(fmt.Sprintf("nets: dropout probability %v outside [0, 1]", p))
	}
	if !tp.Training() || p == 0 {
		return x
	}
	op, y := Record[dropoutOp](tp, x.Shape, x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardChunk, op.backwardChunk
	}
	op.x, op.y = x, y
	op.mask = grow(op.mask, x.Size())
	op.seed = rng.Uint64()
	op.threshold = uint64(p * (1 << 32))
	op.scale = 0
	if p < 1 {
		op.scale = float32(1 / (1 - p))
	}
	Parallel(x.Size(), 1, op.fwd)
	return y
}

// forwardChunk draws the mask of elements [lo, hi), two 32-bit draws per
// 64-bit number, and applies it.
func (op *dropoutOp) forwardChunk(lo, hi int) {
	var src rand.PCG
	src.Seed(op.seed, uint64(lo))
	mask, x, y := op.mask[lo:hi], op.x.Data[lo:hi], op.y.Data[lo:hi]
	for i := 0; i < len(mask); i += 2 {
		u := src.Uint64()
		mask[i] = op.keep(u & 0xffffffff)
		if i+1 < len(mask) {
			mask[i+1] = op.keep(u >> 32)
		}
	}
	for i, v := range x {
		y[i] = v * mask[i]
	}
}

func (op *dropoutOp) keep(u uint64) float32 {
	if u >= op.threshold {
		return op.scale
	}
	return 0
}

// Backward: dx += dy · mask.
func (op *dropoutOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(y.Size(), 1, op.bwd)
	}
}

func (op *dropoutOp) backwardChunk(lo, hi int) {
	dx, mask := op.x.Grad[lo:hi], op.mask[lo:hi]
	for i, g := range op.y.Grad[lo:hi] {
		dx[i] += g * mask[i]
	}
}
