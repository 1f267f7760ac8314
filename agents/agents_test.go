package agents

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/agents/dqn"
	"github.com/arcadelab/arcade/agents/qlearn"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

func TestLoadDQNAndQLearnRuns(t *testing.T) {
	base := t.TempDir()

	dcfg, _ := dqn.Preset("classic", "catch")
	dcfg.Steps, dcfg.Hidden, dcfg.LearningStarts, dcfg.EvalEpisodes = 300, []int{8}, 50, 2
	ddir := filepath.Join(base, "dqn")
	r, err := run.Create(ddir, run.Meta{Experiment: "dqn", Subject: "catch", Seed: 4}, dcfg, nil)
	require.NoError(t, err)
	_, err = dqn.Train(context.Background(), dcfg, r, dqn.Options{Seed: 4})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	qcfg := qlearn.DefaultConfig()
	qcfg.Steps, qcfg.EvalEpisodes, qcfg.EnvOpts = 5000, 10, map[string]string{"obs": "index"}
	qdir := filepath.Join(base, "qlearn")
	r, err = run.Create(qdir, run.Meta{Experiment: "qlearn", Subject: "frozenlake", Seed: 5}, qcfg, nil)
	require.NoError(t, err)
	_, err = qlearn.Train(context.Background(), qcfg, r, qlearn.Options{Seed: 5})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	for _, tc := range []struct {
		dir, kind, env string
		best           bool
		seed           uint64
		eps            float64
		actions        []string
	}{
		{ddir, "dqn", "catch", false, 4, 0.05, []string{"NOOP", "LEFT", "RIGHT"}},
		{ddir, "dqn", "catch", true, 4, 0.05, []string{"NOOP", "LEFT", "RIGHT"}},
		{qdir, "qlearn", "frozenlake", false, 5, 0, []string{"LEFT", "DOWN", "RIGHT", "UP"}},
	} {
		a, err := Load(tc.dir, tc.best)
		require.NoError(t, err)
		require.Equal(t, tc.kind, a.Kind)
		require.Equal(t, tc.env, a.Env)
		require.Equal(t, tc.seed, a.Seed)
		require.Equal(t, tc.eps, a.EvalEpsilon)
		require.Equal(t, tc.actions, a.ActionNames)
		env, err := a.NewEnv()
		require.NoError(t, err)
		env.Seed(rollout.EvalSeed(a.Seed, 0))
		obs, _ := env.Reset()
		q := a.QRow(obs)
		require.Len(t, q, len(tc.actions))
		require.Equal(t, rollout.Greedy(q), a.Greedy(obs))
		require.Equal(t, a.Greedy(obs), a.Act(obs, rand.New(rand.NewPCG(1, 1)), 0))
	}

	_, err = Load(qdir, true)
	require.ErrorContains(t, err, "no best.safetensors")
	require.NoError(t, os.Remove(filepath.Join(ddir, "model.safetensors")))
	_, err = Load(ddir, false)
	require.ErrorContains(t, err, "has not finished")
	_, err = Load(base, false)
	require.ErrorContains(t, err, "not a run directory")
}
