package rnn

import "github.com/arcadelab/arcade/nets"

// Carry keeps an RNN's final states from one chunk of a long sequence to
// the next: truncated back-propagation through time (Williams and Peng
// 1990). Each chunk's graph starts from copies of the previous chunk's
// final values, so the state flows across chunks and the gradient stops
// at the chunk's start.
//
//	var carry rnn.Carry
//	for each chunk {
//		tp.Reset()
//		ys, final := r.Forward(tp, xs, carry.Init(), nil)
//		... loss, Backward, step ...
//		carry.Keep(final)
//	}
type Carry struct {
	states []State // leaves holding the kept values
	init   []State // what Init returns: states, or nil
}

// Init returns the states to start the next chunk from: nil (zero states)
// before the first Keep and after Reset, copies of the last kept ones
// otherwise.
func (c *Carry) Init() []State { return c.init }

// Keep copies the values of final (Forward's final states) into the carry.
func (c *Carry) Keep(final []State) {
	if len(c.states) != len(final) {
		c.states = make([]State, len(final))
	}
	for i, s := range final {
		c.states[i].H = keep(c.states[i].H, s.H)
		c.states[i].C = keep(c.states[i].C, s.C)
	}
	c.init = c.states
}

// Reset makes the next chunk start from zero states.
func (c *Carry) Reset() { c.init = nil }

// keep copies src's values into dst (a new leaf when dst does not fit).
func keep(dst, src *nets.Tensor) *nets.Tensor {
	if src == nil {
		return nil
	}
	if dst == nil || dst.Size() != src.Size() {
		dst = nets.New(src.Shape...)
	}
	dst.CopyFrom(src)
	return dst
}
