package charlm

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Model is embedding -> stacked RNN -> linear map to the next character's
// logits, with dropout (in training mode) on the embeddings, between the
// recurrent layers and on the last layer's outputs: never on the
// recurrent connections (Zaremba et al. 2014).
//
// Parameters: "embed.weight" [V, E], the RNN's under "rnn." with PyTorch's
// names ("rnn.weight_ih_l0", ...), "head.weight" [V, H], "head.bias" [V].
type Model struct {
	Embed   *nets.Embedding
	RNN     *rnn.RNN
	Head    *nets.Linear
	Dropout float64
	// DropRNG draws the dropout masks in training mode.
	DropRNG *rand.Rand
	shape   [3]int // the embeddings' shape as a sequence (Reshape's variadic shape would escape)
}

// ModelConfig is a model's shape.
type ModelConfig struct {
	Kind                 rnn.Kind
	Vocab, Embed, Hidden int
	Layers               int
	Dropout              float64
}

// NewModel returns a model initialised from rng as PyTorch initialises
// nn.Embedding, nn.LSTM (or nn.GRU) and nn.Linear.
func NewModel(rng *rand.Rand, cfg ModelConfig) *Model {
	if cfg.Kind != rnn.LSTM && cfg.Kind != rnn.GRU {
		panic(fmt.Sprintf("charlm: a %s model; want lstm or gru", cfg.Kind))
	}
	m := &Model{Dropout: cfg.Dropout}
	m.Embed = nets.NewEmbedding(rng, cfg.Vocab, cfg.Embed)
	m.RNN = rnn.New(rng, rnn.Config{Kind: cfg.Kind, Input: cfg.Embed, Hidden: cfg.Hidden, Layers: cfg.Layers, Dropout: cfg.Dropout})
	m.Head = nets.NewLinear(rng, cfg.Hidden, cfg.Vocab)
	return m
}

// Params returns every parameter under its name (see Model).
func (m *Model) Params() []nets.Param {
	ps := nets.Prefix("embed.", m.Embed.Params())
	ps = append(ps, nets.Prefix("rnn.", m.RNN.Params())...)
	return append(ps, nets.Prefix("head.", m.Head.Params())...)
}

// Forward returns the logits [T, B, V] of the character after each of
// tokens (T·B ids, time first: step t of stream b at t·B + b) and the
// RNN's final states, from the states init (nil: zero).
func (m *Model) Forward(tp *nets.Tape, tokens []int, T, B int, init []rnn.State) (*nets.Tensor, []rnn.State) {
	if len(tokens) != T*B {
		panic(fmt.Sprintf("charlm: %d tokens for %d steps of %d streams", len(tokens), T, B))
	}
	m.RNN.DropRNG = m.DropRNG
	e := m.Embed.Forward(tp, tokens)
	m.shape = [3]int{T, B, e.Shape[1]}
	x := nets.Dropout(tp, nets.Reshape(tp, e, m.shape[:]...), m.Dropout, m.DropRNG)
	ys, final := m.RNN.Forward(tp, x, init, nil)
	ys = nets.Dropout(tp, ys, m.Dropout, m.DropRNG)
	return m.Head.Forward(tp, ys), final
}
