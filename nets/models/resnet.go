package models

import (
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// ResNet is a small residual network (He et al. 2016) for 28x28 digits, a
// "ResNet-8": a 3x3 stem, then one residual block per stage, each stage
// doubling the channels and halving the size (the blocks' projections
// match the shapes), global average pooling and one dense layer. Every
// convolution is followed by batch norm.
//
//	stem    1 -> 16, 3x3, BN, ReLU     [N, 16, 28, 28]
//	block1  16 -> 16                   [N, 16, 28, 28]
//	block2  16 -> 32, stride 2         [N, 32, 14, 14]
//	block3  32 -> 64, stride 2         [N, 64, 7, 7]
//	pool    global average             [N, 64]
//	fc      64 -> 10                   the logits
//
// Each block is a[l+1] = ReLU(z[l+1] + a[l]) (nets.Residual).
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "stem.weight", "stem_bn.*", "block1.*" (see nets.Residual),
// "block2.*", "block3.*", "fc.*"; Buffers: the batch norms' running
// statistics. Init: PyTorch's defaults.
type ResNet struct {
	Stem   *nets.Conv
	StemBN *nets.BatchNorm
	Blocks []*nets.Residual
	FC     *nets.Linear

	in imageInput
}

// NewResNet returns the ResNet with weights drawn from rng.
func NewResNet(rng *rand.Rand) *ResNet {
	m := &ResNet{Stem: nets.NewConv(rng, 1, 16, 3, nets.StridePad(1, 1)), StemBN: nets.NewBatchNorm(16)}
	m.Stem.B = nil
	in := 16
	for i, out := range []int{16, 32, 64} {
		m.Blocks = append(m.Blocks, nets.NewResidual(rng, in, out, min(i+1, 2), true))
		in = out
	}
	m.FC = nets.NewLinear(rng, in, 10)
	return m
}

// Forward returns the logits of x.
func (m *ResNet) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := nets.ReLU(tp, m.StemBN.Forward(tp, m.Stem.Forward(tp, m.in.view(tp, x))))
	for _, b := range m.Blocks {
		h = b.Forward(tp, h)
	}
	return m.FC.Forward(tp, nets.GlobalAvgPool2D(tp, h))
}

// Params returns the layers' parameters in order.
func (m *ResNet) Params() []nets.Param {
	names, layers := m.layers()
	return named(names, layers...)
}

// Buffers returns the batch norms' running statistics.
func (m *ResNet) Buffers() []nets.Param {
	names, layers := m.layers()
	return namedBuffers(names, layers...)
}

func (m *ResNet) layers() ([]string, []nets.Layer) {
	names, layers := []string{"stem", "stem_bn"}, []nets.Layer{m.Stem, m.StemBN}
	for i, b := range m.Blocks {
		names, layers = append(names, "block"+strconv.Itoa(i+1)), append(layers, b)
	}
	return append(names, "fc"), append(layers, m.FC)
}

var (
	_ nets.Layer    = (*ResNet)(nil)
	_ nets.Buffered = (*ResNet)(nil)
)
