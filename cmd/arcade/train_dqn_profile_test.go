package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// --cpuprofile, a developer's flag left out of --help, writes a profile
// of the run (gzipped, as runtime/pprof writes it).
func TestTrainDQNWritesACPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	code, _, errOut := call(append(quickDQN, "--out", filepath.Join(dir, "run"), "--cpuprofile", prof)...)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(prof)
	require.NoError(t, err)
	require.Greater(t, len(b), 2)
	require.Equal(t, []byte{0x1f, 0x8b}, b[:2], "a gzip stream")

	code, out, errOut := call("train", "dqn", "--help")
	require.Equal(t, 0, code, errOut)
	require.NotContains(t, out+errOut, "cpuprofile")
}
