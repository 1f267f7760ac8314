package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/stretchr/testify/require"
)

func TestTrainMNISTConvModels(t *testing.T) {
	for _, m := range []string{"lenet", "resnet", "alexnet", "vgg", "inception"} {
		dir := filepath.Join(t.TempDir(), m)
		code, out, errOut := call("train", "mnist", "--model", m, "--limit", "200", "--epochs", "1", "--json", "--quiet", "--out", dir)
		require.Equal(t, 0, code, "%s: %s", m, errOut)
		var res mnistResult
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Equal(t, 1, res.Epochs)
		var cfg mnistConfig
		_, err := run.LoadConfig(dir, "mnist", &cfg)
		require.NoError(t, err)
		require.Equal(t, mnistDefaults[m].dropout, cfg.Dropout, "%s: the model's dropout", m)
		infos, meta, err := nets.Inspect(filepath.Join(dir, "model.safetensors"))
		require.NoError(t, err)
		require.Equal(t, m, meta["arcade.model"])
		if m == "resnet" || m == "vgg" { // the batch norms' running statistics are saved with the weights
			var names []string
			for _, i := range infos {
				names = append(names, i.Name)
			}
			require.Contains(t, names, map[string]string{"resnet": "stem_bn.running_mean", "vgg": "bn5_3.running_var"}[m])
		}
	}
	code, _, errOut := call("train", "mnist", "--model", "lenet5", "--quiet")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `--model "lenet5": want mlp, lenet, resnet, alexnet, vgg or inception`)
}

func TestTrainMNISTLeNetLoadsForItsFeatures(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lenet")
	code, _, errOut := call("train", "mnist", "--model", "lenet", "--limit", "200", "--epochs", "1", "--quiet", "--out", dir)
	require.Equal(t, 0, code, errOut)
	m, err := models.LoadLeNet(dir)
	require.NoError(t, err)
	require.Equal(t, []int{2, models.LeNetFeatures}, m.Features(nil, nets.New(2, 784)).Shape)
}

func TestTrainMNISTResNetResumesWithItsRunningStatistics(t *testing.T) {
	args := []string{"--model", "resnet", "--limit", "300", "--epochs", "2", "--batch", "64", "--seed", "5", "--quiet"}
	whole := filepath.Join(t.TempDir(), "whole")
	require.NoError(t, trainWith(t, context.Background(), append(args, "--out", whole)...))
	cut := filepath.Join(t.TempDir(), "cut")
	// 5 batches a epoch (270 training images): interrupted in the second.
	require.ErrorIs(t, trainWith(t, &stopAfter{context.Background(), 6}, append(args, "--out", cut)...), run.ErrInterrupted)
	require.NoError(t, trainWith(t, context.Background(), "--resume", cut, "--quiet"))
	want, err := os.ReadFile(filepath.Join(whole, "model.safetensors"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(cut, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, want, got)
}
