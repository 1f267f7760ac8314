// Package rnn holds arcade's recurrent networks: the vanilla (Elman) RNN,
// the GRU in PyTorch's layout and the syllabus's simplified one-gate GRU,
// the LSTM with its peephole and coupled input-forget variants; layers
// that run a cell over a sequence in either direction; stacked and
// bidirectional RNNs with dropout between layers; padding masks for
// sequences of different lengths; many-to-one and many-to-many heads; and
// the state carry of truncated back-propagation through time. Gradient
// clipping by global norm is nets.ClipGradNorm.
//
// # Layout
//
// Time first, as PyTorch's batch_first=False: a sequence is xs [T, B, In]
// (T steps of a batch of B), outputs ys [T, B, D·H] (D = 2 directions when
// bidirectional, the forward direction's H features first), states [B, H].
// Step t of the batch is the contiguous block of rows t·B .. t·B+B-1.
//
// Weights are PyTorch's: W_ih [G·H, In], W_hh [G·H, H], b_ih and b_hh
// [G·H], the G gate blocks of H rows stacked in PyTorch's order (LSTM i,
// f, g, o; GRU r, z, n), under PyTorch's names ("weight_ih_l0",
// "bias_hh_l1_reverse", ...), so that nn.LSTM's state_dict and an RNN's
// Params match one to one. The tests check outputs, final states and every
// gradient against nn.RNN, nn.GRU and nn.LSTM (several layers, both
// directions, packed variable lengths) on the same weights.
//
// # Building blocks
//
//	c := rnn.NewCell(rng, rnn.LSTM, in, hidden, rnn.Options{})  // or rnn.GRU, rnn.Vanilla, rnn.SimpleGRU
//	s := c.Step(tp, x, rnn.State{})   // x [B, In]; State{H, C}: nil H (and C) is a zero state
//	s = c.Step(tp, x2, s)             // s.H [B, H] (and s.C for an LSTM) are tensors on tp
//
// Cell.Step is one time step: a decoder that feeds its output (or an
// attention context) back as the next input calls it step by step. A
// whole sequence known in advance goes through a Layer or an RNN, which
// project the inputs of all steps with one GEMM:
//
//	r := rnn.New(rng, rnn.Config{Kind: rnn.GRU, Input: e, Hidden: h, Layers: 1, Bidirectional: true})
//	ys, final := r.Forward(tp, xs, nil, lengths)  // ys [T, B, 2h]; final[0] forward, final[1] reverse
//
// RNN.Forward's lengths (nil: every sequence has T steps) mark padding:
// at a step past a sequence's end its state stays unchanged and its
// output is zero, so the final states are each sequence's own, and the
// reverse direction starts at each sequence's last real step, as with
// PyTorch's packed sequences. Inputs come from an embedding
// (nets.Embedding's Lookup of T·B tokens, then nets.Reshape to [T, B, E])
// or as one-hot rows (OneHot). Heads: ManyToOne reads each sequence's
// last output (Last), ManyToMany every step's.
//
// For beam search or any evaluation, pass a nil tape; to reorder a batch
// of states by beam, nets.Lookup(nil, s.H, rows) picks rows of a state.
//
// # How the ops are recorded
//
// A layer records, on the nets tape, one op that projects the inputs of
// all T steps at once, x·W_ihᵀ over all T·B rows (one GEMM), then one
// coarse op per step with a hand-written backward (two for an LSTM: c'
// then h'), then one op gathering the steps' hidden states into ys. A
// step's forward is one GEMM h·W_hhᵀ (W_hh transposed once per sequence)
// and the pointwise gates; its backward is the pointwise derivative and
// one GEMM for the previous state's gradient. The gradients of W_ih, W_hh,
// the biases and x are formed after all the steps' backward passes by the
// projection op, one GEMM each over all T·B rows. Cell.Step records the
// same ops for a sequence of one step. The sequence of ops is the same at
// every call of the same shapes, so a training step reuses every buffer
// and allocates nothing after the first.
//
// Results are the same bytes at any number of threads: GEMMs go through
// nets/kernels, pointwise kernels through nets.Parallel in fixed chunks of
// whole rows, and sums over rows in a fixed order.
//
// Dropout (Config.Dropout) applies between stacked layers only, never to
// the recurrent connections. Truncated BPTT: Carry keeps the final states
// of one chunk as the (gradient-free) initial states of the next.
package rnn
