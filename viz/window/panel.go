package window

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
)

// Text is Ebiten's debug font: 6x16 pixels a character, white, Latin-1.
const (
	charW = 6
	lineH = 16
)

// The side panel's geometry.
const (
	panelMinW = 372
	pad       = 8
	maxObsH   = 200 // the observation picture's height, unless frames need more
)

var (
	screenBackground = color.RGBA{20, 20, 28, 255}
	panelEdge        = color.RGBA{70, 70, 90, 255}
	chosenColour     = color.RGBA{250, 190, 60, 255}
	chosenTrack      = color.RGBA{80, 66, 36, 255}
	zeroLine         = color.RGBA{150, 150, 160, 255}
)

// fill paints r of dst in c.
func fill(dst *ebiten.Image, r image.Rectangle, c color.Color) {
	if r.Empty() {
		return
	}
	dst.SubImage(r).(*ebiten.Image).Fill(c)
}

// text prints s with its top-left corner at (x, y).
func text(dst *ebiten.Image, s string, x, y int) {
	ebitenutil.DebugPrintAt(dst, s, x, y)
}

// fit cuts s to n characters, marking the cut.
func fit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 3 {
		return string(r[:n])
	}
	return string(r[:n-2]) + ".."
}

// drawScaled draws src at (x, y), each pixel k x k screen pixels (nearest
// neighbour: sharp).
func drawScaled(dst, src *ebiten.Image, x, y, k int) {
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(k), float64(k))
	op.GeoM.Translate(float64(x), float64(y))
	dst.DrawImage(src, op)
}

// bars lays out one row per action: its name, a bar of its value on a
// track, and the number.
type bars struct {
	x, y   int // top-left of the first row
	labelW int // the names' column
	trackW int
	names  []string
}

func newBars(x, y int, names []string) bars {
	n := 0
	for _, s := range names {
		n = max(n, len([]rune(s)))
	}
	return bars{x: x, y: y, labelW: (n + 3) * charW, trackW: 200, names: names}
}

// height is the rows' height.
func (b bars) height() int { return len(b.names) * lineH }

// track returns the rectangle of row a's track.
func (b bars) track(a int) image.Rectangle {
	y := b.y + a*lineH
	return image.Rect(b.x+b.labelW, y+3, b.x+b.labelW+b.trackW, y+lineH-3)
}

// scale returns the value at the track's left end and the values the
// track spans: from min(0, min q) to max(0, max q).
func (b bars) scale(q []float32) (lo, span float64) {
	lo, hi := 0.0, 0.0
	for _, v := range q {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	return lo, hi - lo
}

// bar returns the rectangle of row a's bar for the values q: from zero to
// q[a], at least 2 pixels wide.
func (b bars) bar(a int, q []float32) image.Rectangle {
	t := b.track(a)
	lo, span := b.scale(q)
	at := func(v float64) int { return t.Min.X + int(math.Round((v-lo)/span*float64(b.trackW))) }
	zero, end := at(0), at(float64(q[a]))
	x0, x1 := min(zero, end), max(zero, end)
	if x1-x0 < 2 {
		if q[a] < 0 {
			x0 = x1 - 2
		} else {
			x1 = x0 + 2
		}
	}
	return image.Rect(x0, t.Min.Y, x1, t.Max.Y)
}

// draw paints the rows for values q (nil: tracks only), highlighting row
// chosen (-1: none).
func (b bars) draw(dst *ebiten.Image, q []float32, chosen int) {
	for a, name := range b.names {
		y := b.y + a*lineH
		t := b.track(a)
		mark := "  "
		if a == chosen {
			mark = "> "
			fill(dst, t, chosenTrack)
		} else {
			fill(dst, t, barTrack)
		}
		text(dst, mark+name, b.x, y)
		if q == nil {
			continue
		}
		c := barColour
		if a == chosen {
			c = chosenColour
		}
		fill(dst, b.bar(a, q), c)
		text(dst, fmt.Sprintf("%+.3f", q[a]), t.Max.X+6, y)
	}
	if q != nil {
		lo, span := b.scale(q)
		if lo < 0 {
			x := b.track(0).Min.X + int(math.Round(-lo/span*float64(b.trackW)))
			fill(dst, image.Rect(x, b.y+1, x+1, b.y+b.height()-1), zeroLine)
		}
	}
}
