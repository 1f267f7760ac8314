package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// word2vecQuick are flags for a run of a fraction of a second.
var word2vecQuick = []string{"--sentences", "1500", "--min-count", "1", "--dim", "8", "--epochs", "2", "--quiet"}

func TestTrainWord2vecEveryMethodWritesItsRun(t *testing.T) {
	for _, method := range []string{"sgns", "hs", "lm", "glove"} {
		dir := filepath.Join(t.TempDir(), "run")
		args := append([]string{"train", "word2vec", "--method", method, "--out", dir, "--json"}, word2vecQuick...)
		code, out, errOut := call(args...)
		require.Equal(t, 0, code, "%s: %s", method, errOut)
		var res map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		require.Len(t, res, 2, out)
		require.Contains(t, res, "analogy_accuracy")
		require.Equal(t, 1.0, res["analogy_coverage"], "the planted questions only use planted words")
		for _, f := range []string{"config.json", "log.txt", "metrics.csv", "vectors.txt", "model.safetensors",
			"analogies.txt", "neighbours.txt", "tsne.png", "debias.txt", "vectors_debiased.txt", "curves.png",
			"checkpoint/state.safetensors"} {
			require.FileExists(t, filepath.Join(dir, f), method)
		}
		rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
		require.NoError(t, err)
		keys := map[string]int{}
		for _, r := range rows {
			keys[r.Key]++
		}
		for _, k := range []string{"losses/train_loss", "charts/epoch_seconds", "val/analogy_accuracy", "val/analogy_coverage"} {
			require.Equal(t, 2, keys[k], "%s: %s once per epoch", method, k)
		}
		log, err := os.ReadFile(filepath.Join(dir, "log.txt"))
		require.NoError(t, err)
		require.Contains(t, string(log), "s per epoch", method)
	}
}

func TestTrainWord2vecIsTheSameAtAnyThreadCount(t *testing.T) {
	for _, method := range []string{"sgns", "lm"} {
		var vecs []string
		for _, threads := range []string{"1", "2"} {
			dir := filepath.Join(t.TempDir(), "run")
			args := append([]string{"train", "word2vec", "--method", method, "--out", dir, "--threads", threads, "--debias=false"}, word2vecQuick...)
			code, _, errOut := call(args...)
			require.Equal(t, 0, code, errOut)
			b, err := os.ReadFile(filepath.Join(dir, "vectors.txt"))
			require.NoError(t, err)
			vecs = append(vecs, string(b))
		}
		require.Equal(t, vecs[0], vecs[1], method)
	}
}

func TestTrainWord2vecOnAFileWithAnalogies(t *testing.T) {
	tmp := t.TempDir()
	corpus := filepath.Join(tmp, "corpus.txt")
	questions := filepath.Join(tmp, "questions.txt")
	text := strings.Repeat("the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n", 30)
	require.NoError(t, os.WriteFile(corpus, []byte(text), 0o644))
	require.NoError(t, os.WriteFile(questions, []byte(": s\ncat mat dog log\nCat Dog Mat Log\ncat lion dog wolf\n: t\nx y z w\n"), 0o644))
	dir := filepath.Join(tmp, "run")
	code, out, errOut := call("train", "word2vec", "--corpus", corpus, "--analogies", questions, "--min-count", "1",
		"--dim", "4", "--epochs", "1", "--out", dir, "--json", "--quiet", "--neighbours", "cat,unicorn", "--tsne-words", "cat,dog,mat")
	require.Equal(t, 0, code, errOut)
	var res struct{ AnalogyAccuracy, AnalogyCoverage float64 }
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(out, "analogy_", "Analogy")), &res))
	require.Equal(t, 0.5, res.AnalogyCoverage, "2 of the 4 questions have all their words")
	report, err := os.ReadFile(filepath.Join(dir, "analogies.txt"))
	require.NoError(t, err)
	require.Contains(t, string(report), "t                                        1         0    0.0000    0.0000")
	meta, err := run.ReadMeta(dir)
	require.NoError(t, err)
	require.Equal(t, "corpus", meta.Subject)
	nb, err := os.ReadFile(filepath.Join(dir, "neighbours.txt"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(nb), "cat\n"), "unicorn is skipped")

	code, out, errOut = call("train", "word2vec", "--corpus", corpus, "--min-count", "1", "--dim", "4", "--epochs", "1",
		"--out", filepath.Join(tmp, "run2"), "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	require.JSONEq(t, `{"analogy_accuracy": null, "analogy_coverage": null}`, out, "no questions without --analogies")
}

func TestTrainWord2vecResumesAFinishedRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	args := append([]string{"train", "word2vec", "--out", dir, "--seed", "4"}, word2vecQuick...)
	code, out, errOut := call(args...)
	require.Equal(t, 0, code, errOut)
	before, err := os.ReadFile(filepath.Join(dir, "vectors.txt"))
	require.NoError(t, err)
	code, out2, errOut := call("train", "word2vec", "--resume", dir, "--quiet")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, out, out2)
	after, err := os.ReadFile(filepath.Join(dir, "vectors.txt"))
	require.NoError(t, err)
	require.Equal(t, before, after)
	code, _, errOut = call("train", "word2vec", "--resume", dir, "--dim", "3")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--dim with --resume: a resumed run keeps its own configuration")
}

func TestTrainWord2vecBadInput(t *testing.T) {
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty.txt")
	require.NoError(t, os.WriteFile(empty, []byte("\n ... \n"), 0o644))
	bad := filepath.Join(tmp, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte(": s\na b c\n"), 0o644))
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--corpus", filepath.Join(tmp, "missing.txt")}, "arcade train word2vec: --corpus: open "},
		{[]string{"--corpus", empty}, "empty.txt has no words"},
		{[]string{"--sentences", "100", "--analogies", bad}, `--analogies: ` + bad + `:2: 3 words, want 4 (a b c d) or ": section"`},
		{[]string{"--method", "cbow"}, `--method "cbow": want one of sgns, hs, lm, glove`},
		{[]string{"--sentences", "0"}, "--sentences 0: want 1 or more"},
		{[]string{"--perplexity", "0.5"}, "--perplexity 0.5: want 1 or more"},
		{[]string{"--resume", tmp}, "is not a run directory"},
	} {
		args := append([]string{"train", "word2vec", "--out", filepath.Join(tmp, "run")}, tc.args...)
		code, out, errOut := call(args...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg)
	}
}
