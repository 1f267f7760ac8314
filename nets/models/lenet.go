package models

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/nets"
)

// LeNet is LeNet-5 (LeCun et al. 1998) for 28x28 digits, as it is built
// today: ReLU instead of the scaled tanh, max instead of average pooling,
// and the first convolution padded so that 28x28 digits take the place of
// the paper's 32x32 ones.
//
//	conv1  1 -> 6 channels, 5x5, padding 2   [N, 6, 28, 28], ReLU, 2x2 max pool
//	conv2  6 -> 16 channels, 5x5             [N, 16, 10, 10], ReLU, 2x2 max pool
//	fc1    400 -> 120, ReLU, dropout
//	fc2    120 -> 84, ReLU, dropout          the features (Features)
//	fc3    84 -> 10                          the logits
//
// Shape: x [N, 784], [N, 28, 28] or [N, 1, 28, 28] -> logits [N, 10].
// Parameters: "conv1.weight", "conv1.bias", "conv2.*", "fc1.*", "fc2.*",
// "fc3.*". Init: PyTorch's defaults.
type LeNet struct {
	Conv1, Conv2  *nets.Conv
	FC1, FC2, FC3 *nets.Linear
	Dropout       float64    // the probability of dropping an FC hidden unit
	RNG           *rand.Rand // dropout's random source

	in   imageInput
	flat nets.FlattenLayer
}

// LeNetFeatures is the size of LeNet's features, the activations of its
// penultimate layer.
const LeNetFeatures = 84

// NewLeNet returns a LeNet-5 with weights drawn from rng, dropping FC
// hidden units with probability dropout using dropRNG.
func NewLeNet(rng *rand.Rand, dropout float64, dropRNG *rand.Rand) *LeNet {
	return &LeNet{
		Conv1:   nets.NewConv(rng, 1, 6, 5, nets.StridePad(1, 2)),
		Conv2:   nets.NewConv(rng, 6, 16, 5, nets.ConvOpts{}),
		FC1:     nets.NewLinear(rng, 16*5*5, 120),
		FC2:     nets.NewLinear(rng, 120, LeNetFeatures),
		FC3:     nets.NewLinear(rng, LeNetFeatures, 10),
		Dropout: dropout, RNG: dropRNG,
	}
}

// Features returns the penultimate layer's activations [N, 84] (after its
// ReLU, before dropout): the embedding a Frechet distance between sets of
// digits is computed on.
func (m *LeNet) Features(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	h := m.in.view(tp, x)
	h = nets.MaxPool2D(tp, nets.ReLU(tp, m.Conv1.Forward(tp, h)), 2, 0, 0)
	h = nets.MaxPool2D(tp, nets.ReLU(tp, m.Conv2.Forward(tp, h)), 2, 0, 0)
	h = nets.Dropout(tp, nets.ReLU(tp, m.FC1.Forward(tp, m.flat.Forward(tp, h))), m.Dropout, m.RNG)
	return nets.ReLU(tp, m.FC2.Forward(tp, h))
}

// Forward returns the logits of x.
func (m *LeNet) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	return m.FC3.Forward(tp, nets.Dropout(tp, m.Features(tp, x), m.Dropout, m.RNG))
}

// Params returns the layers' parameters in order.
func (m *LeNet) Params() []nets.Param {
	return named([]string{"conv1", "conv2", "fc1", "fc2", "fc3"}, m.Conv1, m.Conv2, m.FC1, m.FC2, m.FC3)
}

// LoadLeNet returns the LeNet that arcade train mnist --model lenet
// trained: path is the run directory (its model.safetensors) or a
// safetensors file of one. The model has no dropout; evaluate it with a
// nil tape or one not in training mode.
func LoadLeNet(path string) (*LeNet, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "model.safetensors")
	}
	m := NewLeNet(rand.New(rand.NewPCG(0, 0)), 0, nil)
	meta, err := nets.LoadTensors(path, m.Params())
	if err != nil {
		return nil, err
	}
	if meta["arcade.model"] != "lenet" {
		return nil, fmt.Errorf("%s: a model %q, not a LeNet (arcade train mnist --model lenet)", path, meta["arcade.model"])
	}
	return m, nil
}

// named returns the layers' parameters, each layer's under its name.
func named(names []string, layers ...nets.Layer) []nets.Param {
	var ps []nets.Param
	for i, l := range layers {
		ps = append(ps, nets.Prefix(names[i]+".", l.Params())...)
	}
	return ps
}

// namedBuffers returns the buffers of the layers that have some, each
// layer's under its name.
func namedBuffers(names []string, layers ...nets.Layer) []nets.Param {
	var ps []nets.Param
	for i, l := range layers {
		if b, ok := l.(nets.Buffered); ok {
			ps = append(ps, nets.Prefix(names[i]+".", b.Buffers())...)
		}
	}
	return ps
}

// imageInput views the MNIST trainer's inputs, [N, 784] or [N, 28, 28],
// as one-channel images [N, 1, 28, 28]. It keeps Reshape's shape
// argument, so that a replayed step allocates nothing.
type imageInput struct{ shape [4]int }

func (in *imageInput) view(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	if x.Rank() == 4 {
		return x
	}
	if x.Size() != x.Dim(0)*28*28 {
		panic(fmt.Sprintf("models: an MNIST network of x %v: want 28x28 images", x.Shape))
	}
	in.shape = [4]int{x.Dim(0), 1, 28, 28}
	return nets.Reshape(tp, x, in.shape[:]...)
}

var _ nets.Layer = (*LeNet)(nil)
