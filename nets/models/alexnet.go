package models

import (
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// AlexNet is AlexNet (Krizhevsky et al. 2012) scaled down for 28x28
// digits, keeping what defines it: a large first kernel, a wide second
// one, three 3x3 convolutions, overlapping 3x3 max pooling with stride 2,
// ReLU everywhere, and most of the parameters in two fully connected
// layers regularised by heavy dropout. (Its local response normalisation
// and two-GPU split are left out.)
//
//	conv1  1 -> 24, 7x7, padding 3, ReLU, pool 3/2   [N, 24, 13, 13]
//	conv2  24 -> 48, 5x5, padding 2, ReLU, pool 3/2  [N, 48, 6, 6]
//	conv3  48 -> 64, 3x3, padding 1, ReLU
//	conv4  64 -> 64, 3x3, padding 1, ReLU
//	conv5  64 -> 48, 3x3, padding 1, ReLU, pool 3/2  [N, 48, 2, 2]
//	fc6    192 -> 512, ReLU, dropout
//	fc7    512 -> 512, ReLU, dropout
//	fc8    512 -> 10                                 the logits
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "conv1.*" ... "conv5.*", "fc6.*", "fc7.*", "fc8.*".
type AlexNet struct {
	Convs         [5]*nets.Conv
	FC6, FC7, FC8 *nets.Linear
	Dropout       float64 // AlexNet's is 0.5
	RNG           *rand.Rand

	in   imageInput
	flat nets.FlattenLayer
}

// NewAlexNet returns the AlexNet with weights drawn from rng, dropping
// units of the fully connected layers with probability dropout using
// dropRNG.
func NewAlexNet(rng *rand.Rand, dropout float64, dropRNG *rand.Rand) *AlexNet {
	return &AlexNet{
		Convs: [5]*nets.Conv{
			nets.NewConv(rng, 1, 24, 7, nets.StridePad(1, 3)),
			nets.NewConv(rng, 24, 48, 5, nets.StridePad(1, 2)),
			nets.NewConv(rng, 48, 64, 3, nets.StridePad(1, 1)),
			nets.NewConv(rng, 64, 64, 3, nets.StridePad(1, 1)),
			nets.NewConv(rng, 64, 48, 3, nets.StridePad(1, 1)),
		},
		FC6:     nets.NewLinear(rng, 48*2*2, 512),
		FC7:     nets.NewLinear(rng, 512, 512),
		FC8:     nets.NewLinear(rng, 512, 10),
		Dropout: dropout, RNG: dropRNG,
	}
}

// Forward returns the logits of x.
func (m *AlexNet) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := m.in.view(tp, x)
	for i, c := range m.Convs {
		h = nets.ReLU(tp, c.Forward(tp, h))
		if i == 0 || i == 1 || i == 4 {
			h = nets.MaxPool2D(tp, h, 3, 2, 0)
		}
	}
	h = nets.Dropout(tp, nets.ReLU(tp, m.FC6.Forward(tp, m.flat.Forward(tp, h))), m.Dropout, m.RNG)
	h = nets.Dropout(tp, nets.ReLU(tp, m.FC7.Forward(tp, h)), m.Dropout, m.RNG)
	return m.FC8.Forward(tp, h)
}

// Params returns the layers' parameters in order.
func (m *AlexNet) Params() []nets.Param {
	return named([]string{"conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"},
		m.Convs[0], m.Convs[1], m.Convs[2], m.Convs[3], m.Convs[4], m.FC6, m.FC7, m.FC8)
}

var _ nets.Layer = (*AlexNet)(nil)
