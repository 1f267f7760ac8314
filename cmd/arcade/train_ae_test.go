package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// quickAE is a short run of one epoch; the tests add --data with 300
// training and 300 test images.
var quickAE = []string{"train", "ae", "--epochs", "1", "--batch", "64", "--seed", "3", "--quiet"}

func TestTrainAEEveryKindReportsItsKeys(t *testing.T) {
	mnist := mnistSubset(t, 300)
	for _, tc := range []struct {
		kind string
		keys []string
	}{
		{"undercomplete", nil},
		{"tied", nil},
		{"overcomplete", []string{"code_activity"}},
		{"sparse", []string{"code_activity"}},
		{"denoising", []string{"noisy_input_bce_nats"}},
		{"contractive", nil},
		{"conv", nil},
		{"stacked", nil},
	} {
		dir := filepath.Join(t.TempDir(), tc.kind)
		code, out, errOut := call(append(quickAE, "--kind", tc.kind, "--pretrain-epochs", "1", "--out", dir, "--json", "--data", mnist)...)
		require.Equal(t, 0, code, "%s: %s", tc.kind, errOut)
		var res map[string]float64
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		want := append([]string{"test_bce_nats", "test_mse", "pca_bce_nats", "pca_mse"}, tc.keys...)
		require.Len(t, res, len(want), "%s: %v", tc.kind, res)
		for _, k := range want {
			require.Contains(t, res, k, tc.kind)
			require.Greater(t, res[k], 0.0, "%s %s", tc.kind, k)
		}
		require.Less(t, res["test_bce_nats"], 543.0, "%s: better than predicting 0.5 everywhere (784 ln 2)", tc.kind)
		for _, f := range []string{"config.json", "metrics.csv", "model.safetensors", "curves.png", "units.png", "weights.png",
			"reconstructions_epoch01.png", "samples_epoch01.png", "checkpoint/state.safetensors"} {
			require.FileExists(t, filepath.Join(dir, f), tc.kind)
		}
		if tc.kind == "undercomplete" || tc.kind == "conv" {
			for _, what := range []string{"units", "weights"} {
				png := filepath.Join(t.TempDir(), what+".png")
				code, out, errOut := call("sample", dir, "--what", what, "--data", mnist, "--out", png, "--json")
				require.Equal(t, 0, code, "%s %s: %s", tc.kind, what, errOut)
				require.JSONEq(t, `{"files":["`+png+`"]}`, out)
				require.FileExists(t, png)
			}
		}
	}
	code, _, errOut := call("sample", filepath.Join(t.TempDir(), "none"))
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
}

func aeModelBytes(t *testing.T, mnist string, args ...string) []byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := call(append(append(quickAE, "--out", dir, "--data", mnist), args...)...)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	return b
}

func TestTrainAESameSeedSameBytes(t *testing.T) {
	mnist := mnistSubset(t, 300)
	one := aeModelBytes(t, mnist, "--kind", "denoising", "--threads", "1")
	require.Equal(t, one, aeModelBytes(t, mnist, "--kind", "denoising", "--threads", "2"), "1 and 2 threads")
	require.NotEqual(t, one, aeModelBytes(t, mnist, "--kind", "denoising", "--seed", "4"), "another seed")
}

// trainAEWith runs arcade train ae with ctx as its interrupt context.
func trainAEWith(t *testing.T, ctx context.Context, args ...string) error {
	t.Helper()
	c := &cli{stdout: os.Stdout, stderr: os.Stderr, cmd: "arcade train ae"}
	var co common
	fs := c.flagSet("[flags]", &co, flagsAll)
	train := bindAE(fs)
	require.NoError(t, c.parse(fs, args, &co))
	_, err := train(&trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: "ae"})
	return err
}

// A stacked run interrupted in its second pretraining phase and resumed
// ends with the bytes of an uninterrupted one.
func TestTrainAEStackedInterruptAndResume(t *testing.T) {
	args := []string{"--kind", "stacked", "--data", mnistSubset(t, 200), "--batch", "50", "--epochs", "1", "--pretrain-epochs", "1",
		"--hidden", "32,16", "--code", "8", "--seed", "5", "--quiet"}
	whole := filepath.Join(t.TempDir(), "whole")
	require.NoError(t, trainAEWith(t, context.Background(), append(args, "--out", whole)...))
	cut := filepath.Join(t.TempDir(), "cut")
	// 4 batches per phase: interrupted at the second batch of layer 2.
	err := trainAEWith(t, &stopAfter{context.Background(), 5}, append(args, "--out", cut)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoFileExists(t, filepath.Join(cut, "model.safetensors"))
	require.NoError(t, trainAEWith(t, context.Background(), "--resume", cut, "--quiet", "--data", args[3]))
	want, err := os.ReadFile(filepath.Join(whole, "model.safetensors"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(cut, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, want, got)
	log, err := os.ReadFile(filepath.Join(cut, "log.txt"))
	require.NoError(t, err)
	require.Contains(t, string(log), "resuming at phase 1, epoch 1, batch 1 (step 5)")
}

func TestTrainAEBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--kind", "variational"}, `--kind: kind "variational"`},
		{[]string{"--code", "0"}, "want 1 or more units each"},
		{[]string{"--kind", "contractive", "--hidden", "64"}, "the contractive penalty is for one sigmoid layer"},
		{[]string{"--noise", "salt"}, `noise "salt"`},
		{[]string{"--noise", "masking", "--noise-level", "1"}, "masking noise level 1"},
		{[]string{"--code-activation", "tanh"}, `code activation "tanh"`},
		{[]string{"--kind", "conv", "--hidden", "64"}, "conv: its layers are fixed"},
		{[]string{"--epochs", "0"}, "epochs 0"},
		{[]string{"--limit", "-1"}, "--limit -1"},
	} {
		code, out, errOut := call(append([]string{"train", "ae"}, tc.args...)...)
		require.Equal(t, 2, code, "%v", tc.args)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg)
	}
}
