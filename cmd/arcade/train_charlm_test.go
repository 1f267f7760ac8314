package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// writeCorpus writes a small generated text (never the shared data file)
// and returns its path.
func writeCorpus(t *testing.T) string {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"to ", "be ", "or ", "not ", "that ", "is ", "the ", "question\n"}
	var b strings.Builder
	for b.Len() < 8000 {
		b.WriteString(words[rng.IntN(len(words))])
	}
	path := filepath.Join(t.TempDir(), "tiny.txt")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

func TestTrainCharLMWithoutCorpusSaysWhatToPass(t *testing.T) {
	code, out, errOut := call("train", "charlm")
	require.Equal(t, 2, code)
	require.Empty(t, out)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "--corpus FILE is required")
	code, _, errOut = call("train", "charlm", "--corpus", filepath.Join(t.TempDir(), "none.txt"))
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "no such file")
	code, _, errOut = call("train", "charlm", "--corpus", "x.txt", "--cell", "rnn")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `--cell "rnn": want lstm or gru`)
}

func TestTrainCharLMThenSample(t *testing.T) {
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call("train", "charlm", "--corpus", corpus, "--hidden", "16", "--embed", "8", "--layers", "1",
		"--batch", "4", "--seq-len", "16", "--epochs", "1", "--out", dir, "--quiet", "--json")
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 2)
	require.Greater(t, res["val_loss_nats_per_char"], 0.0)
	require.Contains(t, res, "seconds")

	code, out, errOut = call("sample", dir, "--prompt", "to be ", "--length", "30", "--seed", "3")
	require.Equal(t, 0, code, errOut)
	require.True(t, strings.HasPrefix(out, "to be "))
	require.Len(t, []rune(strings.TrimSuffix(out, "\n")), 6+30)
	_, again, _ := call("sample", dir, "--prompt", "to be ", "--length", "30", "--seed", "3")
	require.Equal(t, out, again, "the same seed draws the same text")

	code, out, errOut = call("sample", dir, "--prompt", "to", "--length", "5", "--json", "--best", "--temperature", "0")
	require.Equal(t, 0, code, errOut)
	var s charlmSample
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	require.Equal(t, "to", s.Prompt)
	require.Len(t, []rune(s.Text), 5)

	code, _, errOut = call("sample", dir, "--prompt", "TO BE")
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, `character 'T' (at 0) is not in the model's vocabulary`)

	// A run stopped before its end has best.safetensors only, or nothing.
	require.NoError(t, os.Remove(filepath.Join(dir, "model.safetensors")))
	code, _, errOut = call("sample", dir)
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "has no model.safetensors: the run did not finish; pass --best")
	code, _, errOut = call("sample", dir, "--best", "--length", "5")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, os.Remove(filepath.Join(dir, "best.safetensors")))
	for _, args := range [][]string{{"sample", dir}, {"sample", dir, "--best"}} {
		code, _, errOut = call(args...)
		require.Equal(t, 2, code)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, "no epoch has finished yet (arcade train charlm --resume "+dir+" continues it)")
	}

	code, _, errOut = call("train", "charlm", "--resume", dir, "--hidden", "32")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--hidden with --resume")
}

func TestSampleDispatchesOnTheRunKind(t *testing.T) {
	dir := t.TempDir()
	config := fmt.Sprintf(`{"experiment":"dqn","arcade_version":%q,"config":{}}`, run.Version)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o644))
	code, _, errOut := call("sample", dir)
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "a dqn run has nothing to sample")
	code, _, errOut = call("sample")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "which run?")
	code, _, errOut = call("sample", t.TempDir())
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "is not a run directory")
}

func TestBenchRNNSmall(t *testing.T) {
	defer func(s struct{ T, B, In, H int }) { rnnBenchShape = s }(rnnBenchShape)
	rnnBenchShape = struct{ T, B, In, H int }{4, 3, 5, 8}
	code, out, errOut := call("bench", "rnn", "--threads", "1", "--no-peer", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Rows []benchRow `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Rows, 1)
	r := got.Rows[0]
	require.Equal(t, "lstm_h8_in5_b3_t4", r.Name)
	require.Greater(t, r.MS, 0.0)
	require.NotNil(t, r.GFLOPS)
	require.Equal(t, "--no-peer", r.Skipped)
}
