package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBenchGemmSmall(t *testing.T) {
	defer func(s [][3]int) { gemmBenchShapes = s }(gemmBenchShapes)
	gemmBenchShapes = [][3]int{{8, 16, 4}, {32, 64, 6}}
	code, out, errOut := call("bench", "gemm", "--threads", "2", "--no-peer", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Rows []benchRow `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Rows, 2)
	require.Equal(t, "sgemm_8x16x4", got.Rows[0].Name)
	require.Equal(t, "sgemm_32x64x6", got.Rows[1].Name)
	for _, r := range got.Rows {
		require.Equal(t, 2, r.Threads)
		require.Greater(t, r.MS, 0.0)
		require.NotNil(t, r.GFLOPS)
		require.Greater(t, *r.GFLOPS, 0.0)
		require.Nil(t, r.PeerMS)
		require.Equal(t, "--no-peer", r.Skipped)
	}
}

func TestVersionNamesTheKernel(t *testing.T) {
	code, out, errOut := call("version", "--json")
	require.Equal(t, 0, code, errOut)
	var v versionInfo
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.Contains(t, []string{"avx512", "avx2", "go"}, v.Kernel)
}
