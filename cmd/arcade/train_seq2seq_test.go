package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// seq2seqQuick are flags for a run of about a second: a tiny model, two
// epochs of 16 batches, 60 test dates.
var seq2seqQuick = []string{"--embed", "4", "--encoder", "8", "--decoder", "8", "--attention", "4", "--train", "256",
	"--batch", "16", "--epochs", "2", "--val", "50", "--test", "60", "--maps", "2", "--quiet"}

func TestTrainSeq2seqWritesItsRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call(append([]string{"train", "seq2seq", "--out", dir, "--json"}, seq2seqQuick...)...)
	require.Equal(t, 0, code, errOut)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 3, out)
	require.Equal(t, 60.0, res["test_examples"])
	require.Contains(t, res, "exact_match")
	require.Contains(t, res, "exact_match_greedy")
	for _, f := range []string{"config.json", "log.txt", "metrics.csv", "model.safetensors", "checkpoint/state.safetensors",
		"curves.png", "report.txt", "attention_01.png", "attention_02.png"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	require.NoFileExists(t, filepath.Join(dir, "attention_03.png"))
	rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	var losses []float64
	keys := map[string]int{}
	for _, r := range rows {
		keys[r.Key]++
		if r.Key == "losses/train_loss" {
			losses = append(losses, r.Value)
		}
	}
	require.Equal(t, 2, keys["losses/train_loss"], "once per epoch")
	require.Equal(t, 2, keys["val/exact_match"], "once per epoch")
	require.Equal(t, 1, keys["test/bleu_char"])
	require.Equal(t, 1, keys["losses/step_loss"], "every 25 steps: once in 32")
	require.Equal(t, 1, keys["charts/learning_rate"])
	require.Less(t, losses[1], losses[0], "the second epoch's loss is lower")
	report, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	require.NoError(t, err)
	for _, s := range []string{"test: 60 dates, none of them in training", "character BLEU of the beam outputs: corpus",
		"error analysis of beam search (width 3, alpha 0.7)", "error analysis of greedy search", "search at fault", "model at fault", "first test dates:"} {
		require.Contains(t, string(report), s)
	}
	log, err := os.ReadFile(filepath.Join(dir, "log.txt"))
	require.NoError(t, err)
	require.Contains(t, string(log), "72939 training days, 50 validation and 60 test dates")
}

// seq2seqModel trains with the quick flags and more, and returns the model
// and the report.
func seq2seqModel(t *testing.T, args ...string) (model, report []byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := call(append(append([]string{"train", "seq2seq", "--out", dir}, seq2seqQuick...), args...)...)
	require.Equal(t, 0, code, errOut)
	model, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	report, err = os.ReadFile(filepath.Join(dir, "report.txt"))
	require.NoError(t, err)
	return model, report
}

func TestTrainSeq2seqSameSeedSameBytes(t *testing.T) {
	model, report := seq2seqModel(t, "--threads", "1")
	model2, report2 := seq2seqModel(t, "--threads", "2", "--cell", "lstm")
	require.Equal(t, model, model2, "1 and 2 threads")
	require.Equal(t, report, report2)
	other, _ := seq2seqModel(t, "--threads", "2", "--seed", "3")
	require.NotEqual(t, model, other, "another seed")
	gru, _ := seq2seqModel(t, "--cell", "gru")
	require.NotEqual(t, model, gru)
}

// seq2seqTrainWith runs arcade train seq2seq with ctx as its interrupt
// context.
func seq2seqTrainWith(t *testing.T, ctx context.Context, args ...string) error {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdout: &out, stderr: &errOut, cmd: "arcade train seq2seq"}
	var co common
	fs := c.flagSet("[flags]", &co, flagsAll)
	train := bindSeq2seq(fs)
	require.NoError(t, c.parse(fs, args, &co))
	_, err := train(&trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: "seq2seq"})
	return err
}

func TestTrainSeq2seqInterruptAndResumeGiveTheSameModel(t *testing.T) {
	args := append([]string{"--seed", "5"}, seq2seqQuick...)
	whole := filepath.Join(t.TempDir(), "whole")
	require.NoError(t, seq2seqTrainWith(t, context.Background(), append(args, "--out", whole)...))

	cut := filepath.Join(t.TempDir(), "cut")
	// 27 of the 2 epochs' 16 batches: interrupted in the second epoch, 2
	// steps after the last losses/step_loss.
	err := seq2seqTrainWith(t, &stopAfter{context.Background(), 27}, append(args, "--out", cut)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoFileExists(t, filepath.Join(cut, "model.safetensors"))
	require.NoError(t, seq2seqTrainWith(t, context.Background(), "--resume", cut, "--quiet"))
	for _, f := range []string{"model.safetensors", "report.txt"} {
		want, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(cut, f))
		require.NoError(t, err)
		require.Equal(t, want, got, f)
	}
	log, err := os.ReadFile(filepath.Join(cut, "log.txt"))
	require.NoError(t, err)
	require.Contains(t, string(log), "resuming at epoch 2, batch 11 (step 27)")
	require.Equal(t, seq2seqMetrics(t, whole), seq2seqMetrics(t, cut), "the same metrics, step loss included")

	// Interrupted after the 32 batches, before the test: --resume only tests.
	late := filepath.Join(t.TempDir(), "late")
	err = seq2seqTrainWith(t, &stopAfter{context.Background(), 32}, append(args, "--out", late)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NoFileExists(t, filepath.Join(late, "report.txt"))
	require.NoError(t, seq2seqTrainWith(t, context.Background(), "--resume", late, "--quiet"))
	for _, f := range []string{"model.safetensors", "report.txt"} {
		want, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(late, f))
		require.NoError(t, err)
		require.Equal(t, want, got, f)
	}

	code, _, errOut := call("train", "seq2seq", "--resume", cut, "--beam", "5")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--beam with --resume: a resumed run keeps its own configuration")
	code, _, errOut = call("train", "seq2seq", "--resume", cut, "--seed", "6")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--seed 6 with --resume of a run of seed 5")
}

func TestTrainSeq2seqBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--cell", "rnn"}, `cell "rnn": want lstm or gru`},
		{[]string{"--encoder", "0"}, "encoder 0: want 1..4096 units"},
		{[]string{"--batch", "0"}, "--batch 0: want 1 or more"},
		{[]string{"--lr", "-1"}, "--lr -1: want a positive rate"},
		{[]string{"--clip", "-1"}, "--clip -1: want 0 (none) or a positive norm"},
		{[]string{"--epochs", "0"}, "--epochs and --train want 1 or more"},
		{[]string{"--test", "40000"}, "--val 1000 and --test 40000: want 1 or more dates each, and at most 36524 together"},
		{[]string{"--val", "0"}, "--val 0 and --test 10000"},
		{[]string{"--limit", "-2"}, "--limit -2: want 0 (all) or more"},
		{[]string{"--beam", "0"}, "--beam 0: want 1 or more"},
		{[]string{"--alpha", "-0.5"}, "--alpha -0.5: want 0..2"},
		{[]string{"--maps", "-1"}, "--maps -1: want 0 or more"},
		{[]string{"--schedule", "wobbly"}, "--schedule:"},
		{[]string{"--resume", "/nonexistent/run"}, "--resume: /nonexistent/run is not a run directory"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		code, out, errOut := call(append([]string{"train", "seq2seq"}, tc.args...)...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		require.Empty(t, out)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg, "%v", tc.args)
	}
}

func TestTrainSeq2seqThenSample(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "run")
	code, _, errOut := call(append([]string{"train", "seq2seq", "--out", dir}, seq2seqQuick...)...)
	require.Equal(t, 0, code, errOut)

	png := filepath.Join(tmp, "map.png")
	code, out, errOut := call("sample", dir, "Tuesday, March 9, 1993", "3/9/93", "--png", png, "--json")
	require.Equal(t, 0, code, errOut)
	var res seq2seqSamples
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res.Translations, 2)
	require.Equal(t, "Tuesday, March 9, 1993", res.Translations[0].Input)
	for _, tr := range res.Translations {
		require.LessOrEqual(t, tr.LogProb, 0.0)
		for _, c := range tr.Output {
			require.Contains(t, "0123456789-", string(c))
		}
	}
	require.FileExists(t, filepath.Join(tmp, "map-1.png"))
	require.FileExists(t, filepath.Join(tmp, "map-2.png"))

	code, out, errOut = call("sample", dir, "march 9 1993", "--png", png, "--beam", "1")
	require.Equal(t, 0, code, errOut)
	require.Regexp(t, `^march 9 1993 +-> [0-9-]* +\(log P -?[0-9.]+\)\n$`, out)
	require.FileExists(t, png)

	code, out, errOut = call("sample", dir, "--n", "3", "--seed", "2")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, 3, bytes.Count([]byte(out), []byte("\n")), out)

	// --analyze decodes the run's test dates again: the report's analyses.
	report, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	require.NoError(t, err)
	for _, args := range [][]string{{"--analyze"}, {"--analyze", "--beam", "1"}} {
		code, out, errOut = call(append([]string{"sample", dir}, args...)...)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, " of 60 outputs wrong (exact match ")
		require.Contains(t, string(report), out, "%v", args)
	}
	code, out, errOut = call("sample", dir, "--analyze", "--beam", "5", "--alpha", "0", "--json")
	require.Equal(t, 0, code, errOut)
	var a seq2seqAnalysis
	require.NoError(t, json.Unmarshal([]byte(out), &a))
	require.Equal(t, 5, a.Width)
	require.Equal(t, 60, a.TestExamples)
	require.Equal(t, a.Wrong, a.SearchFaults+a.ModelFaults)
	require.InDelta(t, float64(60-a.Wrong)/60, a.ExactMatch, 1e-12)

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"9 März 1993"}, `date "9 März 1993": character`},
		{[]string{" , "}, `date " , ": want 1 to 100 characters`},
		{[]string{"--beam", "0"}, "--beam 0: want 1..100"},
		{[]string{"--n", "0"}, "--n 0: want 1..1000"},
		{[]string{"--alpha", "3"}, "--alpha 3: want 0..2"},
		{[]string{"--analyze", "--n", "3"}, "--n with --analyze: the analysis decodes the run's test dates"},
		{[]string{"--analyze", "--png", png}, "--png with --analyze"},
		{[]string{"--analyze", "3/9/93"}, `date "3/9/93" with --analyze`},
	} {
		code, _, errOut := call(append([]string{"sample", dir}, tc.args...)...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg, "%v", tc.args)
	}
}

// seq2seqMetrics returns a run's metrics without their wall times.
func seq2seqMetrics(t *testing.T, dir string) []run.Row {
	rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	for i := range rows {
		rows[i].Wall = 0
	}
	return rows
}
