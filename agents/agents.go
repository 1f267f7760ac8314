package agents

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/agents/dqn"
	"github.com/arcadelab/arcade/agents/qlearn"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/run"
)

// Policy gives Q-values per action for observations as the env gives
// them, one or a batch (see rollout.Policy).
type Policy = rollout.Policy

// Agent is a trained agent loaded from its run directory: its policy, and
// what it was trained on, so that a viewer or an evaluation can build the
// same env.
type Agent struct {
	Policy                        // Q-values per action
	Kind        string            // "dqn" or "qlearn"
	Dir         string            // the run directory
	Weights     string            // the file the policy was loaded from
	Env         string            // the env's registry name
	EnvOpts     map[string]string // its options, as trained
	Seed        uint64            // the run's --seed
	EvalEpsilon float64           // the env's evaluation epsilon (DESIGN.md)
	ActionNames []string          // the env's action names, for display

	q []float32 // Greedy's scratch row
}

// The weights files of a run directory.
const (
	FinalWeights = "model.safetensors"
	BestWeights  = "best.safetensors"
)

// Load returns the agent of the DQN or Q-learning run in runDir, with its
// final weights, or with the best evaluated ones when best is set (DQN
// runs). Errors are one line: not a run directory, a run of another kind
// or of an incompatible arcade version, weights missing or not matching
// the run's network.
func Load(runDir string, best bool) (*Agent, error) {
	meta, err := run.ReadMeta(runDir)
	if err != nil {
		return nil, err
	}
	name := FinalWeights
	if best {
		name = BestWeights
	}
	a := &Agent{Kind: meta.Experiment, Dir: runDir, Weights: filepath.Join(runDir, name), Seed: meta.Seed}
	if _, err := os.Stat(a.Weights); errors.Is(err, os.ErrNotExist) {
		if best {
			return nil, fmt.Errorf("%s has no %s (no evaluation has run yet)", runDir, name)
		}
		return nil, fmt.Errorf("%s has no %s: the run has not finished (continue it with --resume)", runDir, name)
	}
	switch meta.Experiment {
	case "dqn":
		var cfg dqn.Config
		if _, err := run.LoadConfig(runDir, "dqn", &cfg); err != nil {
			return nil, err
		}
		a.Env, a.EnvOpts = cfg.Env, cfg.EnvOpts
		if a.Policy, err = dqn.LoadPolicy(cfg, a.Weights); err != nil {
			return nil, err
		}
	case "qlearn":
		var cfg qlearn.Config
		if _, err := run.LoadConfig(runDir, "qlearn", &cfg); err != nil {
			return nil, err
		}
		if best {
			return nil, fmt.Errorf("%s is a qlearn run: it keeps only its final table (no --best)", runDir)
		}
		a.Env, a.EnvOpts = cfg.Env, cfg.EnvOpts
		if a.Policy, err = qlearn.LoadTable(a.Weights); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%s is a %s run, not an agent's (dqn or qlearn)", runDir, meta.Experiment)
	}
	env, err := a.NewEnv()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", runDir, err)
	}
	if n := env.ActionSpace().N; n != a.NumActions() {
		return nil, fmt.Errorf("%s: %s has %d actions, the weights %d", runDir, a.Env, n, a.NumActions())
	}
	spec, _ := envs.Lookup(a.Env)
	a.EvalEpsilon, a.ActionNames = spec.EvalEpsilon, env.ActionSpace().Names
	a.q = make([]float32, a.NumActions())
	return a, nil
}

// NewEnv returns a fresh copy of the env the agent was trained on (to be
// seeded, then reset).
func (a *Agent) NewEnv() (envs.Env, error) { return envs.Make(a.Env, a.EnvOpts) }

// QRow returns the Q-values of one observation (the Agent's own buffer,
// valid until the next call).
func (a *Agent) QRow(obs envs.Obs) []float32 {
	a.Policy.QValues(obs, a.q)
	return a.q
}

// Greedy returns the action of the largest Q-value of obs.
func (a *Agent) Greedy(obs envs.Obs) int { return rollout.Greedy(a.QRow(obs)) }

// Act returns an epsilon-greedy action for obs, drawing from rng.
func (a *Agent) Act(obs envs.Obs, rng *rand.Rand, epsilon float64) int {
	return rollout.EpsilonGreedy(rng, epsilon, a.QRow(obs))
}
