package rnn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Kind names a recurrent cell.
type Kind int

const (
	// Vanilla is the Elman RNN h' = tanh(W_ih x + b_ih + W_hh h + b_hh),
	// PyTorch's nn.RNN (nonlinearity 'tanh'). One gate block.
	Vanilla Kind = iota
	// GRU is PyTorch's nn.GRU (Cho et al. 2014), gate blocks r, z, n:
	//
	//	r = σ(W_ir x + b_ir + W_hr h + b_hr)
	//	z = σ(W_iz x + b_iz + W_hz h + b_hz)
	//	n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
	//	h' = (1 - z) ⊙ n + z ⊙ h
	GRU
	// SimpleGRU is the simplified GRU of the syllabus, one update gate
	// Γu and a candidate c̃ (blocks u, c), without reset gate:
	//
	//	u = σ(W_iu x + b_iu + W_hu c + b_hu)
	//	c̃ = tanh(W_ic x + b_ic + W_hc c + b_hc)
	//	c' = u ⊙ c̃ + (1 - u) ⊙ c
	SimpleGRU
	// LSTM is PyTorch's nn.LSTM (Hochreiter and Schmidhuber 1997, with a
	// forget gate), gate blocks i, f, g, o:
	//
	//	i = σ(W_ii x + b_ii + W_hi h + b_hi)    f, o likewise
	//	g = tanh(W_ig x + b_ig + W_hg h + b_hg)
	//	c' = f ⊙ c + i ⊙ g
	//	h' = o ⊙ tanh(c')
	//
	// Options add peephole connections and the coupled input-forget gate.
	LSTM
)

var kindNames = [...]string{"rnn", "gru", "simple-gru", "lstm"}

// String returns the kind's name: rnn, gru, simple-gru or lstm.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// ParseKind reads a Kind from its name (see String).
func ParseKind(name string) (Kind, error) {
	for k, n := range kindNames {
		if n == name {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("unknown cell %q: want rnn, gru, simple-gru or lstm", name)
}

// Options are the LSTM variants; other kinds take none.
type Options struct {
	// Peephole lets the gates look at the cell state (Gers and
	// Schmidhuber 2000): i and f add p_i ⊙ c and p_f ⊙ c, o adds p_o ⊙ c'
	// (diagonal peephole weights, parameter "weight_peephole").
	Peephole bool
	// Coupled ties the input gate to the forget gate, i = 1 - f (Greff et
	// al. 2017's CIFG): gate blocks f, g, o and c' = f ⊙ c + (1 - f) ⊙ g.
	Coupled bool
}

// Cell is one recurrent cell: its parameters, in PyTorch's layout and with
// its names, and the recurrence of its kind. The gate blocks of G gates are
// stacked along the first axis of the weights, each Hidden rows, in the
// order the kind lists them.
//
// Parameters: "weight_ih" W_ih [G·H, In], "weight_hh" W_hh [G·H, H],
// "bias_ih" b_ih [G·H], "bias_hh" b_hh [G·H], and for a peephole LSTM
// "weight_peephole" [3, H] (rows p_i, p_f, p_o; coupled: [2, H], rows p_f,
// p_o). Init: PyTorch's, every
// value from U(-1/√H, 1/√H).
type Cell struct {
	Kind       Kind
	Opts       Options
	In, Hidden int
	WIH, WHH   *nets.Tensor
	BIH, BHH   *nets.Tensor
	Peep       *nets.Tensor // nil unless Opts.Peephole
}

// NewCell returns a cell of the given kind from in input features to
// hidden units, initialised as PyTorch initialises its RNNs, drawing from
// rng. Options apply to LSTM only.
func NewCell(rng *rand.Rand, kind Kind, in, hidden int, opts Options) *Cell {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("rnn: cell of %d inputs and %d hidden units", in, hidden))
	}
	if kind < Vanilla || kind > LSTM {
		panic(fmt.Sprintf("rnn: unknown cell kind %d", int(kind)))
	}
	if kind != LSTM && (opts.Peephole || opts.Coupled) {
		panic(fmt.Sprintf("rnn: peephole and coupled gates are LSTM options, not %s ones", kind))
	}
	c := &Cell{Kind: kind, Opts: opts, In: in, Hidden: hidden}
	g := c.Gates() * hidden
	c.WIH, c.WHH = nets.NewParam(g, in), nets.NewParam(g, hidden)
	c.BIH, c.BHH = nets.NewParam(g), nets.NewParam(g)
	bound := 1 / math.Sqrt(float64(hidden))
	for _, t := range []*nets.Tensor{c.WIH, c.WHH, c.BIH, c.BHH} {
		nets.Uniform(rng, t, -bound, bound)
	}
	if opts.Peephole {
		c.Peep = nets.NewParam(c.Gates()-1, hidden)
		nets.Uniform(rng, c.Peep, -bound, bound)
	}
	return c
}

// Gates returns the number of gate blocks G: 1 (Vanilla), 2 (SimpleGRU),
// 3 (GRU, coupled LSTM) or 4 (LSTM).
func (c *Cell) Gates() int {
	switch {
	case c.Kind == Vanilla:
		return 1
	case c.Kind == SimpleGRU:
		return 2
	case c.Kind == GRU || c.Opts.Coupled:
		return 3
	}
	return 4
}

// HasCellState reports whether the state has a cell part C (LSTM).
func (c *Cell) HasCellState() bool { return c.Kind == LSTM }

// Params returns "weight_ih", "weight_hh", "bias_ih", "bias_hh" and, for a
// peephole LSTM, "weight_peephole": nn.LSTMCell's names.
func (c *Cell) Params() []nets.Param {
	ps := []nets.Param{{Name: "weight_ih", Tensor: c.WIH}, {Name: "weight_hh", Tensor: c.WHH},
		{Name: "bias_ih", Tensor: c.BIH}, {Name: "bias_hh", Tensor: c.BHH}}
	if c.Peep != nil {
		ps = append(ps, nets.Param{Name: "weight_peephole", Tensor: c.Peep})
	}
	return ps
}

// State is a cell's state for a batch: H [B, H], and C [B, H] for an LSTM
// (nil otherwise). A nil H (or C) is a zero state, PyTorch's default
// initial state.
type State struct {
	H, C *nets.Tensor
}

// Step advances the state s by one time step on the input x [B, In] and
// returns the new state: the cell as PyTorch's nn.RNNCell, nn.GRUCell and
// nn.LSTMCell compute it. It records two or three ops on tp: the input
// projection and the recurrence (one coarse op with a hand-written
// backward; two for an LSTM, the second giving H). Decoders that feed each
// output back as the next input use it; a whole known sequence goes faster
// through Layer or RNN, which project every step's input at once.
func (c *Cell) Step(tp *nets.Tape, x *nets.Tensor, s State) State {
	if x.Rank() != 2 || x.Shape[1] != c.In {
		panic(fmt.Sprintf("rnn: %s step of input %v, want [B, %d]", c.Kind, x.Shape, c.In))
	}
	gx, seq := project(tp, c, x, 1)
	return c.step(tp, seq, gx, 0, s, nil)
}

// step records time step t of the sequence that seq projected (row block
// t of gx [T, B, G·H]). lengths, when not nil, masks the rows whose
// sequence has ended: their state is carried unchanged.
func (c *Cell) step(tp *nets.Tape, seq *seqOp, gx *nets.Tensor, t int, s State, lengths []int) State {
	c.checkState(s, seq.b)
	switch c.Kind {
	case LSTM:
		return lstmStep(tp, c, seq, gx, t, s, lengths)
	case GRU, SimpleGRU:
		return State{H: gruStep(tp, c, seq, gx, t, s.H, lengths)}
	}
	return State{H: vanillaStep(tp, c, seq, gx, t, s.H, lengths)}
}

func (c *Cell) checkState(s State, b int) {
	for _, x := range []*nets.Tensor{s.H, s.C} {
		if x != nil && (x.Rank() != 2 || x.Shape[0] != b || x.Shape[1] != c.Hidden) {
			panic(fmt.Sprintf("rnn: %s state of shape %v, want [%d, %d]", c.Kind, x.Shape, b, c.Hidden))
		}
	}
	if s.C != nil && c.Kind != LSTM {
		panic(fmt.Sprintf("rnn: a cell state C given to a %s cell", c.Kind))
	}
}
