package gan

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Net is a generator or a discriminator: a layer whose state (parameters
// and batch-norm buffers, nets.State) a checkpoint keeps.
type Net interface {
	nets.Layer
	nets.Buffered
}

// seq is a Sequential that also lists its layers' buffers.
type seq struct{ *nets.Sequential }

// Buffers returns the batch norms' running statistics, "i.running_mean".
func (s seq) Buffers() []nets.Param {
	var ps []nets.Param
	for i, l := range s.Layers {
		if b, ok := l.(nets.Buffered); ok {
			ps = append(ps, nets.Prefix(fmt.Sprint(i)+".", b.Buffers())...)
		}
	}
	return ps
}

// leaky is LeakyReLU with slope 0.2, the discriminators' activation
// (Radford et al. 2016).
var leaky = nets.Func(func(tp *nets.Tape, x *nets.Tensor) *nets.Tensor { return nets.LeakyReLU(tp, x, 0.2) })

// reshapeLayer gives x [N, ...] the shape [N, dims...], keeping the shape
// argument so that a replayed step allocates nothing.
type reshapeLayer struct{ shape []int }

// reshape returns a layer that gives x [N, ...] the shape [N, dims...].
func reshape(dims ...int) *reshapeLayer {
	return &reshapeLayer{shape: append([]int{0}, dims...)}
}

// Forward returns x reshaped.
func (l *reshapeLayer) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	l.shape[0] = x.Shape[0]
	return nets.Reshape(tp, x, l.shape...)
}

// Params returns nothing.
func (l *reshapeLayer) Params() []nets.Param { return nil }

// NewMLPGenerator returns the MLP generator z [N, Z] -> x [N, D]:
// Z-256-512-D, LeakyReLU 0.2 between the layers, tanh at the end (images
// in [-1, 1]). Parameters "0.weight", "0.bias", "2.weight", ...
func NewMLPGenerator(rng *rand.Rand, z, d int) Net {
	return seq{nets.NewSequential(
		nets.NewLinear(rng, z, 256), leaky,
		nets.NewLinear(rng, 256, 512), leaky,
		nets.NewLinear(rng, 512, d), nets.Func(nets.Tanh),
	)}
}

// NewMLPDiscriminator returns the MLP discriminator x [N, D] -> logit
// [N, 1]: D-512-256-1, LeakyReLU 0.2 between the layers.
func NewMLPDiscriminator(rng *rand.Rand, d int) Net {
	return seq{nets.NewSequential(
		nets.NewLinear(rng, d, 512), leaky,
		nets.NewLinear(rng, 512, 256), leaky,
		nets.NewLinear(rng, 256, 1),
	)}
}

// NewDCGANGenerator returns the DCGAN generator for 28×28 images (Radford
// et al. 2016, scaled to MNIST): z [N, Z] seen as [N, Z, 1, 1], a
// transposed convolution to [N, 2w, 7, 7], then two stride-2 transposed
// convolutions (kernel 4, padding 1) to [N, w, 14, 14] and [N, 1, 28, 28],
// batch norm and ReLU after the first two, tanh at the end; the result
// flattened to [N, 784]. Weights from N(0, 0.02), batch-norm scales from
// N(1, 0.02), biases 0 (the paper's initialisation, as pytorch/examples'
// weights_init).
func NewDCGANGenerator(rng *rand.Rand, z, w int) Net {
	s := seq{nets.NewSequential(
		reshape(z, 1, 1),
		nets.NewConvTranspose(rng, z, 2*w, 7, nets.ConvOpts{}), nets.NewBatchNorm(2*w), nets.Func(nets.ReLU),
		nets.NewConvTranspose(rng, 2*w, w, 4, nets.StridePad(2, 1)), nets.NewBatchNorm(w), nets.Func(nets.ReLU),
		nets.NewConvTranspose(rng, w, 1, 4, nets.StridePad(2, 1)), nets.Func(nets.Tanh),
		reshape(28*28),
	)}
	dcganInit(rng, s)
	return s
}

// NewDCGANDiscriminator returns the DCGAN discriminator for 28×28 images:
// x [N, 784] seen as [N, 1, 28, 28], two stride-2 convolutions (kernel 4,
// padding 1) to [N, w, 14, 14] and [N, 2w, 7, 7], LeakyReLU 0.2 after
// each and batch norm before the second's, and a 7×7 convolution to one
// logit [N, 1]. Initialised as the generator.
func NewDCGANDiscriminator(rng *rand.Rand, w int) Net {
	s := seq{nets.NewSequential(
		reshape(1, 28, 28),
		nets.NewConv(rng, 1, w, 4, nets.StridePad(2, 1)), leaky,
		nets.NewConv(rng, w, 2*w, 4, nets.StridePad(2, 1)), nets.NewBatchNorm(2*w), leaky,
		nets.NewConv(rng, 2*w, 1, 7, nets.ConvOpts{}),
		reshape(1),
	)}
	dcganInit(rng, s)
	return s
}

// dcganInit draws every (transposed) convolution's weight from N(0, 0.02)
// and zeroes its bias, and draws every batch norm's scale from N(1, 0.02)
// with a zero shift.
func dcganInit(rng *rand.Rand, s seq) {
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *nets.Conv:
			nets.Normal(rng, l.W, 0, 0.02)
			l.B.Fill(0)
		case *nets.ConvTranspose:
			nets.Normal(rng, l.W, 0, 0.02)
			l.B.Fill(0)
		case *nets.BatchNorm:
			nets.Normal(rng, l.Gamma, 1, 0.02)
			l.Beta.Fill(0)
		}
	}
}
