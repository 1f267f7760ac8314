package main

import (
	"math/rand/v2"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/generative/vae"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/spf13/pflag"
)

// vaeConfig is arcade train vae's configuration: the model's (vae.Config)
// and the data's.
type vaeConfig struct {
	vae.Config
	Data       string            `json:"data"`        // --data: mnist, frames, or a folder of MNIST IDX files
	Limit      int               `json:"limit"`       // --limit: the first N images of each split; 0 all
	Env        string            `json:"env"`         // --env: the env of --data frames
	EnvOpts    map[string]string `json:"env_opts"`    // --env-opt
	Frames     int               `json:"frames"`      // --frames: training frames to collect
	TestFrames int               `json:"test_frames"` // --test-frames: test frames, from other games
	Every      int               `json:"every"`       // --every: keep one observation in this many steps
	Policy     string            `json:"policy"`      // --policy: a DQN or Q-learning run that plays; "" random
}

// Seeds of the frame collections, derived from --seed.
const (
	vaeFramesTrain = 1
	vaeFramesTest  = 2
)

func bindVAE(fs *pflag.FlagSet) trainFunc {
	cfg := vaeConfig{Config: vae.DefaultConfig()}
	var envOpts []string
	fs.IntVar(&cfg.Hidden, "hidden", cfg.Hidden, "units of the encoder's and the decoder's hidden layer")
	fs.IntVar(&cfg.Latent, "latent", cfg.Latent, "latent dimensions Z (2 also draws the latent manifold each epoch)")
	fs.BoolVar(&cfg.Conv, "conv", false, "the convolutional VAE (two stride-2 convolutions, images whose sides are multiples of 4) instead of the MLP")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "Adam's learning rate")
	fs.IntVar(&cfg.Batch, "batch", cfg.Batch, "images per step")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training set")
	fs.IntVar(&cfg.IWSamples, "iw-samples", cfg.IWSamples, "K, samples per test image of the importance-weighted NLL (0: skip it)")
	fs.StringVar(&cfg.Data, "data", "mnist", "mnist, frames (collected from --env), or a folder of the MNIST IDX files")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N images of each split (0: all)")
	fs.StringVar(&cfg.Env, "env", "", "with --data frames: the env whose observations to learn (arcade envs lists them)")
	fs.StringArrayVar(&envOpts, "env-opt", nil, "env option key=value, repeatable")
	fs.IntVar(&cfg.Frames, "frames", 20000, "with --data frames: training frames to collect")
	fs.IntVar(&cfg.TestFrames, "test-frames", 2000, "with --data frames: test frames, collected from games of another seed")
	fs.IntVar(&cfg.Every, "every", 4, "with --data frames: keep the observation of one step in this many")
	fs.StringVar(&cfg.Policy, "policy", "", "with --data frames: the run of a trained agent (arcade train dqn) that plays while frames are collected (default: random actions)")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			if err := loadResumeConfig(t, "vae", &cfg); err != nil {
				return nil, err
			}
		} else {
			opts, err := parseEnvOpts(envOpts)
			if err != nil {
				return nil, t.badInput("%v", err)
			}
			cfg.EnvOpts = opts
		}
		if err := cfg.Config.Check(); err != nil {
			return nil, t.badInput("%v", err)
		}
		switch {
		case cfg.Limit < 0:
			return nil, t.badInput("--limit %d: want 0 (all) or more", cfg.Limit)
		case cfg.Data == "frames" && cfg.Env == "" && cfg.Policy == "":
			return nil, t.badInput("--data frames: which env? --env NAME (or --policy RUN)")
		case cfg.Data != "frames" && (cfg.Env != "" || cfg.Policy != ""):
			return nil, t.badInput("--env and --policy go with --data frames")
		case cfg.Frames < 1 || cfg.TestFrames < 1 || cfg.Every < 1:
			return nil, t.badInput("--frames, --test-frames and --every: want 1 or more")
		}
		return trainVAE(t, cfg)
	}
}

// trainVAE loads or collects the data, opens the run and trains.
func trainVAE(t *trainer, cfg vaeConfig) (any, error) {
	var train, test data.Frames
	subject := "mnist"
	if cfg.Data == "frames" {
		var err error
		if subject, train, test, err = vaeFrames(t.cli, t.Seed, cfg); err != nil {
			return nil, err
		}
	} else {
		dir := cfg.Data
		if dir == "mnist" {
			dir = ""
		}
		tr, te, err := loadMNISTSets(dir, cfg.Limit)
		if err != nil {
			return nil, err
		}
		train, test = tr.AsFrames(), te.AsFrames()
	}
	r, err := openGenerativeRun(t, subject, cfg)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if cfg.Data == "frames" {
		r.Logf("collected %d training and %d test frames of %s (%dx%dx%d), one step in %d, %s",
			train.N, test.N, subject, train.C, train.H, train.W, cfg.Every, map[bool]string{true: "random actions", false: "the policy of " + cfg.Policy}[cfg.Policy == ""])
	}
	job, finish := generativeJob(t, r, "vae "+subject)
	res, err := vae.Train(job, cfg.Config, train, test)
	finish()
	return res, err
}

// vaeFrames collects the training and test frames of --env, played by
// random actions or by the agent of --policy.
func vaeFrames(c *cli, seed uint64, cfg vaeConfig) (string, data.Frames, data.Frames, error) {
	var none data.Frames
	newEnv := func() (envs.Env, error) { return envs.Make(cfg.Env, cfg.EnvOpts) }
	var act data.Actor
	name := cfg.Env
	if cfg.Policy != "" {
		a, err := agents.Load(cfg.Policy, false)
		if err != nil {
			return "", none, none, c.badInput("--policy: %v", err)
		}
		if cfg.Env != "" && cfg.Env != a.Env {
			return "", none, none, c.badInput("--env %s with --policy of an agent trained on %s", cfg.Env, a.Env)
		}
		if len(cfg.EnvOpts) > 0 {
			return "", none, none, c.badInput("--env-opt with --policy: the agent's env keeps its options")
		}
		name, newEnv = a.Env, a.NewEnv
		act = func(obs envs.Obs, rng *rand.Rand) int { return a.Act(obs, rng, a.EvalEpsilon) }
	}
	collect := func(n int, stream uint64) (data.Frames, error) {
		env, err := newEnv()
		if err != nil {
			return none, c.badInput("--env: %v", err)
		}
		a := act
		if a == nil {
			a = data.RandomActor(env.ActionSpace().N)
		}
		f, err := data.CollectFrames(name, env, n, cfg.Every, envs.DeriveSeed(seed, int(stream)), a)
		if err != nil {
			return none, c.badInput("%v", err)
		}
		return f, nil
	}
	train, err := collect(cfg.Frames, vaeFramesTrain)
	if err != nil {
		return "", none, none, err
	}
	test, err := collect(cfg.TestFrames, vaeFramesTest)
	if err != nil {
		return "", none, none, err
	}
	if cfg.Conv && (train.H%4 != 0 || train.W%4 != 0) {
		return "", none, none, c.badInput("--conv: frames of %s are %dx%d; the conv VAE wants sides that are multiples of 4", name, train.H, train.W)
	}
	if !cfg.Conv && train.C*train.H*train.W > 1<<16 {
		return "", none, none, c.badInput("frames of %s have %dx%dx%d values: too many for the MLP VAE; make them smaller (e.g. --env-opt size=42)", name, train.C, train.H, train.W)
	}
	return name, train, test, nil
}
