package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// Layer is a module of a network: parameters plus a forward pass built
// from ops. Params lists the parameters the layer owns, by name, in a fixed
// order; a tensor borrowed from another layer (a tied weight) is listed
// only by its owner, so that optimizers step it once.
type Layer interface {
	Forward(tp *Tape, x *Tensor) *Tensor
	Params() []Param
}

// Linear is a fully connected layer y = x·Wᵀ + b, PyTorch's nn.Linear.
//
// Shape: x [..., In] -> y [..., Out]. Parameters: "weight" W [Out, In],
// "bias" b [Out] (B nil: no bias). Init: PyTorch's default (DefaultInit).
//
// A tied layer (NewTiedLinear) borrows another Linear's weight, used as is
// or transposed; the gradients of both uses add up in the one weight.
type Linear struct {
	W, B *Tensor
	// Transpose uses W transposed: y = x·W + b, W being [In, Out]; a tied
	// decoder uses its encoder's [Out', In'] weight this way.
	Transpose bool
	// Borrowed says that W belongs to another layer: Params omits it.
	Borrowed bool
}

// NewLinear returns a Linear layer from in to out features, initialised as
// PyTorch initialises nn.Linear, drawing from rng.
func NewLinear(rng *rand.Rand, in, out int) *Linear {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nets: Linear %d -> %d", in, out))
	}
	l := &Linear{W: NewParam(out, in), B: NewParam(out)}
	DefaultInit(rng, l.W, l.B)
	return l
}

// NewTiedLinear returns a layer that uses src's weight, transposed when
// transpose is true (a tied autoencoder's decoder: src maps In -> Out, the
// tied layer Out -> In), with a bias of its own drawn as nn.Linear's.
// Without transpose the two layers share one map (shared weights).
func NewTiedLinear(rng *rand.Rand, src *Linear, transpose bool) *Linear {
	out := src.W.Shape[0]
	if src.Transpose != transpose {
		out = src.W.Shape[1]
	}
	in := src.W.Size() / out
	l := &Linear{W: src.W, B: NewParam(out), Transpose: transpose != src.Transpose, Borrowed: true}
	bound := 1 / math.Sqrt(float64(in))
	Uniform(rng, l.B, -bound, bound)
	return l
}

// Forward returns x·Wᵀ + b (x·W + b when transposed).
func (l *Linear) Forward(tp *Tape, x *Tensor) *Tensor {
	if l.Transpose {
		return AffineT(tp, x, l.W, l.B)
	}
	return Affine(tp, x, l.W, l.B)
}

// Params returns "weight" (unless borrowed) and "bias" (if any).
func (l *Linear) Params() []Param {
	var ps []Param
	if !l.Borrowed {
		ps = append(ps, Param{"weight", l.W})
	}
	if l.B != nil {
		ps = append(ps, Param{"bias", l.B})
	}
	return ps
}

// Sequential runs layers one after the other, PyTorch's nn.Sequential.
// Parameter names are prefixed with the layer's index: "0.weight".
type Sequential struct {
	Layers []Layer
}

// NewSequential returns a Sequential of layers.
func NewSequential(layers ...Layer) *Sequential { return &Sequential{Layers: layers} }

// Forward feeds x through every layer.
func (s *Sequential) Forward(tp *Tape, x *Tensor) *Tensor {
	for _, l := range s.Layers {
		x = l.Forward(tp, x)
	}
	return x
}

// Params returns every layer's parameters, prefixed "i.".
func (s *Sequential) Params() []Param {
	var ps []Param
	for i, l := range s.Layers {
		ps = append(ps, Prefix(strconv.Itoa(i)+".", l.Params())...)
	}
	return ps
}

// Func is a layer without parameters made of a function of one tensor:
// Func(ReLU), Func(Flatten), or a closure such as LeakyReLU with a slope.
type Func func(tp *Tape, x *Tensor) *Tensor

// Forward applies f.
func (f Func) Forward(tp *Tape, x *Tensor) *Tensor { return f(tp, x) }

// Params returns nothing.
func (f Func) Params() []Param { return nil }

// DropoutLayer is inverted dropout as a layer (see Dropout): active only
// when the tape is in training mode.
type DropoutLayer struct {
	P   float64
	RNG *rand.Rand
}

// Forward drops with probability P in training mode, passes x otherwise.
func (d *DropoutLayer) Forward(tp *Tape, x *Tensor) *Tensor { return Dropout(tp, x, d.P, d.RNG) }

// Params returns nothing.
func (d *DropoutLayer) Params() []Param { return nil }

// Embedding is a table of V vectors of size D looked up by index, PyTorch's
// nn.Embedding. Parameter: "weight" [V, D], initialised from N(0, 1) as
// PyTorch does.
type Embedding struct {
	W *Tensor
}

// NewEmbedding returns a table of v vectors of size d drawn from N(0, 1).
func NewEmbedding(rng *rand.Rand, v, d int) *Embedding {
	e := &Embedding{W: NewParam(v, d)}
	Normal(rng, e.W, 0, 1)
	return e
}

// Forward returns the vectors of idx as [len(idx), D].
func (e *Embedding) Forward(tp *Tape, idx []int) *Tensor { return Lookup(tp, e.W, idx) }

// Params returns "weight".
func (e *Embedding) Params() []Param { return []Param{{"weight", e.W}} }
