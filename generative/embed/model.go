package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/arcadelab/arcade/internal/run"
)

// Methods lists the ways to train, in the order the help shows them.
var Methods = []string{"sgns", "hs", "lm", "glove"}

// Config holds the training hyperparameters. Each field is a flag of
// arcade train word2vec: --method, --dim, ..., --min-count, --x-max.
type Config struct {
	Method    string  `json:"method"`    // sgns, hs, lm or glove
	Dim       int     `json:"dim"`       // embedding size D
	Window    int     `json:"window"`    // context words on each side (the most; sgns, hs, lm shrink it at random)
	Negatives int     `json:"negatives"` // K, negative samples per positive pair (sgns)
	Subsample float64 `json:"subsample"` // t of the subsampling of frequent words (sgns, hs, lm); 0: none
	LR        float64 `json:"lr"`        // initial learning rate; 0: the method's default
	Epochs    int     `json:"epochs"`    // passes over the corpus (glove: over the co-occurrences); 0: the method's default
	MinCount  int     `json:"min_count"` // words used fewer times are dropped
	XMax      float64 `json:"x_max"`     // GloVe's x_max: counts above it get weight 1
	Alpha     float64 `json:"alpha"`     // GloVe's exponent of the weighting f(x) = (x/x_max)^alpha
	Batch     int     `json:"batch"`     // examples per matrix product (lm)
}

// DefaultConfig returns the defaults: word2vec's for the skip-gram methods
// (window 5, K = 5, t = 1e-3), the GloVe paper's x_max = 100 and alpha = 3/4.
func DefaultConfig() Config {
	return Config{Method: "sgns", Dim: 100, Window: 5, Negatives: 5, Subsample: 1e-3,
		MinCount: 5, XMax: 100, Alpha: 0.75, Batch: 32}
}

// Resolved returns c with a zero LR and Epochs replaced by the method's
// defaults: sgns and hs 0.025 (word2vec's skip-gram rate), lm 0.025 (per
// example; a batch sums them), glove 0.05 (the paper's); 5 epochs for the
// corpus-walking methods and 25 for glove, whose epochs are cheap.
func (c Config) Resolved() Config {
	if c.LR == 0 {
		c.LR = 0.025
		if c.Method == "glove" {
			c.LR = 0.05
		}
	}
	if c.Epochs == 0 {
		c.Epochs = 5
		if c.Method == "glove" {
			c.Epochs = 25
		}
	}
	return c
}

// Check reports the first hyperparameter out of range, naming its flag.
func (c Config) Check() error {
	switch {
	case !slices.Contains(Methods, c.Method):
		return fmt.Errorf("--method %q: want one of %s", c.Method, strings.Join(Methods, ", "))
	case c.Dim < 1:
		return fmt.Errorf("--dim %d: want 1 or more", c.Dim)
	case c.Window < 1:
		return fmt.Errorf("--window %d: want 1 or more", c.Window)
	case c.Negatives < 1 && c.Method == "sgns":
		return fmt.Errorf("--negatives %d: want 1 or more", c.Negatives)
	case c.Subsample < 0 || math.IsNaN(c.Subsample):
		return fmt.Errorf("--subsample %g: want 0 (none) or more", c.Subsample)
	case c.LR < 0 || math.IsNaN(c.LR) || math.IsInf(c.LR, 0):
		return fmt.Errorf("--lr %g: want a positive rate (0: the method's default)", c.LR)
	case c.Epochs < 0:
		return fmt.Errorf("--epochs %d: want 1 or more (0: the method's default)", c.Epochs)
	case c.MinCount < 1:
		return fmt.Errorf("--min-count %d: want 1 or more", c.MinCount)
	case !(c.XMax > 0) || math.IsInf(c.XMax, 0):
		return fmt.Errorf("--x-max %g: want a positive count", c.XMax)
	case !(c.Alpha >= 0) || math.IsInf(c.Alpha, 0):
		return fmt.Errorf("--alpha %g: want 0 or more", c.Alpha)
	case c.Batch < 1:
		return fmt.Errorf("--batch %d: want 1 or more", c.Batch)
	}
	return nil
}

// Model is word embeddings being trained on a corpus by one method.
type Model struct {
	Config         // resolved
	Corpus *Corpus // what it trains on
	Seed   uint64  // every random draw derives from it
	Done   int     // epochs finished
	learn  learner
}

// learner is one training method.
type learner interface {
	// epoch makes one pass, drawing from rng and advancing pr, and returns
	// the mean loss of the pass.
	epoch(rng *rand.Rand, pr *pass) (float64, error)
	// tensors lists the whole trained state, for checkpoints.
	tensors() []Tensor
	// embeddings returns the V x D word vectors (a copy where they are
	// computed, e.g. GloVe's W + W~).
	embeddings() []float32
}

// EpochStats is what one epoch reports.
type EpochStats struct {
	Epoch   int     // 1 for the first
	Loss    float64 // mean over the epoch's examples (pairs, entries or words), in nats
	Seconds float64 // wall time of the epoch
}

// New starts a model on corpus c with seed, its parameters initialized as
// the method's reference implementation does. It panics on a config that
// fails Check (the caller checks user input).
func New(cfg Config, c *Corpus, seed uint64) *Model {
	cfg = cfg.Resolved()
	if err := cfg.Check(); err != nil {
		panic("embed: " + err.Error())
	}
	m := &Model{Config: cfg, Corpus: c, Seed: seed}
	rng := rand.New(rand.NewPCG(seed, 0))
	switch cfg.Method {
	case "sgns":
		m.learn = newSGNS(m, rng)
	case "hs":
		m.learn = newHS(m, rng)
	case "lm":
		m.learn = newLM(m, rng)
	case "glove":
		m.learn = newGloVe(m, rng)
	}
	return m
}

// Epoch trains one more epoch. progress, if not nil, is called now and then
// with the work done so far in this run of epochs and the total (words, or
// co-occurrence entries for glove). On ctx's cancellation it stops
// mid-epoch and returns run.ErrInterrupted; the parameters then hold what
// was trained so far, and Done is unchanged.
func (m *Model) Epoch(ctx context.Context, progress func(done, total int64)) (EpochStats, error) {
	if m.Done >= m.Epochs {
		panic(fmt.Sprintf("embed: all %d epochs are done", m.Epochs))
	}
	if run.Interrupted(ctx) {
		return EpochStats{}, run.ErrInterrupted
	}
	start := time.Now()
	per := m.WorkPerEpoch()
	pr := &pass{ctx: ctx, report: progress, lr0: m.LR, every: max(min(checkEvery, per/20), 1),
		done: int64(m.Done) * per, total: int64(m.Epochs) * per}
	rng := rand.New(rand.NewPCG(m.Seed, uint64(m.Done)+1))
	loss, err := m.learn.epoch(rng, pr)
	if err != nil {
		return EpochStats{}, err
	}
	m.Done++
	return EpochStats{Epoch: m.Done, Loss: loss, Seconds: time.Since(start).Seconds()}, nil
}

// WorkPerEpoch reports how many units of work an epoch makes, the units
// progress counts and the learning rate decays in: corpus words, or
// co-occurrence entries for glove.
func (m *Model) WorkPerEpoch() int64 {
	if g, ok := m.learn.(*gloVe); ok {
		return int64(len(g.cooc))
	}
	return int64(len(m.Corpus.Tokens))
}

// Embedding returns a copy of the word vectors trained so far.
func (m *Model) Embedding() *Embedding {
	return &Embedding{Vocab: m.Corpus.Vocab, Dim: m.Dim, Vec: slices.Clone(m.learn.embeddings())}
}

// pass tracks the work of a run of epochs: the linear decay of the
// learning rate, progress reports and interruption.
type pass struct {
	ctx         context.Context
	report      func(done, total int64)
	lr0         float64
	done, total int64
	every       int64 // units of work between looks at ctx and reports
	sinceCheck  int64
}

// checkEvery is the most units of work that go by between looks at the
// context and progress reports; small epochs look 20 times.
const checkEvery = 10000

// lr is the learning rate now: lr0 decayed linearly to lr0/10^4 over the
// whole run, as word2vec does.
func (p *pass) lr() float32 {
	return float32(p.lr0 * max(1-float64(p.done)/float64(p.total), 1e-4))
}

// advance records n more units of work and reports whether to stop.
func (p *pass) advance(n int) bool {
	p.done += int64(n)
	if p.sinceCheck += int64(n); p.sinceCheck < p.every {
		return false
	}
	p.sinceCheck = 0
	if p.report != nil {
		p.report(p.done, p.total)
	}
	return run.Interrupted(p.ctx)
}
