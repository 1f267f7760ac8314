package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/stretchr/testify/require"
)

// call runs arcade in-process and returns its exit status, stdout and stderr.
func call(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := arcade(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// requireOneLine checks that stderr is exactly one line.
func requireOneLine(t *testing.T, stderr string) {
	t.Helper()
	require.True(t, strings.HasSuffix(stderr, "\n"), "ends in a newline: %q", stderr)
	require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, errOut := call("--help")
	require.Equal(t, 0, code)
	require.Empty(t, errOut)
	for _, cmd := range commands {
		require.Contains(t, out, "\n  "+cmd.name+" ")
	}
	code, out, _ = call()
	require.Equal(t, 2, code, "no command is a usage error")
	require.Contains(t, out, "Commands:")
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range commands {
		code, out, errOut := call(cmd.name, "--help")
		require.Equal(t, 0, code, cmd.name)
		require.Empty(t, errOut, cmd.name)
		require.True(t, strings.HasPrefix(out, "Usage:\n  arcade "+cmd.name), "%s: %q", cmd.name, out)
	}
	code, out, _ := call("help", "plot")
	require.Equal(t, 0, code)
	require.Contains(t, out, "--png")
}

func TestBadInputIsOneLineAndExitTwo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"bogus"}, `arcade: unknown command "bogus" (see arcade --help)`},
		{[]string{"--bogus"}, "arcade: unknown flag --bogus before a command (see arcade --help)"},
		{[]string{"train", "--seed", "x"}, `arcade train: invalid argument "x" for "--seed" flag`},
		{[]string{"train"}, "arcade train: which experiment? one of mnist, qlearn, dqn"},
		{[]string{"train", "nope"}, `arcade train: unknown experiment "nope"`},
		{[]string{"train", "--threads", "-3"}, "arcade train: --threads -3: want 0 (all cores) or more"},
		{[]string{"plot", "--bogus", "x"}, "arcade plot: unknown flag: --bogus (see arcade plot --help)"},
		{[]string{"plot"}, "arcade plot: which run?"},
		{[]string{"version", "extra"}, `arcade version: unexpected argument "extra"`},
	} {
		code, out, errOut := call(tc.args...)
		require.Equal(t, 2, code, "%v", tc.args)
		require.Empty(t, out, "%v", tc.args)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.msg, "%v", tc.args)
	}
}

func TestVersionJSON(t *testing.T) {
	code, out, _ := call("version", "--json")
	require.Equal(t, 0, code)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.Equal(t, run.Version, v["version"])
}

func TestPlotDrawsCurvesFromMetrics(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	r, err := run.Create(dir, run.Meta{Experiment: "dqn", Subject: "catch", Seed: 1}, nil, nil)
	require.NoError(t, err)
	for step := int64(0); step < 30; step++ {
		r.Metric(step*100, "charts/episodic_return", float64(step%7))
	}
	require.NoError(t, r.Close())

	code, _, errOut := call("plot", dir)
	require.Equal(t, 0, code, errOut)
	f, err := os.Open(filepath.Join(dir, "curves.png"))
	require.NoError(t, err)
	defer f.Close()
	im, err := png.Decode(f)
	require.NoError(t, err)
	require.Greater(t, im.Bounds().Dx(), 100)

	other := filepath.Join(t.TempDir(), "c.png")
	code, _, _ = call("plot", dir, dir, "--png", other, "--quiet")
	require.Equal(t, 0, code)
	require.FileExists(t, other)
}

func TestWatchWithoutADisplaySaysSo(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errOut := call("watch", "runs/x")
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "no display")
}

func TestWatchWithoutTheViewerSaysHowToBuildIt(t *testing.T) {
	t.Setenv("DISPLAY", ":99")
	t.Setenv("PATH", t.TempDir())
	code, _, errOut := call("play", "catch")
	require.Equal(t, 2, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "make view")
}

// TestBuildsWithoutCgoOrEbiten checks DESIGN.md's promise that arcade runs
// on machines with no display: no cgo, and no Ebiten in its dependencies.
func TestBuildsWithoutCgoOrEbiten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "arcade")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	deps, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	require.NotContains(t, string(deps), "ebiten")

	cmd := exec.Command(bin, "bogus")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 2, exit.ExitCode())
	require.Equal(t, "arcade: unknown command \"bogus\" (see arcade --help)\n", stderr.String())
}
