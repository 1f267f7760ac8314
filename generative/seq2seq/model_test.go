package seq2seq

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

const (
	testSrc = " -./0123456789abcdefghijklmnopqrstuvwxyz"
	testTgt = "0123456789-"
)

func tinyModel(cell string, seed uint64) *Model {
	cfg := Config{Cell: cell, Embed: 3, Encoder: 2, Decoder: 3, Attention: 2}
	return New(rand.New(rand.NewPCG(seed, 1)), cfg, testSrc, testTgt)
}

var (
	tinySrcs = []string{"mar 9 93", "1.2.3", "tuesday"}
	tinyTgts = []string{"19-3", "20-1", "-999"}
)

func TestBatchLayout(t *testing.T) {
	m := tinyModel("lstm", 1)
	var b Batch
	require.NoError(t, m.MakeBatch(&b, []string{"ab", "c"}, []string{"12", "3-"}))
	require.Equal(t, 2, b.N)
	require.Equal(t, 2, b.S)
	require.Equal(t, 3, b.T)
	a, bb, c := 14, 15, 16 // ids in testSrc
	require.Equal(t, []int{a, c, bb, 0}, b.Src, "time first, padded with 0")
	require.Equal(t, []int{2, 1}, b.Lengths)
	bos, eos := m.Tgt.BOS(), m.Tgt.EOS()
	require.Equal(t, []int{bos, bos, 1, 3, 2, 10}, b.In)
	require.Equal(t, []int{1, 3, 2, 10, eos, eos}, b.Out)

	require.ErrorContains(t, m.MakeBatch(&b, []string{"a", "b"}, []string{"1", "12"}), "targets of lengths 1 and 2")
	require.ErrorContains(t, m.MakeBatch(&b, []string{"a", ""}, []string{"1", "2"}), "an empty source")
	require.ErrorContains(t, m.MakeBatch(&b, []string{"A"}, []string{"1"}), `character 'A' at byte 0`)
	require.ErrorContains(t, m.MakeBatch(&b, []string{"a"}, []string{"x"}), `character 'x' at byte 0`)
	require.ErrorContains(t, m.MakeBatch(&b, nil, nil), "a batch of 0 sources")
}

func TestModelGradients(t *testing.T) {
	for _, cell := range []string{"lstm", "gru"} {
		m := tinyModel(cell, 2)
		var b Batch
		require.NoError(t, m.MakeBatch(&b, tinySrcs, tinyTgts))
		var inputs []*nets.Tensor
		for _, p := range m.Params() {
			inputs = append(inputs, p.Tensor)
		}
		err := gradcheck.Check(func(tp *nets.Tape) *nets.Tensor { return m.Loss(tp, &b) }, inputs, gradcheck.Options{Seed: 3})
		require.NoError(t, err, cell)
	}
	m := tinyModel("lstm", 2)
	names := map[string]bool{}
	for _, p := range m.Params() {
		names[p.Name] = true
	}
	for _, n := range []string{"src_embed.weight", "encoder.weight_ih_l0", "encoder.bias_hh_l0_reverse", "attention.key.weight",
		"attention.query.weight", "attention.v", "start.weight", "tgt_embed.weight", "decoder.weight_hh", "out.bias"} {
		require.True(t, names[n], n)
	}
}

// TestDecoderMatchesTraining checks that forced decoding step by step, with
// the sources copied as beam search copies them, gives the log-likelihood
// the training loss computes.
func TestDecoderMatchesTraining(t *testing.T) {
	m := tinyModel("lstm", 4)
	var b Batch
	require.NoError(t, m.MakeBatch(&b, tinySrcs, tinyTgts))
	loss := m.Loss(nil, &b).Item()

	src, err := m.Encode(tinySrcs)
	require.NoError(t, err)
	var outs [][]int
	for _, tgt := range tinyTgts {
		ids, err := m.Tgt.Encode(nil, tgt)
		require.NoError(t, err)
		outs = append(outs, append(ids, m.Tgt.EOS()))
	}
	d := m.NewDecoder()
	s := DefaultSearch(m.Tgt.BOS(), m.Tgt.EOS(), 5)
	sum := 0.0
	for _, lp := range Forced(d, src, outs, s) {
		sum += lp
	}
	require.InDelta(t, float64(loss), -sum/float64(len(src)*b.T), 1e-6)

	// Three copies of each source give three copies of its distribution.
	d.Begin(src, 3)
	logp := d.Step(make([]int, 9))
	d2 := m.NewDecoder()
	d2.Begin(src, 1)
	one := d2.Step(make([]int, 3))
	v := m.Tgt.Len() + 1
	for r := range 9 {
		require.Equal(t, one[(r/3)*v:(r/3+1)*v], logp[r*v:(r+1)*v], "row %d", r)
	}
	total := 0.0
	for _, x := range logp[:v] {
		total += math.Exp(float64(x))
	}
	require.InDelta(t, 1, total, 1e-5)

	// Attention rows cover each source's characters and sum to 1.
	alpha := d.Attention(src[1], outs[1], m.Tgt.BOS())
	require.Len(t, alpha, len(outs[1]))
	for _, row := range alpha {
		require.Len(t, row, len(src[1]))
		sum := float32(0)
		for _, x := range row {
			sum += x
		}
		require.InDelta(t, 1, sum, 1e-5)
	}
	_, err = m.Encode([]string{"a", ""})
	require.EqualError(t, err, "source 1 is empty")
}

func TestSearchesOnTheModel(t *testing.T) {
	m := tinyModel("gru", 5)
	src, err := m.Encode(append(tinySrcs, "9 mar 1993", "3/9/93"))
	require.NoError(t, err)
	d := m.NewDecoder()
	s := DefaultSearch(m.Tgt.BOS(), m.Tgt.EOS(), 6)
	g := Greedy(d, src, s)
	s.Width = 1
	require.Equal(t, g, Beam(d, src, s))
	s.Width = 3
	s.Batch = 2
	beam := Beam(d, src, s)
	for i, h := range beam {
		lp := Forced(d, src[i:i+1], [][]int{h.Sequence(m.Tgt.EOS())}, s)[0]
		require.InDelta(t, h.LogProb, lp, 1e-5, "source %d", i)
	}
}

func TestModelIsTheSameAtAnyThreadCount(t *testing.T) {
	prevMin, prevGrain := nets.SetParallel(1, 4)
	defer nets.SetParallel(prevMin, prevGrain)
	defer par.SetThreads(0)
	var want []float32
	for _, threads := range []int{1, 2, 3} {
		par.SetThreads(threads)
		m := tinyModel("lstm", 6)
		var b Batch
		require.NoError(t, m.MakeBatch(&b, tinySrcs, tinyTgts))
		tp := nets.NewTape()
		loss := m.Loss(tp, &b)
		loss.Backward()
		got := []float32{loss.Item()}
		for _, p := range m.Params() {
			got = append(got, p.Grad...)
		}
		if want == nil {
			want = got
			continue
		}
		require.Equal(t, want, got, "%d threads", threads)
	}
}

func TestTrainingStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	m := tinyModel("lstm", 7)
	var b Batch
	require.NoError(t, m.MakeBatch(&b, tinySrcs, tinyTgts))
	params := m.Params()
	opt := nets.NewAdam(params, nets.DefaultAdamConfig())
	tp := nets.NewTape()
	step := func() {
		tp.Reset()
		opt.ZeroGrad()
		m.Loss(tp, &b).Backward()
		nets.ClipGradNorm(params, 1)
		opt.Step()
	}
	step()
	step()
	require.Zero(t, testing.AllocsPerRun(5, step))
}

func TestSaveAndLoad(t *testing.T) {
	m := tinyModel("gru", 8)
	path := t.TempDir() + "/model.safetensors"
	require.NoError(t, m.Save(path, map[string]string{"arcade.experiment": "seq2seq"}))
	got, err := Load(path, m.Cfg)
	require.NoError(t, err)
	require.Equal(t, testSrc, got.Src.Alphabet)
	require.Equal(t, testTgt, got.Tgt.Alphabet)
	for i, p := range m.Params() {
		require.Equal(t, p.Data, got.Params()[i].Data, p.Name)
	}
	other := m.Cfg
	other.Decoder = 4
	_, err = Load(path, other)
	require.ErrorContains(t, err, "tensor attention.query.weight has shape [2 3], want [2 4]")
	other.Cell = "rnn"
	_, err = Load(path, other)
	require.ErrorContains(t, err, `cell "rnn"`)
	require.NoError(t, nets.SaveTensors(path, m.Params(), nil))
	_, err = Load(path, m.Cfg)
	require.ErrorContains(t, err, "metadata source_alphabet and target_alphabet missing")
}
