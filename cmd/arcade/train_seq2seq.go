package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arcadelab/arcade/generative/seq2seq"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/spf13/pflag"
)

// seq2seqConfig is arcade train seq2seq's configuration; each field is a
// flag (seq2seq.Config's are --cell, --embed, --encoder, --decoder,
// --attention).
type seq2seqConfig struct {
	seq2seq.Config
	Batch    int     `json:"batch"`    // --batch: examples per step
	LR       float64 `json:"lr"`       // --lr: Adam's learning rate
	Schedule string  `json:"schedule"` // --schedule: nets.ParseSchedule's syntax, over the epochs
	Clip     float64 `json:"clip"`     // --clip: gradient norm clipping (0: none)
	Epochs   int     `json:"epochs"`   // --epochs
	Train    int     `json:"train"`    // --train: examples drawn afresh from the training dates each epoch
	Val      int     `json:"val"`      // --val: dates held out for validation
	Test     int     `json:"test"`     // --test: dates held out for the test
	Limit    int     `json:"limit"`    // --limit: the first N examples of each split; 0 all
	Beam     int     `json:"beam"`     // --beam: B
	Alpha    float64 `json:"alpha"`    // --alpha: length normalisation
	Maps     int     `json:"maps"`     // --maps: attention maps to draw
}

// seq2seqResult is what arcade train seq2seq prints (DESIGN.md's keys).
type seq2seqResult struct {
	ExactMatch       float64 `json:"exact_match"`
	ExactMatchGreedy float64 `json:"exact_match_greedy"`
	TestExamples     int     `json:"test_examples"`
}

// The ISO alphabet the decoder writes.
const seq2seqTarget = "0123456789-"

// Random streams of seq2seq: every draw derives from --seed and the stream.
const (
	seq2seqStreamInit  = 1       // the weights
	seq2seqStreamSplit = 2       // which dates are held out
	seq2seqStreamVal   = 3       // the formats of the validation dates
	seq2seqStreamTest  = 4       // the formats of the test dates
	seq2seqStreamEpoch = 1 << 40 // + epoch: that epoch's training examples
)

// seq2seqLogEvery is how many steps losses/step_loss averages over.
const seq2seqLogEvery = 25

func bindSeq2seq(fs *pflag.FlagSet) trainFunc {
	cfg := seq2seqConfig{Config: seq2seq.DefaultConfig()}
	fs.StringVar(&cfg.Cell, "cell", cfg.Cell, "recurrent cell of the encoder and the decoder: lstm or gru")
	fs.IntVar(&cfg.Embed, "embed", cfg.Embed, "character embedding size")
	fs.IntVar(&cfg.Encoder, "encoder", cfg.Encoder, "hidden units of each direction of the bidirectional encoder")
	fs.IntVar(&cfg.Decoder, "decoder", cfg.Decoder, "hidden units of the decoder")
	fs.IntVar(&cfg.Attention, "attention", cfg.Attention, "hidden size of the additive attention")
	fs.IntVar(&cfg.Batch, "batch", 64, "examples per step")
	fs.Float64Var(&cfg.LR, "lr", 0.003, "Adam's learning rate")
	fs.StringVar(&cfg.Schedule, "schedule", "cosine", "learning-rate schedule over the epochs: "+nets.ScheduleHelp)
	fs.Float64Var(&cfg.Clip, "clip", 1, "clip the gradient to this global norm (0: no clipping)")
	fs.IntVar(&cfg.Epochs, "epochs", 2, "passes of --train examples each")
	fs.IntVar(&cfg.Train, "train", 30000, "training examples per epoch, drawn afresh from the training dates (dates and formats uniform)")
	fs.IntVar(&cfg.Val, "val", 1000, "dates held out for validation (greedy exact match after each epoch)")
	fs.IntVar(&cfg.Test, "test", 10000, "dates held out for the test; no test date occurs in training, in any format")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N examples of each split (0: all)")
	fs.IntVar(&cfg.Beam, "beam", 3, "beam width B of the test's beam search")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.7, "length normalisation of beam search: hypotheses rank by log P / T^alpha")
	fs.IntVar(&cfg.Maps, "maps", 6, "attention maps of test dates to draw as attention_NN.png (one per format, in test order)")
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
			meta, err := run.LoadConfig(t.Resume, "seq2seq", &cfg)
			if err != nil {
				return nil, t.badInput("--resume: %v", err)
			}
			if t.flags.Changed("seed") && t.Seed != meta.Seed {
				return nil, t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
			}
			t.Seed = meta.Seed
		}
		if err := checkSeq2seqConfig(t, cfg); err != nil {
			return nil, err
		}
		return trainSeq2seq(t, cfg)
	}
}

// checkSeq2seqConfig turns a bad flag into a usage error.
func checkSeq2seqConfig(t *trainer, cfg seq2seqConfig) error {
	if err := cfg.Config.Check(); err != nil {
		return t.badInput("%v", err)
	}
	switch {
	case cfg.Batch < 1:
		return t.badInput("--batch %d: want 1 or more", cfg.Batch)
	case !(cfg.LR > 0):
		return t.badInput("--lr %v: want a positive rate", cfg.LR)
	case !(cfg.Clip >= 0):
		return t.badInput("--clip %v: want 0 (none) or a positive norm", cfg.Clip)
	case cfg.Epochs < 1 || cfg.Train < 1:
		return t.badInput("--epochs and --train want 1 or more")
	case cfg.Val < 1 || cfg.Test < 1 || cfg.Val+cfg.Test > data.DateDays/2:
		return t.badInput("--val %d and --test %d: want 1 or more dates each, and at most %d together (half the dates stay for training)", cfg.Val, cfg.Test, data.DateDays/2)
	case cfg.Limit < 0:
		return t.badInput("--limit %d: want 0 (all) or more", cfg.Limit)
	case cfg.Beam < 1:
		return t.badInput("--beam %d: want 1 or more", cfg.Beam)
	case !(cfg.Alpha >= 0 && cfg.Alpha <= 2):
		return t.badInput("--alpha %v: want 0..2", cfg.Alpha)
	case cfg.Maps < 0:
		return t.badInput("--maps %d: want 0 or more", cfg.Maps)
	}
	if _, err := nets.ParseSchedule(cfg.Schedule, 1, cfg.Epochs); err != nil {
		return t.badInput("--schedule: %v", err)
	}
	return nil
}

// seq2seqState is the trainer's progress, saved in checkpoints.
type seq2seqState struct {
	epoch, batch int     // the next batch to train
	step         int64   // optimizer steps taken
	lossSum      float64 // of the epoch's steps
	lossCount    int
	stepSum      float64 // of the steps since the last losses/step_loss
	stepCount    int
	elapsed      float64 // wall seconds of the run so far
	trainSeconds float64 // of them, in training steps
}

// seq2seqSplit is a held-out set: the pairs and their token ids.
type seq2seqSplit struct {
	pairs   []data.DatePair
	src     [][]int
	targets [][]int // without EOS
}

func newSeq2seqSplit(m *seq2seq.Model, pairs []data.DatePair) seq2seqSplit {
	sp := seq2seqSplit{pairs: pairs}
	for _, p := range pairs {
		src, _ := m.Src.Encode(nil, p.Human) // generated text is always in the alphabet
		tgt, _ := m.Tgt.Encode(nil, p.ISO)
		sp.src, sp.targets = append(sp.src, src), append(sp.targets, tgt)
	}
	return sp
}

// seq2seqDates draws the dates of a run of seed and cfg: the training days,
// and the validation and test sets (--limit applied) encoded for m. arcade
// sample --analyze draws the same test set again.
func seq2seqDates(m *seq2seq.Model, seed uint64, cfg seq2seqConfig) (trainDays []int, val, test seq2seqSplit) {
	trainDays, valDays, testDays := data.DateSplit(rand.New(rand.NewPCG(seed, seq2seqStreamSplit)), cfg.Val, cfg.Test)
	first := func(ps []data.DatePair) []data.DatePair {
		if cfg.Limit > 0 && len(ps) > cfg.Limit {
			return ps[:cfg.Limit]
		}
		return ps
	}
	val = newSeq2seqSplit(m, first(data.DateExamples(rand.New(rand.NewPCG(seed, seq2seqStreamVal)), valDays)))
	test = newSeq2seqSplit(m, first(data.DateExamples(rand.New(rand.NewPCG(seed, seq2seqStreamTest)), testDays)))
	return trainDays, val, test
}

// trainSeq2seq trains the date translator, top to bottom: data, model,
// optimizer and schedule, the loop (validation after every epoch), then
// the test with beam and greedy search, error analysis, BLEU and
// attention maps.
func trainSeq2seq(t *trainer, cfg seq2seqConfig) (any, error) {
	perEpoch := cfg.Train
	if cfg.Limit > 0 {
		perEpoch = min(perEpoch, cfg.Limit)
	}
	m := seq2seq.New(rand.New(rand.NewPCG(t.Seed, seq2seqStreamInit)), cfg.Config, data.DateAlphabet, seq2seqTarget)
	trainDays, val, test := seq2seqDates(m, t.Seed, cfg)

	params := m.Params()
	adam := nets.DefaultAdamConfig()
	adam.LR = cfg.LR
	opt := nets.NewAdam(params, adam)
	sched, _ := nets.ParseSchedule(cfg.Schedule, cfg.LR, cfg.Epochs)

	var r *run.Run
	var st seq2seqState
	var err error
	if t.Resume != "" {
		if r, st, err = resumeSeq2seq(t, params, opt); err != nil {
			return nil, err
		}
	} else if r, err = t.create("dates", cfg); err != nil {
		return nil, err
	}
	defer r.Close()
	r.Logf("dates: %d training days, %d validation and %d test dates (disjoint by date), %d human formats; %d examples per epoch",
		len(trainDays), len(val.pairs), len(test.pairs), len(data.DateFormats()), perEpoch)
	r.Logf("%s encoder (bidirectional, %d per direction), %s decoder of %d, attention %d, embeddings %d: %d parameters; adam lr %g (%s), batch %d, clip %g",
		cfg.Cell, cfg.Encoder, cfg.Cell, cfg.Decoder, cfg.Attention, cfg.Embed, nets.Count(params), cfg.LR, cfg.Schedule, cfg.Batch, cfg.Clip)

	nb := nets.NumBatches(perEpoch, cfg.Batch)
	search := seq2seq.DefaultSearch(m.Tgt.BOS(), m.Tgt.EOS(), len("yyyy-mm-dd")+2)
	search.Width, search.Alpha = cfg.Beam, cfg.Alpha
	greedy := search
	greedy.Width = 1
	dec := m.NewDecoder()
	tp := nets.NewTape()
	var batch seq2seq.Batch
	srcs, tgts := make([]string, 0, cfg.Batch), make([]string, 0, cfg.Batch)
	save := func() error {
		st.elapsed = r.Elapsed()
		return saveSeq2seqState(r, params, opt, st)
	}
	prog := t.progress("seq2seq", int64(cfg.Epochs*nb))
	for st.epoch < cfg.Epochs {
		examples := data.DateSample(rand.New(rand.NewPCG(t.Seed, seq2seqStreamEpoch+uint64(st.epoch))), trainDays, perEpoch)
		for ; st.batch < nb; st.batch++ {
			if run.Interrupted(t.ctx) {
				if err := save(); err != nil {
					return nil, err
				}
				r.Logf("interrupted at epoch %d, batch %d; checkpoint saved", st.epoch+1, st.batch)
				return nil, run.ErrInterrupted
			}
			start := time.Now()
			srcs, tgts = srcs[:0], tgts[:0]
			for _, p := range examples[st.batch*cfg.Batch : min((st.batch+1)*cfg.Batch, perEpoch)] {
				srcs, tgts = append(srcs, p.Human), append(tgts, p.ISO)
			}
			if err := m.MakeBatch(&batch, srcs, tgts); err != nil {
				return nil, err
			}
			opt.SetLR(sched.At(float64(st.epoch) + float64(st.batch)/float64(nb)))
			tp.Reset()
			opt.ZeroGrad()
			loss := m.Loss(tp, &batch)
			loss.Backward()
			if cfg.Clip > 0 {
				nets.ClipGradNorm(params, cfg.Clip)
			}
			opt.Step()
			st.step++
			st.lossSum += float64(loss.Item())
			st.lossCount++
			st.stepSum += float64(loss.Item())
			st.stepCount++
			if st.step%seq2seqLogEvery == 0 {
				r.Metric(st.step, "losses/step_loss", st.stepSum/float64(st.stepCount))
				r.Metric(st.step, "charts/learning_rate", opt.LR())
				st.stepSum, st.stepCount = 0, 0
			}
			st.trainSeconds += time.Since(start).Seconds()
			prog.Set(int64(st.epoch*nb+st.batch+1), fmt.Sprintf("epoch %d loss %.4f", st.epoch+1, loss.Item()))
		}
		st.batch = 0
		hyps := seq2seq.Greedy(dec, val.src, greedy)
		valExact := seq2seqExact(hyps, val.targets)
		trainLoss := st.lossSum / float64(max(st.lossCount, 1))
		r.Metric(st.step, "losses/train_loss", trainLoss)
		r.Metric(st.step, "val/exact_match", valExact)
		r.Logf("epoch %d/%d: train loss %.4f nats/char, val exact match %.4f (greedy), lr %.3g, %.1fs training so far",
			st.epoch+1, cfg.Epochs, trainLoss, valExact, opt.LR(), st.trainSeconds)
		st.lossSum, st.lossCount = 0, 0
		st.epoch++
		if err := save(); err != nil {
			return nil, err
		}
	}
	prog.Finish(int64(cfg.Epochs * nb))
	if run.Interrupted(t.ctx) { // the checkpoint holds the trained model: --resume runs the test
		r.Logf("interrupted before the test; --resume runs it")
		return nil, run.ErrInterrupted
	}
	r.Logf("trained %d epochs in %.1fs (training steps only; --threads %d)", cfg.Epochs, st.trainSeconds, par.Threads())
	if err := m.Save(r.Path("model.safetensors"), map[string]string{"arcade.experiment": "seq2seq", "arcade.cell": cfg.Cell}); err != nil {
		return nil, err
	}

	res, err := seq2seqTest(t, r, cfg, m, dec, test, search, greedy, st.step)
	if err != nil {
		return nil, err
	}
	if err := r.Flush(); err != nil {
		return nil, err
	}
	if err := run.PlotCurves([]string{r.Dir}, r.Path("curves.png"), "val/exact_match", "losses/step_loss", "losses/train_loss", "charts/learning_rate"); err != nil {
		return nil, err
	}
	return res, nil
}

// seq2seqExact is the fraction of outputs that are their target and end.
func seq2seqExact(hyps []seq2seq.Hypothesis, targets [][]int) float64 {
	right := 0
	for i, h := range hyps {
		if h.Ended && slices.Equal(h.Tokens, targets[i]) {
			right++
		}
	}
	return float64(right) / float64(max(len(hyps), 1))
}

// seq2seqTest decodes the test set with beam and greedy search and writes
// report.txt (exact match, BLEU, both error analyses, examples) and the
// attention maps.
func seq2seqTest(t *trainer, r *run.Run, cfg seq2seqConfig, m *seq2seq.Model, dec *seq2seq.Decoder, test seq2seqSplit, search, greedy seq2seq.Search, step int64) (seq2seqResult, error) {
	start := time.Now()
	beamHyps := seq2seq.Beam(dec, test.src, search)
	beamSeconds := time.Since(start).Seconds()
	if run.Interrupted(t.ctx) {
		r.Logf("interrupted in the test; --resume runs it again")
		return seq2seqResult{}, run.ErrInterrupted
	}
	greedyHyps := seq2seq.Greedy(dec, test.src, greedy)
	n := len(test.pairs)
	sources, targets := make([]string, n), make([]string, n)
	beamOut, greedyOut := make([]string, n), make([]string, n)
	for i, p := range test.pairs {
		sources[i], targets[i] = p.Human, p.ISO
		beamOut[i], greedyOut[i] = m.Tgt.Decode(beamHyps[i].Tokens), m.Tgt.Decode(greedyHyps[i].Tokens)
	}
	beamA := seq2seq.Analyze(dec, search, test.src, test.targets, beamHyps)
	greedyA := seq2seq.Analyze(dec, greedy, test.src, test.targets, greedyHyps)
	corpus, sentence := seq2seq.CharBLEU(beamOut, targets)
	res := seq2seqResult{ExactMatch: beamA.Accuracy(), ExactMatchGreedy: greedyA.Accuracy(), TestExamples: n}
	r.Metric(step, "test/exact_match", res.ExactMatch)
	r.Metric(step, "test/exact_match_greedy", res.ExactMatchGreedy)
	r.Metric(step, "test/bleu_char", corpus.BLEU)
	r.Logf("test (%d dates never seen in training): exact match %.4f with beam search (B=%d, alpha %g; %.1fs), %.4f greedy",
		n, res.ExactMatch, search.Width, search.Alpha, beamSeconds, res.ExactMatchGreedy)
	r.Logf("character BLEU of the beam outputs: corpus %.4f, mean sentence %.4f", corpus.BLEU, sentence)
	for _, a := range []seq2seq.Analysis{beamA, greedyA} {
		r.Logf("error analysis (width %d): %d wrong; search at fault %d, model at fault %d", a.Width, a.Wrong, a.SearchFaults, a.ModelFaults)
	}
	err := seq2seqWriteFile(r, "report.txt", func(w io.Writer) error {
		fmt.Fprintf(w, "test: %d dates, none of them in training\nexact match: beam search (B=%d, alpha %g) %.4f, greedy %.4f\n",
			n, search.Width, search.Alpha, res.ExactMatch, res.ExactMatchGreedy)
		fmt.Fprintf(w, "character BLEU of the beam outputs: corpus %.4f (precisions %.4f %.4f %.4f %.4f, BP %.4f), mean sentence BLEU %.4f\n\n",
			corpus.BLEU, corpus.Precisions[0], corpus.Precisions[1], corpus.Precisions[2], corpus.Precisions[3], corpus.BP, sentence)
		if err := beamA.WriteReport(w, sources, targets, beamOut, 50); err != nil {
			return err
		}
		fmt.Fprintln(w)
		if err := greedyA.WriteReport(w, sources, targets, greedyOut, 50); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nfirst test dates:\n")
		for i := range min(20, n) {
			fmt.Fprintf(w, "%-28s -> %s (target %s)\n", sources[i], beamOut[i], targets[i])
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	return res, seq2seqMaps(r, cfg, m, dec, test, beamHyps, beamOut)
}

// seq2seqMaps draws the attention maps of the first test date of each
// format, in test order, up to --maps.
func seq2seqMaps(r *run.Run, cfg seq2seqConfig, m *seq2seq.Model, dec *seq2seq.Decoder, test seq2seqSplit, hyps []seq2seq.Hypothesis, outs []string) error {
	seen := map[int]bool{}
	drawn := 0
	for i, p := range test.pairs {
		if drawn == cfg.Maps {
			break
		}
		if seen[p.Format] {
			continue
		}
		seen[p.Format] = true
		drawn++
		alpha := dec.Attention(test.src[i], hyps[i].Sequence(m.Tgt.EOS()), m.Tgt.BOS())
		name := fmt.Sprintf("attention_%02d.png", drawn)
		title := fmt.Sprintf("%s -> %s (%s)", p.Human, outs[i], data.DateFormats()[p.Format].Name)
		if err := seq2seqWriteFile(r, name, func(w io.Writer) error {
			return seq2seq.WriteAttentionMap(w, alpha, p.Human, outs[i], title)
		}); err != nil {
			return err
		}
	}
	if drawn > 0 {
		r.Logf("attention maps: attention_01.png .. attention_%02d.png", drawn)
	}
	return nil
}

// saveSeq2seqState writes the checkpoint: parameters, optimizer, counters.
func saveSeq2seqState(r *run.Run, params []nets.Param, opt nets.Optimizer, st seq2seqState) error {
	if err := os.MkdirAll(r.Path("checkpoint"), 0o755); err != nil {
		return err
	}
	if err := r.Flush(); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return nets.SaveCheckpoint(r.Path(checkpointState), params, opt, map[string]string{
		"epoch": strconv.Itoa(st.epoch), "batch": strconv.Itoa(st.batch), "step": strconv.FormatInt(st.step, 10),
		"loss_sum": f(st.lossSum), "loss_count": strconv.Itoa(st.lossCount), "elapsed": f(st.elapsed),
		"step_sum": f(st.stepSum), "step_count": strconv.Itoa(st.stepCount),
		"train_seconds": f(st.trainSeconds),
	})
}

// resumeSeq2seq reopens the run of --resume and restores its checkpoint.
func resumeSeq2seq(t *trainer, params []nets.Param, opt nets.Optimizer) (*run.Run, seq2seqState, error) {
	var st seq2seqState
	dir := t.Resume
	meta, err := nets.LoadCheckpoint(filepath.Join(dir, checkpointState), params, opt)
	if err != nil {
		return nil, st, err
	}
	var bad []string
	num := func(key string) float64 {
		v, err := strconv.ParseFloat(meta[key], 64)
		if err != nil {
			bad = append(bad, key)
		}
		return v
	}
	st = seq2seqState{epoch: int(num("epoch")), batch: int(num("batch")), step: int64(num("step")),
		lossSum: num("loss_sum"), lossCount: int(num("loss_count")), stepSum: num("step_sum"), stepCount: int(num("step_count")),
		elapsed: num("elapsed"), trainSeconds: num("train_seconds")}
	if len(bad) > 0 {
		return nil, st, fmt.Errorf("%s: metadata %s missing or not a number", filepath.Join(dir, checkpointState), strings.Join(bad, ", "))
	}
	r, err := run.Open(dir, st.step, st.elapsed, t.logWriter())
	if err != nil {
		return nil, st, err
	}
	t.dir = dir
	r.Logf("resuming at epoch %d, batch %d (step %d)", st.epoch+1, st.batch, st.step)
	return r, st, nil
}

// seq2seqWriteFile writes name in the run directory atomically.
func seq2seqWriteFile(r *run.Run, name string, write func(io.Writer) error) error {
	return atomicfile.WriteFunc(r.Path(name), write)
}
