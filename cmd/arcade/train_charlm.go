package main

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/arcadelab/arcade/generative/charlm"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/spf13/pflag"
)

// charlmResult is what arcade train charlm prints (DESIGN.md's keys).
type charlmResult struct {
	ValLossNatsPerChar float64 `json:"val_loss_nats_per_char"`
	Seconds            float64 `json:"seconds"`
}

func bindCharLM(fl *pflag.FlagSet) trainFunc {
	cfg := charlm.DefaultConfig()
	fl.StringVar(&cfg.Corpus, "corpus", "", "the text file to learn (UTF-8), e.g. ../shared/data/tinyshakespeare.txt: the first 90% trains, the last 10% validates")
	fl.StringVar(&cfg.Cell, "cell", cfg.Cell, "recurrent cell: lstm or gru")
	fl.IntVar(&cfg.Layers, "layers", cfg.Layers, "stacked recurrent layers")
	fl.IntVar(&cfg.Hidden, "hidden", cfg.Hidden, "hidden units per layer")
	fl.IntVar(&cfg.Embed, "embed", cfg.Embed, "size of a character's embedding")
	fl.Float64Var(&cfg.Dropout, "dropout", cfg.Dropout, "dropout on the embeddings, between layers and before the softmax (never on the recurrent connections)")
	fl.IntVar(&cfg.SeqLen, "seq-len", cfg.SeqLen, "characters per chunk of truncated back-propagation through time")
	fl.IntVar(&cfg.Batch, "batch", cfg.Batch, "streams of text trained side by side")
	fl.Float64Var(&cfg.LR, "lr", cfg.LR, "Adam's learning rate")
	fl.StringVar(&cfg.Schedule, "schedule", cfg.Schedule, "learning-rate schedule over the epochs: "+nets.ScheduleHelp)
	fl.Float64Var(&cfg.Clip, "clip", cfg.Clip, "clip the gradients' global norm to this (0: no clipping)")
	fl.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training text")
	fl.Float64Var(&cfg.Minutes, "minutes", cfg.Minutes, "stop after this many minutes of wall time, evaluate and save (0: no limit); the learning-rate schedule still spans --epochs, so the run is the same as without the limit up to the stop")
	fl.IntVar(&cfg.Limit, "limit", cfg.Limit, "use only the first N characters of the corpus (0: all)")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			for _, name := range []string{"corpus", "cell", "layers", "hidden", "embed", "dropout", "seq-len", "batch", "lr", "schedule", "clip", "epochs", "limit"} {
				if t.flags.Changed(name) {
					return nil, t.badInput("--%s with --resume: a resumed run keeps its own configuration", name)
				}
			}
			minutes := cfg.Minutes
			meta, err := run.LoadConfig(t.Resume, "charlm", &cfg)
			if err != nil {
				return nil, err
			}
			if t.flags.Changed("seed") && t.Seed != meta.Seed {
				return nil, t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
			}
			t.Seed = meta.Seed
			if t.flags.Changed("minutes") {
				cfg.Minutes = minutes
			}
		}
		if cfg.Corpus == "" {
			return nil, t.badInput("--corpus FILE is required: a UTF-8 text to learn, e.g. --corpus ../shared/data/tinyshakespeare.txt")
		}
		if err := cfg.Check(); err != nil {
			return nil, t.badInput("%v", err)
		}
		return trainCharLM(t, cfg)
	}
}

// trainCharLM opens the run (fresh or resumed) and trains.
func trainCharLM(t *trainer, cfg charlm.Config) (any, error) {
	start := time.Now()
	text, err := charlm.LoadText(cfg.Corpus, cfg.Limit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, t.badInput("--corpus %s: no such file", cfg.Corpus)
	}
	if err != nil {
		return nil, err
	}
	var r *run.Run
	if t.Resume != "" {
		step, elapsed, err := charlm.ResumePoint(t.Resume)
		if err != nil {
			return nil, err
		}
		if r, err = run.Open(t.Resume, step, elapsed, t.logWriter()); err != nil {
			return nil, err
		}
		t.dir = t.Resume
	} else {
		subject := strings.TrimSuffix(filepath.Base(cfg.Corpus), filepath.Ext(cfg.Corpus))
		if r, err = t.create(subject, cfg); err != nil {
			return nil, err
		}
	}
	defer r.Close()
	var prog *run.Progress
	var last int64
	job := charlm.Job{Ctx: t.ctx, Run: r, Seed: t.Seed, Resume: t.Resume != "",
		Progress: func(done, total int64, status string) {
			if prog == nil {
				prog = t.progress("charlm "+cfg.Cell, total)
			}
			prog.Set(done, status)
			last = done
		}}
	res, err := charlm.Train(job, cfg, text)
	if prog != nil {
		prog.Finish(last)
	}
	if err != nil {
		return nil, err
	}
	seconds := time.Since(start).Seconds()
	if t.Resume != "" {
		seconds = r.Elapsed()
	}
	return charlmResult{ValLossNatsPerChar: res.ValLoss, Seconds: seconds}, nil
}
