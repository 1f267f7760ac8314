package rnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// lastOp picks each sequence's output at its last step.
type lastOp struct {
	ys    *nets.Tensor
	steps []int32 // the step picked for each sequence
}

// Last returns ys [T, B, D] at each sequence's last step, [B, D]: step
// lengths[b]-1 of sequence b (T-1 for all when lengths is nil). Lengths
// are 1..T. It is what a many-to-one model reads.
func Last(tp *nets.Tape, ys *nets.Tensor, lengths []int) *nets.Tensor {
	if ys.Rank() != 3 {
		panic(fmt.Sprintf("rnn: Last of a tensor of shape %v, want [T, B, D]", ys.Shape))
	}
	T, b, d := ys.Shape[0], ys.Shape[1], ys.Shape[2]
	if lengths != nil && len(lengths) != b {
		panic(fmt.Sprintf("rnn: Last with %d lengths for a batch of %d", len(lengths), b))
	}
	op, y := nets.Record[lastOp](tp, []int{b, d}, ys)
	op.ys = ys
	op.steps = grow(op.steps, b)
	for r := range b {
		t := T - 1
		if lengths != nil {
			t = lengths[r] - 1
		}
		if t < 0 || t >= T {
			panic(fmt.Sprintf("rnn: Last of sequence %d of length %d, want 1..%d", r, t+1, T))
		}
		op.steps[r] = int32(t)
		copy(y.Data[r*d:(r+1)*d], ys.Data[(t*b+r)*d:(t*b+r+1)*d])
	}
	return y
}

// Backward: each picked row gets its gradient back.
func (op *lastOp) Backward(y *nets.Tensor) {
	dys := op.ys.GradBuf()
	if dys == nil {
		return
	}
	b, d := op.ys.Shape[1], op.ys.Shape[2]
	for r, t := range op.steps {
		addTo(dys[(int(t)*b+r)*d:(int(t)*b+r+1)*d], y.Grad[r*d:(r+1)*d])
	}
}

// ManyToOne is a head that maps each sequence's last output to K values
// (class logits, a regression): sentiment from a review, a label for a
// sequence.
type ManyToOne struct{ Out *nets.Linear }

// NewManyToOne returns a head from d features (the RNN's D·Hidden) to k.
func NewManyToOne(rng *rand.Rand, d, k int) *ManyToOne { return &ManyToOne{nets.NewLinear(rng, d, k)} }

// Forward maps Last(ys, lengths) [B, D] to [B, K].
func (h *ManyToOne) Forward(tp *nets.Tape, ys *nets.Tensor, lengths []int) *nets.Tensor {
	return h.Out.Forward(tp, Last(tp, ys, lengths))
}

// Params returns the linear map's, "weight" and "bias".
func (h *ManyToOne) Params() []nets.Param { return h.Out.Params() }

// ManyToMany is a head that maps the output of every step to K values: a
// tag per word, the next character's logits.
type ManyToMany struct{ Out *nets.Linear }

// NewManyToMany returns a head from d features (the RNN's D·Hidden) to k.
func NewManyToMany(rng *rand.Rand, d, k int) *ManyToMany {
	return &ManyToMany{nets.NewLinear(rng, d, k)}
}

// Forward maps ys [T, B, D] to [T, B, K] with one GEMM. Padding steps
// (zero outputs) give the bias: leave them out of the loss.
func (h *ManyToMany) Forward(tp *nets.Tape, ys *nets.Tensor) *nets.Tensor {
	return h.Out.Forward(tp, ys)
}

// Params returns the linear map's, "weight" and "bias".
func (h *ManyToMany) Params() []nets.Param { return h.Out.Params() }

// OneHot fills dst [..., V] with one-hot rows: row i is 1 at tokens[i] and
// 0 elsewhere, the input of an RNN that reads symbols without an
// embedding. len(tokens) must be dst's number of rows.
func OneHot(dst *nets.Tensor, tokens []int) {
	v := dst.Dim(-1)
	if len(tokens)*v != dst.Size() {
		panic(fmt.Sprintf("rnn: OneHot of %d tokens into %v", len(tokens), dst.Shape))
	}
	clear(dst.Data)
	for i, k := range tokens {
		if k < 0 || k >= v {
			panic(fmt.Sprintf("rnn: OneHot token %d at %d outside [0, %d)", k, i, v))
		}
		dst.Data[i*v+k] = 1
	}
}
