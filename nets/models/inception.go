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
// dropout before the classifier.
//
//	stem   1 -> 32, 3x3, padding 1, ReLU, 2x2 max pool   [N, 32, 14, 14]
//	3a     32 -> 16 + 32 + 8 + 8 = 64                    [N, 64, 14, 14]
//	3b     64 -> 32 + 48 + 16 + 16 = 112, 2x2 max pool   [N, 112, 7, 7]
//	4a     112 -> 48 + 52 + 12 + 16 = 128                [N, 128, 7, 7]
//	pool   global average, dropout                       [N, 128]
//	fc     128 -> 10                                     the logits
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "stem.*", "inception3a.*" (see nets.Inception),
// "inception3b.*", "inception4a.*", "fc.*".
type Inception struct {
	Stem          *nets.Conv
	I3a, I3b, I4a *nets.Inception
	FC            *nets.Linear
	Dropout       float64 // GoogLeNet's is 0.4
	RNG           *rand.Rand

	in imageInput
}

// NewInception returns the Inception network with weights drawn from
// rng, dropping pooled features with probability dropout using dropRNG.
func NewInception(rng *rand.Rand, dropout float64, dropRNG *rand.Rand) *Inception {
	return &Inception{
		Stem:    nets.NewConv(rng, 1, 32, 3, nets.StridePad(1, 1)),
		I3a:     nets.NewInception(rng, 32, 16, 16, 32, 4, 8, 8),
		I3b:     nets.NewInception(rng, 64, 32, 32, 48, 8, 16, 16),
		I4a:     nets.NewInception(rng, 112, 48, 24, 52, 4, 12, 16),
		FC:      nets.NewLinear(rng, 128, 10),
		Dropout: dropout, RNG: dropRNG,
	}
}

// Forward returns the logits of x.
func (m *Inception) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := nets.MaxPool2D(tp, nets.ReLU(tp, m.Stem.Forward(tp, m.in.view(tp, x))), 2, 0, 0)
	h = nets.MaxPool2D(tp, m.I3b.Forward(tp, m.I3a.Forward(tp, h)), 2, 0, 0)
	h = nets.GlobalAvgPool2D(tp, m.I4a.Forward(tp, h))
	return m.FC.Forward(tp, nets.Dropout(tp, h, m.Dropout, m.RNG))
}

// Params returns the layers' parameters in order.
func (m *Inception) Params() []nets.Param {
	return named([]string{"stem", "inception3a", "inception3b", "inception4a", "fc"}, m.Stem, m.I3a, m.I3b, m.I4a, m.FC)
}

var _ nets.Layer = (*Inception)(nil)
