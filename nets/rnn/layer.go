package rnn

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
)

// Layer runs one cell over a whole sequence in one direction: the inputs
// of every step projected at once (x·W_ihᵀ + b_ih over all T·B rows, one
// GEMM, and one GEMM for each of its gradients), then the recurrence step
// by step, each step a coarse op, then the outputs gathered into one
// tensor. A Reverse layer runs from the last step to the first, as the
// backward half of a bidirectional RNN.
type Layer struct {
	Cell    *Cell
	Reverse bool
	hs      []*nets.Tensor // each step's hidden state, in time order
}

// NewLayer returns a layer of a new cell (see NewCell).
func NewLayer(c *Cell, reverse bool) *Layer { return &Layer{Cell: c, Reverse: reverse} }

// Forward runs the layer over xs [T, B, In] from the state init (zero
// where nil) and returns the outputs ys [T, B, H] and the final state.
//
// lengths, when not nil, gives each sequence's length (0..T): the steps
// t >= lengths[b] are padding, where the state stays as it was and the
// output is zero, so that the final state is the state after each
// sequence's own last step (in reverse, the state runs from init through
// the padding unchanged and starts at each sequence's last step), as
// PyTorch's packed sequences give. lengths must not change until the
// backward pass.
func (l *Layer) Forward(tp *nets.Tape, xs *nets.Tensor, init State, lengths []int) (ys *nets.Tensor, final State) {
	checkSequence(xs, l.Cell.In, lengths)
	l.hs = grow(l.hs, xs.Shape[0])
	final = l.run(tp, xs, init, lengths, l.hs)
	return sequenceOutput(tp, l.hs, 1, lengths), final
}

// run projects xs and records the steps, leaving the hidden state of step
// t in hs[t]; it returns the final state.
func (l *Layer) run(tp *nets.Tape, xs *nets.Tensor, init State, lengths []int, hs []*nets.Tensor) State {
	c := l.Cell
	T := xs.Shape[0]
	gx, seq := project(tp, c, xs, T)
	s := init
	for k := 0; k < T; k++ {
		t := k
		if l.Reverse {
			t = T - 1 - k
		}
		s = c.step(tp, seq, gx, t, s, lengths)
		hs[t] = s.H
	}
	return s
}

// checkSequence panics unless xs is [T, B, in] and lengths fit it.
func checkSequence(xs *nets.Tensor, in int, lengths []int) {
	if xs.Rank() != 3 || xs.Shape[2] != in || xs.Shape[0] == 0 {
		panic(fmt.Sprintf("rnn: a sequence of shape %v, want [T, B, %d] with T >= 1", xs.Shape, in))
	}
	if lengths == nil {
		return
	}
	if len(lengths) != xs.Shape[1] {
		panic(fmt.Sprintf("rnn: %d lengths for a batch of %d", len(lengths), xs.Shape[1]))
	}
	for b, n := range lengths {
		if n < 0 || n > xs.Shape[0] {
			panic(fmt.Sprintf("rnn: sequence %d has length %d, outside [0, %d]", b, n, xs.Shape[0]))
		}
	}
}

// seqOutOp gathers the hidden states of every step of one or two
// directions into ys [T, B, D·H], zero at padding steps.
type seqOutOp struct {
	hs         []*nets.Tensor // [D·T]: direction d's step t at d·T + t
	dirs, t, b int
	h          int
	valid      []bool // [T·B]; nil: no padding
}

// sequenceOutput records the gathering of the hidden states hs of dirs
// directions, direction d's step t at hs[d·T + t]: ys[t, b] holds the
// directions' states one after the other.
func sequenceOutput(tp *nets.Tape, hs []*nets.Tensor, dirs int, lengths []int) *nets.Tensor {
	T := len(hs) / dirs
	b, h := hs[0].Shape[0], hs[0].Shape[1]
	op, ys := nets.Record[seqOutOp](tp, []int{T, b, dirs * h}, hs...)
	op.hs = append(op.hs[:0], hs...)
	op.dirs, op.t, op.b, op.h = dirs, T, b, h
	op.valid = op.valid[:0]
	if lengths != nil {
		for t := 0; t < T; t++ {
			for _, n := range lengths {
				op.valid = append(op.valid, t < n)
			}
		}
	} else {
		op.valid = nil
	}
	w := dirs * h
	for d := 0; d < dirs; d++ {
		for t := 0; t < T; t++ {
			src := op.hs[d*T+t].Data
			for r := 0; r < b; r++ {
				dst := ys.Data[(t*b+r)*w+d*h : (t*b+r)*w+(d+1)*h]
				if op.valid == nil || op.valid[t*b+r] {
					copy(dst, src[r*h:(r+1)*h])
				} else {
					clear(dst)
				}
			}
		}
	}
	return ys
}

// Backward: each step's state gets its block of dys back (nothing at
// padding steps).
func (op *seqOutOp) Backward(ys *nets.Tensor) {
	w := op.dirs * op.h
	for d := 0; d < op.dirs; d++ {
		for t := 0; t < op.t; t++ {
			dh := op.hs[d*op.t+t].GradBuf()
			if dh == nil {
				continue
			}
			for r := 0; r < op.b; r++ {
				if op.valid == nil || op.valid[t*op.b+r] {
					addTo(dh[r*op.h:(r+1)*op.h], ys.Grad[(t*op.b+r)*w+d*op.h:(t*op.b+r)*w+(d+1)*op.h])
				}
			}
		}
	}
}
