package vae

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Conv is a convolutional VAE for images of C×H×W with H and W multiples
// of 4, fed as flat rows [N, C·H·W] like the MLP.
//
// Encoder: two stride-2 3×3 convolutions (padding 1), C -> 16 -> 32
// channels, ReLU after each, flattened to [N, 32·H/4·W/4], and two linear
// layers to μ and log σ² [N, Z]. Decoder: a linear layer back to
// [N, 32, H/4, W/4] and ReLU, then two stride-2 4×4 transposed
// convolutions (padding 1), 32 -> 16 -> C channels with ReLU between them:
// logits [N, C·H·W]. Parameters "conv1.*", "conv2.*", "fc21.*", "fc22.*",
// "fc3.*", "deconv1.*", "deconv2.*". Init: PyTorch's defaults.
type Conv struct {
	C, H, W          int
	Conv1, Conv2     *nets.Conv
	FC21, FC22, FC3  *nets.Linear
	Deconv1, Deconv2 *nets.ConvTranspose

	// Reshape's shape arguments and the flattening layers, kept so that a
	// replayed step allocates nothing.
	inShape, midShape [4]int
	flatEnc, flatDec  nets.FlattenLayer
}

// Channels of the two stages.
const convC1, convC2 = 16, 32

// NewConv returns a conv VAE for c×h×w images with z latent dimensions,
// drawn from rng.
func NewConv(rng *rand.Rand, c, h, w, z int) *Conv {
	if c < 1 || h < 4 || w < 4 || h%4 != 0 || w%4 != 0 || z < 1 {
		panic(fmt.Sprintf("vae: conv VAE for %dx%dx%d images with %d latent dimensions: want sides that are multiples of 4", c, h, w, z))
	}
	flat := convC2 * (h / 4) * (w / 4)
	s2 := nets.StridePad(2, 1)
	return &Conv{C: c, H: h, W: w,
		Conv1: nets.NewConv(rng, c, convC1, 3, s2), Conv2: nets.NewConv(rng, convC1, convC2, 3, s2),
		FC21: nets.NewLinear(rng, flat, z), FC22: nets.NewLinear(rng, flat, z), FC3: nets.NewLinear(rng, z, flat),
		Deconv1: nets.NewConvTranspose(rng, convC2, convC1, 4, s2), Deconv2: nets.NewConvTranspose(rng, convC1, c, 4, s2),
	}
}

// Encode returns μ and log σ² of q(z|x).
func (m *Conv) Encode(tp *nets.Tape, x *nets.Tensor) (mu, logvar *nets.Tensor) {
	m.inShape = [4]int{x.Shape[0], m.C, m.H, m.W}
	h := nets.Reshape(tp, x, m.inShape[:]...)
	h = nets.ReLU(tp, m.Conv1.Forward(tp, h))
	h = m.flatEnc.Forward(tp, nets.ReLU(tp, m.Conv2.Forward(tp, h)))
	return m.FC21.Forward(tp, h), m.FC22.Forward(tp, h)
}

// Decode returns the logits of p(x|z), [N, C·H·W].
func (m *Conv) Decode(tp *nets.Tape, z *nets.Tensor) *nets.Tensor {
	h := nets.ReLU(tp, m.FC3.Forward(tp, z))
	m.midShape = [4]int{h.Shape[0], convC2, m.H / 4, m.W / 4}
	h = nets.Reshape(tp, h, m.midShape[:]...)
	h = nets.ReLU(tp, m.Deconv1.Forward(tp, h))
	return m.flatDec.Forward(tp, m.Deconv2.Forward(tp, h))
}

// Params returns the parameters, encoder first.
func (m *Conv) Params() []nets.Param {
	var ps []nets.Param
	for _, l := range []struct {
		name string
		l    nets.Layer
	}{{"conv1.", m.Conv1}, {"conv2.", m.Conv2}, {"fc21.", m.FC21}, {"fc22.", m.FC22}, {"fc3.", m.FC3}, {"deconv1.", m.Deconv1}, {"deconv2.", m.Deconv2}} {
		ps = append(ps, nets.Prefix(l.name, l.l.Params())...)
	}
	return ps
}

// Latent returns Z.
func (m *Conv) Latent() int { return m.FC21.W.Shape[0] }

var _ Model = (*Conv)(nil)
