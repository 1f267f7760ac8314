package charlm

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/arcadelab/arcade/nets/rnn"
	"github.com/stretchr/testify/require"
)

// genText returns n characters of a text with structure to learn: words
// of a small alphabet drawn from a few patterns, separated by spaces and
// newlines.
func genText(n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	words := []string{"the ", "cat ", "sat ", "on ", "a ", "mat ", "and ", "dog ", "ran\n", "to ", "it ", "ba "}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()[:n]
}

func TestVocabEncodeDecodeSplit(t *testing.T) {
	v := NewVocab("hello, wörld")
	require.Equal(t, []rune(" ,dehlorwö"), v.Runes)
	_, err := v.Encode("wörlx")
	require.EqualError(t, err, `character 'x' (at 4) is not in the model's vocabulary of 10 characters`)
	ids, err := v.Encode("hörl")
	require.NoError(t, err)
	require.Equal(t, []int{4, 9, 7, 5}, ids)
	require.Equal(t, "hörl", v.Decode(ids))
	train, val := Split([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, train)
	require.Equal(t, []int{9}, val)
	require.Panics(t, func() { VocabOf([]rune("aba")) })
}

func TestLoadText(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	require.NoError(t, os.WriteFile(path, []byte("héllo world"), 0o644))
	text, err := LoadText(path, 0)
	require.NoError(t, err)
	require.Equal(t, "héllo world", text)
	text, err = LoadText(path, 3)
	require.NoError(t, err)
	require.Equal(t, "hél", text)
	require.NoError(t, os.WriteFile(path, []byte("ab\xffc"), 0o644))
	_, err = LoadText(path, 0)
	require.EqualError(t, err, path+" is not UTF-8 text (invalid byte at offset 2)")
	_, err = LoadText(filepath.Join(dir, "none.txt"), 0)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func smallModel(seed uint64, v int) *Model {
	return NewModel(rand.New(rand.NewPCG(seed, 1)), ModelConfig{Kind: rnn.LSTM, Vocab: v, Embed: 4, Hidden: 6, Layers: 2, Dropout: 0})
}

func TestModelGradients(t *testing.T) {
	for _, kind := range []rnn.Kind{rnn.LSTM, rnn.GRU} {
		m := NewModel(rand.New(rand.NewPCG(1, 1)), ModelConfig{Kind: kind, Vocab: 5, Embed: 3, Hidden: 4, Layers: 2})
		tokens, labels := []int{0, 3, 4, 1, 2, 2}, []int{3, 4, 1, 2, 2, 0}
		var ins []*nets.Tensor
		for _, p := range m.Params() {
			ins = append(ins, p.Tensor)
		}
		f := func(tp *nets.Tape) *nets.Tensor {
			logits, _ := m.Forward(tp, tokens, 3, 2, nil)
			return nets.CrossEntropy(tp, logits, labels, nets.ReduceMean)
		}
		require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{}), "%s", kind)
	}
	names := []string{}
	for _, p := range smallModel(1, 5).Params() {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"embed.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
		"rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "head.weight", "head.bias"}, names)
}

// TestEvaluateScoresEveryCharacterOnce compares the chunked, side-by-side
// validation with one pass over the whole text: the same with one stream,
// nearly the same with several (each warmed by its burn-in; a small random
// LSTM forgets within far fewer than 256 steps).
func TestEvaluateScoresEveryCharacterOnce(t *testing.T) {
	text := genText(3000, 1)
	v := NewVocab(text)
	tokens, _ := v.Encode(text)
	m := smallModel(2, v.Size())
	whole := func(tokens []int) float64 {
		logits, _ := m.Forward(nil, tokens[:len(tokens)-1], len(tokens)-1, 1, nil)
		return float64(nets.CrossEntropy(nil, logits, tokens[1:], nets.ReduceMean).Item())
	}
	short := tokens[:500]
	require.InDelta(t, whole(short), Evaluate(m, short, 37), 1e-5, "one stream")
	require.InDelta(t, whole(tokens), Evaluate(m, tokens, 64), 1e-4, "two streams with a burn-in")
	_, scored := evaluate(m, tokens, 64)
	require.Equal(t, len(tokens)-1, scored)
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Corpus, cfg.Layers, cfg.Hidden, cfg.Embed, cfg.SeqLen, cfg.Batch, cfg.Epochs = "gen.txt", 1, 16, 8, 16, 8, 3
	cfg.LR, cfg.Schedule = 0.01, "cosine"
	return cfg
}

func newRun(t *testing.T, dir string, cfg Config) *run.Run {
	r, err := run.Create(dir, run.Meta{Experiment: "charlm", Subject: "gen", Seed: 1}, cfg, nil)
	require.NoError(t, err)
	return r
}

func TestTrainLearnsAndStartsNearLogV(t *testing.T) {
	text := genText(20000, 3)
	cfg := testConfig()
	r := newRun(t, t.TempDir(), cfg)
	res, err := Train(Job{Ctx: context.Background(), Run: r, Seed: 1}, cfg, text)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	rows, err := run.ReadMetrics(r.Path("metrics.csv"))
	require.NoError(t, err)
	logV := math.Log(float64(NewVocab(text).Size()))
	first := math.NaN()
	var vals []float64
	for _, row := range rows {
		if row.Key == "losses/train_loss" && row.Step == 1 {
			first = row.Value
		}
		if row.Key == "val/loss_nats_per_char" {
			vals = append(vals, row.Value)
		}
	}
	require.InDelta(t, logV, first, 0.05, "the first loss is near ln V: the untrained model predicts about uniformly")
	require.Len(t, vals, 3)
	require.Less(t, res.ValLoss, 0.7*logV, "it learns the words")
	require.Equal(t, vals[2], res.ValLoss)
	for _, f := range []string{ModelFile, BestFile, CheckpointFile, "curves.png"} {
		require.FileExists(t, r.Path(f))
	}
	m, v, err := LoadModel(r.Path(ModelFile), cfg)
	require.NoError(t, err)
	out, err := Sample(m, v, "the ", 0.5, 200, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	require.Len(t, []rune(out), 200)
	greedy, err := Sample(m, v, "the ", 0, 20, rand.New(rand.NewPCG(5, 6)))
	require.NoError(t, err)
	again, _ := Sample(m, v, "the ", 0, 20, rand.New(rand.NewPCG(7, 8)))
	require.Equal(t, greedy, again, "temperature 0 draws nothing")
	_, err = Sample(m, v, "the ?", 1, 5, rand.New(rand.NewPCG(1, 2)))
	require.ErrorContains(t, err, `character '?'`)
}

// TestResumeGivesTheUninterruptedBytes interrupts a run in the middle of
// its second epoch (the carried state and Adam's moments in flight) and
// resumes it.
func TestResumeGivesTheUninterruptedBytes(t *testing.T) {
	text := genText(12000, 4)
	cfg := testConfig()
	cfg.Dropout = 0.2
	whole := newRun(t, t.TempDir(), cfg)
	_, err := Train(Job{Ctx: context.Background(), Run: whole, Seed: 5}, cfg, text)
	require.NoError(t, err)
	require.NoError(t, whole.Close())

	dir := t.TempDir()
	r := newRun(t, dir, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	stopAt := int64(0)
	job := Job{Ctx: ctx, Run: r, Seed: 5, Progress: func(done, total int64, _ string) {
		if stopAt == 0 {
			stopAt = total/int64(cfg.Epochs) + 3 // three chunks into the second epoch
		}
		if done == stopAt {
			cancel()
		}
	}}
	_, err = Train(job, cfg, text)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoError(t, r.Close())
	step, elapsed, err := ResumePoint(dir)
	require.NoError(t, err)
	require.Equal(t, stopAt, step)
	r, err = run.Open(dir, step, elapsed, nil)
	require.NoError(t, err)
	_, err = Train(Job{Ctx: context.Background(), Run: r, Seed: 5, Resume: true}, cfg, text)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	want, err := os.ReadFile(whole.Path(ModelFile))
	require.NoError(t, err)
	got, err := os.ReadFile(r.Path(ModelFile))
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestTrainRefusesTooLittleText(t *testing.T) {
	cfg := testConfig()
	r := newRun(t, t.TempDir(), cfg)
	defer r.Close()
	_, err := Train(Job{Ctx: context.Background(), Run: r, Seed: 1}, cfg, genText(200, 1))
	require.EqualError(t, err, "gen.txt: 180 training characters are too few for --batch 8 --seq-len 16 (need 257)")
}

func TestMinutesStopsAndStillEvaluates(t *testing.T) {
	cfg := testConfig()
	cfg.Minutes = 1e-9
	r := newRun(t, t.TempDir(), cfg)
	res, err := Train(Job{Ctx: context.Background(), Run: r, Seed: 1}, cfg, genText(6000, 2))
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.Zero(t, res.Steps)
	require.Greater(t, res.ValLoss, 0.0)
	require.FileExists(t, r.Path(ModelFile))
}

func TestConfigCheck(t *testing.T) {
	require.NoError(t, DefaultConfig().Check())
	for _, bad := range []func(*Config){
		func(c *Config) { c.Cell = "rnn" }, func(c *Config) { c.Layers = 0 }, func(c *Config) { c.Dropout = 1 },
		func(c *Config) { c.SeqLen = 0 }, func(c *Config) { c.LR = 0 }, func(c *Config) { c.Clip = -1 },
		func(c *Config) { c.Epochs = 0 }, func(c *Config) { c.Minutes = -1 }, func(c *Config) { c.Schedule = "zigzag" },
	} {
		c := DefaultConfig()
		bad(&c)
		require.Error(t, c.Check())
	}
}

func TestSameBytesAtAnyThreadCount(t *testing.T) {
	defer nets.SetParallel(nets.SetParallel(1, 16))
	text := genText(6000, 6)
	cfg := testConfig()
	cfg.Epochs, cfg.Dropout = 1, 0.2
	var models [][]byte
	for _, threads := range []int{1, 2} {
		prev := par.SetThreads(threads)
		r := newRun(t, t.TempDir(), cfg)
		_, err := Train(Job{Ctx: context.Background(), Run: r, Seed: 2}, cfg, text)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		data, err := os.ReadFile(r.Path(ModelFile))
		require.NoError(t, err)
		models = append(models, data)
		par.SetThreads(prev)
	}
	require.Equal(t, models[0], models[1])
}

func TestTrainingStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	m := NewModel(rand.New(rand.NewPCG(1, 1)), ModelConfig{Kind: rnn.LSTM, Vocab: 7, Embed: 4, Hidden: 8, Layers: 2, Dropout: 0.3})
	m.DropRNG = rand.New(rand.NewPCG(2, 2))
	params := m.Params()
	opt := nets.NewAdam(params, nets.DefaultAdamConfig())
	x, y := []int{0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4}, []int{1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5}
	tp := nets.NewTape()
	carry := newCarry(m, 3)
	step := func() {
		tp.Reset()
		opt.ZeroGrad()
		logits, final := m.Forward(tp, x, 4, 3, carry.Init())
		nets.CrossEntropy(tp, logits, y, nets.ReduceMean).Backward()
		nets.ClipGradNorm(params, 5)
		opt.Step()
		carry.Keep(final)
	}
	step()
	step()
	require.Zero(t, testing.AllocsPerRun(5, step))
}
