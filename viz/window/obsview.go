package window

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/arcadelab/arcade/envs"
)

// The observation panel shows what the network receives, value for value:
// stacked frames side by side in gray (or in colour for raw RGB frames),
// the 0/1 channels of the grid games as tiles side by side, each channel in
// its own colour, and vector observations as bars with their numbers.

// The kinds of observation pictures.
const (
	obsGray     = iota // [K, H, W] or [H, W] of 0..High: K gray frames side by side
	obsColour          // [K, H, W, 3] or [H, W, 3] of 0..255: K colour frames side by side
	obsChannels        // [C, H, W] of 0/1: C tiles, channel c in channelColours[c]
	obsVector          // [N]: one bar per value
)

// frameGap is the gap between frames or channel tiles, in observation
// pixels.
const frameGap = 1

// Vector pictures: one row per value up to vectorRows values, with the
// number printed beside its bar; more values are columns.
const (
	vectorRows   = 8
	vectorBarW   = 160 // the track of a row's bar
	vectorColumn = 48  // the height of the column chart
)

var (
	obsBackground = color.RGBA{12, 12, 20, 255}
	obsGapColour  = color.RGBA{60, 60, 72, 255}
	barTrack      = color.RGBA{40, 40, 50, 255}
	barColour     = color.RGBA{80, 130, 200, 255}
)

// channelColours colour the channels of grid observations, cycling after
// ten.
var channelColours = []color.RGBA{
	{235, 85, 70, 255}, {90, 205, 95, 255}, {85, 145, 245, 255}, {245, 205, 60, 255}, {205, 105, 225, 255},
	{75, 215, 215, 255}, {245, 145, 55, 255}, {185, 185, 185, 255}, {160, 230, 120, 255}, {250, 125, 175, 255},
}

// obsView draws the observations of one space into a picture.
type obsView struct {
	kind           int
	frames, h, w   int       // frames (or channels) of h x w values; for a column chart, w is a column's width
	high           float64   // the largest value, for gray levels
	low, highs     []float64 // vector bounds, one per value
	scale          int       // screen pixels per picture pixel
	pic            *image.RGBA
	values         []float64 // the vector drawn last, for its numbers
	describe       string    // the space, for the panel's heading
	vectorAsColumn bool
}

// newObsView lays out pictures of space to fit width x maxHeight screen
// pixels where the picture allows (frames are never shrunk).
func newObsView(space envs.Box, width, maxHeight int) *obsView {
	v := &obsView{describe: fmt.Sprintf("%s %v", space.Dtype, space.Shape), scale: 1, high: 1}
	if space.Dtype == envs.Uint8 {
		v.high = 0
		for i := range space.Size() {
			_, hi := space.Bounds(i)
			v.high = math.Max(v.high, hi)
		}
		v.high = math.Max(v.high, 1)
	}
	sh := space.Shape
	switch r := len(sh); {
	case r == 1 || space.Dtype == envs.Float32:
		n := space.Size()
		v.kind = obsVector
		v.low, v.highs, v.values = make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			v.low[i], v.highs[i] = space.Bounds(i)
		}
		v.vectorAsColumn = n > vectorRows
		if v.vectorAsColumn {
			v.w = max(2, min(12, width/n))
			v.pic = image.NewRGBA(image.Rect(0, 0, n*v.w, vectorColumn))
		} else {
			v.pic = image.NewRGBA(image.Rect(0, 0, vectorBarW, n*lineH))
		}
		return v
	case r >= 3 && sh[r-1] == 3 && v.high > 1:
		v.kind, v.h, v.w, v.frames = obsColour, sh[r-3], sh[r-2], product(sh[:r-3])
	case r == 3 && v.high == 1:
		v.kind, v.frames, v.h, v.w = obsChannels, sh[0], sh[1], sh[2]
	default:
		v.kind, v.h, v.w, v.frames = obsGray, sh[r-2], sh[r-1], product(sh[:r-2])
	}
	pw, ph := v.frames*(v.w+frameGap)-frameGap, v.h
	v.scale = max(1, min(16, width/pw, maxHeight/ph))
	v.pic = image.NewRGBA(image.Rect(0, 0, pw, ph))
	return v
}

// product multiplies dims, 1 for none.
func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// size is the picture's size on the screen.
func (v *obsView) size() image.Point { return v.pic.Rect.Size().Mul(v.scale) }

// draw paints obs into the picture.
func (v *obsView) draw(obs envs.Obs) {
	if v.kind == obsVector {
		v.drawVector(obs)
		return
	}
	fillRGBA(v.pic, v.pic.Rect, obsGapColour)
	plane := v.h * v.w
	for f := range v.frames {
		x0 := f * (v.w + frameGap)
		for y := range v.h {
			for x := range v.w {
				var c color.RGBA
				switch v.kind {
				case obsGray:
					g := uint8(math.Round(float64(obs.U8[f*plane+y*v.w+x]) * 255 / v.high))
					c = color.RGBA{g, g, g, 255}
				case obsColour:
					o := 3 * (f*plane + y*v.w + x)
					c = color.RGBA{obs.U8[o], obs.U8[o+1], obs.U8[o+2], 255}
				case obsChannels:
					c = obsBackground
					if obs.U8[f*plane+y*v.w+x] != 0 {
						c = channelColours[f%len(channelColours)]
					}
				}
				v.pic.SetRGBA(x0+x, y, c)
			}
		}
	}
}

// drawVector draws one bar per value: a row of the track, filled from the
// left for values bounded below by 0 (one-hot codes), from the middle
// otherwise; or, for long vectors, one column per value.
func (v *obsView) drawVector(obs envs.Obs) {
	fillRGBA(v.pic, v.pic.Rect, obsBackground)
	for i := range v.values {
		if obs.F32 != nil {
			v.values[i] = float64(obs.F32[i])
		} else {
			v.values[i] = float64(obs.U8[i])
		}
		from, to := barSpan(v.values[i], v.low[i], v.highs[i])
		if v.vectorAsColumn {
			x := i * v.w
			track := image.Rect(x, 0, x+v.w-1, vectorColumn)
			fillRGBA(v.pic, track, barTrack)
			y0, y1 := vectorColumn-int(math.Round(to*vectorColumn)), vectorColumn-int(math.Round(from*vectorColumn))
			fillRGBA(v.pic, image.Rect(x, y0, x+v.w-1, y1), barColour)
			continue
		}
		y := i * lineH
		fillRGBA(v.pic, image.Rect(0, y+3, vectorBarW, y+lineH-3), barTrack)
		x0, x1 := int(math.Round(from*vectorBarW)), int(math.Round(to*vectorBarW))
		fillRGBA(v.pic, image.Rect(x0, y+3, max(x1, x0+1), y+lineH-3), barColour)
	}
}

// barSpan returns where a bar of value v in [lo, hi] starts and ends, as
// fractions of its track: from 0 when lo >= 0, from the middle (0.5)
// otherwise, scaled by the bounds where they are finite and by v/(|v|+1)
// where they are not (CartPole's velocities).
func barSpan(v, lo, hi float64) (from, to float64) {
	const huge = 1e6
	if lo >= 0 {
		if hi > lo && hi < huge {
			return 0, clamp01((v - lo) / (hi - lo))
		}
		return 0, v / (math.Abs(v) + 1)
	}
	bound := math.Max(math.Abs(lo), math.Abs(hi))
	f := v / (math.Abs(v) + 1)
	if bound < huge {
		f = v / bound
	}
	end := 0.5 + 0.5*math.Max(-1, math.Min(1, f))
	return math.Min(0.5, end), math.Max(0.5, end)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// labels returns the numbers printed beside the bars of a short vector,
// at their positions relative to the picture.
func (v *obsView) labels() []label {
	if v.kind != obsVector || v.vectorAsColumn {
		return nil
	}
	ls := make([]label, len(v.values))
	for i, x := range v.values {
		ls[i] = label{x: vectorBarW + 6, y: i * lineH, text: fmt.Sprintf("%+.4g", x)}
	}
	return ls
}

// label is a line of text at a position.
type label struct {
	x, y int
	text string
}

// fillRGBA paints r of dst in c.
func fillRGBA(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dst.SetRGBA(x, y, c)
		}
	}
}
