package window

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// PatternWidth and PatternHeight are the logical size of the test pattern.
const (
	PatternWidth  = 320
	PatternHeight = 240
)

// patternBars are the colour bars of the pattern's top two thirds, left
// to right, as on an analogue test card.
var patternBars = [...]color.RGBA{
	{255, 255, 255, 255}, {255, 255, 0, 255}, {0, 255, 255, 255}, {0, 255, 0, 255},
	{255, 0, 255, 255}, {255, 0, 0, 255}, {0, 0, 255, 255}, {0, 0, 0, 255},
}

// PatternColor returns the colour of the test pattern at (x, y): eight
// colour bars above a grey ramp of eight steps.
func PatternColor(x, y int) color.RGBA {
	bar := x * len(patternBars) / PatternWidth
	if y < PatternHeight*2/3 {
		return patternBars[bar]
	}
	g := uint8(bar * 255 / (len(patternBars) - 1))
	return color.RGBA{g, g, g, 255}
}

// Pattern is a Game that shows the test pattern until Esc or Q is pressed,
// the window is closed, or Frames updates have run (when Frames > 0).
type Pattern struct {
	Frames  int // close after this many updates; 0 means stay open
	updates int
	bars    *ebiten.Image
}

// Update counts frames and handles the quit keys.
func (p *Pattern) Update() error {
	p.updates++
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) || inpututil.IsKeyJustPressed(ebiten.KeyQ) ||
		p.Frames > 0 && p.updates >= p.Frames {
		return ebiten.Termination
	}
	return nil
}

// Draw paints the pattern.
func (p *Pattern) Draw(screen *ebiten.Image) {
	if p.bars == nil {
		pix := make([]byte, 4*PatternWidth*PatternHeight)
		for y := 0; y < PatternHeight; y++ {
			for x := 0; x < PatternWidth; x++ {
				c := PatternColor(x, y)
				o := 4 * (y*PatternWidth + x)
				pix[o], pix[o+1], pix[o+2], pix[o+3] = c.R, c.G, c.B, c.A
			}
		}
		p.bars = ebiten.NewImage(PatternWidth, PatternHeight)
		p.bars.WritePixels(pix)
	}
	screen.DrawImage(p.bars, nil)
}

// Layout fixes the logical screen at the pattern's size; Ebiten scales it
// to the window.
func (p *Pattern) Layout(outsideWidth, outsideHeight int) (int, int) {
	return PatternWidth, PatternHeight
}

// RunPattern opens a window titled title with the test pattern, scaled
// twice, and returns when it closes.
func RunPattern(title string, frames int) error {
	ebiten.SetWindowTitle(title)
	ebiten.SetWindowSize(2*PatternWidth, 2*PatternHeight)
	return ebiten.RunGame(&Pattern{Frames: frames})
}
