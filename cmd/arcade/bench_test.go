package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunPeerDecodesJSONOrSaysWhy(t *testing.T) {
	var got map[string]any
	err := runPeer("check.py", 1, nil, &got)
	if _, statErr := os.Stat(peerPython); statErr != nil {
		require.ErrorContains(t, err, "apt-get install python3-torch")
		return
	}
	require.NoError(t, err)
	require.NotEmpty(t, got["python"])

	err = runPeer("missing.py", 1, nil, &got)
	require.Error(t, err)
}

func TestBenchRowFields(t *testing.T) {
	r := benchRow{Name: "sgemm_2x2x2", Threads: 2, MS: 2}
	r.withFLOPs(8e6, 2) // 8e6 FLOPs in 2 ms: 4 GFLOP/s, of a 2x2 GFLOP/s peak
	require.InDelta(t, 4, *r.GFLOPS, 1e-12)
	require.InDelta(t, 1, *r.PeakFraction, 1e-12)
	r.withPeer("openblas", 4, nil)
	require.InDelta(t, 2, *r.SpeedupVsPeer, 1e-12)

	s := benchRow{MS: 1}
	s.withPeer("pytorch-1.13", 0, os.ErrNotExist)
	require.Nil(t, s.PeerMS)
	require.Equal(t, "file does not exist", s.Skipped)
}

func TestBenchUnknownSuite(t *testing.T) {
	code, _, errOut := call("bench", "nope")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, `unknown suite "nope"`)
}
