package img

import (
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"io"
)

// GIF collects frames of an animation. Frames whose colours fit one
// 256-colour palette (every arcade game does) are stored exactly; richer
// frames are dithered onto the web-safe palette.
type GIF struct {
	anim  gif.GIF
	delay int // hundredths of a second per frame
}

// NewGIF starts an animation that shows each frame for delay hundredths of
// a second (2 = 50 frames per second, the fastest most viewers honour).
func NewGIF(delay int) *GIF {
	return &GIF{delay: max(delay, 1)}
}

// Add appends a copy of frame.
func (g *GIF) Add(frame image.Image) {
	b := frame.Bounds()
	pal := exactPalette(frame)
	dst := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), pal)
	if pal == nil {
		dst.Palette = palette.WebSafe
		draw.FloydSteinberg.Draw(dst, dst.Bounds(), frame, b.Min)
	} else {
		draw.Draw(dst, dst.Bounds(), frame, b.Min, draw.Src)
	}
	g.anim.Image = append(g.anim.Image, dst)
	g.anim.Delay = append(g.anim.Delay, g.delay)
}

// Len reports how many frames have been added.
func (g *GIF) Len() int { return len(g.anim.Image) }

// Encode writes the animation, looping forever.
func (g *GIF) Encode(w io.Writer) error {
	if len(g.anim.Image) == 0 {
		return errors.New("img: GIF has no frames")
	}
	return gif.EncodeAll(w, &g.anim)
}

// exactPalette returns the frame's opaque colours as a palette, or nil when
// there are more than 256 of them.
func exactPalette(frame image.Image) color.Palette {
	b := frame.Bounds()
	seen := make(map[color.RGBA]struct{})
	var pal color.Palette
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(frame.At(x, y)).(color.RGBA)
			c.A = 255
			if _, ok := seen[c]; ok {
				continue
			}
			if len(pal) == 256 {
				return nil
			}
			seen[c] = struct{}{}
			pal = append(pal, c)
		}
	}
	return pal
}
