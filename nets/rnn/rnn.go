package rnn

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// Config describes a stacked, possibly bidirectional RNN, as the arguments
// of PyTorch's nn.RNN, nn.GRU and nn.LSTM do.
type Config struct {
	Kind          Kind
	Opts          Options // LSTM variants
	Input, Hidden int     // features of the input and hidden units per direction
	Layers        int     // stacked layers (at least 1)
	Bidirectional bool    // a reverse layer beside each forward one
	// Dropout is the probability of dropping each output of every layer
	// but the last, in training mode (PyTorch's dropout argument): between
	// layers only, never on the recurrent connections.
	Dropout float64
}

// RNN is a stack of recurrent layers, PyTorch's nn.RNN, nn.GRU and nn.LSTM:
// layer l reads the outputs of layer l-1 (its two directions concatenated
// when bidirectional), after dropout in training mode.
//
// Shapes (time first, PyTorch's batch_first=False): xs [T, B, Input], ys
// [T, B, D·Hidden] with D = 2 when bidirectional; states are listed as
// PyTorch's h_n and c_n list them, layer by layer, the forward direction
// before the reverse one: index l·D + d.
//
// Parameters carry PyTorch's names: "weight_ih_l0", "weight_hh_l0",
// "bias_ih_l0", "bias_hh_l0", then "..._l0_reverse", then layer 1, ...
// (and "weight_peephole_l0" for a peephole LSTM), so that a state_dict
// saved as safetensors loads as is.
type RNN struct {
	Config
	// Cells holds the layers' cells, index l·D + d.
	Cells []*Cell
	// DropRNG draws the dropout masks; required when Dropout > 0 and the
	// tape trains.
	DropRNG *rand.Rand
	layers  []Layer
	hs      []*nets.Tensor // one layer's hidden states, D·T
	final   []State
}

// New returns an RNN whose weights are drawn from rng as PyTorch draws
// them, layer by layer and direction by direction.
func New(rng *rand.Rand, cfg Config) *RNN {
	if cfg.Layers < 1 || cfg.Input < 1 || cfg.Hidden < 1 {
		panic(fmt.Sprintf("rnn: %d layers of %d inputs and %d hidden units", cfg.Layers, cfg.Input, cfg.Hidden))
	}
	if !(cfg.Dropout >= 0 && cfg.Dropout < 1) {
		panic(fmt.Sprintf("rnn: dropout %v outside [0, 1)", cfg.Dropout))
	}
	r := &RNN{Config: cfg}
	dirs := r.Directions()
	for l := 0; l < cfg.Layers; l++ {
		in := cfg.Input
		if l > 0 {
			in = dirs * cfg.Hidden
		}
		for d := 0; d < dirs; d++ {
			c := NewCell(rng, cfg.Kind, in, cfg.Hidden, cfg.Opts)
			r.Cells = append(r.Cells, c)
			r.layers = append(r.layers, Layer{Cell: c, Reverse: d == 1})
		}
	}
	return r
}

// Directions returns D: 2 when bidirectional, 1 otherwise.
func (r *RNN) Directions() int {
	if r.Bidirectional {
		return 2
	}
	return 1
}

// Forward runs the RNN over xs [T, B, Input] from the states init (nil,
// or nil entries, or nil H and C: zero states; otherwise Layers·D of
// them) and returns the last layer's outputs ys [T, B, D·Hidden] and the
// final state of every layer and direction (index l·D + d; the slice is
// reused by the next Forward). lengths, when not nil, marks padding as
// Layer.Forward describes.
func (r *RNN) Forward(tp *nets.Tape, xs *nets.Tensor, init []State, lengths []int) (ys *nets.Tensor, final []State) {
	checkSequence(xs, r.Input, lengths)
	dirs := r.Directions()
	if init != nil && len(init) != len(r.Cells) {
		panic(fmt.Sprintf("rnn: %d initial states for %d layers and directions", len(init), len(r.Cells)))
	}
	if r.Dropout > 0 && r.Layers > 1 && tp.Training() && r.DropRNG == nil {
		panic("rnn: dropout without a DropRNG")
	}
	T := xs.Shape[0]
	r.hs = grow(r.hs, dirs*T)
	r.final = grow(r.final, len(r.Cells))
	x := xs
	for l := 0; l < r.Layers; l++ {
		if l > 0 {
			x = nets.Dropout(tp, x, r.Dropout, r.DropRNG)
		}
		for d := 0; d < dirs; d++ {
			i := l*dirs + d
			var s State
			if init != nil {
				s = init[i]
			}
			r.final[i] = r.layers[i].run(tp, x, s, lengths, r.hs[d*T:(d+1)*T])
		}
		x = sequenceOutput(tp, r.hs, dirs, lengths)
	}
	return x, r.final
}

// Params returns every cell's parameters under PyTorch's names (see RNN).
func (r *RNN) Params() []nets.Param {
	var ps []nets.Param
	dirs := r.Directions()
	for i, c := range r.Cells {
		suffix := "_l" + strconv.Itoa(i/dirs)
		if i%dirs == 1 {
			suffix += "_reverse"
		}
		for _, p := range c.Params() {
			ps = append(ps, nets.Param{Name: p.Name + suffix, Tensor: p.Tensor})
		}
	}
	return ps
}
