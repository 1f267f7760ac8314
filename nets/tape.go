package nets

import "fmt"

// Op is the backward half of one recorded operation. An op is a small
// struct that holds its inputs (and whatever its forward kept for the
// backward pass); its forward is the function that recorded it.
//
// Backward reads out.Grad (d loss / d out) and adds (+=) the gradient of
// each input that needs one into that input's GradBuf(); an input whose
// GradBuf() is nil is skipped. Packages outside nets add coarse ops the
// same way nets does (see Record).
type Op interface {
	Backward(out *Tensor)
}

// node is one recorded op and its output.
type node struct {
	op  Op
	out *Tensor
}

// Tape records the ops of a forward pass, in order, so that Backward can
// run their backward kernels in reverse. It is also the arena of their
// outputs: after Reset, an op recorded at the same position as in the
// previous pass, of the same type, reuses that position's op struct and
// output buffers, so a training step that repeats the same sequence of ops
// allocates nothing. An output stays valid until the tape is Reset and its
// position is recorded again.
//
// A nil *Tape is allowed everywhere a tape is taken: ops then compute
// without recording (fresh outputs, no gradients, evaluation mode), which
// is handy for tests and one-off evaluations.
//
// Gradients flow only along one tape: an output of another tape may be
// an input only if it needs no gradient (a NoGrad tape's, a detached one).
// A tape belongs to one goroutine at a time.
type Tape struct {
	// Train puts ops in training mode: dropout drops units (and the conv
	// core's batch norm uses batch statistics). Evaluation mode otherwise.
	Train bool
	// NoGrad records outputs that never need a gradient: a forward pass
	// that is never differentiated (a DQN target network) still reuses its
	// buffers but computes no gradients and keeps no backward state.
	NoGrad bool

	nodes []node
	pos   int    // the position the next op records at
	pass  uint64 // counts backward passes; see Tensor.GradBuf
}

// NewTape returns an empty tape in training mode.
func NewTape() *Tape { return &Tape{Train: true} }

// Reset rewinds the tape to its start, for the next forward pass. Nothing
// is freed: the ops recorded next reuse the previous pass's buffers.
func (tp *Tape) Reset() { tp.pos = 0 }

// Len reports how many ops have been recorded since the last Reset.
func (tp *Tape) Len() int { return tp.pos }

// Training reports whether tp is in training mode (false for a nil tape).
func (tp *Tape) Training() bool { return tp != nil && tp.Train }

// Record is how an op enters the tape; the forward function of every op
// calls it. It returns the op struct to fill (a new zero T, or the one this
// position held in the previous pass: set every field again) and the
// output tensor of the given shape (zero when new, stale values when
// reused: the forward must write every element). The output needs a
// gradient when one of inputs does and the tape is not NoGrad.
//
// A typical op, in any package:
//
//	type scaleOp struct{ x *nets.Tensor; c float32 }
//
//	func Scale(tp *nets.Tape, x *nets.Tensor, c float32) *nets.Tensor {
//		op, out := nets.Record[scaleOp](tp, x.Shape, x)
//		op.x, op.c = x, c
//		for i, v := range x.Data {
//			out.Data[i] = c * v
//		}
//		return out
//	}
//
//	func (op *scaleOp) Backward(out *nets.Tensor) {
//		if dx := op.x.GradBuf(); dx != nil {
//			for i, g := range out.Grad {
//				dx[i] += op.c * g
//			}
//		}
//	}
func Record[T any, P interface {
	*T
	Op
}](tp *Tape, shape []int, inputs ...*Tensor) (P, *Tensor) {
	if tp == nil {
		return P(new(T)), &Tensor{Shape: append([]int{}, shape...), Data: make([]float32, sizeOf(shape))}
	}
	needGrad := false
	for _, in := range inputs {
		if in.requiresGrad && in.tape != nil && in.tape != tp {
			panic("nets: an input that needs a gradient was recorded on another tape; record both on one tape, or Detach it")
		}
		needGrad = needGrad || in.requiresGrad && !tp.NoGrad
	}
	if tp.pos < len(tp.nodes) {
		n := &tp.nodes[tp.pos]
		if op, ok := n.op.(P); ok {
			n.out.resize(shape)
			n.out.requiresGrad = needGrad
			tp.pos++
			return op, n.out
		}
		// The sequence of ops changed here: forget the old positions.
		tp.nodes = tp.nodes[:tp.pos]
	}
	op := P(new(T))
	out := &Tensor{Shape: append([]int{}, shape...), Data: make([]float32, sizeOf(shape)),
		requiresGrad: needGrad, tape: tp, node: tp.pos}
	tp.nodes = append(tp.nodes, node{op: op, out: out})
	tp.pos++
	return op, out
}

// Backward computes the gradient of the one-element tensor t (a loss) with
// respect to every tensor that needs one and feeds it: op outputs on t's
// tape (cleared first) and leaves (added to what they hold, as PyTorch
// does; clear them with ZeroGrad).
func (t *Tensor) Backward() {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("nets: Backward from a tensor of shape %v; a loss has one element (see Tape.BackwardFrom)", t.Shape))
	}
	t.tapeOf().backward(t, nil)
}

// BackwardFrom is Backward from a tensor of any shape, given the gradient
// of the loss with respect to it (len(dout) == out.Size()).
func (tp *Tape) BackwardFrom(out *Tensor, dout []float32) {
	if len(dout) != len(out.Data) {
		panic(fmt.Sprintf("nets: BackwardFrom with %d gradient values for a tensor of shape %v", len(dout), out.Shape))
	}
	if out.tape != tp {
		panic("nets: BackwardFrom a tensor that this tape did not record")
	}
	tp.backward(out, dout)
}

func (t *Tensor) tapeOf() *Tape {
	if t.tape == nil {
		panic("nets: Backward from a tensor that no tape recorded")
	}
	return t.tape
}

// backward seeds out's gradient with dout (nil: 1) and runs the backward
// kernels of the ops up to out's position in reverse. Ops whose output the
// pass has not reached are skipped.
func (tp *Tape) backward(out *Tensor, dout []float32) {
	i := out.node
	if i >= tp.pos || tp.nodes[i].out != out {
		panic("nets: Backward from a tensor whose tape has been reset since it was recorded")
	}
	if !out.requiresGrad {
		panic("nets: Backward from a tensor that needs no gradient (nothing that requires a gradient feeds it)")
	}
	tp.pass++
	g := out.GradBuf()
	if dout == nil {
		g[0] = 1
	} else {
		copy(g, dout)
	}
	for ; i >= 0; i-- {
		n := tp.nodes[i]
		if n.out.requiresGrad && n.out.gradPass == tp.pass {
			n.op.Backward(n.out)
		}
	}
}
