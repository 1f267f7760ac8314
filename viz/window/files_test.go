package window

import (
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/require"
)

// TestScreenshotAndRecording: S writes the window as a PNG; G starts a
// GIF of the game's picture, one frame per agent step, and G again saves
// it.
func TestScreenshotAndRecording(t *testing.T) {
	k := newKeys().press(1, ebiten.KeyG).press(3, ebiten.KeyS).press(5, ebiten.KeyG)
	seq := []int{1, 2, 2, 0}
	g, _ := newTestWatch(t, "catch", nil, seq, k)
	shot := capture(t, &driven{g, k}, 3)

	f, err := os.Open(filepath.Join(g.out.dir, "watch-0001.png"))
	require.NoError(t, err)
	defer f.Close()
	pic, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, shot.Rect, pic.Bounds(), "the whole window")
	status := image.Rect(g.panelX, g.statsY+4*lineH, shot.Rect.Max.X, g.statsY+5*lineH) // now says "saved ..."
	for y := 0; y < shot.Rect.Dy(); y++ {
		for x := 0; x < shot.Rect.Dx(); x++ {
			if image.Pt(x, y).In(status) {
				continue
			}
			if got, want := color.RGBAModel.Convert(pic.At(x, y)), shot.RGBAAt(x, y); got != want {
				require.Equal(t, want, got, "screenshot pixel (%d, %d)", x, y)
			}
		}
	}

	show(&driven{g, k}, 2, func(*ebiten.Image) {})
	require.Nil(t, g.rec, "the second G saved the recording")
	f, err = os.Open(filepath.Join(g.out.dir, "watch-0001.gif"))
	require.NoError(t, err)
	defer f.Close()
	anim, err := gif.DecodeAll(f)
	require.NoError(t, err)
	require.Len(t, anim.Image, 5, "the picture when G was pressed and the four steps of updates 1 to 4")

	// The frames are the game's pictures, step by step.
	env, err := envs.Make("catch", nil)
	require.NoError(t, err)
	replay := newAgentPlayer(&scripted{n: 3, seq: seq}, env, 3, 0)
	for i, frame := range anim.Image {
		want := rendered(env)
		require.Equal(t, want.Rect, frame.Rect)
		for y := range want.Rect.Dy() {
			for x := range want.Rect.Dx() {
				if got := color.RGBAModel.Convert(frame.At(x, y)); got != want.RGBAAt(x, y) {
					require.Equal(t, want.RGBAAt(x, y), got, "frame %d pixel (%d, %d)", i, x, y)
				}
			}
		}
		replay.step()
	}
}

func TestOutputsTakeTheFirstFreeNumber(t *testing.T) {
	o := outputs{dir: t.TempDir(), prefix: "watch"}
	p, err := o.next("png")
	require.NoError(t, err)
	require.Equal(t, filepath.Join(o.dir, "watch-0001.png"), p)
	require.NoError(t, os.WriteFile(p, nil, 0o644))
	p, err = o.next("png")
	require.NoError(t, err)
	require.Equal(t, filepath.Join(o.dir, "watch-0002.png"), p)
	p, err = o.next("gif")
	require.NoError(t, err)
	require.Equal(t, filepath.Join(o.dir, "watch-0001.gif"), p)
}
