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

// quickDQN is a smoke run: a few hundred steps of Catch.
var quickDQN = []string{"train", "dqn", "--env", "catch", "--steps", "300", "--learning-starts", "50", "--hidden", "16",
	"--eval-every", "150", "--eval-episodes", "3", "--checkpoint-every", "150", "--seed", "2", "--quiet"}

func TestTrainDQNWritesItsRunAndJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call(append(quickDQN, "--out", dir, "--json")...)
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 4)
	require.Equal(t, 300.0, res["steps"])
	for _, k := range []string{"seconds", "steps_per_second", "eval_mean_return"} {
		require.Contains(t, res, k)
	}
	for _, f := range []string{"config.json", "log.txt", "metrics.csv", "model.safetensors", "best.safetensors", "curves.png",
		"checkpoint/state.json", "checkpoint/online.safetensors", "checkpoint/target.safetensors", "checkpoint/replay.bin"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	rows, err := run.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	keys := map[string]int{}
	for _, r := range rows {
		keys[r.Key]++
	}
	for _, k := range []string{"charts/episodic_return", "charts/episodic_length", "losses/td_loss", "losses/q_values", "charts/epsilon", "charts/SPS"} {
		require.Positive(t, keys[k], k)
	}
	require.Equal(t, 2, keys["eval/mean_return"])
	var meta struct {
		Flags  map[string]string `json:"flags"`
		Config map[string]any    `json:"config"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &meta))
	require.Equal(t, "classic", meta.Config["preset"])
	require.Equal(t, []any{16.0}, meta.Config["hidden"])
	require.Equal(t, "classic", meta.Flags["preset"], "config.json's flags are the values the run used")
	require.Equal(t, "64", meta.Flags["batch"])
	require.Equal(t, "[16]", meta.Flags["hidden"])

	// arcade eval of the run, its best model, and a recorded episode.
	gif := filepath.Join(t.TempDir(), "episode.gif")
	code, out, errOut = call("eval", dir, "--episodes", "20", "--epsilon", "0", "--json", "--record", gif)
	require.Equal(t, 0, code, errOut)
	var ev map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &ev))
	require.Len(t, ev, 6)
	require.Equal(t, 20.0, ev["episodes"])
	require.Equal(t, 0.0, ev["epsilon"])
	require.LessOrEqual(t, ev["min_return"], ev["mean_return"])
	require.LessOrEqual(t, ev["mean_return"], ev["max_return"])
	g, err := os.ReadFile(gif)
	require.NoError(t, err)
	require.Equal(t, "GIF89a", string(g[:6]))
	code, out, _ = call("eval", dir, "--best", "--episodes", "5")
	require.Equal(t, 0, code)
	require.Contains(t, out, "epsilon:                 0.05", "catch evaluates at its eval_epsilon by default")
}

func TestTrainDQNResumeContinues(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := call(append(quickDQN, "--out", dir)...)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := call("train", "dqn", "--resume", dir, "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, `"steps":300`)
}

func TestQLearnJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, errOut := call("train", "qlearn", "--steps", "20000", "--eval-episodes", "100", "--quiet", "--json", "--out", dir)
	require.Equal(t, 0, code, errOut)
	var res map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 3)
	require.Equal(t, 100.0, res["episodes"])
	require.Greater(t, res["optimal_success_rate"], 0.5)
	code, out, errOut = call("eval", dir, "--episodes", "50", "--json")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, `"epsilon":0`)
}

func TestAgentsBadInput(t *testing.T) {
	base := t.TempDir()
	qrun := filepath.Join(base, "qrun")
	code, _, errOut := call("train", "qlearn", "--steps", "1000", "--eval-episodes", "10", "--quiet", "--out", qrun)
	require.Equal(t, 0, code, errOut)
	old := filepath.Join(base, "old")
	require.NoError(t, os.CopyFS(old, os.DirFS(qrun)))
	b, err := os.ReadFile(filepath.Join(old, "config.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(old, "config.json"), []byte(strings.Replace(string(b), run.Version, "9.0.0", 1)), 0o644))

	out := filepath.Join(base, "never")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"train", "dqn", "--env", "nope"}, `unknown env "nope"`},
		{[]string{"train", "dqn", "--env", "catch", "--env-opt", "size=3"}, `catch: unknown option "size"`},
		{[]string{"train", "dqn", "--env-opt", "max_steps"}, "want key=value"},
		{[]string{"train", "dqn", "--gamma", "1.5"}, "gamma 1.5"},
		{[]string{"train", "dqn", "--buffer-size", "-1"}, "buffer-size -1"},
		{[]string{"train", "dqn", "--bootstrap-eps", "1.2"}, "bootstrap-eps 1.2"},
		{[]string{"train", "dqn", "--atoms", "1"}, "atoms 1: want 0"},
		{[]string{"train", "dqn", "--augment", "-1"}, "augment -1"},
		{[]string{"train", "dqn", "--munchausen-alpha", "1.5"}, "munchausen-alpha 1.5"},
		{[]string{"train", "dqn", "--munchausen-alpha", "0.9", "--munchausen-tau", "0"}, "munchausen-tau 0"},
		{[]string{"train", "dqn", "--env", "pong", "--munchausen-alpha", "0.9"}, "turn those off (--double=false)"},
		{[]string{"train", "dqn", "--augment", "4"}, "cartpole's observations [4] are not images"},
		{[]string{"train", "dqn", "--adam-eps", "-1e-8"}, "adam-eps -1e-08"},
		{[]string{"train", "dqn", "--atoms", "51", "--v-min", "5", "--v-max", "5"}, "v-min 5, v-max 5"},
		{[]string{"train", "dqn", "--preset", "fast"}, "--preset fast: want one of classic, minatar, minatar-adam, nature, rainbow-lite"},
		{[]string{"train", "dqn", "--loss", "l1"}, `loss "l1"`},
		{[]string{"train", "dqn", "--resume", qrun}, "is a qlearn run, not a dqn run"},
		{[]string{"train", "dqn", "--resume", old}, "cannot read"},
		{[]string{"train", "dqn", "--resume", base}, "not a run directory"},
		{[]string{"train", "qlearn", "--resume", qrun, "--alpha", "0.5"}, "--alpha with --resume"},
		{[]string{"train", "qlearn", "--env", "cartpole"}, "needs frozenlake"},
		{[]string{"train", "qlearn", "--gamma", "-0.1"}, "gamma -0.1"},
		{[]string{"eval", old}, "cannot read"},
		{[]string{"eval", base}, "not a run directory"},
		{[]string{"eval", qrun, "--best"}, "no best.safetensors"},
		{[]string{"eval", qrun, "--epsilon", "2"}, "--epsilon 2"},
		{[]string{"eval", qrun, "--record", "x.png"}, "want a .gif"},
		{[]string{"eval"}, "which run?"},
	} {
		args := append(tc.args, "--quiet")
		if tc.args[0] == "train" && !strings.Contains(strings.Join(tc.args, " "), "--resume") {
			args = append(args, "--out", out)
		}
		if tc.args[0] == "eval" {
			args = tc.args
		}
		code, stdout, stderr := call(args...)
		require.Equal(t, 2, code, "%v: %s", tc.args, stderr)
		require.Empty(t, stdout, "%v", tc.args)
		requireOneLine(t, stderr)
		require.Contains(t, stderr, tc.msg, "%v", tc.args)
		require.NoDirExists(t, out, "%v wrote its run directory", tc.args)
	}
	b2, err := os.ReadFile(filepath.Join(old, "config.json"))
	require.NoError(t, err)
	require.Contains(t, string(b2), "9.0.0", "nothing overwritten")
}

func FuzzParseEnvOpts(f *testing.F) {
	f.Add("map=8x8", "slippery=false")
	f.Add("=x", "a=b=c")
	f.Add("k=v", "k=w")
	f.Fuzz(func(t *testing.T, a, b string) {
		m, err := parseEnvOpts([]string{a, b})
		if err == nil {
			require.LessOrEqual(t, len(m), 2)
			for k := range m {
				require.NotEmpty(t, k)
			}
		}
	})
}
