package ae

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// ConvAE is a convolutional autoencoder for images of C×H×W with H and W
// multiples of 4, fed as flat rows [N, C·H·W] like the MLP ones.
//
// Encoder: two stride-2 3×3 convolutions (padding 1), C -> 16 -> 32
// channels, ReLU after each, to [N, 32, H/4, W/4], flattened, and a linear
// layer to the code [N, Z]. Decoder: a linear layer back to [N, 32·H/4·W/4]
// and ReLU, then two stride-2 4×4 transposed convolutions (padding 1),
// 32 -> 16 -> C channels, ReLU between them: logits [N, C·H·W].
// Parameters "enc.conv1.*", "enc.conv2.*", "enc.fc.*", "dec.fc.*",
// "dec.deconv1.*", "dec.deconv2.*". Init: PyTorch's defaults.
type ConvAE struct {
	C, H, W          int
	Conv1, Conv2     *nets.Conv
	EncFC, DecFC     *nets.Linear
	Deconv1, Deconv2 *nets.ConvTranspose

	// Reshape's shape arguments and the flattening layers, kept so that a
	// replayed step allocates nothing.
	inShape, midShape [4]int
	flatEnc, flatDec  nets.FlattenLayer
}

// Channels of the conv autoencoder's two stages.
const convC1, convC2 = 16, 32

// NewConvAE returns a conv autoencoder for c×h×w images with a linear
// code of z units, drawn from rng.
func NewConvAE(rng *rand.Rand, c, h, w, z int) *ConvAE {
	if c < 1 || h < 4 || w < 4 || h%4 != 0 || w%4 != 0 || z < 1 {
		panic(fmt.Sprintf("ae: conv autoencoder for %dx%dx%d images with a code of %d: want sides that are multiples of 4", c, h, w, z))
	}
	flat := convC2 * (h / 4) * (w / 4)
	down, up := nets.StridePad(2, 1), nets.StridePad(2, 1)
	return &ConvAE{C: c, H: h, W: w,
		Conv1: nets.NewConv(rng, c, convC1, 3, down), Conv2: nets.NewConv(rng, convC1, convC2, 3, down),
		EncFC: nets.NewLinear(rng, flat, z), DecFC: nets.NewLinear(rng, z, flat),
		Deconv1: nets.NewConvTranspose(rng, convC2, convC1, 4, up), Deconv2: nets.NewConvTranspose(rng, convC1, c, 4, up),
	}
}

// Encode returns the code of x [N, C·H·W].
func (m *ConvAE) Encode(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	m.inShape = [4]int{x.Shape[0], m.C, m.H, m.W}
	img := nets.Reshape(tp, x, m.inShape[:]...)
	h := nets.ReLU(tp, m.Conv1.Forward(tp, img))
	h = nets.ReLU(tp, m.Conv2.Forward(tp, h))
	return m.EncFC.Forward(tp, m.flatEnc.Forward(tp, h))
}

// Decode returns the reconstruction logits [N, C·H·W] of the code h.
func (m *ConvAE) Decode(tp *nets.Tape, h *nets.Tensor) *nets.Tensor {
	x := nets.ReLU(tp, m.DecFC.Forward(tp, h))
	m.midShape = [4]int{x.Shape[0], convC2, m.H / 4, m.W / 4}
	x = nets.Reshape(tp, x, m.midShape[:]...)
	x = nets.ReLU(tp, m.Deconv1.Forward(tp, x))
	return m.flatDec.Forward(tp, m.Deconv2.Forward(tp, x))
}

// Params returns the parameters, encoder first.
func (m *ConvAE) Params() []nets.Param {
	var ps []nets.Param
	for _, l := range []struct {
		name string
		l    nets.Layer
	}{{"enc.conv1.", m.Conv1}, {"enc.conv2.", m.Conv2}, {"enc.fc.", m.EncFC}, {"dec.fc.", m.DecFC}, {"dec.deconv1.", m.Deconv1}, {"dec.deconv2.", m.Deconv2}} {
		ps = append(ps, nets.Prefix(l.name, l.l.Params())...)
	}
	return ps
}

// CodeSize returns the size of the code.
func (m *ConvAE) CodeSize() int { return m.EncFC.W.Shape[0] }

// CodeActivation returns Linear.
func (m *ConvAE) CodeActivation() string { return Linear }

// FirstWeights returns the first convolution's filters [16, C, 3, 3].
func (m *ConvAE) FirstWeights() *nets.Tensor { return m.Conv1.W }

var _ Autoencoder = (*ConvAE)(nil)
