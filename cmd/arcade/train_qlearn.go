package main

import (
	"fmt"
	"strings"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/agents/qlearn"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/spf13/pflag"
)

func bindQLearn(fs *pflag.FlagSet) trainFunc {
	cfg := qlearn.DefaultConfig()
	var envOpts []string
	fs.StringVar(&cfg.Env, "env", cfg.Env, "the env: frozenlake (value iteration reads its transition table)")
	fs.StringArrayVar(&envOpts, "env-opt", nil, "env option key=value, repeatable: map=4x4|8x8, slippery=true|false (arcade envs lists them)")
	fs.IntVar(&cfg.Steps, "steps", cfg.Steps, "agent steps of training")
	fs.Float64Var(&cfg.Alpha, "alpha", cfg.Alpha, "learning rate at the start")
	fs.Float64Var(&cfg.AlphaEnd, "alpha-end", cfg.AlphaEnd, "learning rate at the end (linear decay over the steps)")
	fs.Float64Var(&cfg.Gamma, "gamma", cfg.Gamma, "discount, in [0, 1]; value iteration uses the same")
	fs.Float64Var(&cfg.EpsStart, "eps-start", cfg.EpsStart, "exploration rate at the start")
	fs.Float64Var(&cfg.EpsEnd, "eps-end", cfg.EpsEnd, "exploration rate after the decay")
	fs.Float64Var(&cfg.EpsFraction, "eps-fraction", cfg.EpsFraction, "fraction of the steps over which epsilon decays linearly")
	fs.IntVar(&cfg.EvalEpisodes, "eval-episodes", cfg.EvalEpisodes, "greedy episodes on which the learned and the optimal policy are scored")
	return func(t *trainer) (any, error) {
		var err error
		if cfg.EnvOpts, err = parseEnvOpts(envOpts); err != nil {
			return nil, t.badInput("%v", err)
		}
		if t.Resume != "" {
			return resumeQLearn(t)
		}
		if err := cfg.Validate(); err != nil {
			return nil, t.badInput("%v", err)
		}
		r, err := t.create(cfg.Env, cfg)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return qlearn.Train(t.ctx, cfg, r, qlearn.Options{Seed: t.Seed, Progress: t.progress("qlearn "+cfg.Env, int64(cfg.Steps))})
	}
}

// resumeQLearn continues the Q-learning run of --resume.
func resumeQLearn(t *trainer) (any, error) {
	var cfg qlearn.Config
	r, seed, err := t.reopen("qlearn", &cfg, func() error { return cfg.Validate() })
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return qlearn.Train(t.ctx, cfg, r, qlearn.Options{Seed: seed, Resume: true, Progress: t.progress("qlearn "+cfg.Env, int64(cfg.Steps))})
}

// reopen checks that --resume names a run of experiment exp whose
// configuration the command line leaves alone, decodes its configuration
// into cfg, checks it with validate and opens the run at its checkpoint.
// Bad input (another kind of run, another version, a changed flag, a bad
// configuration) is a usage error, found before anything is written.
func (t *trainer) reopen(exp string, cfg any, validate func() error) (*run.Run, uint64, error) {
	var changed []string
	t.flags.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "resume", "threads", "json", "quiet", "seed":
		default:
			changed = append(changed, "--"+f.Name)
		}
	})
	if len(changed) > 0 {
		return nil, 0, t.badInput("%s with --resume: a resumed run keeps its own configuration", strings.Join(changed, ", "))
	}
	meta, err := run.LoadConfig(t.Resume, exp, cfg)
	if err != nil {
		return nil, 0, t.badInput("--resume: %v", err)
	}
	if t.flags.Changed("seed") && t.Seed != meta.Seed {
		return nil, 0, t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
	}
	if err := validate(); err != nil {
		return nil, 0, t.badInput("--resume %s: %v", t.Resume, err)
	}
	step, elapsed, err := agents.CheckpointAt(t.Resume)
	if err != nil {
		return nil, 0, t.badInput("--resume: %v", err)
	}
	r, err := run.Open(t.Resume, step, elapsed, t.logWriter())
	if err != nil {
		return nil, 0, err
	}
	t.dir = t.Resume
	return r, meta.Seed, nil
}

// parseEnvOpts turns --env-opt key=value flags into a map.
func parseEnvOpts(opts []string) (map[string]string, error) {
	m := map[string]string{}
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--env-opt %q: want key=value", o)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("--env-opt %s given twice", k)
		}
		m[k] = v
	}
	return m, nil
}
