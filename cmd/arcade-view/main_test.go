package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"testing"

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
