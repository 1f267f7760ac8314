package img

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// viridisStops are nine samples of matplotlib's viridis colour map, from 0
// to 1; Colormap interpolates linearly between them.
var viridisStops = [...]color.RGBA{
	{68, 1, 84, 255}, {71, 44, 122, 255}, {59, 81, 139, 255},
	{44, 113, 142, 255}, {33, 144, 141, 255}, {39, 173, 129, 255},
	{92, 200, 99, 255}, {170, 220, 50, 255}, {253, 231, 37, 255},
}

// Colormap maps t in [0, 1] to a colour of the viridis map (dark blue to
// yellow); values outside are clipped and NaN is drawn mid-grey.
func Colormap(t float64) color.RGBA {
	if math.IsNaN(t) {
		return color.RGBA{128, 128, 128, 255}
	}
	t = math.Min(math.Max(t, 0), 1)
	f := t * float64(len(viridisStops)-1)
	i := int(f)
	if i >= len(viridisStops)-1 {
		return viridisStops[len(viridisStops)-1]
	}
	a, b, u := viridisStops[i], viridisStops[i+1], f-float64(i)
	lerp := func(x, y uint8) uint8 { return uint8(float64(x) + u*(float64(y)-float64(x)) + 0.5) }
	return color.RGBA{lerp(a.R, b.R), lerp(a.G, b.G), lerp(a.B, b.B), 255}
}

// Heatmap draws a rows x cols matrix (row-major) as cells of cell x cell
// pixels coloured by Colormap. The colour scale runs from lo to hi; when
// lo == hi it runs from the matrix's own minimum to its maximum.
func Heatmap(values []float64, rows, cols, cell int, lo, hi float64) *image.RGBA {
	if len(values) != rows*cols {
		panic(fmt.Sprintf("img: Heatmap has %d values, want %d x %d", len(values), rows, cols))
	}
	cell = max(cell, 1)
	if lo == hi {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	span := hi - lo
	if !(span > 0) {
		span = 1
	}
	dst := image.NewRGBA(image.Rect(0, 0, cols*cell, rows*cell))
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			px := Colormap((values[r*cols+c] - lo) / span)
			for y := r * cell; y < (r+1)*cell; y++ {
				for x := c * cell; x < (c+1)*cell; x++ {
					dst.SetRGBA(x, y, px)
				}
			}
		}
	}
	return dst
}
