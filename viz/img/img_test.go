package img

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGridPlacesEachImage(t *testing.T) {
	// Three 2x2 grey images: all 0, all 0.5, all 1; two per row, 1 pixel of padding.
	data := []float32{0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1}
	g := Grid(data, 3, 1, 2, 2, GridOptions{Cols: 2, Pad: 1, Background: color.RGBA{255, 0, 0, 255}})
	require.Equal(t, image.Rect(0, 0, 7, 7), g.Bounds())
	require.Equal(t, color.RGBA{255, 0, 0, 255}, g.RGBAAt(0, 0), "padding")
	require.Equal(t, color.RGBA{0, 0, 0, 255}, g.RGBAAt(1, 1), "first image")
	require.Equal(t, color.RGBA{128, 128, 128, 255}, g.RGBAAt(4, 2), "second image, 0.5 rounds to 128")
	require.Equal(t, color.RGBA{255, 255, 255, 255}, g.RGBAAt(2, 5), "third image on the second row")
	require.Equal(t, color.RGBA{255, 0, 0, 255}, g.RGBAAt(5, 5), "the empty cell shows the background")
}

func TestGridColourScaleAndNormalize(t *testing.T) {
	// One 1x2 RGB image: red then blue, values stretched from [-1, 3].
	data := []float32{3, -1, -1, -1, -1, 3}
	g := Grid(data, 1, 3, 1, 2, GridOptions{Scale: 2, Normalize: true})
	require.Equal(t, image.Rect(0, 0, 4, 2), g.Bounds())
	require.Equal(t, color.RGBA{255, 0, 0, 255}, g.RGBAAt(1, 1))
	require.Equal(t, color.RGBA{0, 0, 255, 255}, g.RGBAAt(2, 0))
}

func TestGridRejectsWrongSizes(t *testing.T) {
	require.PanicsWithValue(t, "img: Grid data has 3 values, want n*c*h*w = 4", func() {
		Grid(make([]float32, 3), 1, 1, 2, 2, GridOptions{})
	})
}

func TestScaleKeepsPixelsSharp(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 2, 1))
	src.SetRGBA(1, 0, color.RGBA{10, 20, 30, 255})
	dst := Scale(src, 3)
	require.Equal(t, image.Rect(0, 0, 6, 3), dst.Bounds())
	require.Equal(t, color.RGBA{10, 20, 30, 255}, dst.RGBAAt(3, 2))
	require.Equal(t, color.RGBA{}, dst.RGBAAt(2, 2))
}

func TestHeatmapEndsOfTheScale(t *testing.T) {
	h := Heatmap([]float64{1, 2, 3, 5}, 2, 2, 2, 0, 0)
	require.Equal(t, image.Rect(0, 0, 4, 4), h.Bounds())
	require.Equal(t, viridisStops[0], h.RGBAAt(0, 0), "the minimum is the first colour")
	require.Equal(t, viridisStops[8], h.RGBAAt(3, 3), "the maximum is the last colour")
	require.Equal(t, Colormap(0.5), Heatmap([]float64{0.5}, 1, 1, 1, 0, 1).RGBAAt(0, 0))
}

func TestGIFRoundTripsExactColours(t *testing.T) {
	frame := image.NewRGBA(image.Rect(0, 0, 3, 2))
	frame.SetRGBA(0, 0, color.RGBA{200, 72, 72, 255})
	frame.SetRGBA(2, 1, color.RGBA{66, 72, 200, 255})
	g := NewGIF(4)
	g.Add(frame)
	g.Add(frame)
	var buf bytes.Buffer
	require.NoError(t, g.Encode(&buf))
	decoded, err := gif.DecodeAll(&buf)
	require.NoError(t, err)
	require.Len(t, decoded.Image, 2)
	require.Equal(t, []int{4, 4}, decoded.Delay)
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			want := frame.RGBAAt(x, y)
			want.A = 255
			require.Equal(t, want, color.RGBAModel.Convert(decoded.Image[0].At(x, y)), "pixel %d,%d", x, y)
		}
	}
	require.Error(t, NewGIF(1).Encode(&buf), "an empty animation is an error")
}
