package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// quickVAE is a short run of one epoch with a small model; the tests add
// --data with a few hundred MNIST images.
var quickVAE = []string{"train", "vae", "--epochs", "1", "--batch", "64", "--hidden", "64", "--iw-samples", "5", "--seed", "3", "--quiet"}

func TestTrainVAEReportsItsKeysAndPictures(t *testing.T) {
	mnist := mnistSubset(t, 300)
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call(append(quickVAE, "--data", mnist, "--latent", "2", "--out", dir, "--json")...)
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 3)
	require.Equal(t, 1.0, res["epochs"])
	require.Less(t, res["test_loss_nats"], 543.0, "better than 0.5 everywhere (784 ln 2)")
	require.LessOrEqual(t, res["test_nll_iw_nats"], res["test_loss_nats"])
	for _, f := range []string{"model.safetensors", "curves.png", "samples_epoch01.png", "reconstructions_epoch01.png", "manifold_epoch01.png", "checkpoint/state.safetensors"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	pics := t.TempDir()
	code, out, errOut = call("sample", dir, "--data", mnist, "--out", pics, "--n", "16", "--pairs", "2", "--json")
	require.Equal(t, 0, code, errOut)
	var files picturesResult
	require.NoError(t, json.Unmarshal([]byte(out), &files))
	require.Len(t, files.Files, 3)
	for _, f := range []string{"samples.png", "interpolations.png", "manifold.png"} {
		require.FileExists(t, filepath.Join(pics, f))
	}
	code, _, errOut = call("sample", dir, "--steps", "1")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--steps 2..100")
}

func TestTrainVAEConv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call(append(quickVAE, "--data", mnistSubset(t, 200), "--conv", "--out", dir, "--json")...)
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.LessOrEqual(t, res["test_nll_iw_nats"], res["test_loss_nats"])
	infos, _, err := nets.Inspect(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, "conv1.bias", infos[0].Name)
}

func TestTrainVAEOnFrames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call("train", "vae", "--data", "frames", "--env", "min-breakout", "--frames", "300", "--test-frames", "60",
		"--hidden", "32", "--latent", "4", "--epochs", "2", "--iw-samples", "3", "--out", dir, "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.LessOrEqual(t, res["test_nll_iw_nats"], res["test_loss_nats"])
	require.Less(t, res["test_loss_nats"], 400*0.6931, "better than 0.5 for each of the 4x10x10 values")
	require.FileExists(t, filepath.Join(dir, "samples_epoch02.png"))
	meta, err := run.ReadMeta(dir)
	require.NoError(t, err)
	require.Equal(t, "min-breakout", meta.Subject)

	// Frames played by a trained agent: its env, its options.
	agent := filepath.Join(t.TempDir(), "dqn")
	code, _, errOut = call("train", "dqn", "--env", "catch", "--steps", "300", "--out", agent, "--quiet")
	require.Equal(t, 0, code, errOut)
	dir = filepath.Join(t.TempDir(), "policy")
	code, _, errOut = call("train", "vae", "--data", "frames", "--policy", agent, "--frames", "100", "--test-frames", "20",
		"--hidden", "8", "--latent", "2", "--epochs", "1", "--iw-samples", "2", "--out", dir, "--quiet")
	require.Equal(t, 0, code, errOut)
	meta, err = run.ReadMeta(dir)
	require.NoError(t, err)
	require.Equal(t, "catch", meta.Subject)
	code, _, errOut = call("train", "vae", "--data", "frames", "--policy", agent, "--env", "pong")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--env pong with --policy of an agent trained on catch")
}

func TestTrainVAESameBytesAndResume(t *testing.T) {
	mnist := mnistSubset(t, 200)
	args := append(quickVAE, "--data", mnist, "--epochs", "2")
	model := func(dir string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
		require.NoError(t, err)
		return b
	}
	one, two := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "two")
	code, _, errOut := call(append(args, "--threads", "1", "--out", one)...)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = call(append(args, "--threads", "2", "--out", two)...)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, model(one), model(two), "1 and 2 threads")

	cut := filepath.Join(t.TempDir(), "cut")
	c := &cli{stdout: os.Stdout, stderr: os.Stderr, cmd: "arcade train vae"}
	trainWithCtx := func(ctx context.Context, args ...string) error {
		var co common
		fs := c.flagSet("[flags]", &co, flagsAll)
		train := bindVAE(fs)
		require.NoError(t, c.parse(fs, args, &co))
		_, err := train(&trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: "vae"})
		return err
	}
	// 4 batches per epoch: stopped at the second batch of epoch 2.
	err := trainWithCtx(&stopAfter{context.Background(), 5}, append(args[2:], "--out", cut)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoError(t, trainWithCtx(context.Background(), "--resume", cut, "--quiet", "--data", mnist))
	require.Equal(t, model(one), model(cut), "interrupted and resumed")
}

func TestTrainVAEBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--latent", "0"}, "latent 0"},
		{[]string{"--iw-samples", "-1"}, "iw samples -1"},
		{[]string{"--data", "frames"}, "--data frames: which env?"},
		{[]string{"--env", "pong"}, "--env and --policy go with --data frames"},
		{[]string{"--data", "frames", "--env", "cartpole"}, "frames of cartpole: observations"},
		{[]string{"--data", "frames", "--env", "nosuchgame"}, "--env"},
		{[]string{"--data", "frames", "--env", "catch", "--env-opt", "x"}, "want key=value"},
		{[]string{"--data", "frames", "--env", "catch", "--conv", "--frames", "10", "--test-frames", "10"}, "--conv: frames of catch are 10x5"},
	} {
		code, out, errOut := call(append([]string{"train", "vae"}, tc.args...)...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg)
	}
}
