package models

import (
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// VGG is VGG16 (Simonyan and Zisserman 2015) scaled down for 28x28
// digits, keeping what defines it: only 3x3 convolutions (padding 1),
// stacked in five blocks of 2, 2, 3, 3 and 3 with 2x2 max pooling
// between them, then three fully connected layers with dropout: 16 weight
// layers. Each convolution is followed by batch norm (torchvision's
// vgg16_bn), which lets 13 stacked convolutions train from PyTorch's
// default initialisation; the channels are 16, 32, 64, 64, 64 instead of
// 64 to 512, and the fourth pooling is skipped (28 -> 14 -> 7 -> 3 -> 1).
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "conv1_1.*" (weight, bias), "bn1_1.*", ..., "conv5_3.*",
// "bn5_3.*", "fc1.*", "fc2.*", "fc3.*"; Buffers: the batch norms' running
// statistics.
type VGG struct {
	Convs         [][]*nets.Conv // per block
	BNs           [][]*nets.BatchNorm
	FC1, FC2, FC3 *nets.Linear
	Dropout       float64 // VGG's is 0.5
	RNG           *rand.Rand

	in   imageInput
	flat nets.FlattenLayer
}

// vggBlocks are the convolutions per block and their channels.
var vggBlocks = []struct{ convs, channels int }{{2, 16}, {2, 32}, {3, 64}, {3, 64}, {3, 64}}

// NewVGG returns the VGG with weights drawn from rng, dropping units of
// the fully connected layers with probability dropout using dropRNG.
func NewVGG(rng *rand.Rand, dropout float64, dropRNG *rand.Rand) *VGG {
	m := &VGG{Dropout: dropout, RNG: dropRNG}
	in := 1
	for _, b := range vggBlocks {
		var convs []*nets.Conv
		var bns []*nets.BatchNorm
		for range b.convs {
			convs = append(convs, nets.NewConv(rng, in, b.channels, 3, nets.StridePad(1, 1)))
			bns = append(bns, nets.NewBatchNorm(b.channels))
			in = b.channels
		}
		m.Convs, m.BNs = append(m.Convs, convs), append(m.BNs, bns)
	}
	m.FC1, m.FC2, m.FC3 = nets.NewLinear(rng, in, 256), nets.NewLinear(rng, 256, 256), nets.NewLinear(rng, 256, 10)
	return m
}

// Forward returns the logits of x.
func (m *VGG) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := m.in.view(tp, x)
	for b, convs := range m.Convs {
		for i, c := range convs {
			h = nets.ReLU(tp, m.BNs[b][i].Forward(tp, c.Forward(tp, h)))
		}
		if b != 3 {
			h = nets.MaxPool2D(tp, h, 2, 0, 0)
		}
	}
	h = nets.Dropout(tp, nets.ReLU(tp, m.FC1.Forward(tp, m.flat.Forward(tp, h))), m.Dropout, m.RNG)
	h = nets.Dropout(tp, nets.ReLU(tp, m.FC2.Forward(tp, h)), m.Dropout, m.RNG)
	return m.FC3.Forward(tp, h)
}

// Params returns the layers' parameters in order.
func (m *VGG) Params() []nets.Param {
	names, layers := m.layers()
	return named(names, layers...)
}

// Buffers returns the batch norms' running statistics.
func (m *VGG) Buffers() []nets.Param {
	names, layers := m.layers()
	return namedBuffers(names, layers...)
}

func (m *VGG) layers() ([]string, []nets.Layer) {
	var names []string
	var layers []nets.Layer
	for b, convs := range m.Convs {
		for i, c := range convs {
			at := strconv.Itoa(b+1) + "_" + strconv.Itoa(i+1)
			names, layers = append(names, "conv"+at, "bn"+at), append(layers, c, m.BNs[b][i])
		}
	}
	return append(names, "fc1", "fc2", "fc3"), append(layers, m.FC1, m.FC2, m.FC3)
}

var (
	_ nets.Layer    = (*VGG)(nil)
	_ nets.Buffered = (*VGG)(nil)
)
