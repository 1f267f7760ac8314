package dqn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/agents/internal/checkpoint"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// quick is a run of a few hundred steps with every option on, so that
// every piece of state (prioritized n-step replay, Double and Dueling
// nets, Adam's moments, soft target updates, evaluations) must survive a
// checkpoint.
func quick(env string) Config {
	cfg, _ := Preset("classic", env)
	cfg.Steps, cfg.Hidden, cfg.Batch, cfg.BufferSize, cfg.LearningStarts = 400, []int{16, 16}, 8, 300, 50
	cfg.Dueling, cfg.Prioritized, cfg.NStep, cfg.TrainFreq, cfg.GradientSteps, cfg.TargetUpdate, cfg.Tau = true, true, 3, 4, 2, 5, 0.5
	cfg.Double = true
	cfg.EvalEvery, cfg.EvalEpisodes, cfg.CheckpointEvery = 200, 3, 200
	return cfg
}

// train runs cfg in a fresh run directory under dir, stopping after step
// stopAt (0: never) as Ctrl-C would, and resuming from the checkpoint.
func train(t *testing.T, dir string, cfg Config, stopAt int) {
	t.Helper()
	r, err := run.Create(dir, run.Meta{Experiment: "dqn", Subject: cfg.Env, Seed: 7}, cfg, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := Options{Seed: 7, OnStep: func(step int) {
		if step == stopAt {
			cancel()
		}
	}}
	_, err = Train(ctx, cfg, r, opt)
	require.NoError(t, r.Close())
	if stopAt == 0 {
		require.NoError(t, err)
		return
	}
	require.ErrorIs(t, err, run.ErrInterrupted)
	h, err := checkpoint.ReadHeader(dir)
	require.NoError(t, err)
	require.EqualValues(t, stopAt, h.Step)
	r, err = run.Open(dir, h.Step, h.Elapsed, nil)
	require.NoError(t, err)
	_, err = Train(context.Background(), cfg, r, Options{Seed: 7, Resume: true})
	require.NoError(t, err)
	require.NoError(t, r.Close())
}

// outputs returns what a run leaves that must not depend on how it was
// run: the weights, the checkpoint (state.json without its wall clock)
// and the metrics without the wall-clock column and the speed.
func outputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{"model.safetensors", "best.safetensors", "checkpoint/online.safetensors",
		"checkpoint/target.safetensors", "checkpoint/replay.bin"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		out[f] = b
	}
	var st map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "checkpoint", checkpoint.StateFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &st))
	delete(st, "elapsed_s")
	out["state"], _ = json.Marshal(st)
	rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	var m bytes.Buffer
	for _, r := range rows {
		if r.Key != "charts/SPS" {
			fmt.Fprintf(&m, "%s %d %v\n", r.Key, r.Step, r.Value)
		}
	}
	out["metrics"] = m.Bytes()
	return out
}

func TestStopAndResumeGivesTheSameBytes(t *testing.T) {
	for _, name := range []string{"catch", "cartpole", "min-breakout", "catch c51", "cartpole munchausen"} {
		env, variant, _ := strings.Cut(name, " ")
		cfg := quick(env)
		if env == "min-breakout" {
			cfg.Net, cfg.Augment = "minatar", 1 // the conv torso, and shifts drawn from the sampling generator
		}
		switch variant {
		case "c51":
			cfg.Atoms, cfg.VMin, cfg.VMax = 11, -1, 1 // the distributional head and update
		case "munchausen":
			cfg.MunchausenAlpha, cfg.Double = 0.9, false // the target net on s as well as s'
		}
		base := t.TempDir()
		train(t, filepath.Join(base, "whole"), cfg, 0)
		train(t, filepath.Join(base, "stopped"), cfg, 233)
		whole, stopped := outputs(t, filepath.Join(base, "whole")), outputs(t, filepath.Join(base, "stopped"))
		for k, v := range whole {
			require.True(t, bytes.Equal(v, stopped[k]), "%s: %s differs after a stop at step 233 and a resume", name, k)
		}
		require.Contains(t, string(whole["metrics"]), "eval/mean_return 400 ")
	}
}

func TestSameBytesAtOneAndTwoThreads(t *testing.T) {
	prevMin, prevGrain := nets.SetParallel(64, 32) // the parallel kernels even on these small tensors
	defer nets.SetParallel(prevMin, prevGrain)
	defer par.SetThreads(par.SetThreads(1))
	cfg := quick("catch")
	base := t.TempDir()
	train(t, filepath.Join(base, "one"), cfg, 0)
	par.SetThreads(2)
	train(t, filepath.Join(base, "two"), cfg, 0)
	one, two := outputs(t, filepath.Join(base, "one")), outputs(t, filepath.Join(base, "two"))
	for k, v := range one {
		require.True(t, bytes.Equal(v, two[k]), "%s differs between 1 and 2 threads", k)
	}
}
