package embed

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// plantedCorpus is a small planted-analogy corpus.
func plantedCorpus(t testing.TB, sentences int, seed uint64) *Corpus {
	c, err := CorpusFromSentences(data.AnalogyCorpus(sentences, rand.New(rand.NewPCG(seed, 7))), 1)
	require.NoError(t, err)
	return c
}

func smallConfig(method string) Config {
	cfg := DefaultConfig()
	cfg.Method, cfg.Dim, cfg.Epochs = method, 16, 2
	return cfg
}

func train(t testing.TB, m *Model) {
	for m.Done < m.Epochs {
		_, err := m.Epoch(context.Background(), nil)
		require.NoError(t, err)
	}
}

func TestEveryMethodIsDeterministicAtAnyThreadCount(t *testing.T) {
	c := plantedCorpus(t, 1500, 1)
	defer par.SetThreads(par.SetThreads(1))
	for _, method := range Methods {
		var vecs [][]float32
		for _, threads := range []int{1, 2, 1} {
			par.SetThreads(threads)
			m := New(smallConfig(method), c, 5)
			train(t, m)
			vecs = append(vecs, m.Embedding().Vec)
		}
		require.Equal(t, vecs[0], vecs[1], "%s: 1 and 2 threads", method)
		require.Equal(t, vecs[0], vecs[2], "%s: twice", method)
		other := New(smallConfig(method), c, 6)
		train(t, other)
		require.NotEqual(t, vecs[0], other.Embedding().Vec, "%s: another seed", method)
	}
}

func TestResumingFromACheckpointGivesTheSameBytes(t *testing.T) {
	c := plantedCorpus(t, 1000, 2)
	dir := t.TempDir()
	for _, method := range Methods {
		cfg := smallConfig(method)
		cfg.Epochs = 3
		straight := New(cfg, c, 3)
		train(t, straight)

		first := New(cfg, c, 3)
		_, err := first.Epoch(context.Background(), nil)
		require.NoError(t, err)
		path := filepath.Join(dir, method+".safetensors")
		require.NoError(t, first.SaveCheckpoint(path, map[string]string{"elapsed": "1.5"}))

		resumed := New(cfg, c, 3)
		meta, err := resumed.LoadCheckpoint(path)
		require.NoError(t, err)
		require.Equal(t, "1.5", meta["elapsed"])
		require.Equal(t, 1, resumed.Done)
		train(t, resumed)
		require.Equal(t, straight.Embedding().Vec, resumed.Embedding().Vec, method)
	}
}

func TestLoadCheckpointRefusesAnotherModel(t *testing.T) {
	c := plantedCorpus(t, 300, 2)
	path := filepath.Join(t.TempDir(), "state.safetensors")
	require.NoError(t, New(smallConfig("sgns"), c, 1).SaveCheckpoint(path, nil))
	_, err := New(smallConfig("hs"), c, 1).LoadCheckpoint(path)
	require.ErrorContains(t, err, `holds a "sgns" model, not "hs"`)
	_, err = New(smallConfig("sgns"), plantedCorpus(t, 300, 3), 1).LoadCheckpoint(path)
	require.ErrorContains(t, err, "another corpus")
	_, err = New(smallConfig("sgns"), c, 2).LoadCheckpoint(path)
	require.ErrorContains(t, err, "has seed 1, not 2")
	wide := smallConfig("sgns")
	wide.Dim = 17
	_, err = New(wide, c, 1).LoadCheckpoint(path)
	require.ErrorContains(t, err, `tensor "in" has shape [254 16], want [254 17]`)
}

func TestEpochStopsOnInterrupt(t *testing.T) {
	c := plantedCorpus(t, 5000, 1)
	for _, method := range Methods {
		m := New(smallConfig(method), c, 1)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := m.Epoch(ctx, nil)
		require.ErrorIs(t, err, run.ErrInterrupted, "%s: cancelled before", method)

		ctx, cancel = context.WithCancel(context.Background())
		before := m.Embedding().Vec
		reports := 0
		_, err = m.Epoch(ctx, func(done, total int64) {
			reports++
			cancel()
		})
		require.ErrorIs(t, err, run.ErrInterrupted, method)
		require.Equal(t, 1, reports, "%s stops at the first look", method)
		require.Zero(t, m.Done)
		require.NotEqual(t, before, m.Embedding().Vec, "%s keeps what it trained", method)
	}
}

func TestConfigCheckNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		change func(*Config)
		msg    string
	}{
		{func(c *Config) { c.Method = "cbow" }, `--method "cbow": want one of sgns, hs, lm, glove`},
		{func(c *Config) { c.Dim = 0 }, "--dim 0"},
		{func(c *Config) { c.Window = 0 }, "--window 0"},
		{func(c *Config) { c.Negatives = 0 }, "--negatives 0"},
		{func(c *Config) { c.Subsample = -1 }, "--subsample -1"},
		{func(c *Config) { c.LR = -0.1 }, "--lr -0.1"},
		{func(c *Config) { c.Epochs = -1 }, "--epochs -1"},
		{func(c *Config) { c.MinCount = 0 }, "--min-count 0"},
		{func(c *Config) { c.XMax = 0 }, "--x-max 0"},
		{func(c *Config) { c.Alpha = -1 }, "--alpha -1"},
		{func(c *Config) { c.Batch = 0 }, "--batch 0"},
	} {
		cfg := DefaultConfig()
		tc.change(&cfg)
		require.ErrorContains(t, cfg.Check(), tc.msg)
	}
	require.NoError(t, DefaultConfig().Check())
	r := Config{Method: "glove"}.Resolved()
	require.Equal(t, 0.05, r.LR)
	require.Equal(t, 25, r.Epochs)
	r = Config{Method: "hs", LR: 0.1, Epochs: 2}.Resolved()
	require.Equal(t, 0.1, r.LR)
	require.Equal(t, 2, r.Epochs)
	require.PanicsWithValue(t, "embed: --dim 0: want 1 or more", func() { New(Config{Method: "sgns"}, nil, 1) })
}

func TestSGNSLearnsThePlantedAnalogies(t *testing.T) {
	// A quick run on a fifth of the default corpus: 10,000 sentences
	// (65,000 words), 10 epochs of 0.06 s; it reaches 0.99 (seed 1 and the
	// corpus of seed 3), and chance is under 1 in 100 (about 280 words).
	c := plantedCorpus(t, 10000, 3)
	cfg := smallConfig("sgns")
	cfg.Dim, cfg.Epochs, cfg.LR = 30, 10, 0.05
	m := New(cfg, c, 1)
	train(t, m)
	score := EvalAnalogies(m.Embedding(), QuestionsFromRelations(data.AnalogyRelations()))
	require.Equal(t, 1.0, score.Coverage())
	require.Greater(t, score.Accuracy(), 0.8)
	require.True(t, slices.Contains(neighbours(t, m.Embedding(), "paris"), "berlin") ||
		slices.Contains(neighbours(t, m.Embedding(), "paris"), "rome"), "capitals near capitals")
}

func neighbours(t *testing.T, e *Embedding, w string) []string {
	ns, err := e.Nearest(w, 10, Cosine)
	require.NoError(t, err)
	var out []string
	for _, n := range ns {
		out = append(out, n.Word)
	}
	return out
}
