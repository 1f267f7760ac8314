package nets

import "fmt"

// upsampleOp repeats each pixel of x [N, C, H, W] scale x scale times.
type upsampleOp struct {
	x, y     *Tensor
	scale    int
	h, w     int // input plane
	rows     int // input rows of all planes: N·C·H
	fwd, bwd func(lo, hi int)
}

// UpsampleNearest2D returns x [N, C, H, W] enlarged scale times in both
// directions by nearest-neighbour interpolation, y [N, C, scale·H,
// scale·W] with y[i][j] = x[i/scale][j/scale]: PyTorch's
// F.interpolate(x, scale_factor=scale, mode="nearest") for an integer
// scale, the upsampling of decoders.
func UpsampleNearest2D(tp *Tape, x *Tensor, scale int) *Tensor {
	if x.Rank() != 4 || scale < 1 {
		panic(fmt.Sprintf("nets: UpsampleNearest2D of x %v by %d: want x [N, C, H, W] and a positive scale", x.Shape, scale))
	}
	shape := [4]int{x.Shape[0], x.Shape[1], x.Shape[2] * scale, x.Shape[3] * scale}
	op, y := Record[upsampleOp](tp, shape[:], x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.x, op.y, op.scale, op.h, op.w = x, y, scale, x.Shape[2], x.Shape[3]
	op.rows = x.Shape[0] * x.Shape[1] * op.h
	Parallel(op.rows, op.w*scale*scale, op.fwd)
	return y
}

// forwardRows writes the scale output rows of input rows [lo, hi) (rows of
// all planes, counted together).
func (op *upsampleOp) forwardRows(lo, hi int) {
	s, w := op.scale, op.w
	for r := lo; r < hi; r++ {
		src := op.x.Data[r*w : (r+1)*w]
		dst := op.y.Data[r*s*w*s : (r+1)*s*w*s]
		first := dst[:w*s]
		for j, v := range src {
			fill(first[j*s:(j+1)*s], v)
		}
		for k := 1; k < s; k++ {
			copy(dst[k*w*s:(k+1)*w*s], first)
		}
	}
}

// Backward: each input pixel gets the sum of the gradients of its
// scale x scale copies.
func (op *upsampleOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(op.rows, op.w*op.scale*op.scale, op.bwd)
	}
}

func (op *upsampleOp) backwardRows(lo, hi int) {
	s, w := op.scale, op.w
	for r := lo; r < hi; r++ {
		dx := op.x.Grad[r*w : (r+1)*w]
		dy := op.y.Grad[r*s*w*s : (r+1)*s*w*s]
		for j := range dx {
			g := float32(0)
			for k := 0; k < s; k++ {
				for _, v := range dy[k*w*s+j*s : k*w*s+(j+1)*s] {
					g += v
				}
			}
			dx[j] += g
		}
	}
}
