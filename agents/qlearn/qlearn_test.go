package qlearn

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/agents/internal/checkpoint"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// A two-state MDP by hand, gamma 0.9: in state 0, action 0 ends the
// episode with reward 1 and action 1 moves to state 1 with reward 0; in
// state 1 either action ends it with reward 2. So Q*(1, .) = 2,
// Q*(0, 0) = 1 and Q*(0, 1) = 0 + 0.9*2 = 1.8.
func TestValueIterationByHand(t *testing.T) {
	p := [][][]envs.Transition{
		{{{Prob: 1, Next: 0, Reward: 1, Terminated: true}}, {{Prob: 1, Next: 1, Reward: 0}}},
		{{{Prob: 1, Next: 1, Reward: 2, Terminated: true}}, {{Prob: 1, Next: 1, Reward: 2, Terminated: true}}},
	}
	q, err := ValueIteration(p, 0.9, 1e-12)
	require.NoError(t, err)
	require.InDeltaSlice(t, []float64{1, 1.8}, q[0], 1e-12)
	require.InDeltaSlice(t, []float64{2, 2}, q[1], 1e-12)
}

// On the non-slippery 4x4 lake the goal is six moves from the start, and
// only the sixth move is rewarded: V*(start) = 0.99^5, reached by DOWN or
// RIGHT; LEFT stays put, one step lost: 0.99^6.
func TestValueIterationOnFrozenLake(t *testing.T) {
	q, err := ValueIteration(envs.NewFrozenLake("4x4", false, false).P(), 0.99, 1e-12)
	require.NoError(t, err)
	require.InDelta(t, math.Pow(0.99, 5), q[0][1], 1e-9, "DOWN")
	require.InDelta(t, math.Pow(0.99, 5), q[0][2], 1e-9, "RIGHT")
	require.InDelta(t, math.Pow(0.99, 6), q[0][0], 1e-9, "LEFT")
	_, err = ValueIteration([][][]envs.Transition{{{{Prob: 1, Next: 0}}}}, 1, 1e-12)
	require.NoError(t, err, "a zero-reward loop converges at once")
}

// Q-learning's update by hand, alpha 0.5, gamma 0.9, Q(s2) = [2 4]:
// bootstrapping, Q(0,1) = 0 + 0.5 (1 + 0.9*4 - 0) = 2.3; from a terminal
// s2, Q(0,0) = 0 + 0.5 (1 - 0) = 0.5.
func TestUpdateByHand(t *testing.T) {
	tab := NewTable(2, 2)
	copy(tab.Row(1), []float32{2, 4})
	tab.Update(0, 1, 1, 1, false, 0.5, 0.9)
	require.InDelta(t, 2.3, tab.Row(0)[1], 1e-6)
	tab.Update(0, 0, 1, 1, true, 0.5, 0.9)
	require.InDelta(t, 0.5, tab.Row(0)[0], 1e-6)
}

func TestTableQValuesOfIndexAndOneHot(t *testing.T) {
	tab := NewTable(3, 2)
	copy(tab.Q.Data, []float32{0, 1, 2, 3, 4, 5})
	q := make([]float32, 4)
	tab.QValues(envs.Obs{Shape: []int{2, 1}, U8: []uint8{2, 0}}, q)
	require.Equal(t, []float32{4, 5, 0, 1}, q)
	tab.QValues(envs.Obs{Shape: []int{2, 3}, F32: []float32{0, 1, 0, 1, 0, 0}}, q)
	require.Equal(t, []float32{2, 3, 0, 1}, q)
}

func quick() Config {
	cfg := DefaultConfig()
	cfg.Steps, cfg.EvalEpisodes = 30_000, 200
	return cfg
}

// trainRun trains cfg in dir, stopping after step stopAt (0: never) and
// resuming.
func trainRun(t *testing.T, dir string, cfg Config, stopAt int) Result {
	t.Helper()
	r, err := run.Create(dir, run.Meta{Experiment: "qlearn", Subject: cfg.Env, Seed: 3}, cfg, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Train(ctx, cfg, r, Options{Seed: 3, OnStep: func(step int) {
		if step == stopAt {
			cancel()
		}
	}})
	require.NoError(t, r.Close())
	if stopAt == 0 {
		require.NoError(t, err)
		return res
	}
	require.ErrorIs(t, err, run.ErrInterrupted)
	h, err := checkpoint.ReadHeader(dir)
	require.NoError(t, err)
	require.EqualValues(t, stopAt, h.Step)
	r, err = run.Open(dir, h.Step, h.Elapsed, nil)
	require.NoError(t, err)
	res, err = Train(context.Background(), cfg, r, Options{Seed: 3, Resume: true})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	return res
}

func TestStopAndResumeGivesTheSameTable(t *testing.T) {
	base := t.TempDir()
	whole := trainRun(t, filepath.Join(base, "whole"), quick(), 0)
	stopped := trainRun(t, filepath.Join(base, "stopped"), quick(), 12_345)
	require.Equal(t, whole, stopped)
	a, err := os.ReadFile(filepath.Join(base, "whole", "model.safetensors"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(base, "stopped", "model.safetensors"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(a, b))
	require.Equal(t, 200, whole.Episodes)
	require.Greater(t, whole.OptimalSuccessRate, 0.6, "the optimum on 4x4 slippery succeeds about 74% of the time")

	tab, err := LoadTable(filepath.Join(base, "whole", "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, 16, tab.States())
	require.Equal(t, 4, tab.NumActions())
}

func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		edit func(c *Config)
		msg  string
	}{
		{func(c *Config) { c.Gamma = 1.5 }, "gamma 1.5"},
		{func(c *Config) { c.Env = "cartpole" }, "needs frozenlake"},
		{func(c *Config) { c.Env = "nope" }, `unknown env "nope"`},
		{func(c *Config) { c.EnvOpts = map[string]string{"map": "5x5"} }, "map"},
		{func(c *Config) { c.Alpha = 0 }, "alpha"},
		{func(c *Config) { c.Steps = 0 }, "steps 0"},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		err := cfg.Validate()
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.msg)
	}
}
