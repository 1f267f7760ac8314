package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// dropoutOp multiplies by a random mask of 0 and 1/(1-p).
type dropoutOp struct {
	x    *Tensor
	mask []float32
}

// Dropout zeroes each element of x with probability p and scales the rest
// by 1/(1-p) (inverted dropout, Srivastava et al. 2014), drawing from rng,
// when tp is in training mode; otherwise (evaluation, a nil tape) it
// returns x itself. The mask is drawn serially, so it is the same at any
// thread count.
func Dropout(tp *Tape, x *Tensor, p float64, rng *rand.Rand) *Tensor {
	if p < 0 || p > 1 || math.IsNaN(p) {
		panic(fmt.Sprintf("nets: dropout probability %v outside [0, 1]", p))
	}
	if !tp.Training() || p == 0 {
		return x
	}
	op, y := Record[dropoutOp](tp, x.Shape, x)
	op.x = x
	n := x.Size()
	op.mask = grow(op.mask, n)
	scale := float32(0)
	if p < 1 {
		scale = float32(1 / (1 - p))
	}
	// An element survives when a uniform 32-bit draw is at least p·2³².
	threshold := uint64(p * (1 << 32))
	for i := 0; i < n; i += 2 {
		u := rng.Uint64()
		op.mask[i] = keep(u&0xffffffff, threshold, scale)
		if i+1 < n {
			op.mask[i+1] = keep(u>>32, threshold, scale)
		}
	}
	for i, v := range x.Data {
		y.Data[i] = v * op.mask[i]
	}
	return y
}

func keep(u, threshold uint64, scale float32) float32 {
	if u >= threshold {
		return scale
	}
	return 0
}

// Backward: dx += dy · mask.
func (op *dropoutOp) Backward(y *Tensor) {
	if dx := op.x.GradBuf(); dx != nil {
		for i, g := range y.Grad {
			dx[i] += g * op.mask[i]
		}
	}
}
