package seq2seq

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Config is the model's architecture.
type Config struct {
	Cell      string `json:"cell"`      // the recurrent cell of encoder and decoder: lstm or gru
	Embed     int    `json:"embed"`     // character embedding size (source and target)
	Encoder   int    `json:"encoder"`   // hidden units of each encoder direction (D = 2·Encoder)
	Decoder   int    `json:"decoder"`   // hidden units of the decoder
	Attention int    `json:"attention"` // A, the hidden size of additive attention
}

// DefaultConfig is the date translator's default size.
func DefaultConfig() Config {
	return Config{Cell: "lstm", Embed: 16, Encoder: 64, Decoder: 128, Attention: 64}
}

// Check returns an error naming a bad field.
func (c Config) Check() error {
	if c.Cell != "lstm" && c.Cell != "gru" {
		return fmt.Errorf("cell %q: want lstm or gru", c.Cell)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"embed", c.Embed}, {"encoder", c.Encoder}, {"decoder", c.Decoder}, {"attention", c.Attention}} {
		if f.v < 1 || f.v > 4096 {
			return fmt.Errorf("%s %d: want 1..4096 units", f.name, f.v)
		}
	}
	return nil
}

// Model is the encoder-decoder with attention:
//
//	encoder:   h = BiRNN(E_src x)                         h [S, N, D], D = 2·Encoder
//	           keys = W_k h + b                            [S, N, A], once per source
//	start:     s_0 = tanh(W_0 [→h_last; ←h_first] + b_0)   the decoder's first state
//	step t:    α_t, c_t = Attention(keys, h, s_{t-1})      α_t [N, S], c_t [N, D]
//	           s_t = Cell([E_tgt y_{t-1}; c_t], s_{t-1})   y_{-1} = BOS
//	           P(y_t | x, y_<t) = softmax(W_o [s_t; c_t] + b_o)
//
// where →h_last and ←h_first are the final states of the two directions.
// Training feeds the true y_{t-1} (teacher forcing); decoding feeds the
// model's own choices through the Stepper of NewDecoder.
type Model struct {
	Cfg      Config          // the architecture
	Src, Tgt *Vocab          // the input and output alphabets
	SrcEmbed *nets.Embedding // [Src.Len(), Embed]
	Encoder  *rnn.RNN        // bidirectional, one layer
	Att      *Attention      // additive attention over the encoder states
	Start    *nets.Linear    // W_0, b_0: [Decoder, D]
	TgtEmbed *nets.Embedding // [Tgt.Len()+2, Embed]: the alphabet, EOS, BOS
	Decoder  *rnn.Cell       // input Embed + D
	Out      *nets.Linear    // W_o, b_o: [Tgt.Len()+1, Decoder + D]

	logits []*nets.Tensor // Loss's per-step outputs, reused
	shape  [3]int         // the embedded source's shape [S, N, Embed]
}

// New returns a model translating from the alphabet src to tgt, drawing
// its weights from rng (PyTorch's initialisations).
func New(rng *rand.Rand, cfg Config, src, tgt string) *Model {
	if err := cfg.Check(); err != nil {
		panic("seq2seq: " + err.Error())
	}
	kind := rnn.LSTM
	if cfg.Cell == "gru" {
		kind = rnn.GRU
	}
	d := 2 * cfg.Encoder
	m := &Model{Cfg: cfg, Src: NewVocab(src), Tgt: NewVocab(tgt)}
	m.SrcEmbed = nets.NewEmbedding(rng, m.Src.Len(), cfg.Embed)
	m.Encoder = rnn.New(rng, rnn.Config{Kind: kind, Input: cfg.Embed, Hidden: cfg.Encoder, Layers: 1, Bidirectional: true})
	m.Att = NewAttention(rng, d, cfg.Decoder, cfg.Attention)
	m.Start = nets.NewLinear(rng, d, cfg.Decoder)
	m.TgtEmbed = nets.NewEmbedding(rng, m.Tgt.Len()+2, cfg.Embed)
	m.Decoder = rnn.NewCell(rng, kind, cfg.Embed+d, cfg.Decoder, rnn.Options{})
	m.Out = nets.NewLinear(rng, cfg.Decoder+d, m.Tgt.Len()+1)
	return m
}

// Params lists every parameter under a stable name.
func (m *Model) Params() []nets.Param {
	var ps []nets.Param
	ps = append(ps, nets.Prefix("src_embed.", m.SrcEmbed.Params())...)
	ps = append(ps, nets.Prefix("encoder.", m.Encoder.Params())...)
	ps = append(ps, nets.Prefix("attention.", m.Att.Params())...)
	ps = append(ps, nets.Prefix("start.", m.Start.Params())...)
	ps = append(ps, nets.Prefix("tgt_embed.", m.TgtEmbed.Params())...)
	ps = append(ps, nets.Prefix("decoder.", m.Decoder.Params())...)
	return append(ps, nets.Prefix("out.", m.Out.Params())...)
}

// Batch is a batch of examples as token ids, time first.
type Batch struct {
	N, S, T int   // examples, the longest source, output steps (the target and EOS)
	Src     []int // [S·N]: source n's token s at s·N+n, 0 past its end (masked)
	Lengths []int // [N]: each source's length, 1..S
	In      []int // [T·N]: the decoder's inputs, BOS then the target
	Out     []int // [T·N]: the target, then EOS
}

// MakeBatch fills b (reusing its buffers) with the pairs of sources and
// targets. Every target must have the same length (T is it plus one, for
// EOS); a source must have 1 to maxLen characters of the source alphabet.
func (m *Model) MakeBatch(b *Batch, srcs, tgts []string) error {
	if len(srcs) != len(tgts) || len(srcs) == 0 {
		return fmt.Errorf("seq2seq: a batch of %d sources and %d targets", len(srcs), len(tgts))
	}
	n := len(srcs)
	b.N, b.S, b.T = n, 0, len(tgts[0])+1
	b.Lengths = b.Lengths[:0]
	for _, s := range srcs {
		if len(s) == 0 {
			return fmt.Errorf("seq2seq: an empty source")
		}
		b.Lengths = append(b.Lengths, len(s))
		b.S = max(b.S, len(s))
	}
	b.Src = grow(b.Src, b.S*n)
	clear(b.Src)
	var ids []int
	var err error
	for i, s := range srcs {
		if ids, err = m.Src.Encode(ids[:0], s); err != nil {
			return err
		}
		for j, id := range ids {
			b.Src[j*n+i] = id
		}
	}
	b.In, b.Out = grow(b.In, b.T*n), grow(b.Out, b.T*n)
	for i, t := range tgts {
		if len(t) != b.T-1 {
			return fmt.Errorf("seq2seq: targets of lengths %d and %d in one batch", b.T-1, len(t))
		}
		if ids, err = m.Tgt.Encode(ids[:0], t); err != nil {
			return err
		}
		b.In[i] = m.Tgt.BOS()
		for j, id := range ids {
			b.In[(j+1)*n+i] = id
			b.Out[j*n+i] = id
		}
		b.Out[(b.T-1)*n+i] = m.Tgt.EOS()
	}
	return nil
}

func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

// encoded is what the decoder reads of the encoder.
type encoded struct {
	h, keys *nets.Tensor // [S, N, D], [S, N, A]
	lengths []int
	start   rnn.State
}

// encode runs the encoder over src [S·N] and computes the keys and the
// decoder's first state.
func (m *Model) encode(tp *nets.Tape, src []int, s, n int, lengths []int) encoded {
	m.shape = [3]int{s, n, m.Cfg.Embed} // passed as a slice: a variadic list would escape (allocate) each step
	x := nets.Reshape(tp, m.SrcEmbed.Forward(tp, src), m.shape[:]...)
	h, final := m.Encoder.Forward(tp, x, nil, lengths)
	start := nets.Tanh(tp, m.Start.Forward(tp, nets.Concat(tp, 1, final[0].H, final[1].H)))
	return encoded{h: h, keys: m.Att.Keys(tp, h), lengths: lengths, start: rnn.State{H: start}}
}

// step is one decoder step from the state st, reading the previous tokens
// prev [N]: it returns the logits [N, V], the attention weights α [N, S]
// and the new state.
func (m *Model) step(tp *nets.Tape, e encoded, st rnn.State, prev []int) (logits, alpha *nets.Tensor, next rnn.State) {
	ctx, alpha := m.Att.Forward(tp, e.keys, e.h, st.H, e.lengths)
	next = m.Decoder.Step(tp, nets.Concat(tp, 1, m.TgtEmbed.Forward(tp, prev), ctx), st)
	return m.Out.Forward(tp, nets.Concat(tp, 1, next.H, ctx)), alpha, next
}

// Loss returns the mean cross-entropy per output token (EOS included) of
// the batch under teacher forcing, in nats.
func (m *Model) Loss(tp *nets.Tape, b *Batch) *nets.Tensor {
	e := m.encode(tp, b.Src, b.S, b.N, b.Lengths)
	st := e.start
	m.logits = m.logits[:0]
	for t := range b.T {
		var logits *nets.Tensor
		logits, _, st = m.step(tp, e, st, b.In[t*b.N:(t+1)*b.N])
		m.logits = append(m.logits, logits)
	}
	return nets.CrossEntropy(tp, nets.Concat(tp, 0, m.logits...), b.Out, nets.ReduceMean)
}
