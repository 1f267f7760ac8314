package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBenchReplaySmall(t *testing.T) {
	defer func(c int) { replayBenchCapacity = c }(replayBenchCapacity)
	replayBenchCapacity = 1024
	code, out, errOut := call("bench", "replay", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Rows []benchRow `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Rows, 5) // add, then uniform and prioritized at 1 and 2 threads
	require.Equal(t, "replay_add_84x84x4", got.Rows[0].Name)
	require.Equal(t, "no peer", got.Rows[0].Skipped)
	// 84x84 frame + 7 bytes a slot, + 32 for the trees of 1024 leaves. The
	// Buffer struct (1.4 KB) and whatever other goroutines of the test
	// binary allocate meanwhile add a few bytes a slot at this capacity;
	// replay's TestBytesPerSlot pins the figure closely.
	require.InDelta(t, 7063, *got.Rows[1].BytesPerTransition, 8)
	require.InDelta(t, 7095, *got.Rows[3].BytesPerTransition, 8)
	for i, r := range got.Rows {
		require.Greater(t, r.MS, 0.0, r.Name)
		require.Equal(t, []int{1, 1, 2, 1, 2}[i], r.Threads, r.Name)
	}
	for _, r := range got.Rows[1:] {
		require.True(t, r.PeerMS != nil || r.Skipped != "", "%s: a peer time or why not", r.Name)
	}
}
