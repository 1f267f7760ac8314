package ae

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// Activations of a code layer.
const (
	Linear  = "linear"
	ReLU    = "relu"
	Sigmoid = "sigmoid"
)

// Autoencoder is what training, evaluation and the pictures need of a
// model: x [N, D] (D = 784 for MNIST) to a code [N, Z] and a code back to
// reconstruction logits [N, D].
type Autoencoder interface {
	Encode(tp *nets.Tape, x *nets.Tensor) *nets.Tensor
	Decode(tp *nets.Tape, h *nets.Tensor) *nets.Tensor
	Params() []nets.Param
	// CodeSize returns Z; CodeActivation how the code is squashed.
	CodeSize() int
	CodeActivation() string
}

// MLP is a fully connected autoencoder: encoder layers Enc with ReLU
// between them and the code activation after the last, decoder layers Dec
// mirroring them with ReLU between them and no activation after the last
// (its outputs are logits).
//
// Shape: x [N, Sizes[0]] -> h [N, Sizes[len-1]] -> logits [N, Sizes[0]].
// Parameters: "enc.0.weight" [Sizes[1], Sizes[0]], "enc.0.bias", ...,
// "dec.0.weight" [Sizes[len-2], Sizes[len-1]], ... (a tied decoder has
// biases only). Init: PyTorch's nn.Linear default.
type MLP struct {
	Sizes   []int // input, hidden..., code
	Enc     []*nets.Linear
	Dec     []*nets.Linear
	CodeAct string // Linear, ReLU or Sigmoid
	Tied    bool   // Dec[i] uses Enc[len-1-i]'s weight transposed
}

// NewMLP returns an autoencoder with the layer sizes given (input,
// hidden..., code), the code squashed by codeAct, the decoder tied to the
// encoder or not, its weights drawn from rng.
func NewMLP(rng *rand.Rand, sizes []int, codeAct string, tied bool) *MLP {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("ae: MLP sizes %v: want an input and a code size at least", sizes))
	}
	if codeAct != Linear && codeAct != ReLU && codeAct != Sigmoid {
		panic(fmt.Sprintf("ae: unknown code activation %q", codeAct))
	}
	m := &MLP{Sizes: sizes, CodeAct: codeAct, Tied: tied}
	for i := 1; i < len(sizes); i++ {
		m.Enc = append(m.Enc, nets.NewLinear(rng, sizes[i-1], sizes[i]))
	}
	for i := len(sizes) - 1; i > 0; i-- {
		if tied {
			m.Dec = append(m.Dec, nets.NewTiedLinear(rng, m.Enc[i-1], true))
		} else {
			m.Dec = append(m.Dec, nets.NewLinear(rng, sizes[i], sizes[i-1]))
		}
	}
	return m
}

// Encode returns the code of x.
func (m *MLP) Encode(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	for i, l := range m.Enc {
		x = l.Forward(tp, x)
		if i < len(m.Enc)-1 {
			x = nets.ReLU(tp, x)
		}
	}
	return activate(tp, x, m.CodeAct)
}

// Decode returns the reconstruction logits of the code h.
func (m *MLP) Decode(tp *nets.Tape, h *nets.Tensor) *nets.Tensor {
	for i, l := range m.Dec {
		h = l.Forward(tp, h)
		if i < len(m.Dec)-1 {
			h = nets.ReLU(tp, h)
		}
	}
	return h
}

// activate applies a code activation.
func activate(tp *nets.Tape, x *nets.Tensor, act string) *nets.Tensor {
	switch act {
	case ReLU:
		return nets.ReLU(tp, x)
	case Sigmoid:
		return nets.Sigmoid(tp, x)
	}
	return x
}

// Params returns "enc.0.weight", "enc.0.bias", ..., then the decoder's.
func (m *MLP) Params() []nets.Param {
	var ps []nets.Param
	for i, l := range m.Enc {
		ps = append(ps, nets.Prefix("enc."+strconv.Itoa(i)+".", l.Params())...)
	}
	for i, l := range m.Dec {
		ps = append(ps, nets.Prefix("dec."+strconv.Itoa(i)+".", l.Params())...)
	}
	return ps
}

// CodeSize returns the size of the code.
func (m *MLP) CodeSize() int { return m.Sizes[len(m.Sizes)-1] }

// CodeActivation returns the code's activation.
func (m *MLP) CodeActivation() string { return m.CodeAct }

// FirstWeights returns the first encoder layer's weight [units, D]: each
// row is what one unit of the first layer sees.
func (m *MLP) FirstWeights() *nets.Tensor { return m.Enc[0].W }

var _ Autoencoder = (*MLP)(nil)
