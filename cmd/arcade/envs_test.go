package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

func TestEnvsListsEveryEnv(t *testing.T) {
	code, out, errOut := call("envs")
	require.Equal(t, 0, code, errOut)
	for _, name := range envs.Names() {
		require.Contains(t, "\n"+out, "\n"+name+": ")
	}
	require.True(t, strings.HasPrefix(out, "cartpole: "))
	require.Contains(t, out, "uint8 [4 84 84] in [0, 255]")
	require.Contains(t, out, "max_steps=500")

	code, out, errOut = call("envs", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct{ Envs []envInfo }
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Envs, len(envs.Names()))
	byName := map[string]envInfo{}
	for _, e := range got.Envs {
		byName[e.Name] = e
		require.NotEmpty(t, e.Description)
		require.NotEmpty(t, e.Actions)
		require.Positive(t, e.RenderSize[0])
		require.NotNil(t, e.Options, "%s: a list, empty when there are none", e.Name)
	}
	require.Equal(t, []string{"NOOP", "FIRE", "RIGHT", "LEFT"}, byName["breakout"].Actions)
	require.Equal(t, envSpace{Shape: []int{4, 10, 10}, Dtype: "uint8", Low: []float64{0}, High: []float64{1}}, byName["min-breakout"].Observation)
	require.Equal(t, 0.0, byName["frozenlake"].EvalEpsilon)
	require.Equal(t, 0.05, byName["pong"].EvalEpsilon)
	require.Equal(t, envOption{"map", "4x4", "4x4 or 8x8, Gymnasium's maps"}, byName["frozenlake"].Options[0])

	code, out, _ = call("envs", "snake", "catch", "--json")
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Envs, 2, "only the named envs, in the registry's order")
	require.Equal(t, "catch", got.Envs[0].Name)

	code, out, errOut = call("envs", "pacman")
	require.Equal(t, 2, code)
	require.Empty(t, out)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, `arcade envs: unknown env "pacman"; one of cartpole,`)
}

func TestBenchEnvsRows(t *testing.T) {
	defer func(names []string) { benchEnvNames = names }(benchEnvNames)
	benchEnvNames = []string{"min-breakout", "pong"}
	code, out, errOut := call("bench", "envs", "--json", "--quiet")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Rows []benchRow `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Rows, 6, "per env: alone, then the vector env at 1 and 2 threads")
	for i, r := range got.Rows {
		require.Equal(t, []string{"min-breakout", "min-breakout/vector16", "min-breakout/vector16", "pong", "pong/vector16", "pong/vector16"}[i], r.Name)
		require.Equal(t, []int{1, 1, 2, 1, 1, 2}[i], r.Threads, r.Name)
		require.NotNil(t, r.StepsPerSecond, r.Name)
		require.InDelta(t, 1e6/r.MS, *r.StepsPerSecond, 1e-6**r.StepsPerSecond, "%s: ms is the time of 1000 steps", r.Name)
	}
	require.Equal(t, "minatar-python (quoted)", got.Rows[0].Peer)
	require.InDelta(t, 1e6/308e3, *got.Rows[0].PeerMS, 1e-12)
	require.Equal(t, "no peer", got.Rows[3].Skipped)
}
