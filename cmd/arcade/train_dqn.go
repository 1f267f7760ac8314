package main

import (
	"bytes"
	"runtime/pprof"
	"strings"

	"github.com/arcadelab/arcade/agents/dqn"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/spf13/pflag"
)

// dqnFlags binds arcade train dqn's flags to a dqn.Config. A flag left
// out takes the preset's value; override copies the flags that were given
// onto the preset's config.
type dqnFlags struct {
	fs     *pflag.FlagSet
	given  dqn.Config // where the flags' values land
	copies map[string]func(dst, src *dqn.Config)
}

// field binds one flag of type T to the Config field get returns.
func field[T any](b *dqnFlags, name string, get func(c *dqn.Config) *T, bind func(p *T, name string, value T, usage string), help string) {
	var zero T
	bind(get(&b.given), name, zero, help)
	b.copies[name] = func(dst, src *dqn.Config) { *get(dst) = *get(src) }
}

func bindDQN(fs *pflag.FlagSet) trainFunc {
	b := &dqnFlags{fs: fs, copies: map[string]func(dst, src *dqn.Config){}}
	var env, preset string
	var envOpts []string
	fs.StringVar(&env, "env", "cartpole", "the env (arcade envs lists them)")
	fs.StringArrayVar(&envOpts, "env-opt", nil, "env option key=value, repeatable (arcade envs lists them)")
	fs.StringVar(&preset, "preset", "", "the defaults of every flag below: "+strings.Join(dqn.Presets(), ", ")+
		" (default: classic for vector and small-grid envs, minatar-adam for min-*, rainbow-lite for pong and breakout)")
	field(b, "steps", func(c *dqn.Config) *int { return &c.Steps }, fs.IntVar, "agent steps (default: cartpole 50000, catch 20000, min-* 1000000, pong and breakout 500000, others 100000)")
	field(b, "net", func(c *dqn.Config) *string { return &c.Net }, fs.StringVar, "Q-network: mlp, nature (84x84 stacks) or minatar (10x10 grids); default: the preset's, or the one the observations suit")
	field(b, "hidden", func(c *dqn.Config) *[]int { return &c.Hidden }, fs.IntSliceVar, "hidden layer sizes of the MLP, e.g. 128,128; the last is the head's")
	field(b, "dueling", func(c *dqn.Config) *bool { return &c.Dueling }, fs.BoolVar, "dueling heads: Q = V + A - mean(A)")
	field(b, "atoms", func(c *dqn.Config) *int { return &c.Atoms }, fs.IntVar, "a distributional head (C51) of this many atoms, e.g. 51, learned with C51's cross-entropy in place of --loss; 0: one Q-value per action")
	field(b, "v-min", func(c *dqn.Config) *float64 { return &c.VMin }, fs.Float64Var, "the smallest return of the distributional head's support")
	field(b, "v-max", func(c *dqn.Config) *float64 { return &c.VMax }, fs.Float64Var, "the largest return of the distributional head's support")
	field(b, "optimizer", func(c *dqn.Config) *string { return &c.Optimizer }, fs.StringVar, "adam; rmsprop, the DQN paper's centered RMSProp (eps 0.01 inside the root); or torch-rmsprop, PyTorch's centered RMSprop (alpha 0.95, eps 0.01 outside the root) as MinAtar's DQN")
	field(b, "lr", func(c *dqn.Config) *float64 { return &c.LR }, fs.Float64Var, "learning rate")
	field(b, "adam-eps", func(c *dqn.Config) *float64 { return &c.AdamEps }, fs.Float64Var, "Adam's epsilon, e.g. 1.5e-4 as Rainbow or 3.125e-4 as C51 (0: PyTorch's default, 1e-8)")
	field(b, "lr-decay", func(c *dqn.Config) *bool { return &c.LRDecay }, fs.BoolVar, "anneal the learning rate linearly to 0 over the steps")
	field(b, "batch", func(c *dqn.Config) *int { return &c.Batch }, fs.IntVar, "transitions per update")
	field(b, "gamma", func(c *dqn.Config) *float64 { return &c.Gamma }, fs.Float64Var, "discount, in [0, 1]")
	field(b, "loss", func(c *dqn.Config) *string { return &c.Loss }, fs.StringVar, "huber (delta 1, the paper's error clipping) or mse")
	field(b, "grad-clip", func(c *dqn.Config) *float64 { return &c.GradClip }, fs.Float64Var, "largest global L2 norm of the gradients; 0: no clipping")
	field(b, "double", func(c *dqn.Config) *bool { return &c.Double }, fs.BoolVar, "Double DQN targets: the online net picks a', the target net values it")
	field(b, "bootstrap-eps", func(c *dqn.Config) *float64 { return &c.BootstrapEps }, fs.Float64Var, "targets value the next state under epsilon-greedy at this epsilon, (1-eps) max Q' + eps mean Q' (expected SARSA); 0: max Q', as Q-learning")
	field(b, "munchausen-alpha", func(c *dqn.Config) *float64 { return &c.MunchausenAlpha }, fs.Float64Var, "Munchausen DQN: add alpha times the target net's tau-log-policy of the action taken (clipped to [-1, 0]) to the reward and bootstrap from the soft value of s' (the paper: 0.9; needs --double=false); 0: off")
	field(b, "munchausen-tau", func(c *dqn.Config) *float64 { return &c.MunchausenTau }, fs.Float64Var, "temperature of Munchausen DQN's softmax policy over the target net's values")
	field(b, "augment", func(c *dqn.Config) *int { return &c.Augment }, fs.IntVar, "shift each sampled frame stack by a random offset of up to this many pixels each way, edges repeated (DrQ's random shift, e.g. 4); 0: none")
	field(b, "target-update", func(c *dqn.Config) *int { return &c.TargetUpdate }, fs.IntVar, "steps between target-network updates")
	field(b, "tau", func(c *dqn.Config) *float64 { return &c.Tau }, fs.Float64Var, "target update Q' = tau Q + (1-tau) Q' (Polyak); 1 copies")
	field(b, "train-freq", func(c *dqn.Config) *int { return &c.TrainFreq }, fs.IntVar, "steps between training rounds")
	field(b, "gradient-steps", func(c *dqn.Config) *int { return &c.GradientSteps }, fs.IntVar, "updates per training round")
	field(b, "buffer-size", func(c *dqn.Config) *int { return &c.BufferSize }, fs.IntVar, "replay slots (one per step plus one per episode)")
	field(b, "learning-starts", func(c *dqn.Config) *int { return &c.LearningStarts }, fs.IntVar, "steps before the first update")
	field(b, "n-step", func(c *dqn.Config) *int { return &c.NStep }, fs.IntVar, "n of the n-step return")
	field(b, "prioritized", func(c *dqn.Config) *bool { return &c.Prioritized }, fs.BoolVar, "proportional prioritized replay")
	field(b, "prio-alpha", func(c *dqn.Config) *float64 { return &c.PrioAlpha }, fs.Float64Var, "priority exponent alpha")
	field(b, "prio-beta", func(c *dqn.Config) *float64 { return &c.PrioBeta }, fs.Float64Var, "importance-sampling exponent beta at the start, annealed to 1")
	field(b, "eps-start", func(c *dqn.Config) *float64 { return &c.EpsStart }, fs.Float64Var, "exploration rate at the start")
	field(b, "eps-end", func(c *dqn.Config) *float64 { return &c.EpsEnd }, fs.Float64Var, "exploration rate after the decay")
	field(b, "eps-fraction", func(c *dqn.Config) *float64 { return &c.EpsFraction }, fs.Float64Var, "fraction of the steps over which epsilon decays linearly")
	field(b, "eval-every", func(c *dqn.Config) *int { return &c.EvalEvery }, fs.IntVar, "steps between evaluations (0: only at the end)")
	field(b, "eval-episodes", func(c *dqn.Config) *int { return &c.EvalEpisodes }, fs.IntVar, "episodes per evaluation")
	field(b, "checkpoint-every", func(c *dqn.Config) *int { return &c.CheckpointEvery }, fs.IntVar, "steps between checkpoints (0: only on Ctrl-C)")
	var cpuProfile string
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run (go tool pprof) to this file")
	_ = fs.MarkHidden("cpuprofile") // a developer's flag, not in --help
	return func(t *trainer) (res any, err error) {
		if cpuProfile != "" {
			stop, err := profileCPU(cpuProfile)
			if err != nil {
				return nil, err
			}
			defer func() {
				if perr := stop(); err == nil {
					err = perr
				}
			}()
		}
		if t.Resume != "" {
			return resumeDQN(t)
		}
		cfg, err := b.config(env, envOpts, preset)
		if err != nil {
			return nil, t.badInput("%v", err)
		}
		b.given, preset = cfg, cfg.Preset // config.json's flags: the values the run uses
		r, err := t.create(cfg.Env, cfg)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return dqn.Train(t.ctx, cfg, r, dqn.Options{Seed: t.Seed, Progress: t.progress("dqn "+cfg.Env, int64(cfg.Steps))})
	}
}

// config returns the run's configuration: the preset's values, the flags
// given on top, the net filled in, checked.
func (b *dqnFlags) config(env string, envOpts []string, preset string) (dqn.Config, error) {
	if preset == "" {
		preset = dqn.DefaultPreset(env)
	}
	cfg, ok := dqn.Preset(preset, env)
	if !ok {
		return cfg, &usageError{msg: "--preset " + preset + ": want one of " + strings.Join(dqn.Presets(), ", ")}
	}
	opts, err := parseEnvOpts(envOpts)
	if err != nil {
		return cfg, err
	}
	cfg.EnvOpts = opts
	cfg.Steps = dqn.DefaultSteps(env)
	b.fs.Visit(func(f *pflag.Flag) {
		if cp := b.copies[f.Name]; cp != nil {
			cp(&cfg, &b.given)
		}
	})
	if err := cfg.Complete(); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// resumeDQN continues the DQN run of --resume.
func resumeDQN(t *trainer) (any, error) {
	var cfg dqn.Config
	r, seed, err := t.reopen("dqn", &cfg, func() error { return cfg.Validate() })
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return dqn.Train(t.ctx, cfg, r, dqn.Options{Seed: seed, Resume: true, Progress: t.progress("dqn "+cfg.Env, int64(cfg.Steps))})
}

// profileCPU starts Go's CPU profiler, into memory, and returns the
// function that stops it and writes the profile to path.
func profileCPU(path string) (stop func() error, err error) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return atomicfile.Write(path, buf.Bytes())
	}, nil
}
