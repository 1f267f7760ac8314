package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/arcadelab/arcade/generative/embed"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/spf13/pflag"
)

// word2vecConfig is arcade train word2vec's configuration; each field is a
// flag (embed.Config's fields are --method, --dim, ... --batch).
type word2vecConfig struct {
	embed.Config
	Corpus     string  `json:"corpus"`     // --corpus: a text file; "" the planted-analogy corpus
	Sentences  int     `json:"sentences"`  // --sentences: size of the planted-analogy corpus
	Limit      int     `json:"limit"`      // --limit: the first N lines (sentences); 0 all
	Analogies  string  `json:"analogies"`  // --analogies: questions-words.txt format; "" the planted questions
	Neighbours string  `json:"neighbours"` // --neighbours: words to list neighbours of, comma-separated
	TSNEWords  string  `json:"tsne_words"` // --tsne-words: words to draw, comma-separated
	Perplexity float64 `json:"perplexity"` // --perplexity: t-SNE's
	Debias     bool    `json:"debias"`     // --debias: hard-debias the embedding and report
}

// word2vecResult is what arcade train word2vec prints (DESIGN.md's keys);
// null when there were no analogy questions.
type word2vecResult struct {
	AnalogyAccuracy *float64 `json:"analogy_accuracy"`
	AnalogyCoverage *float64 `json:"analogy_coverage"`
}

// Random streams of word2vec beside the model's own (embed derives those
// from the seed): the synthetic corpus and t-SNE's start.
const (
	word2vecStreamCorpus = 1 << 50
	word2vecStreamTSNE   = 2 << 50
)

// word2vecProbe are the words whose neighbours are listed by default, those
// of them in the vocabulary.
var word2vecProbe = []string{"king", "queen", "man", "woman", "paris", "france", "dog", "dogs", "doctor", "nurse", "love", "good"}

func bindWord2vec(fs *pflag.FlagSet) trainFunc {
	cfg := word2vecConfig{Config: embed.DefaultConfig()}
	fs.StringVar(&cfg.Method, "method", cfg.Method, "sgns (skip-gram, negative sampling), hs (skip-gram, hierarchical softmax), lm (full-softmax language model) or glove; "+
		"the run gets vectors.txt (word2vec's text format), model.safetensors, analogies.txt, neighbours.txt, tsne.png, debias.txt and curves.png")
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "embedding size")
	fs.IntVar(&cfg.Window, "window", cfg.Window, "context words on each side (sgns, hs, lm draw the window from 1..N per word)")
	fs.IntVar(&cfg.Negatives, "negatives", cfg.Negatives, "K, negative samples per pair, from the unigram distribution^0.75 (sgns)")
	fs.Float64Var(&cfg.Subsample, "subsample", cfg.Subsample, "t: a word of frequency f is dropped with probability 1-sqrt(t/f) (sgns, hs, lm; 0: none)")
	fs.Float64Var(&cfg.LR, "lr", 0, "initial learning rate, decayed linearly to 0 (glove: AdaGrad's rate) (default: 0.025, glove 0.05)")
	fs.IntVar(&cfg.Epochs, "epochs", 0, "passes over the corpus (glove: over the co-occurrences) (default: 5, glove 25)")
	fs.IntVar(&cfg.MinCount, "min-count", cfg.MinCount, "drop words used fewer times")
	fs.Float64Var(&cfg.XMax, "x-max", cfg.XMax, "GloVe's x_max: co-occurrence counts from it on weigh 1")
	fs.Float64Var(&cfg.Alpha, "alpha", cfg.Alpha, "GloVe's weighting exponent: f(x) = (x/x_max)^alpha below x_max")
	fs.IntVar(&cfg.Batch, "batch", cfg.Batch, "examples per matrix product (lm)")
	fs.StringVar(&cfg.Corpus, "corpus", "", "text file, one sentence per line (default: the planted-analogy corpus, generated from --seed)")
	fs.IntVar(&cfg.Sentences, "sentences", 50000, "sentences of the planted-analogy corpus")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N lines of the corpus (0: all)")
	fs.StringVar(&cfg.Analogies, "analogies", "", "analogy questions in questions-words.txt's format (default: the planted questions with the planted corpus, none otherwise)")
	fs.StringVar(&cfg.Neighbours, "neighbours", "", "comma-separated words whose 10 nearest neighbours by cosine and by Euclidean distance go to neighbours.txt (default: those of "+strings.Join(word2vecProbe, ",")+" in the vocabulary)")
	fs.StringVar(&cfg.TSNEWords, "tsne-words", "", "comma-separated words to draw in tsne.png (default: 10 pairs of each planted relation, or the questions' first 60 words, or the 60 most frequent words)")
	fs.Float64Var(&cfg.Perplexity, "perplexity", 30, "t-SNE's perplexity (capped at a third of the words drawn)")
	fs.BoolVar(&cfg.Debias, "debias", true, "hard-debias along the gender axis (Bolukbasi et al.) into vectors_debiased.txt and report projections in debias.txt")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			keep := map[string]bool{"seed": true, "threads": true, "out": true, "resume": true, "json": true, "quiet": true}
			var changed string
			fs.Visit(func(f *pflag.Flag) {
				if !keep[f.Name] && changed == "" {
					changed = f.Name
				}
			})
			if changed != "" {
				return nil, t.badInput("--%s with --resume: a resumed run keeps its own configuration", changed)
			}
			meta, err := run.LoadConfig(t.Resume, "word2vec", &cfg)
			if err != nil {
				return nil, t.badInput("--resume: %v", err)
			}
			if t.flags.Changed("seed") && t.Seed != meta.Seed {
				return nil, t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
			}
			t.Seed = meta.Seed
		}
		cfg.Config = cfg.Config.Resolved()
		if err := cfg.Config.Check(); err != nil {
			return nil, t.badInput("%v", err)
		}
		switch {
		case cfg.Sentences < 1:
			return nil, t.badInput("--sentences %d: want 1 or more", cfg.Sentences)
		case cfg.Limit < 0:
			return nil, t.badInput("--limit %d: want 0 (all) or more", cfg.Limit)
		case !(cfg.Perplexity >= 1) || math.IsInf(cfg.Perplexity, 0):
			return nil, t.badInput("--perplexity %g: want 1 or more", cfg.Perplexity)
		}
		return trainWord2vec(t, cfg)
	}
}

// word2vecInputs reads the corpus and the analogy questions; errors are
// the user's.
func word2vecInputs(t *trainer, cfg word2vecConfig) (*embed.Corpus, []embed.Question, string, error) {
	var c *embed.Corpus
	var qs []embed.Question
	subject := "planted-analogies"
	if cfg.Corpus == "" {
		sentences := data.AnalogyCorpus(cfg.Sentences, rand.New(rand.NewPCG(t.Seed, word2vecStreamCorpus)))
		if cfg.Limit > 0 {
			sentences = sentences[:min(cfg.Limit, len(sentences))]
		}
		var err error
		if c, err = embed.CorpusFromSentences(sentences, cfg.MinCount); err != nil {
			return nil, nil, "", t.badInput("planted-analogy corpus: %v", err)
		}
		qs = embed.QuestionsFromRelations(data.AnalogyRelations())
	} else {
		f, err := os.Open(cfg.Corpus)
		if err != nil {
			return nil, nil, "", t.badInput("--corpus: %v", err)
		}
		defer f.Close()
		if c, err = embed.ReadCorpus(f, cfg.Corpus, cfg.Limit, cfg.MinCount); err != nil {
			return nil, nil, "", t.badInput("--corpus: %v", err)
		}
		subject = strings.TrimSuffix(filepath.Base(cfg.Corpus), filepath.Ext(cfg.Corpus))
	}
	if cfg.Analogies != "" {
		f, err := os.Open(cfg.Analogies)
		if err != nil {
			return nil, nil, "", t.badInput("--analogies: %v", err)
		}
		defer f.Close()
		if qs, err = embed.ParseAnalogies(f, cfg.Analogies); err != nil {
			return nil, nil, "", t.badInput("--analogies: %v", err)
		}
	}
	return c, qs, subject, nil
}

const word2vecCheckpoint = "checkpoint/state.safetensors"

// trainWord2vec trains word embeddings, top to bottom: corpus, model, the
// epochs (each timed, evaluated and checkpointed), then the files of the
// run directory and the analogy result.
func trainWord2vec(t *trainer, cfg word2vecConfig) (any, error) {
	c, qs, subject, err := word2vecInputs(t, cfg)
	if err != nil {
		return nil, err
	}
	m := embed.New(cfg.Config, c, t.Seed)
	var r *run.Run
	if t.Resume != "" {
		meta, err := m.LoadCheckpoint(filepath.Join(t.Resume, word2vecCheckpoint))
		if err != nil {
			return nil, err
		}
		elapsed, _ := strconv.ParseFloat(meta["elapsed"], 64)
		if r, err = run.Open(t.Resume, int64(m.Done), elapsed, t.logWriter()); err != nil {
			return nil, err
		}
		t.dir = r.Dir
		r.Logf("resuming after epoch %d of %d", m.Done, m.Epochs)
	} else if r, err = t.create(subject, cfg); err != nil {
		return nil, err
	}
	defer r.Close()
	v := c.Vocab.Len()
	r.Logf("corpus %s: %d words read, %d in a vocabulary of %d (min count %d), %d sentences", subject, c.Read, len(c.Tokens), v, cfg.MinCount, len(c.Ends))
	threads := "updates by sequential SGD on 1 thread"
	if cfg.Method == "lm" {
		threads = fmt.Sprintf("matrix products on %d threads", par.Threads())
	}
	r.Logf("%s, %d dimensions, window %d, lr %g, %d epochs, %s", cfg.Method, cfg.Dim, cfg.Window, cfg.LR, cfg.Epochs, threads)
	if l, ok := m.MeanCodeLength(); ok {
		r.Logf("hs: Huffman paths of %.2f nodes per word on average (log2|V| = %.2f; a full softmax has |V| = %d outputs)", l, math.Log2(float64(v)), v)
	}
	if n, ok := m.Cooccurrences(); ok {
		r.Logf("glove: %d non-zero co-occurrence entries (%.2f%% of |V|^2)", n, 100*float64(n)/float64(v)/float64(v))
	}

	if err := os.MkdirAll(r.Path("checkpoint"), 0o755); err != nil {
		return nil, err
	}
	saveCheckpoint := func() error {
		return m.SaveCheckpoint(r.Path(word2vecCheckpoint), map[string]string{
			"elapsed": strconv.FormatFloat(r.Elapsed(), 'g', -1, 64)})
	}
	if t.Resume == "" {
		if err := saveCheckpoint(); err != nil { // so that an interrupted first epoch can be resumed
			return nil, err
		}
	}
	prog := t.progress("word2vec "+cfg.Method, int64(cfg.Epochs)*m.WorkPerEpoch())
	var seconds float64 // of the epochs trained now
	trained := 0
	for m.Done < m.Epochs {
		epoch := m.Done + 1
		st, err := m.Epoch(t.ctx, func(done, total int64) { prog.Set(done, fmt.Sprintf("epoch %d", epoch)) })
		if errors.Is(err, run.ErrInterrupted) {
			if err := word2vecWriteEmbeddings(r, m.Embedding(), cfg); err != nil {
				return nil, err
			}
			r.Logf("interrupted in epoch %d: wrote what is trained to vectors.txt and model.safetensors; --resume starts epoch %d again from the checkpoint", epoch, epoch)
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		seconds += st.Seconds
		trained++
		r.Metric(int64(epoch), "losses/train_loss", st.Loss)
		r.Metric(int64(epoch), "charts/epoch_seconds", st.Seconds)
		r.Metric(int64(epoch), "charts/words_per_second", float64(len(c.Tokens))/st.Seconds)
		line := fmt.Sprintf("epoch %d/%d: loss %.4f, %.2fs", epoch, m.Epochs, st.Loss, st.Seconds)
		if len(qs) > 0 {
			score := embed.EvalAnalogies(m.Embedding(), qs)
			r.Metric(int64(epoch), "val/analogy_accuracy", score.Accuracy())
			r.Metric(int64(epoch), "val/analogy_coverage", score.Coverage())
			line += fmt.Sprintf(", analogy accuracy %.4f (coverage %.4f)", score.Accuracy(), score.Coverage())
		}
		r.Logf("%s", line)
		if err := r.Flush(); err != nil {
			return nil, err
		}
		if err := saveCheckpoint(); err != nil {
			return nil, err
		}
	}
	prog.Finish(int64(m.Epochs) * m.WorkPerEpoch())
	if trained > 0 {
		r.Logf("%s: %.3fs per epoch", cfg.Method, seconds/float64(trained))
	}
	e := m.Embedding()
	if err := word2vecWriteEmbeddings(r, e, cfg); err != nil {
		return nil, err
	}
	var res word2vecResult
	if len(qs) > 0 {
		score := embed.EvalAnalogies(e, qs)
		acc, cov := score.Accuracy(), score.Coverage()
		res = word2vecResult{AnalogyAccuracy: &acc, AnalogyCoverage: &cov}
		if err := word2vecWriteFile(r, "analogies.txt", func(w io.Writer) error { return score.WriteReport(w, qs, 50) }); err != nil {
			return nil, err
		}
		for _, s := range score.Sections {
			r.Logf("analogies %s: accuracy %.4f, coverage %.4f (%d of %d answered)", s.Name, s.Accuracy(), s.Coverage(), s.Answered, s.Questions)
		}
	}
	if err := word2vecReports(t, r, cfg, e, qs); err != nil {
		return nil, err
	}
	if err := run.PlotCurves([]string{r.Dir}, r.Path("curves.png")); err != nil {
		return nil, err
	}
	return res, nil
}

// word2vecWriteEmbeddings writes vectors.txt (word2vec's text format) and
// model.safetensors (the V x D matrix "embeddings", rows in the order of
// vectors.txt).
func word2vecWriteEmbeddings(r *run.Run, e *embed.Embedding, cfg word2vecConfig) error {
	if err := word2vecWriteFile(r, "vectors.txt", e.WriteText); err != nil {
		return err
	}
	meta := map[string]string{"arcade.experiment": "word2vec", "arcade.method": cfg.Method, "words": "vectors.txt"}
	return word2vecWriteFile(r, "model.safetensors", func(w io.Writer) error {
		return embed.WriteSafetensors(w, []embed.Tensor{{Name: "embeddings", Shape: []int{e.Vocab.Len(), e.Dim}, Data: e.Vec}}, meta)
	})
}

// word2vecReports writes neighbours.txt, tsne.png and, with --debias,
// debias.txt and vectors_debiased.txt, logging a short summary of each.
func word2vecReports(t *trainer, r *run.Run, cfg word2vecConfig, e *embed.Embedding, qs []embed.Question) error {
	probe := word2vecWords(cfg.Neighbours)
	if len(probe) == 0 {
		for _, w := range word2vecProbe {
			if _, ok := e.Vocab.ID(w); ok {
				probe = append(probe, w)
			}
		}
		if len(probe) == 0 {
			probe = e.Vocab.Words[:min(8, e.Vocab.Len())]
		}
	}
	for _, w := range probe {
		if _, ok := e.Vocab.ID(w); !ok {
			r.Logf("neighbours: %q is not in the vocabulary", w)
			continue
		}
		cos, _ := e.Nearest(w, 5, embed.Cosine)
		euc, _ := e.Nearest(w, 5, embed.Euclidean)
		r.Logf("neighbours of %s: cosine %s; euclidean %s", w, word2vecNeighbourList(cos), word2vecNeighbourList(euc))
	}
	if err := word2vecWriteFile(r, "neighbours.txt", func(w io.Writer) error { return embed.WriteNeighbours(w, e, probe, 10) }); err != nil {
		return err
	}

	words := word2vecWords(cfg.TSNEWords)
	if len(words) == 0 {
		words = word2vecTSNEWords(cfg, e, qs)
	}
	tc := embed.DefaultTSNE()
	tc.Perplexity = cfg.Perplexity
	var drawn int
	err := word2vecWriteFile(r, "tsne.png", func(w io.Writer) error {
		var err error
		drawn, err = embed.PlotTSNE(w, e.Normalized(), words, tc, rand.New(rand.NewPCG(t.Seed, word2vecStreamTSNE)), "t-SNE of "+cfg.Method+" embeddings")
		return err
	})
	if err != nil {
		r.Logf("no tsne.png: %v", err)
	} else {
		r.Logf("tsne.png: %d words", drawn)
	}

	if !cfg.Debias {
		return nil
	}
	de, rep, err := embed.Debias(e, embed.DefinitionalPairs, embed.EqualizePairs, embed.GenderSpecificWords, 15)
	if err != nil {
		r.Logf("no debiasing: %v", err)
		return nil
	}
	if err := word2vecWriteFile(r, "debias.txt", rep.WriteReport); err != nil {
		return err
	}
	if err := word2vecWriteFile(r, "vectors_debiased.txt", de.WriteText); err != nil {
		return err
	}
	r.Logf("debiased: axis from %d definitional pairs, %d words neutralized, %d pairs equalized; projection before -> after:", rep.Pairs, rep.Neutralized, rep.Equalized)
	var b strings.Builder
	for i, p := range rep.Words {
		fmt.Fprintf(&b, " %s %+.3f->%+.3f", p.Word, p.Before, p.After)
		if (i+1)%6 == 0 || i == len(rep.Words)-1 {
			r.Logf(" %s", b.String())
			b.Reset()
		}
	}
	if len(qs) > 0 {
		ds := embed.EvalAnalogies(de, qs)
		r.Logf("analogy accuracy after debiasing %.4f (coverage %.4f)", ds.Accuracy(), ds.Coverage())
	}
	return nil
}

// word2vecTSNEWords picks the words tsne.png draws when --tsne-words is not
// given.
func word2vecTSNEWords(cfg word2vecConfig, e *embed.Embedding, qs []embed.Question) []string {
	var words []string
	if cfg.Corpus == "" && cfg.Analogies == "" {
		for _, rel := range data.AnalogyRelations() {
			for _, p := range rel.Pairs[:min(10, len(rel.Pairs))] {
				words = append(words, p[0], p[1])
			}
		}
		return words
	}
	seen := map[string]bool{}
	for _, q := range qs {
		for _, w := range q.Words {
			if _, ok := e.Vocab.ID(w); ok && !seen[w] && len(words) < 60 {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	if len(words) < 2 {
		words = e.Vocab.Words[:min(60, e.Vocab.Len())]
	}
	return words
}

func word2vecWords(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func word2vecNeighbourList(ns []embed.Neighbour) string {
	words := make([]string, len(ns))
	for i, n := range ns {
		words[i] = n.Word
	}
	return strings.Join(words, " ")
}

// word2vecWriteFile writes name in the run directory atomically.
func word2vecWriteFile(r *run.Run, name string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(r.Path(name)), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFunc(r.Path(name), write)
}
