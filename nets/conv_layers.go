package nets

import (
	"fmt"
	"math/rand/v2"
)

// Conv is a 2-D convolution layer, PyTorch's nn.Conv2d (see Conv2D).
//
// Shape: x [N, In, H, W] -> y [N, Out, OH, OW]. Parameters: "weight" W
// [Out, In, kH, kW], "bias" b [Out] (B nil: no bias, as before a batch
// norm). Init: PyTorch's default, U(-1/√fanIn, 1/√fanIn) with fanIn =
// In·kH·kW (DefaultInit).
type Conv struct {
	W, B *Tensor
	Opts ConvOpts
}

// NewConv returns a convolution from in to out channels with a k x k
// kernel and the given options, drawing its weights from rng as PyTorch
// does.
func NewConv(rng *rand.Rand, in, out, k int, opts ConvOpts) *Conv {
	if in < 1 || out < 1 || k < 1 {
		panic(fmt.Sprintf("nets: Conv %d -> %d channels with a %dx%d kernel", in, out, k, k))
	}
	c := &Conv{W: NewParam(out, in, k, k), B: NewParam(out), Opts: opts}
	DefaultInit(rng, c.W, c.B)
	return c
}

// Forward returns the convolution of x.
func (c *Conv) Forward(tp *Tape, x *Tensor) *Tensor { return Conv2D(tp, x, c.W, c.B, c.Opts) }

// Params returns "weight" and "bias" (if any).
func (c *Conv) Params() []Param { return weightBias(c.W, c.B) }

func weightBias(w, b *Tensor) []Param {
	if b == nil {
		return []Param{{"weight", w}}
	}
	return []Param{{"weight", w}, {"bias", b}}
}

// ConvTranspose is a transposed 2-D convolution layer, PyTorch's
// nn.ConvTranspose2d (see ConvTranspose2D).
//
// Shape: x [N, In, H, W] -> y [N, Out, OH, OW]. Parameters: "weight" W
// [In, Out, kH, kW], "bias" b [Out] (B nil: none). Init: PyTorch's
// default, U(-1/√fanIn, 1/√fanIn) with fanIn = Out·kH·kW (PyTorch takes
// the weight's second axis).
type ConvTranspose struct {
	W, B *Tensor
	Opts ConvOpts
}

// NewConvTranspose returns a transposed convolution from in to out
// channels with a k x k kernel, drawing its weights from rng as PyTorch
// does.
func NewConvTranspose(rng *rand.Rand, in, out, k int, opts ConvOpts) *ConvTranspose {
	if in < 1 || out < 1 || k < 1 {
		panic(fmt.Sprintf("nets: ConvTranspose %d -> %d channels with a %dx%d kernel", in, out, k, k))
	}
	c := &ConvTranspose{W: NewParam(in, out, k, k), B: NewParam(out), Opts: opts}
	DefaultInit(rng, c.W, c.B)
	return c
}

// Forward returns the transposed convolution of x.
func (c *ConvTranspose) Forward(tp *Tape, x *Tensor) *Tensor {
	return ConvTranspose2D(tp, x, c.W, c.B, c.Opts)
}

// Params returns "weight" and "bias" (if any).
func (c *ConvTranspose) Params() []Param { return weightBias(c.W, c.B) }

// MaxPool is max pooling as a layer, PyTorch's nn.MaxPool2d (see
// MaxPool2D; Stride 0 means Size).
type MaxPool struct{ Size, Stride, Padding int }

// Forward returns the maxima of x's windows.
func (p MaxPool) Forward(tp *Tape, x *Tensor) *Tensor {
	return MaxPool2D(tp, x, p.Size, p.Stride, p.Padding)
}

// Params returns nothing.
func (MaxPool) Params() []Param { return nil }

// AvgPool is average pooling as a layer, PyTorch's nn.AvgPool2d (see
// AvgPool2D; Stride 0 means Size).
type AvgPool struct{ Size, Stride, Padding int }

// Forward returns the means of x's windows.
func (p AvgPool) Forward(tp *Tape, x *Tensor) *Tensor {
	return AvgPool2D(tp, x, p.Size, p.Stride, p.Padding)
}

// Params returns nothing.
func (AvgPool) Params() []Param { return nil }

// Upsample is nearest-neighbour upsampling by an integer Scale as a layer
// (see UpsampleNearest2D).
type Upsample struct{ Scale int }

// Forward returns x enlarged Scale times.
func (u Upsample) Forward(tp *Tape, x *Tensor) *Tensor { return UpsampleNearest2D(tp, x, u.Scale) }

// Params returns nothing.
func (Upsample) Params() []Param { return nil }

// FlattenLayer turns x [N, ...] into [N, rest] (Flatten) as a layer, the
// step from convolutions to dense layers. It passes Reshape a shape it
// keeps, so that a replayed step allocates nothing (Func(Flatten) makes a
// new shape argument on the heap at every call).
type FlattenLayer struct{ shape [2]int }

// Forward returns x as [N, rest].
func (f *FlattenLayer) Forward(tp *Tape, x *Tensor) *Tensor {
	f.shape = [2]int{x.Dim(0), -1}
	return Reshape(tp, x, f.shape[:]...)
}

// Params returns nothing.
func (*FlattenLayer) Params() []Param { return nil }

var (
	_ Layer = (*FlattenLayer)(nil)
	_ Layer = (*Conv)(nil)
	_ Layer = (*ConvTranspose)(nil)
	_ Layer = MaxPool{}
	_ Layer = AvgPool{}
	_ Layer = Upsample{}
)
