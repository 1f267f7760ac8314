package models

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// MLP is a multi-layer perceptron: fully connected layers with ReLU
// between them and inverted dropout after each hidden ReLU (Srivastava et
// al. 2014). The last layer's outputs are logits.
//
// Shape: x [N, Sizes[0]] (or [N, ...] flattened, e.g. images [N, 28, 28])
// -> [N, Sizes[len-1]]. Parameters: "fc1.weight" [Sizes[1], Sizes[0]],
// "fc1.bias", "fc2.weight", ... Init: PyTorch's nn.Linear default.
type MLP struct {
	Sizes   []int
	Layers  []*nets.Linear
	Dropout float64    // the probability of dropping a hidden unit; 0 for none
	RNG     *rand.Rand // dropout's random source
}

// NewMLP returns an MLP with the layer sizes given (input, hidden...,
// output), its weights drawn from rng, dropping hidden units with
// probability dropout using dropRNG (which the trainer reseeds).
func NewMLP(rng *rand.Rand, sizes []int, dropout float64, dropRNG *rand.Rand) *MLP {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("models: MLP sizes %v: want an input and an output size at least", sizes))
	}
	m := &MLP{Sizes: sizes, Dropout: dropout, RNG: dropRNG}
	for i := 1; i < len(sizes); i++ {
		m.Layers = append(m.Layers, nets.NewLinear(rng, sizes[i-1], sizes[i]))
	}
	return m
}

// Forward returns the logits of x.
func (m *MLP) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	if x.Rank() > 2 {
		x = nets.Flatten(tp, x)
	}
	for i, l := range m.Layers {
		x = l.Forward(tp, x)
		if i < len(m.Layers)-1 {
			x = nets.Dropout(tp, nets.ReLU(tp, x), m.Dropout, m.RNG)
		}
	}
	return x
}

// Params returns "fc1.weight", "fc1.bias", "fc2.weight", ... in order.
func (m *MLP) Params() []nets.Param {
	var ps []nets.Param
	for i, l := range m.Layers {
		ps = append(ps, nets.Prefix("fc"+strconv.Itoa(i+1)+".", l.Params())...)
	}
	return ps
}

var _ nets.Layer = (*MLP)(nil)
