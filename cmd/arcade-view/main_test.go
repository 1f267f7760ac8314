package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/agents/dqn"
	"github.com/arcadelab/arcade/agents/qlearn"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// These tests run the built viewer as a user would; they need a display
// (make test runs them under xvfb-run).

func buildViewer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "arcade-view")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

func TestPatternOpensAndClosesCleanly(t *testing.T) {
	bin := buildViewer(t)
	cmd := exec.Command(bin, "pattern", "--frames", "30")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	require.Empty(t, stderr.String())
}

func TestUnknownCommandIsOneLine(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 2, view([]string{"bogus"}, &out, &errOut))
	require.Equal(t, "arcade-view: unknown command \"bogus\" (see arcade-view --help)\n", errOut.String())
	errOut.Reset()
	require.Equal(t, 2, view([]string{"pattern", "--frames", "x"}, &out, &errOut))
	require.Contains(t, errOut.String(), `arcade-view pattern: invalid argument "x"`)
}

// requireOneLine checks that stderr is exactly one line that starts with
// prefix and says msg.
func requireOneLine(t *testing.T, stderr, prefix, msg string) {
	t.Helper()
	require.True(t, strings.HasPrefix(stderr, prefix), "%q", stderr)
	require.Contains(t, stderr, msg)
	require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
	require.True(t, strings.HasSuffix(stderr, "\n"))
}

func TestBadWatchAndPlayAreOneLineExitTwo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"watch", missing}, missing},
		{[]string{"watch", t.TempDir()}, "not a run directory"},
		{[]string{"watch"}, "which run?"},
		{[]string{"watch", "a", "b"}, "which run?"},
		{[]string{"watch", missing, "--speed", "2"}, "unknown flag: --speed"},
		{[]string{"watch", missing, "--epsilon", "2"}, "--epsilon 2: want a probability in [0, 1]"},
		{[]string{"play", "bogus"}, `unknown env "bogus"; one of cartpole,`},
		{[]string{"play"}, "which env?"},
		{[]string{"play", "catch", "--env-opt", "size=3"}, `catch: unknown option "size"`},
		{[]string{"play", "snake", "--env-opt", "size"}, "want key=value"},
	} {
		var out, errOut bytes.Buffer
		require.Equal(t, 2, view(tc.args, &out, &errOut), "%v", tc.args)
		requireOneLine(t, errOut.String(), "arcade-view "+tc.args[0]+": ", tc.msg)
		require.Empty(t, out.String())
	}
}

// TestWatchAndPlayOpenAndClose runs the viewer on a small DQN run of
// Catch and a Q-learning run of FrozenLake, and plays two envs, each for a
// few frames.
func TestWatchAndPlayOpenAndClose(t *testing.T) {
	base := t.TempDir()
	dcfg, _ := dqn.Preset("classic", "catch")
	dcfg.Steps, dcfg.Hidden, dcfg.LearningStarts, dcfg.EvalEpisodes = 200, []int{8}, 50, 2
	ddir := filepath.Join(base, "dqn")
	r, err := run.Create(ddir, run.Meta{Experiment: "dqn", Subject: "catch", Seed: 4}, dcfg, nil)
	require.NoError(t, err)
	_, err = dqn.Train(context.Background(), dcfg, r, dqn.Options{Seed: 4})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	qcfg := qlearn.DefaultConfig()
	qcfg.Steps, qcfg.EvalEpisodes, qcfg.EnvOpts = 2000, 10, map[string]string{"obs": "index"}
	qdir := filepath.Join(base, "qlearn")
	r, err = run.Create(qdir, run.Meta{Experiment: "qlearn", Subject: "frozenlake", Seed: 5}, qcfg, nil)
	require.NoError(t, err)
	_, err = qlearn.Train(context.Background(), qcfg, r, qlearn.Options{Seed: 5})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	bin := buildViewer(t)
	for _, args := range [][]string{
		{"watch", ddir, "--frames", "40"},
		{"watch", ddir, "--best", "--epsilon", "0.5", "--seed", "9", "--frames", "10"},
		{"watch", qdir, "--frames", "10"},
		{"play", "catch", "--frames", "20"},
		{"play", "pong", "--env-opt", "stack=2", "--frames", "10"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = base
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Run(), "%v: %s", args, stderr.String())
		require.Empty(t, stderr.String(), "%v", args)
	}
}
