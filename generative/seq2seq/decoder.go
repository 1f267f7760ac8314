package seq2seq

import (
	"fmt"
	"slices"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Decoder runs a Model one output step at a time: the Stepper that
// Greedy, Beam and Forced decode with. It evaluates without gradients on a
// tape of its own, whose buffers later batches reuse.
type Decoder struct {
	m       *Model
	tp      *nets.Tape
	src     []int // [S·n] time first
	lengths []int // [n·copies]
	rows    []int // scratch: rows to look up
	enc     encoded
	st      rnn.State
	alpha   *nets.Tensor // the last step's α [rows, S]
	S       int          // the longest source of the batch
}

// NewDecoder returns a decoder of m.
func (m *Model) NewDecoder() *Decoder {
	return &Decoder{m: m, tp: &nets.Tape{NoGrad: true}}
}

// Begin encodes the sources (token ids of m.Src, 1 or more each) once and
// repeats each copies times.
func (d *Decoder) Begin(sources [][]int, copies int) {
	n := len(sources)
	s := 0
	for _, src := range sources {
		if len(src) == 0 {
			panic("seq2seq: an empty source")
		}
		s = max(s, len(src))
	}
	d.S = s
	d.src = grow(d.src, s*n)
	clear(d.src)
	d.lengths = grow(d.lengths, n)
	for i, src := range sources {
		d.lengths[i] = len(src)
		for j, id := range src {
			d.src[j*n+i] = id
		}
	}
	d.tp.Reset()
	e := d.m.encode(d.tp, d.src, s, n, d.lengths[:n])
	if copies > 1 {
		// Row r of the copies is source r/copies.
		d.rows = grow(d.rows, s*n*copies)
		for j := range s {
			for r := range n * copies {
				d.rows[j*n*copies+r] = j*n + r/copies
			}
		}
		repeat := func(x *nets.Tensor) *nets.Tensor {
			w := x.Shape[2]
			return nets.Reshape(d.tp, nets.Lookup(d.tp, nets.Reshape(d.tp, x, s*n, w), d.rows), s, n*copies, w)
		}
		e.h, e.keys = repeat(e.h), repeat(e.keys)
		e.start.H = nets.Lookup(d.tp, e.start.H, d.rows[:n*copies])
		lengths := make([]int, 0, n*copies)
		for _, l := range d.lengths[:n] {
			for range copies {
				lengths = append(lengths, l)
			}
		}
		d.lengths = lengths
		e.lengths = lengths
	}
	d.enc, d.st = e, e.start
}

// Step feeds the previous tokens and returns the log-probabilities of the
// next ones, [rows, Tgt.Len()+1].
func (d *Decoder) Step(prev []int) []float32 {
	var logits *nets.Tensor
	logits, d.alpha, d.st = d.m.step(d.tp, d.enc, d.st, prev)
	return nets.LogSoftmax(d.tp, logits).Data
}

// Reorder moves the decoder states: row r continues row from[r]. Rows
// must stay copies of their own source (beam search's reordering does).
func (d *Decoder) Reorder(from []int) {
	d.st.H = nets.Lookup(d.tp, d.st.H, from)
	if d.st.C != nil {
		d.st.C = nets.Lookup(d.tp, d.st.C, from)
	}
}

// Alpha returns the attention weights of the last step, [rows, S] row-major
// (S the longest source of the batch), valid until the next call.
func (d *Decoder) Alpha() []float32 { return d.alpha.Data }

// Encode maps texts to token ids of the source alphabet.
func (m *Model) Encode(texts []string) ([][]int, error) {
	out := make([][]int, len(texts))
	for i, s := range texts {
		if s == "" {
			return nil, fmt.Errorf("source %d is empty", i)
		}
		ids, err := m.Src.Encode(nil, s)
		if err != nil {
			return nil, err
		}
		out[i] = ids
	}
	return out, nil
}

// Attention returns the weights α of forced decoding of output (target
// tokens, ending in EOS if it ended) for source: one row of len(source)
// weights per output token.
func (d *Decoder) Attention(source, output []int, bos int) [][]float32 {
	d.Begin([][]int{source}, 1)
	prev := []int{bos}
	var rows [][]float32
	for _, y := range output {
		d.Step(prev)
		rows = append(rows, slices.Clone(d.Alpha()[:len(source)]))
		prev[0] = y
	}
	return rows
}
