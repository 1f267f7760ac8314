package charlm

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Config is a training run's configuration; each field is a flag of
// arcade train charlm.
type Config struct {
	Corpus   string  `json:"corpus"`   // --corpus: the text file
	Cell     string  `json:"cell"`     // --cell: lstm or gru
	Layers   int     `json:"layers"`   // --layers: stacked recurrent layers
	Hidden   int     `json:"hidden"`   // --hidden: units per layer
	Embed    int     `json:"embed"`    // --embed: size of a character's embedding
	Dropout  float64 `json:"dropout"`  // --dropout: on the non-recurrent connections
	SeqLen   int     `json:"seq_len"`  // --seq-len: T, steps of truncated BPTT
	Batch    int     `json:"batch"`    // --batch: B, streams trained side by side
	LR       float64 `json:"lr"`       // --lr: Adam's learning rate
	Schedule string  `json:"schedule"` // --schedule: over the epochs (nets.ParseSchedule)
	Clip     float64 `json:"clip"`     // --clip: maximum global gradient norm; 0 none
	Epochs   int     `json:"epochs"`   // --epochs
	Minutes  float64 `json:"minutes"`  // --minutes: stop after this wall time; 0 none
	Limit    int     `json:"limit"`    // --limit: the first N characters of the corpus; 0 all
}

// DefaultConfig returns the defaults of arcade train charlm: a 2-layer LSTM
// of 512 units, which went below 1.55 nats per character on
// tiny-shakespeare after its 4th epoch, 38 minutes at 2 threads on a
// loaded development machine (BENCHMARKS.md).
func DefaultConfig() Config {
	return Config{Cell: "lstm", Layers: 2, Hidden: 512, Embed: 64, Dropout: 0.25, SeqLen: 128, Batch: 64,
		LR: 3e-3, Schedule: "warmup:0.25+cosine", Clip: 5, Epochs: 15}
}

// Check returns a one-line error for a bad configuration.
func (c Config) Check() error {
	switch {
	case c.Cell != "lstm" && c.Cell != "gru":
		return fmt.Errorf("--cell %q: want lstm or gru", c.Cell)
	case c.Layers < 1 || c.Hidden < 1 || c.Embed < 1:
		return fmt.Errorf("--layers, --hidden and --embed want 1 or more")
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("--dropout %v: want a probability in [0, 1)", c.Dropout)
	case c.SeqLen < 1 || c.Batch < 1:
		return fmt.Errorf("--seq-len and --batch want 1 or more")
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("--lr %v: want a positive rate", c.LR)
	case !(c.Clip >= 0):
		return fmt.Errorf("--clip %v: want 0 (none) or a norm", c.Clip)
	case c.Epochs < 1:
		return fmt.Errorf("--epochs %d: want 1 or more", c.Epochs)
	case !(c.Minutes >= 0):
		return fmt.Errorf("--minutes %v: want 0 (no limit) or more", c.Minutes)
	case c.Limit < 0:
		return fmt.Errorf("--limit %d: want 0 (all) or more", c.Limit)
	}
	if _, err := nets.ParseSchedule(c.Schedule, c.LR, c.Epochs); err != nil {
		return fmt.Errorf("--schedule: %v", err)
	}
	return nil
}

// Job is what Train gets from the CLI: the interrupt context, the open run
// directory, the seed, whether to continue the run's checkpoint, and
// where to report progress (nil: nowhere).
type Job struct {
	Ctx      context.Context
	Run      *run.Run
	Seed     uint64
	Resume   bool
	Progress func(done, total int64, status string)
}

// Result is what a run reports.
type Result struct {
	ValLoss float64 // nats per character on the validation text, after the last epoch
	Epochs  int     // epochs trained
	Steps   int64   // optimizer steps taken
}

// Random streams: each derives from the seed, so that a resumed run draws
// what the uninterrupted one would.
const (
	streamInit   = 1       // the weights
	streamOffset = 1 << 40 // + epoch: where the epoch's chunks start
	streamStep   = 2 << 40 // + step: the dropout masks of a step
)

// Checkpoint files in a run directory.
const (
	CheckpointFile = "checkpoint/state.safetensors"
	ModelFile      = "model.safetensors"
	BestFile       = "best.safetensors"
)

// state is where training is: the next chunk is Chunk of epoch Epoch.
type state struct {
	epoch, chunk int
	step         int64
	lossSum      float64
	lossCount    int
	best         float64 // the best validation loss so far
	elapsed      float64
}

// Train trains a model on text (the whole corpus: its vocabulary, then the
// 90/10 split) and returns the result. It saves a checkpoint after every
// epoch and on Ctrl-C (then returning run.ErrInterrupted), the final model
// and the best one, and curves.png.
func Train(job Job, cfg Config, text string) (Result, error) {
	r := job.Run
	vocab := NewVocab(text)
	tokens, _ := vocab.Encode(text)
	train, val := Split(tokens)
	T, B := cfg.SeqLen, cfg.Batch
	L := (len(train) - 1) / B // inputs per stream
	chunks := L/T - 1         // per epoch, whatever the epoch's offset in [0, T)
	if chunks < 1 {
		return Result{}, fmt.Errorf("%s: %d training characters are too few for --batch %d --seq-len %d (need %d)", cfg.Corpus, len(train), B, T, 2*B*T+1)
	}
	kind, _ := rnn.ParseKind(cfg.Cell)
	model := NewModel(rand.New(rand.NewPCG(job.Seed, streamInit)), ModelConfig{Kind: kind, Vocab: vocab.Size(),
		Embed: cfg.Embed, Hidden: cfg.Hidden, Layers: cfg.Layers, Dropout: cfg.Dropout})
	stepPCG := rand.NewPCG(job.Seed, streamStep)
	model.DropRNG = rand.New(stepPCG)
	params := model.Params()
	adam := nets.DefaultAdamConfig()
	adam.LR = cfg.LR
	opt := nets.NewAdam(params, adam)
	sched, _ := nets.ParseSchedule(cfg.Schedule, cfg.LR, cfg.Epochs)
	carry := newCarry(model, B)

	st := state{best: math.Inf(1)}
	if job.Resume {
		var err error
		if st, err = loadCheckpoint(r.Path(CheckpointFile), params, opt, carry); err != nil {
			return Result{}, err
		}
		r.Logf("resuming at epoch %d, chunk %d (step %d)", st.epoch+1, st.chunk, st.step)
	}
	r.Logf("%s of %d layers of %d units, embedding %d, %d characters (%d training, %d validation), vocabulary %d, %d parameters",
		cfg.Cell, cfg.Layers, cfg.Hidden, cfg.Embed, len(tokens), len(train), len(val), vocab.Size(), nets.Count(params))
	r.Logf("%d streams of %d characters, %d chunks of %d per epoch; Adam lr %g (%s), clip %g, dropout %g",
		B, L, chunks, T, cfg.LR, cfg.Schedule, cfg.Clip, cfg.Dropout)
	meta := modelMeta(vocab, cfg)
	save := func() error {
		st.elapsed = r.Elapsed()
		return saveCheckpoint(r, params, opt, carry, st)
	}

	tp := nets.NewTape()
	x, y := make([]int, T*B), make([]int, T*B)
	lastLog, lastStep := time.Now(), st.step
	total := int64(cfg.Epochs * chunks)
	stopped := false
	valLoss := math.NaN() // of the last epoch this session trained
	for st.epoch < cfg.Epochs && !stopped {
		offset := rand.New(rand.NewPCG(job.Seed, streamOffset+uint64(st.epoch))).IntN(T)
		for ; st.chunk < chunks; st.chunk++ {
			if run.Interrupted(job.Ctx) {
				if err := save(); err != nil {
					return Result{}, err
				}
				r.Logf("interrupted at epoch %d, chunk %d; checkpoint saved", st.epoch+1, st.chunk)
				return Result{}, run.ErrInterrupted
			}
			if cfg.Minutes > 0 && r.Elapsed() >= 60*cfg.Minutes {
				r.Logf("--minutes %g reached at epoch %d, chunk %d", cfg.Minutes, st.epoch+1, st.chunk)
				stopped = true
				break
			}
			for t := 0; t < T; t++ {
				for b := 0; b < B; b++ {
					i := b*L + offset + st.chunk*T + t
					x[t*B+b], y[t*B+b] = train[i], train[i+1]
				}
			}
			stepPCG.Seed(job.Seed, streamStep+uint64(st.step))
			opt.SetLR(sched.At(float64(st.epoch) + float64(st.chunk)/float64(chunks)))
			tp.Reset()
			opt.ZeroGrad()
			logits, final := model.Forward(tp, x, T, B, carry.Init())
			loss := nets.CrossEntropy(tp, logits, y, nets.ReduceMean)
			loss.Backward()
			if cfg.Clip > 0 {
				nets.ClipGradNorm(params, cfg.Clip)
			}
			opt.Step()
			carry.Keep(final)
			st.step++
			st.lossSum += float64(loss.Item())
			st.lossCount++
			if st.step == 1 || st.step%20 == 0 {
				r.Metric(st.step, "losses/train_loss", st.lossSum/float64(st.lossCount))
				r.Metric(st.step, "charts/learning_rate", opt.LR())
				if s := time.Since(lastLog).Seconds(); st.step > lastStep && s > 0 {
					r.Metric(st.step, "charts/chars_per_second", float64((st.step-lastStep)*int64(T*B))/s)
				}
				lastLog, lastStep = time.Now(), st.step
				st.lossSum, st.lossCount = 0, 0
			}
			if job.Progress != nil {
				job.Progress(int64(st.epoch*chunks+st.chunk+1), total, fmt.Sprintf("epoch %d loss %.4f", st.epoch+1, loss.Item()))
			}
		}
		if stopped {
			break
		}
		st.chunk = 0
		carry.Reset()
		valLoss = Evaluate(model, val, T)
		r.Metric(st.step, "val/loss_nats_per_char", valLoss)
		r.Logf("epoch %d/%d: val %.4f nats/char, lr %.3g, %.0fs", st.epoch+1, cfg.Epochs, valLoss, opt.LR(), r.Elapsed())
		if valLoss < st.best {
			st.best = valLoss
			if err := nets.SaveTensors(r.Path(BestFile), params, meta); err != nil {
				return Result{}, err
			}
		}
		st.epoch++
		if err := save(); err != nil {
			return Result{}, err
		}
	}
	if stopped || math.IsNaN(valLoss) { // mid-epoch, or a resumed run that had finished
		valLoss = Evaluate(model, val, T)
		r.Metric(st.step, "val/loss_nats_per_char", valLoss)
		if err := save(); err != nil {
			return Result{}, err
		}
	}
	r.Logf("validation loss %.4f nats per character after %d steps", valLoss, st.step)
	if err := nets.SaveTensors(r.Path(ModelFile), params, meta); err != nil {
		return Result{}, err
	}
	if err := r.Flush(); err != nil {
		return Result{}, err
	}
	if err := run.PlotCurves([]string{r.Dir}, r.Path("curves.png"), "val/loss_nats_per_char", "losses/train_loss", "charts/learning_rate", "charts/chars_per_second"); err != nil {
		return Result{}, err
	}
	return Result{ValLoss: valLoss, Epochs: st.epoch, Steps: st.step}, nil
}

// newCarry returns the truncated-BPTT carry of model for B streams, with
// the leaves a checkpoint saves.
func newCarry(m *Model, B int) *trainCarry {
	c := &trainCarry{}
	for range m.RNN.Cells {
		s := rnn.State{H: nets.New(B, m.RNN.Hidden)}
		if m.RNN.Cells[0].HasCellState() {
			s.C = nets.New(B, m.RNN.Hidden)
		}
		c.leaves = append(c.leaves, s)
	}
	return c
}

// trainCarry is an rnn.Carry whose values live in fixed leaves, so that a
// checkpoint can hold them.
type trainCarry struct {
	leaves []rnn.State
	live   bool // the leaves hold the last chunk's final states
}

// Init returns the states to start a chunk from (nil: zero).
func (c *trainCarry) Init() []rnn.State {
	if !c.live {
		return nil
	}
	return c.leaves
}

// Keep copies the final states of a chunk.
func (c *trainCarry) Keep(final []rnn.State) {
	for i, s := range final {
		c.leaves[i].H.CopyFrom(s.H)
		if s.C != nil {
			c.leaves[i].C.CopyFrom(s.C)
		}
	}
	c.live = true
}

// Reset starts the next chunk from zero states.
func (c *trainCarry) Reset() { c.live = false }

// tensors lists the carry's leaves under checkpoint names.
func (c *trainCarry) tensors() []nets.Param {
	var ps []nets.Param
	for i, s := range c.leaves {
		ps = append(ps, nets.Param{Name: "carry/h" + strconv.Itoa(i), Tensor: s.H})
		if s.C != nil {
			ps = append(ps, nets.Param{Name: "carry/c" + strconv.Itoa(i), Tensor: s.C})
		}
	}
	return ps
}

// saveCheckpoint writes everything a resumed run needs.
func saveCheckpoint(r *run.Run, params []nets.Param, opt nets.Optimizer, carry *trainCarry, st state) error {
	if err := os.MkdirAll(r.Path("checkpoint"), 0o755); err != nil {
		return err
	}
	if err := r.Flush(); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return nets.SaveCheckpoint(r.Path(CheckpointFile), append(append([]nets.Param{}, params...), carry.tensors()...), opt, map[string]string{
		"epoch": strconv.Itoa(st.epoch), "chunk": strconv.Itoa(st.chunk), "step": strconv.FormatInt(st.step, 10),
		"loss_sum": f(st.lossSum), "loss_count": strconv.Itoa(st.lossCount), "best": f(st.best),
		"elapsed": f(st.elapsed), "carry": strconv.FormatBool(carry.live),
	})
}

// loadCheckpoint restores saveCheckpoint's file.
func loadCheckpoint(path string, params []nets.Param, opt nets.Optimizer, carry *trainCarry) (state, error) {
	var st state
	meta, err := nets.LoadCheckpoint(path, append(append([]nets.Param{}, params...), carry.tensors()...), opt)
	if err != nil {
		return st, err
	}
	var bad string
	num := func(key string) float64 {
		v, err := strconv.ParseFloat(meta[key], 64)
		if err != nil && bad == "" {
			bad = key
		}
		return v
	}
	st = state{epoch: int(num("epoch")), chunk: int(num("chunk")), step: int64(num("step")), lossSum: num("loss_sum"),
		lossCount: int(num("loss_count")), best: num("best"), elapsed: num("elapsed")}
	live, err := strconv.ParseBool(meta["carry"])
	if err != nil && bad == "" {
		bad = "carry"
	}
	if bad != "" {
		return st, fmt.Errorf("%s: metadata %s missing or malformed", filepath.Clean(path), bad)
	}
	carry.live = live
	return st, nil
}
