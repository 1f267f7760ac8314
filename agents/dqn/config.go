package dqn

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/arcadelab/arcade/envs"
)

// Config is arcade train dqn's configuration: each field is the flag of
// the same name in kebab case (BufferSize is --buffer-size,
// TargetUpdate --target-update), and the JSON key in config.json.
type Config struct {
	Env     string            `json:"env"`      // --env: the registry name
	EnvOpts map[string]string `json:"env_opts"` // --env-opt key=value
	Preset  string            `json:"preset"`   // --preset: where the defaults below come from
	Steps   int               `json:"steps"`    // --steps: agent steps (pixel games: 4 frames each)

	// The Q-network.
	Net     string `json:"net"`     // mlp, nature or minatar
	Hidden  []int  `json:"hidden"`  // the MLP's hidden sizes; the last one is the head's
	Dueling bool   `json:"dueling"` // V + A - mean(A) heads (Wang et al. 2016)
	// Atoms > 0 makes the head distributional (C51, Bellemare et al.
	// 2017): each action's returns as probabilities of Atoms values spaced
	// evenly on [VMin, VMax], learned with C51's cross-entropy loss in
	// place of Loss. 0: one Q-value per action.
	Atoms int     `json:"atoms"`
	VMin  float64 `json:"v_min"`
	VMax  float64 `json:"v_max"`

	// The update.
	Optimizer     string  `json:"optimizer"`      // adam, rmsprop (the DQN paper's) or torch-rmsprop (MinAtar's)
	LR            float64 `json:"lr"`             // learning rate
	LRDecay       bool    `json:"lr_decay"`       // anneal the learning rate linearly to 0 over the steps
	AdamEps       float64 `json:"adam_eps"`       // Adam's epsilon; 0: PyTorch's default, 1e-8
	Batch         int     `json:"batch"`          // transitions per update
	Gamma         float64 `json:"gamma"`          // discount
	Loss          string  `json:"loss"`           // huber (delta 1: the paper's error clipping) or mse
	GradClip      float64 `json:"grad_clip"`      // the gradients' largest global L2 norm; 0 for none
	Double        bool    `json:"double"`         // Double DQN targets (van Hasselt et al. 2016)
	BootstrapEps  float64 `json:"bootstrap_eps"`  // targets value s' under epsilon-greedy at this epsilon (expected SARSA); 0: max, as Q-learning
	TargetUpdate  int     `json:"target_update"`  // steps between target-network updates
	Tau           float64 `json:"tau"`            // each target update: Q' = tau Q + (1-tau) Q'; 1 copies
	TrainFreq     int     `json:"train_freq"`     // steps between training rounds
	GradientSteps int     `json:"gradient_steps"` // updates per training round (Stable-Baselines3's gradient_steps)

	// MunchausenAlpha > 0 makes the targets Munchausen DQN's (Vieillard
	// et al. 2020): alpha times the target network's clipped
	// tau-log-policy of the action taken added to the reward, and the
	// soft value of s' at temperature MunchausenTau in place of the max
	// (see MunchausenTargets). Their values: 0.9 and 0.03.
	MunchausenAlpha float64 `json:"munchausen_alpha"`
	MunchausenTau   float64 `json:"munchausen_tau"`

	// Experience replay.
	BufferSize     int     `json:"buffer_size"`     // slots of the replay ring (one per step, plus one per episode)
	LearningStarts int     `json:"learning_starts"` // steps before the first update
	NStep          int     `json:"n_step"`          // n of the n-step return
	Prioritized    bool    `json:"prioritized"`     // proportional prioritized replay (Schaul et al. 2016)
	PrioAlpha      float64 `json:"prio_alpha"`      // priority exponent
	PrioBeta       float64 `json:"prio_beta"`       // importance-sampling exponent at the start, annealed to 1
	Augment        int     `json:"augment"`         // shift each sampled frame stack by up to this many pixels each way (DrQ); 0: none

	// Exploration: epsilon moves linearly from EpsStart to EpsEnd over
	// the first EpsFraction of the steps.
	EpsStart    float64 `json:"eps_start"`
	EpsEnd      float64 `json:"eps_end"`
	EpsFraction float64 `json:"eps_fraction"`

	// Evaluation and checkpoints.
	EvalEvery       int `json:"eval_every"`       // steps between evaluations; 0: only at the end
	EvalEpisodes    int `json:"eval_episodes"`    // episodes of each evaluation
	CheckpointEvery int `json:"checkpoint_every"` // steps between checkpoints; 0: only on Ctrl-C
}

// Presets lists the --preset names.
func Presets() []string {
	names := make([]string, 0, len(presets))
	for name := range presets {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// presets are the sets of defaults --preset picks. Steps and the env are
// not part of a preset; evaluation and checkpoint intervals are.
var presets = map[string]Config{
	// classic: vector and small-grid envs (CartPole, Catch, FrozenLake,
	// Snake): Stable-Baselines3's tuned CartPole DQN (rl-baselines3-zoo:
	// an MLP of 256-256, batch 64, 128 updates every 256 steps against a
	// target copied every 10 steps, epsilon to 0.04 over 16% of the run)
	// with Adam at 7e-4 annealed to 0 instead of 2.3e-3, which keeps the
	// final policy where the best one was (docs/results.md).
	"classic": {
		Net: "mlp", Hidden: []int{256, 256}, Optimizer: "adam", LR: 7e-4, LRDecay: true, Batch: 64, Gamma: 0.99,
		Loss: "huber", GradClip: 10, TargetUpdate: 10, Tau: 1, TrainFreq: 256, GradientSteps: 128,
		BufferSize: 100_000, LearningStarts: 1_000, NStep: 1, PrioAlpha: 0.6, PrioBeta: 0.4,
		VMin: -10, VMax: 10,
		EpsStart: 1, EpsEnd: 0.04, EpsFraction: 0.16,
		EvalEvery: 5_000, EvalEpisodes: 10, CheckpointEvery: 10_000,
	},
	// nature: Mnih et al. 2015 (Extended Data Table 1) in agent steps: the
	// Nature conv net, centered RMSProp at 0.00025, batch 32, Huber loss
	// (their error clipping), a hard target copy every 10,000 steps, one
	// update every 4 steps after 50,000, a million-slot buffer, epsilon
	// from 1 to 0.1 over a million frames (250,000 steps).
	"nature": {
		Net: "nature", Optimizer: "rmsprop", LR: 0.00025, Batch: 32, Gamma: 0.99,
		Loss: "huber", TargetUpdate: 10_000, Tau: 1, TrainFreq: 4, GradientSteps: 1,
		BufferSize: 1_000_000, LearningStarts: 50_000, NStep: 1, PrioAlpha: 0.6, PrioBeta: 0.4,
		VMin: -10, VMax: 10,
		EpsStart: 1, EpsEnd: 0.1, EpsFraction: 0.25,
		EvalEvery: 100_000, EvalEpisodes: 10, CheckpointEvery: 100_000,
	},
	// minatar: Young and Tian 2019's DQN for the MinAtar games: the small
	// conv net, PyTorch's centered RMSprop at 0.00025 (their alpha 0.95,
	// eps 0.01 added outside the root, which they used),
	// batch 32, Huber loss, a hard target copy every 1,000 steps, one
	// update per step after 5,000, a 100,000-slot buffer, epsilon from 1
	// to 0.1 over 100,000 steps (a tenth of a million-step run).
	"minatar": {
		Net: "minatar", Optimizer: "torch-rmsprop", LR: 0.00025, Batch: 32, Gamma: 0.99,
		Loss: "huber", TargetUpdate: 1_000, Tau: 1, TrainFreq: 1, GradientSteps: 1,
		BufferSize: 100_000, LearningStarts: 5_000, NStep: 1, PrioAlpha: 0.6, PrioBeta: 0.4,
		VMin: -10, VMax: 10,
		EpsStart: 1, EpsEnd: 0.1, EpsFraction: 0.1,
		EvalEvery: 100_000, EvalEpisodes: 10, CheckpointEvery: 100_000,
	},
	// minatar-adam: the minatar preset's schedule with the optimizer most
	// DQNs use now, Adam at 1e-4 with the gradient norm clipped at 10
	// (Stable-Baselines3's DQN defaults), and epsilon to 0.01: rainbow-lite
	// without its Double, Dueling, prioritized and 3-step parts, which on
	// the grids together cost more than they give at a million steps. It
	// is the min-* games' default; docs/results.md has the measurements.
	"minatar-adam": {
		Net: "minatar", Optimizer: "adam", LR: 1e-4, Batch: 32, Gamma: 0.99, Loss: "huber", GradClip: 10,
		TargetUpdate: 1_000, Tau: 1, TrainFreq: 1, GradientSteps: 1,
		BufferSize: 100_000, LearningStarts: 5_000, NStep: 1, PrioAlpha: 0.5, PrioBeta: 0.4,
		VMin: -10, VMax: 10,
		EpsStart: 1, EpsEnd: 0.01, EpsFraction: 0.1,
		EvalEvery: 100_000, EvalEpisodes: 10, CheckpointEvery: 100_000,
	},
	// rainbow-lite: the parts of Rainbow (Hessel et al. 2018) that need
	// no distributional head or noisy layers: Double, Dueling,
	// prioritized replay and 3-step returns, with Adam at 1e-4 (eps
	// 1.5e-4 in the paper; PyTorch's default 1e-8 here), an update every
	// step and a target copied every 1,000 as MinAtar's agents do,
	// epsilon to 0.01 over a tenth of the run. On the pixel games
	// (pixelRainbow) a schedule after the Rainbow paper's Atari one
	// instead. The net follows the observation.
	"rainbow-lite": {
		Optimizer: "adam", LR: 1e-4, Batch: 32, Gamma: 0.99, Loss: "huber", GradClip: 10,
		Double: true, Dueling: true, TargetUpdate: 1_000, Tau: 1, TrainFreq: 1, GradientSteps: 1,
		BufferSize: 100_000, LearningStarts: 5_000, NStep: 3, Prioritized: true, PrioAlpha: 0.5, PrioBeta: 0.4,
		VMin: -10, VMax: 10,
		EpsStart: 1, EpsEnd: 0.01, EpsFraction: 0.1,
		EvalEvery: 100_000, EvalEpisodes: 10, CheckpointEvery: 100_000,
	},
}

// pixelRainbow is rainbow-lite on the pixel games, in agent steps of 4
// frames, after Hessel et al. 2018 (Table 1): an update every 4 steps,
// learning from step 20,000 (80,000 frames), a million slots, epsilon to
// 0.01 over an eighth of the run (62,500 steps of a 500,000-step run:
// 250,000 frames). The target is copied every 2,000 steps (8,000 frames),
// a quarter of the paper's period of 32,000 frames, for a budget of 2
// million frames rather than the paper's 200 million.
func pixelRainbow(c *Config) {
	c.TrainFreq, c.TargetUpdate, c.LearningStarts, c.BufferSize, c.EpsFraction = 4, 2_000, 20_000, 1_000_000, 0.125
}

// pixelGame reports whether env is one of the games played from pixels.
func pixelGame(env string) bool { return env == "pong" || env == "breakout" }

// DefaultPreset returns the preset an env trains with unless --preset
// says otherwise: classic for the vector and small-grid envs,
// minatar-adam for the MinAtar-rule games, rainbow-lite for the pixel
// games (the paper's nature schedule barely starts to learn Pong in
// 500,000 steps).
func DefaultPreset(env string) string {
	switch {
	case strings.HasPrefix(env, "min-"):
		return "minatar-adam"
	case pixelGame(env):
		return "rainbow-lite"
	}
	return "classic"
}

// DefaultSteps returns the --steps an env trains for by default: the
// budgets of docs/results.md (CartPole 50,000, Catch 20,000, the
// MinAtar-rule games 1,000,000, the pixel games 500,000; 100,000 for the
// others).
func DefaultSteps(env string) int {
	switch {
	case env == "cartpole":
		return 50_000
	case env == "catch":
		return 20_000
	case strings.HasPrefix(env, "min-"):
		return 1_000_000
	case pixelGame(env):
		return 500_000
	}
	return 100_000
}

// Preset returns the defaults of the preset called name for env (the env,
// the preset and its options filled in, Steps zero), or false for an
// unknown name. A preset whose Net is empty takes the one that suits the
// env's observations (Auto).
func Preset(name, env string) (Config, bool) {
	c, ok := presets[name]
	if !ok {
		return Config{}, false
	}
	c.Env, c.Preset, c.EnvOpts = env, name, map[string]string{}
	c.MunchausenTau = 0.03 // the paper's, with any preset; MunchausenAlpha 0 leaves it unused
	c.Hidden = slices.Clone(c.Hidden)
	if name == "rainbow-lite" && pixelGame(env) {
		pixelRainbow(&c)
	}
	return c, true
}

// AutoNet returns the network that suits observations of shape: the
// Nature conv net for stacks of large frames [C, H, W] (H, W >= 36), the
// MinAtar conv net for small grids [C, H, W], an MLP otherwise.
func AutoNet(shape []int) string {
	switch {
	case len(shape) == 3 && shape[1] >= 36 && shape[2] >= 36:
		return "nature"
	case len(shape) == 3:
		return "minatar"
	}
	return "mlp"
}

// Validate returns a one-line error naming the first field out of range,
// an unknown name, or an env that Make refuses.
func (c Config) Validate() error {
	prob := func(v float64) bool { return v >= 0 && v <= 1 }
	switch {
	case c.Steps < 1:
		return fmt.Errorf("steps %d: want 1 or more", c.Steps)
	case !slices.Contains([]string{"mlp", "nature", "minatar"}, c.Net):
		return fmt.Errorf("net %q: want mlp, nature or minatar", c.Net)
	case c.Net == "mlp" && (len(c.Hidden) == 0 || slices.ContainsFunc(c.Hidden, func(h int) bool { return h < 1 || h > 1<<16 })):
		return fmt.Errorf("hidden %v: want one or more layer sizes from 1 to 65536", c.Hidden)
	case !slices.Contains([]string{"adam", "rmsprop", "torch-rmsprop"}, c.Optimizer):
		return fmt.Errorf("optimizer %q: want adam, rmsprop or torch-rmsprop", c.Optimizer)
	case !(c.LR > 0 && c.LR < 1):
		return fmt.Errorf("lr %v: want a learning rate in (0, 1)", c.LR)
	case !(c.AdamEps >= 0 && c.AdamEps <= 1):
		return fmt.Errorf("adam-eps %v: want a value in [0, 1] (0: 1e-8)", c.AdamEps)
	case c.Batch < 1 || c.Batch > 1<<16:
		return fmt.Errorf("batch %d: want 1 to 65536", c.Batch)
	case !prob(c.Gamma):
		return fmt.Errorf("gamma %v: want a discount in [0, 1]", c.Gamma)
	case c.Loss != "huber" && c.Loss != "mse":
		return fmt.Errorf("loss %q: want huber or mse", c.Loss)
	case !(c.GradClip >= 0):
		return fmt.Errorf("grad-clip %v: want 0 (none) or a positive norm", c.GradClip)
	case c.TargetUpdate < 1:
		return fmt.Errorf("target-update %d: want 1 or more steps", c.TargetUpdate)
	case !(c.Tau > 0 && c.Tau <= 1):
		return fmt.Errorf("tau %v: want a value in (0, 1]", c.Tau)
	case c.TrainFreq < 1:
		return fmt.Errorf("train-freq %d: want 1 or more steps", c.TrainFreq)
	case c.GradientSteps < 1:
		return fmt.Errorf("gradient-steps %d: want 1 or more updates", c.GradientSteps)
	case c.BufferSize < 1:
		return fmt.Errorf("buffer-size %d: want a positive number of slots", c.BufferSize)
	case c.LearningStarts < 0:
		return fmt.Errorf("learning-starts %d: want 0 or more", c.LearningStarts)
	case c.NStep < 1 || c.NStep > 64:
		return fmt.Errorf("n-step %d: want 1 to 64", c.NStep)
	case !prob(c.PrioAlpha) || !prob(c.PrioBeta):
		return fmt.Errorf("prio-alpha %v, prio-beta %v: want values in [0, 1]", c.PrioAlpha, c.PrioBeta)
	case !prob(c.EpsStart) || !prob(c.EpsEnd) || !prob(c.EpsFraction):
		return fmt.Errorf("eps-start %v, eps-end %v, eps-fraction %v: want values in [0, 1]", c.EpsStart, c.EpsEnd, c.EpsFraction)
	case !prob(c.BootstrapEps):
		return fmt.Errorf("bootstrap-eps %v: want a value in [0, 1]", c.BootstrapEps)
	case !prob(c.MunchausenAlpha):
		return fmt.Errorf("munchausen-alpha %v: want a value in [0, 1]", c.MunchausenAlpha)
	case c.MunchausenAlpha > 0 && !(c.MunchausenTau > 0 && c.MunchausenTau <= 100):
		return fmt.Errorf("munchausen-tau %v: want a temperature in (0, 100]", c.MunchausenTau)
	case c.MunchausenAlpha > 0 && (c.Double || c.BootstrapEps > 0 || c.Atoms > 0):
		return fmt.Errorf("munchausen-alpha %v: Munchausen's soft targets replace --double, --bootstrap-eps and --atoms; turn those off (--double=false)", c.MunchausenAlpha)
	case c.Augment < 0 || c.Augment > 16:
		return fmt.Errorf("augment %d: want 0 (none) to 16 pixels", c.Augment)
	case c.Atoms < 0 || c.Atoms == 1 || c.Atoms > 1024:
		return fmt.Errorf("atoms %d: want 0 (one Q-value per action) or 2 to 1024", c.Atoms)
	case c.Atoms > 0 && !(c.VMin < c.VMax && c.VMax-c.VMin < math.MaxFloat32):
		return fmt.Errorf("v-min %v, v-max %v: want a finite range with v-min < v-max", c.VMin, c.VMax)
	case c.EvalEvery < 0 || c.CheckpointEvery < 0:
		return fmt.Errorf("eval-every %d, checkpoint-every %d: want 0 (off) or a number of steps", c.EvalEvery, c.CheckpointEvery)
	case c.EvalEpisodes < 1:
		return fmt.Errorf("eval-episodes %d: want 1 or more", c.EvalEpisodes)
	}
	env, err := envs.Make(c.Env, c.EnvOpts)
	if err != nil {
		return err
	}
	if _, err := bufferConfig(c, env); err != nil {
		return err
	}
	if shape := env.ObservationSpace().Shape; c.Augment > 0 && len(shape) != 3 {
		return fmt.Errorf("augment %d: %s's observations %v are not images [C, H, W] to shift", c.Augment, c.Env, shape)
	}
	return checkNet(c, env.ObservationSpace().Shape)
}
