package nets

import (
	"fmt"
	"math/rand/v2"
)

// Residual is a residual block (He et al. 2016, the "basic block"): two
// 3x3 convolutions whose result z is added to the block's input a before
// the activation, a[l+1] = ReLU(z[l+1] + shortcut(a[l])), so that the
// block learns a correction to the identity and gradients reach early
// layers through the sum. The shortcut is the identity when the shapes
// agree, otherwise a 1x1 convolution with the block's stride (a
// projection). With batch norm, each convolution (the projection too) is
// followed by one and has no bias.
//
//	z = BN2(conv2(ReLU(BN1(conv1(a)))))    conv1 has the stride
//
// Shape: [N, In, H, W] -> [N, Out, ⌈H/stride⌉, ⌈W/stride⌉]. Parameters
// (torchvision's names): "conv1.*", "bn1.*", "conv2.*", "bn2.*", and for a
// projection "downsample.0.*" (the 1x1 convolution) and "downsample.1.*"
// (its batch norm); the batch norms' running statistics are its Buffers.
type Residual struct {
	Conv1, Conv2 *Conv
	BN1, BN2     *BatchNorm // nil without batch norm
	Proj         *Conv      // nil: identity shortcut
	ProjBN       *BatchNorm
}

// NewResidual returns a residual block from in to out channels whose first
// convolution has the given stride, with batch norm or not.
func NewResidual(rng *rand.Rand, in, out, stride int, batchNorm bool) *Residual {
	if stride < 1 {
		panic(fmt.Sprintf("nets: Residual block with stride %d", stride))
	}
	r := &Residual{
		Conv1: NewConv(rng, in, out, 3, StridePad(stride, 1)),
		Conv2: NewConv(rng, out, out, 3, StridePad(1, 1)),
	}
	if in != out || stride != 1 {
		r.Proj = NewConv(rng, in, out, 1, StridePad(stride, 0))
	}
	if batchNorm {
		r.BN1, r.BN2 = NewBatchNorm(out), NewBatchNorm(out)
		r.Conv1.B, r.Conv2.B = nil, nil
		if r.Proj != nil {
			r.ProjBN, r.Proj.B = NewBatchNorm(out), nil
		}
	}
	return r
}

// Forward returns ReLU(z + shortcut(x)).
func (r *Residual) Forward(tp *Tape, x *Tensor) *Tensor {
	z := ReLU(tp, normed(tp, r.BN1, r.Conv1.Forward(tp, x)))
	z = normed(tp, r.BN2, r.Conv2.Forward(tp, z))
	short := x
	if r.Proj != nil {
		short = normed(tp, r.ProjBN, r.Proj.Forward(tp, x))
	}
	return ReLU(tp, Add(tp, z, short))
}

// normed applies bn to x, or returns x when bn is nil.
func normed(tp *Tape, bn *BatchNorm, x *Tensor) *Tensor {
	if bn == nil {
		return x
	}
	return bn.Forward(tp, x)
}

// Params returns the convolutions' and batch norms' parameters.
func (r *Residual) Params() []Param {
	var ps []Param
	r.each(func(name string, l Layer) { ps = append(ps, Prefix(name+".", l.Params())...) })
	return ps
}

// Buffers returns the batch norms' running statistics.
func (r *Residual) Buffers() []Param {
	var ps []Param
	r.each(func(name string, l Layer) {
		if bn, ok := l.(*BatchNorm); ok {
			ps = append(ps, Prefix(name+".", bn.Buffers())...)
		}
	})
	return ps
}

// each calls fn with each sub-layer that exists, by name, in order.
func (r *Residual) each(fn func(name string, l Layer)) {
	fn("conv1", r.Conv1)
	if r.BN1 != nil {
		fn("bn1", r.BN1)
	}
	fn("conv2", r.Conv2)
	if r.BN2 != nil {
		fn("bn2", r.BN2)
	}
	if r.Proj != nil {
		fn("downsample.0", r.Proj)
	}
	if r.ProjBN != nil {
		fn("downsample.1", r.ProjBN)
	}
}

// Inception is an inception module (Szegedy et al. 2015, GoogLeNet): four
// branches side by side on the same input, each ending in a ReLU, their
// outputs concatenated on the channels: a 1x1 convolution; a 1x1
// reduction then a 3x3 convolution; a 1x1 reduction then a 5x5
// convolution; a 3x3 max pooling (stride 1) then a 1x1 projection. The
// 1x1 reductions keep the wide kernels cheap. Every branch keeps H and W.
// With batch norm (torchvision's GoogLeNet, after Ioffe and Szegedy 2015),
// each convolution is followed by one, before its ReLU, and has no bias.
//
// Shape: [N, In, H, W] -> [N, C1+C3+C5+PoolProj, H, W]. Parameters:
// "branch1.*", "branch3_reduce.*", "branch3.*", "branch5_reduce.*",
// "branch5.*", "branch_pool.*" (the convolutions), and with batch norm
// "branch1_bn.*" and so on after each; the batch norms' running
// statistics are its Buffers.
type Inception struct {
	B1, B3Reduce, B3, B5Reduce, B5, PoolProj *Conv
	// BNs follow the convolutions in the order above; nil without batch
	// norm.
	BNs []*BatchNorm
}

// inceptionNames are the branches' convolutions' names, in order.
var inceptionNames = [6]string{"branch1", "branch3_reduce", "branch3", "branch5_reduce", "branch5", "branch_pool"}

// NewInception returns an inception module on in channels with c1 1x1
// outputs, r3 reductions before c3 3x3 outputs, r5 reductions before c5
// 5x5 outputs and pool 1x1 projections of the pooled input, with batch
// norm after each convolution or not.
func NewInception(rng *rand.Rand, in, c1, r3, c3, r5, c5, pool int, batchNorm bool) *Inception {
	m := &Inception{
		B1:       NewConv(rng, in, c1, 1, ConvOpts{}),
		B3Reduce: NewConv(rng, in, r3, 1, ConvOpts{}),
		B3:       NewConv(rng, r3, c3, 3, StridePad(1, 1)),
		B5Reduce: NewConv(rng, in, r5, 1, ConvOpts{}),
		B5:       NewConv(rng, r5, c5, 5, StridePad(1, 2)),
		PoolProj: NewConv(rng, in, pool, 1, ConvOpts{}),
	}
	if batchNorm {
		for _, c := range m.convs() {
			c.B = nil
			m.BNs = append(m.BNs, NewBatchNorm(c.W.Shape[0]))
		}
	}
	return m
}

// convs returns the convolutions in the order of inceptionNames.
func (m *Inception) convs() [6]*Conv {
	return [6]*Conv{m.B1, m.B3Reduce, m.B3, m.B5Reduce, m.B5, m.PoolProj}
}

// Forward runs the four branches and concatenates them on the channels.
func (m *Inception) Forward(tp *Tape, x *Tensor) *Tensor {
	b1 := m.unit(tp, 0, x)
	b3 := m.unit(tp, 2, m.unit(tp, 1, x))
	b5 := m.unit(tp, 4, m.unit(tp, 3, x))
	bp := m.unit(tp, 5, MaxPool2D(tp, x, 3, 1, 1))
	return Concat(tp, 1, b1, b3, b5, bp)
}

// unit applies the i-th convolution, its batch norm if any, and ReLU.
func (m *Inception) unit(tp *Tape, i int, x *Tensor) *Tensor {
	y := m.convs()[i].Forward(tp, x)
	if m.BNs != nil {
		y = m.BNs[i].Forward(tp, y)
	}
	return ReLU(tp, y)
}

// Params returns the convolutions' parameters, each followed by its batch
// norm's.
func (m *Inception) Params() []Param {
	var ps []Param
	for i, c := range m.convs() {
		ps = append(ps, Prefix(inceptionNames[i]+".", c.Params())...)
		if m.BNs != nil {
			ps = append(ps, Prefix(inceptionNames[i]+"_bn.", m.BNs[i].Params())...)
		}
	}
	return ps
}

// Buffers returns the batch norms' running statistics (none without batch
// norm).
func (m *Inception) Buffers() []Param {
	var ps []Param
	for i, bn := range m.BNs {
		ps = append(ps, Prefix(inceptionNames[i]+"_bn.", bn.Buffers())...)
	}
	return ps
}

var (
	_ Layer    = (*Residual)(nil)
	_ Buffered = (*Residual)(nil)
	_ Layer    = (*Inception)(nil)
	_ Buffered = (*Inception)(nil)
)
