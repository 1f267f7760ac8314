package main

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// TestEvalRecordIsTheFirstEpisodeAsRendered decodes the GIF of arcade eval
// --record: its first frame is the env's Render after the first
// evaluation episode's reset, and its frames are the episode's pictures,
// one per step and one at the end.
func TestEvalRecordIsTheFirstEpisodeAsRendered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := call(append(quickDQN, "--out", dir)...)
	require.Equal(t, 0, code, errOut)
	path := filepath.Join(t.TempDir(), "episode.gif")
	code, _, errOut = call("eval", dir, "--episodes", "3", "--record", path)
	require.Equal(t, 0, code, errOut)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	anim, err := gif.DecodeAll(f)
	require.NoError(t, err)

	agent, err := agents.Load(dir, false)
	require.NoError(t, err)
	render := func(env envs.Env) *image.RGBA {
		pic := image.NewRGBA(image.Rectangle{Max: envs.RenderSize(env)})
		env.Render(pic)
		return pic
	}
	requireFrame := func(want *image.RGBA, got *image.Paletted, what string) {
		t.Helper()
		require.Equal(t, want.Rect, got.Rect, what)
		for y := range want.Rect.Dy() {
			for x := range want.Rect.Dx() {
				if c := color.RGBAModel.Convert(got.At(x, y)); c != want.RGBAAt(x, y) {
					require.Equal(t, want.RGBAAt(x, y), c, "%s, pixel (%d, %d)", what, x, y)
				}
			}
		}
	}

	env, err := agent.NewEnv()
	require.NoError(t, err)
	env.Seed(rollout.EvalSeed(agent.Seed, 0))
	env.Reset()
	requireFrame(render(env), anim.Image[0], "the first frame")

	var want []*image.RGBA
	env, err = agent.NewEnv()
	require.NoError(t, err)
	_, length := rollout.Play(agent, env, agent.Seed, 0, agent.EvalEpsilon, func() { want = append(want, render(env)) })
	require.Len(t, anim.Image, length+1)
	for i := range want {
		requireFrame(want[i], anim.Image[i], fmt.Sprintf("frame %d", i))
	}
}
