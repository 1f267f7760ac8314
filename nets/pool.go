package nets

import (
	"fmt"
	"math"

	"github.com/arcadelab/arcade/nets/kernels"
)

// poolOp is max or average pooling over square windows of each plane of
// x [N, C, H, W].
type poolOp struct {
	x, y           *Tensor
	max            bool
	k, s, p        int     // window size, stride, padding
	h, w, oh, ow   int     // plane sizes
	scale          float32 // average: 1/(k·k)
	fwd, bwd       func(lo, hi int)
	planeIn, plane int // floats per input and output plane
	// Max pooling other than 2x2: each row's window maxima (order keys and
	// column indices, [planes, H, OW]) and the index in its plane of each
	// output's maximum ([planes, OH, OW]).
	rowKey  []uint32
	rowAt   []int32
	arg     []int32
	general bool // max pooling by rows and columns, with arg
}

// MaxPool2D returns the maximum of each size x size window of x
// [N, C, H, W], windows stride apart (0: size, PyTorch's default), the
// input padded by padding (at most size/2) with -∞: PyTorch's
// F.max_pool2d, y [N, C, OH, OW] with OH = ⌊(H + 2·padding - size) /
// stride⌋ + 1. The gradient goes to the first maximum of each window (in
// row order), as PyTorch's does.
func MaxPool2D(tp *Tape, x *Tensor, size, stride, padding int) *Tensor {
	return pool(tp, "MaxPool2D", x, size, stride, padding, true)
}

// AvgPool2D returns the mean of each size x size window of x [N, C, H, W],
// windows stride apart (0: size), the input padded by padding (at most
// size/2) with zeros that count in the mean: PyTorch's F.avg_pool2d with
// its default count_include_pad=True, so every window divides by size².
func AvgPool2D(tp *Tape, x *Tensor, size, stride, padding int) *Tensor {
	return pool(tp, "AvgPool2D", x, size, stride, padding, false)
}

func pool(tp *Tape, name string, x *Tensor, size, stride, padding int, isMax bool) *Tensor {
	if stride == 0 {
		stride = size
	}
	if x.Rank() != 4 || size < 1 || stride < 1 || padding < 0 || 2*padding > size {
		panic(fmt.Sprintf("nets: %s of x %v with size %d, stride %d, padding %d: want x [N, C, H, W], positive size and stride, padding at most half the size",
			name, x.Shape, size, stride, padding))
	}
	h, w := x.Shape[2], x.Shape[3]
	if h+2*padding < size || w+2*padding < size {
		panic(fmt.Sprintf("nets: %s of x %v with size %d and padding %d: the window is larger than the padded input", name, x.Shape, size, padding))
	}
	shape := [4]int{x.Shape[0], x.Shape[1], (h+2*padding-size)/stride + 1, (w+2*padding-size)/stride + 1}
	op, y := Record[poolOp](tp, shape[:], x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardPlanes, op.backwardPlanes
	}
	op.x, op.y, op.max, op.k, op.s, op.p = x, y, isMax, size, stride, padding
	op.h, op.w, op.oh, op.ow = h, w, shape[2], shape[3]
	op.planeIn, op.plane = h*w, shape[2]*shape[3]
	op.scale = 1 / float32(size*size)
	op.general = isMax && !(size == 2 && stride == 2 && padding == 0)
	if op.general {
		planes := shape[0] * shape[1]
		op.rowKey, op.rowAt = grow(op.rowKey, planes*h*shape[3]), grow(op.rowAt, planes*h*shape[3])
		op.arg = grow(op.arg, y.Size())
	}
	Parallel(shape[0]*shape[1], op.planeIn, op.fwd)
	return y
}

// span returns the input range [lo, hi) of a window starting at start
// (possibly in the padding) of size k on an axis of n pixels.
func span(start, k, n int) (lo, hi int) { return max(start, 0), min(start+k, n) }

// max2x2Planes is how many planes from lo to hi one call of the 2x2
// max-pooling kernels takes: all of them where the planes' heights are
// even (the run's rows then pair up as each plane's do), one otherwise.
func (op *poolOp) max2x2Planes(lo, hi int) int {
	if op.h%2 == 0 {
		return hi - lo
	}
	return 1
}

func (op *poolOp) forwardPlanes(lo, hi int) {
	k, s, p, w, oh, ow := op.k, op.s, op.p, op.w, op.oh, op.ow
	if op.max && !op.general { // 2x2 windows, stride 2: no clipping
		step := op.max2x2Planes(lo, hi)
		for pl := lo; pl < hi; pl += step {
			kernels.MaxPool2x2(op.y.Data[pl*op.plane:(pl+step)*op.plane], op.x.Data[pl*op.planeIn:(pl+step)*op.planeIn], step*oh, w, ow)
		}
		return
	}
	for pl := lo; pl < hi; pl++ {
		x := op.x.Data[pl*op.planeIn : (pl+1)*op.planeIn]
		y := op.y.Data[pl*op.plane : (pl+1)*op.plane]
		if op.general {
			op.maxPlane(pl, x, y)
			continue
		}
		for i := 0; i < oh; i++ {
			r0, r1 := span(i*s-p, k, op.h)
			for j := 0; j < ow; j++ {
				c0, c1 := span(j*s-p, k, w)
				sum := float32(0)
				for r := r0; r < r1; r++ {
					for _, v := range x[r*w+c0 : r*w+c1] {
						sum += v
					}
				}
				y[i*ow+j] = sum * op.scale
			}
		}
	}
}

// maxPlane max-pools plane pl, x into y, by rows and then by columns: the
// first maximum of each row's part of each window, then the first of
// those down the window, so each output costs 2k comparisons instead of
// k², made on order keys without branches. It keeps each output's argmax
// for the backward pass.
func (op *poolOp) maxPlane(pl int, x, y []float32) {
	k, s, p, w, h, ow := op.k, op.s, op.p, op.w, op.h, op.ow
	rowKey, rowAt := op.rowKey[pl*h*ow:(pl+1)*h*ow], op.rowAt[pl*h*ow:(pl+1)*h*ow]
	for r := 0; r < h; r++ {
		row := x[r*w : (r+1)*w]
		for j := 0; j < ow; j++ {
			c0, c1 := span(j*s-p, k, w)
			best, at := orderKey(row[c0]), c0
			for c := c0 + 1; c < c1; c++ {
				kc := orderKey(row[c])
				at += (c - at) * b2i(kc > best)
				best = max(best, kc)
			}
			rowKey[r*ow+j], rowAt[r*ow+j] = best, int32(r*w+at)
		}
	}
	arg := op.arg[pl*op.plane : (pl+1)*op.plane]
	for i := 0; i < op.oh; i++ {
		r0, r1 := span(i*s-p, k, h)
		for j := 0; j < ow; j++ {
			best, at := rowKey[r0*ow+j], rowAt[r0*ow+j]
			for r := r0 + 1; r < r1; r++ {
				kr := rowKey[r*ow+j]
				at += (rowAt[r*ow+j] - at) * int32(b2i(kr > best))
				best = max(best, kr)
			}
			y[i*ow+j], arg[i*ow+j] = x[at], at
		}
	}
}

// Backward: max pooling routes each dy to its window's maximum, the first
// in row order as PyTorch does (with NaNs, to a NaN); average pooling
// spreads dy/size² over the window's pixels inside the input.
func (op *poolOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(y.Shape[0]*y.Shape[1], op.planeIn, op.bwd)
	}
}

func (op *poolOp) backwardPlanes(lo, hi int) {
	k, s, p, w, oh, ow := op.k, op.s, op.p, op.w, op.oh, op.ow
	if op.max && !op.general {
		step := op.max2x2Planes(lo, hi)
		for pl := lo; pl < hi; pl += step {
			in, out := op.x.Data[pl*op.planeIn:(pl+step)*op.planeIn], op.y.Grad[pl*op.plane:(pl+step)*op.plane]
			kernels.MaxPool2x2Backward(op.x.Grad[pl*op.planeIn:(pl+step)*op.planeIn], in, out, step*oh, w, ow)
		}
		return
	}
	for pl := lo; pl < hi; pl++ {
		dx := op.x.Grad[pl*op.planeIn : (pl+1)*op.planeIn]
		dy := op.y.Grad[pl*op.plane : (pl+1)*op.plane]
		if op.general {
			for o, at := range op.arg[pl*op.plane : (pl+1)*op.plane] {
				dx[at] += dy[o]
			}
			continue
		}
		for i := 0; i < oh; i++ {
			r0, r1 := span(i*s-p, k, op.h)
			for j := 0; j < ow; j++ {
				c0, c1 := span(j*s-p, k, w)
				g := dy[i*ow+j] * op.scale
				for r := r0; r < r1; r++ {
					d := dx[r*w+c0 : r*w+c1]
					for c := range d {
						d[c] += g
					}
				}
			}
		}
	}
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// orderKey maps a float32 to a uint32 in the same order (-Inf < ... <
// -0 < +0 < ... < +Inf), NaNs of either sign above everything, so that a
// window with a NaN pools to NaN as in PyTorch.
func orderKey(v float32) uint32 {
	u := math.Float32bits(v)
	if u&0x7fffffff > 0x7f800000 {
		return math.MaxUint32
	}
	return u ^ (uint32(int32(u)>>31) | 0x80000000)
}

// globalPoolOp averages each plane of x [N, C, H, W].
type globalPoolOp struct {
	x, y     *Tensor
	plane    int
	fwd, bwd func(lo, hi int)
}

// GlobalAvgPool2D returns the mean of each plane of x [N, C, H, W] as
// [N, C]: the classifier head of ResNet and Inception networks
// (nn.AdaptiveAvgPool2d(1) followed by a flatten).
func GlobalAvgPool2D(tp *Tape, x *Tensor) *Tensor {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nets: GlobalAvgPool2D of x %v: want [N, C, H, W]", x.Shape))
	}
	op, y := Record[globalPoolOp](tp, x.Shape[:2], x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardPlanes, op.backwardPlanes
	}
	op.x, op.y, op.plane = x, y, x.Shape[2]*x.Shape[3]
	Parallel(y.Size(), op.plane, op.fwd)
	return y
}

func (op *globalPoolOp) forwardPlanes(lo, hi int) {
	for pl := lo; pl < hi; pl++ {
		op.y.Data[pl] = float32(sum64(op.x.Data[pl*op.plane:(pl+1)*op.plane]) / float64(op.plane))
	}
}

// Backward: dx += dy / (H·W) over each plane.
func (op *globalPoolOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		Parallel(y.Size(), op.plane, op.bwd)
	}
}

func (op *globalPoolOp) backwardPlanes(lo, hi int) {
	for pl := lo; pl < hi; pl++ {
		g := op.y.Grad[pl] / float32(op.plane)
		d := op.x.Grad[pl*op.plane : (pl+1)*op.plane]
		for i := range d {
			d[i] += g
		}
	}
}
