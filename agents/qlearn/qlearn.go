// Package qlearn is tabular Q-learning (Watkins 1989) on FrozenLake,
// measured against the optimal policy that value iteration finds on the
// env's own transition table. Train reads top to bottom: config, env,
// table, loop, then the comparison.
package qlearn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/arcadelab/arcade/agents/internal/checkpoint"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Config is arcade train qlearn's configuration: each field is the flag
// of the same name in kebab case (Steps is --steps, EpsStart --eps-start).
type Config struct {
	Env          string            `json:"env"`           // the env: frozenlake
	EnvOpts      map[string]string `json:"env_opts"`      // --env-opt key=value: map, slippery, ...
	Steps        int               `json:"steps"`         // agent steps of training
	Alpha        float64           `json:"alpha"`         // learning rate at the start
	AlphaEnd     float64           `json:"alpha_end"`     // learning rate at the end (linear decay)
	Gamma        float64           `json:"gamma"`         // discount
	EpsStart     float64           `json:"eps_start"`     // exploration rate at the start
	EpsEnd       float64           `json:"eps_end"`       // exploration rate after the decay
	EpsFraction  float64           `json:"eps_fraction"`  // fraction of the steps over which epsilon decays
	EvalEpisodes int               `json:"eval_episodes"` // greedy episodes for each success rate
}

// DefaultConfig returns the settings that reach the optimum within a
// point on Gymnasium's 4x4 and 8x8 slippery maps (see docs/results.md).
func DefaultConfig() Config {
	return Config{Env: "frozenlake", Steps: 20_000_000, Alpha: 0.1, AlphaEnd: 0.001, Gamma: 0.99,
		EpsStart: 1, EpsEnd: 0.2, EpsFraction: 0.5, EvalEpisodes: 10_000}
}

// Validate returns a one-line error naming the first bad field.
func (c Config) Validate() error {
	prob := func(v float64) bool { return v >= 0 && v <= 1 }
	switch {
	case c.Steps < 1:
		return fmt.Errorf("steps %d: want 1 or more", c.Steps)
	case !(c.Alpha > 0 && c.Alpha <= 1) || !(c.AlphaEnd > 0 && c.AlphaEnd <= 1):
		return fmt.Errorf("alpha %v to %v: want learning rates in (0, 1]", c.Alpha, c.AlphaEnd)
	case !prob(c.Gamma):
		return fmt.Errorf("gamma %v: want a discount in [0, 1]", c.Gamma)
	case !prob(c.EpsStart) || !prob(c.EpsEnd) || !prob(c.EpsFraction):
		return fmt.Errorf("eps-start %v, eps-end %v, eps-fraction %v: want values in [0, 1]", c.EpsStart, c.EpsEnd, c.EpsFraction)
	case c.EvalEpisodes < 1:
		return fmt.Errorf("eval-episodes %d: want 1 or more", c.EvalEpisodes)
	}
	env, err := envs.Make(c.Env, c.EnvOpts)
	if err != nil {
		return err
	}
	if _, ok := envs.Unwrap(env).(*envs.FrozenLake); !ok {
		return fmt.Errorf("env %s: tabular Q-learning needs frozenlake, whose transition table value iteration reads", c.Env)
	}
	return nil
}

// Result is what arcade train qlearn prints (DESIGN.md's --json keys):
// the greedy success rates of the learned and the optimal policy over the
// same evaluation episodes, and their number.
type Result struct {
	SuccessRate        float64 `json:"success_rate"`
	OptimalSuccessRate float64 `json:"optimal_success_rate"`
	Episodes           int     `json:"episodes"`
}

// Options are how a run is driven, beside its Config.
type Options struct {
	Seed     uint64        // --seed
	Resume   bool          // continue from the run directory's checkpoint
	Progress *run.Progress // nil: none
	// OnStep, if set, is called after every step with the number of steps
	// taken (tests stop a run at a fixed step by cancelling the context).
	OnStep func(step int)
}

// state is the loop's position, saved in checkpoints.
type state struct {
	checkpoint.Header
	Episodes  int                 `json:"episodes"`   // training episodes ended
	WindowRet float64             `json:"window_ret"` // returns of the episodes ended since the last metric
	WindowLen float64             `json:"window_len"`
	WindowN   int                 `json:"window_n"`
	RNG       []byte              `json:"rng"` // the exploration generator
	Stream    rollout.StreamState `json:"stream"`
}

// streamAct is the exploration generator's stream.
const streamAct = 1

// Train runs Q-learning for cfg.Steps steps in the run r, then evaluates
// the greedy learned policy and the optimal one. On ctx's cancellation it
// saves a checkpoint and returns run.ErrInterrupted.
func Train(ctx context.Context, cfg Config, r *run.Run, opt Options) (Result, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	// Env: FrozenLake, its transition table, games seeded from opt.Seed.
	env, _ := envs.Make(cfg.Env, cfg.EnvOpts)
	lake := envs.Unwrap(env).(*envs.FrozenLake)
	stream := rollout.NewStream(env, opt.Seed)

	// The table, zero, and the exploration generator.
	table := NewTable(lake.NumStates(), env.ActionSpace().N)
	pcg := rand.NewPCG(opt.Seed, streamAct)
	rng := rand.New(pcg)

	var st state
	obs := stream.Reset()
	if opt.Resume {
		var err error
		if obs, err = restore(r.Dir, table, pcg, stream, &st); err != nil {
			return Result{}, err
		}
		r.Logf("resuming at step %d", st.Step)
	} else {
		r.Logf("Q-learning on %s %v: %d states, %d actions, %d steps", cfg.Env, cfg.EnvOpts, table.States(), table.NumActions(), cfg.Steps)
	}

	logEvery := max(1, cfg.Steps/200)
	epsSteps := int(cfg.EpsFraction * float64(cfg.Steps))
	for st.Step < int64(cfg.Steps) {
		if run.Interrupted(ctx) {
			st.Elapsed, st.RNG, st.Stream = r.Elapsed(), checkpoint.PCG(pcg), stream.State()
			if err := save(r, table, st); err != nil {
				return Result{}, err
			}
			r.Logf("interrupted at step %d; checkpoint saved", st.Step)
			return Result{}, run.ErrInterrupted
		}
		t := int(st.Step)
		s := table.stateOf(obs, 0)
		eps := rollout.Linear(cfg.EpsStart, cfg.EpsEnd, epsSteps, t)
		a := rollout.EpsilonGreedy(rng, eps, table.Row(s))

		next, reward, terminated, truncated, info := stream.Step(a)

		// Learn from the step; a truncated episode bootstraps from its real
		// last state.
		alpha := rollout.Linear(cfg.Alpha, cfg.AlphaEnd, cfg.Steps, t)
		table.Update(s, a, reward, table.stateOf(next, 0), terminated, alpha, cfg.Gamma)
		obs = next
		st.Step++

		if terminated || truncated {
			st.Episodes++
			st.WindowRet += info[envs.InfoEpisodeReturn]
			st.WindowLen += info[envs.InfoEpisodeLength]
			st.WindowN++
			obs = stream.Reset()
		}
		if st.Step%int64(logEvery) == 0 {
			if st.WindowN > 0 {
				r.Metric(st.Step, "charts/episodic_return", st.WindowRet/float64(st.WindowN))
				r.Metric(st.Step, "charts/episodic_length", st.WindowLen/float64(st.WindowN))
			}
			r.Metric(st.Step, "charts/epsilon", eps)
			r.Metric(st.Step, "charts/alpha", alpha)
			st.WindowRet, st.WindowLen, st.WindowN = 0, 0, 0
		}
		if opt.Progress != nil && st.Step%1000 == 0 {
			opt.Progress.Set(st.Step, fmt.Sprintf("episodes %d", st.Episodes))
		}
		if opt.OnStep != nil {
			opt.OnStep(int(st.Step))
		}
	}
	if opt.Progress != nil {
		opt.Progress.Finish(st.Step)
	}

	// The optimum: value iteration on the env's own table, gamma as trained.
	qStar, err := ValueIteration(lake.P(), cfg.Gamma, 1e-12)
	if err != nil {
		return Result{}, err
	}
	// Both policies, greedily, on the same evaluation episodes.
	ev := rollout.Config{Env: cfg.Env, EnvOpts: cfg.EnvOpts, Episodes: cfg.EvalEpisodes, Seed: opt.Seed}
	learned, err := rollout.Evaluate(table, ev)
	if err != nil {
		return Result{}, err
	}
	optimal, err := rollout.Evaluate(tableOf(qStar), ev)
	if err != nil {
		return Result{}, err
	}
	res := Result{SuccessRate: successRate(learned), OptimalSuccessRate: successRate(optimal), Episodes: cfg.EvalEpisodes}
	r.Metric(st.Step, "eval/success_rate", res.SuccessRate)
	r.Metric(st.Step, "eval/optimal_success_rate", res.OptimalSuccessRate)
	r.Logf("greedy success over %d episodes: learned %.4f, optimal %.4f (value iteration, gamma %v); %d training episodes, %.1fs",
		cfg.EvalEpisodes, res.SuccessRate, res.OptimalSuccessRate, cfg.Gamma, st.Episodes, time.Since(start).Seconds())
	if err := nets.SaveTensors(r.Path("model.safetensors"), table.Params(), map[string]string{"arcade.experiment": "qlearn"}); err != nil {
		return Result{}, err
	}
	if err := r.Flush(); err != nil {
		return Result{}, err
	}
	return res, run.PlotCurves([]string{r.Dir}, r.Path("curves.png"))
}

// successRate is the fraction of episodes that reached the goal (return 1).
func successRate(res rollout.Result) float64 {
	n := 0
	for _, ret := range res.Returns {
		if ret > 0 {
			n++
		}
	}
	return float64(n) / float64(len(res.Returns))
}

// Checkpoint files.
const tableFile = "q.safetensors"

// save writes the checkpoint: the table and the loop's state.
func save(r *run.Run, table *Table, st state) error {
	if err := r.Flush(); err != nil {
		return err
	}
	return checkpoint.Save(r.Dir, func(dir string) error {
		if err := nets.SaveTensors(filepath.Join(dir, tableFile), table.Params(), nil); err != nil {
			return err
		}
		return checkpoint.WriteJSON(filepath.Join(dir, checkpoint.StateFile), st)
	})
}

// restore loads the checkpoint of the run in runDir and returns the
// observation to act on.
func restore(runDir string, table *Table, pcg *rand.PCG, stream *rollout.Stream, st *state) (envs.Obs, error) {
	dir, err := checkpoint.Find(runDir)
	if err != nil {
		return envs.Obs{}, err
	}
	if _, err := nets.LoadTensors(filepath.Join(dir, tableFile), table.Params()); err != nil {
		return envs.Obs{}, err
	}
	if err := checkpoint.ReadJSON(filepath.Join(dir, checkpoint.StateFile), st); err != nil {
		return envs.Obs{}, err
	}
	if err := checkpoint.SetPCG(pcg, st.RNG, "rng"); err != nil {
		return envs.Obs{}, err
	}
	return stream.Restore(st.Stream)
}
