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

// quickGAN is a short run: the tests add --data with a few hundred MNIST
// images; the LeNet of the evaluation trains for one epoch on them.
var quickGAN = []string{"train", "gan", "--epochs", "1", "--batch", "50", "--classifier-epochs", "1", "--seed", "3", "--quiet"}

func TestTrainGANReportsItsKeys(t *testing.T) {
	mnist := mnistSubset(t, 200)
	for _, arch := range []string{"mlp", "dcgan"} {
		dir := filepath.Join(t.TempDir(), arch)
		args := append(quickGAN, "--arch", arch, "--data", mnist, "--out", dir, "--json")
		if arch == "dcgan" {
			args = append(args, "--width", "4", "--loss", "saturating")
		}
		code, out, errOut := call(args...)
		require.Equal(t, 0, code, "%s: %s", arch, errOut)
		var res map[string]float64
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Len(t, res, 6, arch)
		for _, k := range []string{"fd", "fd_floor", "fd_noised", "fd_blurred", "fd_one_digit", "class_entropy"} {
			require.Contains(t, res, k, arch)
		}
		for _, f := range []string{"model.safetensors", "curves.png", "samples_epoch01.png", "classifier.safetensors", "checkpoint/state.safetensors"} {
			require.FileExists(t, filepath.Join(dir, f), arch)
		}
		rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
		require.NoError(t, err)
		keys := map[string]int{}
		for _, r := range rows {
			keys[r.Key]++
		}
		for _, k := range []string{"losses/d_loss", "losses/g_loss", "charts/d_real", "charts/d_fake"} {
			require.Equal(t, 4, keys[k], "%s: %s logged at each of the 4 steps", arch, k)
		}
		png := filepath.Join(t.TempDir(), "s.png")
		code, out, errOut = call("sample", dir, "--n", "10", "--out", png, "--json")
		require.Equal(t, 0, code, "%s: %s", arch, errOut)
		require.FileExists(t, png)
		if arch == "mlp" { // its classifier serves another run
			code, out, errOut = call(append(quickGAN, "--data", mnist, "--classifier", filepath.Join(dir, "classifier.safetensors"),
				"--out", filepath.Join(t.TempDir(), "again"), "--json")...)
			require.Equal(t, 0, code, errOut)
			var again map[string]float64
			require.NoError(t, json.Unmarshal([]byte(out), &again))
			require.Equal(t, res, again, "the same GAN scored by the same LeNet")
		}
	}
}

func TestTrainGANSameBytesAndResume(t *testing.T) {
	mnist := mnistSubset(t, 100)
	args := append(quickGAN, "--arch", "dcgan", "--width", "4", "--epochs", "2", "--data", mnist)
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

	c := &cli{stdout: os.Stdout, stderr: os.Stderr, cmd: "arcade train gan"}
	trainWithCtx := func(ctx context.Context, args ...string) error {
		var co common
		fs := c.flagSet("[flags]", &co, flagsAll)
		train := bindGAN(fs)
		require.NoError(t, c.parse(fs, args, &co))
		_, err := train(&trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: "gan"})
		return err
	}
	cut := filepath.Join(t.TempDir(), "cut")
	// 2 batches per epoch: stopped before the second batch of epoch 2.
	err := trainWithCtx(&stopAfter{context.Background(), 3}, append(args[2:], "--out", cut)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoError(t, trainWithCtx(context.Background(), "--resume", cut, "--quiet", "--data", mnist))
	require.Equal(t, model(one), model(cut), "interrupted and resumed")
}

func TestTrainGAN1D(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call("train", "gan", "--arch", "1d", "--steps", "1000", "--batch", "32", "--out", dir, "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 2)
	require.Less(t, res["w1"], res["w1_noise"])
	require.FileExists(t, filepath.Join(dir, "map.png"))
	png := filepath.Join(t.TempDir(), "map.png")
	code, _, errOut = call("sample", dir, "--out", png)
	require.Equal(t, 0, code, errOut)
	require.FileExists(t, png)
}

func TestTrainGANBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--arch", "wgan"}, `arch "wgan"`},
		{[]string{"--loss", "hinge"}, `loss "hinge"`},
		{[]string{"--beta1", "1"}, "beta1 1"},
		{[]string{"--batch", "1"}, "batch 1: want 2 or more"},
		{[]string{"--arch", "1d", "--steps", "1500"}, "steps 1500: want a multiple of 1000"},
		{[]string{"--arch", "1d", "--epochs", "3"}, "--epochs does not apply to --arch 1d"},
		{[]string{"--steps", "2000"}, "--steps applies to --arch 1d only"},
		{[]string{"--classifier", "/nonexistent"}, "--classifier"},
	} {
		code, out, errOut := call(append([]string{"train", "gan"}, tc.args...)...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg)
	}
}
