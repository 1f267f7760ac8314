package models

import (
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Inception is a GoogLeNet-style network (Szegedy et al. 2015) scaled
// down for 28x28 digits, keeping what defines it: inception modules whose
// 1x1, 3x3, 5x5 and pooled branches run side by side and are concatenated
// on the channels (nets.Inception, with 1x1 reductions before the wide
// kernels), global average pooling instead of large dense layers, and
// dropout before the classifier. As in torchvision's GoogLeNet, every
// convolution is followed by batch norm (and has no bias): from PyTorch's
// default initialisation, without it, the same network reaches only
// 0.9757 test accuracy in its 8 epochs (docs/mnist-models.md).
//
//	stem   1 -> 32, 3x3, padding 1, BN, ReLU, 2x2 max pool   [N, 32, 14, 14]
//	3a     32 -> 16 + 32 + 8 + 8 = 64                        [N, 64, 14, 14]
//	3b     64 -> 32 + 48 + 16 + 16 = 112, 2x2 max pool       [N, 112, 7, 7]
//	4a     112 -> 48 + 52 + 12 + 16 = 128                    [N, 128, 7, 7]
//	pool   global average, dropout                           [N, 128]
//	fc     128 -> 10                                         the logits
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "stem.weight", "stem_bn.*", "inception3a.*" (see
// nets.Inception), "inception3b.*", "inception4a.*", "fc.*"; Buffers: the
// batch norms' running statistics.
type Inception struct {
	Stem          *nets.Conv
	StemBN        *nets.BatchNorm
	I3a, I3b, I4a *nets.Inception
	FC            *nets.Linear
	Dropout       float64 // GoogLeNet's is 0.4
	RNG           *rand.Rand

	in imageInput
}

// NewInception returns the Inception network with weights drawn from
// rng, dropping pooled features with probability dropout using dropRNG.
func NewInception(rng *rand.Rand, dropout float64, dropRNG *rand.Rand) *Inception {
	m := &Inception{
		Stem:    nets.NewConv(rng, 1, 32, 3, nets.StridePad(1, 1)),
		StemBN:  nets.NewBatchNorm(32),
		I3a:     nets.NewInception(rng, 32, 16, 16, 32, 4, 8, 8, true),
		I3b:     nets.NewInception(rng, 64, 32, 32, 48, 8, 16, 16, true),
		I4a:     nets.NewInception(rng, 112, 48, 24, 52, 4, 12, 16, true),
		FC:      nets.NewLinear(rng, 128, 10),
		Dropout: dropout, RNG: dropRNG,
	}
	m.Stem.B = nil
	return m
}

// Forward returns the logits of x.
func (m *Inception) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := nets.ReLU(tp, m.StemBN.Forward(tp, m.Stem.Forward(tp, m.in.view(tp, x))))
	h = nets.MaxPool2D(tp, h, 2, 0, 0)
	h = nets.MaxPool2D(tp, m.I3b.Forward(tp, m.I3a.Forward(tp, h)), 2, 0, 0)
	h = nets.GlobalAvgPool2D(tp, m.I4a.Forward(tp, h))
	return m.FC.Forward(tp, nets.Dropout(tp, h, m.Dropout, m.RNG))
}

// Params returns the layers' parameters in order.
func (m *Inception) Params() []nets.Param {
	names, layers := m.layers()
	return named(names, layers...)
}

// Buffers returns the batch norms' running statistics.
func (m *Inception) Buffers() []nets.Param {
	names, layers := m.layers()
	return namedBuffers(names, layers...)
}

func (m *Inception) layers() ([]string, []nets.Layer) {
	return []string{"stem", "stem_bn", "inception3a", "inception3b", "inception4a", "fc"},
		[]nets.Layer{m.Stem, m.StemBN, m.I3a, m.I3b, m.I4a, m.FC}
}

var (
	_ nets.Layer    = (*Inception)(nil)
	_ nets.Buffered = (*Inception)(nil)
)
