package envs

import (
	"image"
	"math/rand/v2"
)

// The pixel games draw a scene of pixelW x pixelH, Atari's screen size, at
// a fixed tick: one Step is one game frame.
const (
	pixelW = 160
	pixelH = 210
)

// pixelGame holds what Pong and Breakout share: the episode protocol, the
// RNG, and the observation frame, drawn from the scene either in colour at
// the native size (the raw observation, [210, 160, 3]) or, once
// ObserveGray asked, in gray at any size.
type pixelGame struct {
	ep    episode
	rng   *rand.Rand
	names []string
	info  Info
	// The game's scene in two layers: what never changes (background,
	// walls), drawn once per frame size, and the rest.
	static, draw func(c *canvas)
	// the observation frame, its static layer and the canvas that draws
	// into it
	pix, bg []uint8
	shape   []int
	cv      canvas
}

func newPixelGame(name string, actions []string, static, draw func(c *canvas)) pixelGame {
	g := pixelGame{ep: episode{name: name, actions: len(actions)}, names: actions, info: newInfo(), static: static, draw: draw}
	g.frame(pixelW, pixelH, 3)
	g.shape = append(g.shape, 3)
	return g
}

// frame sets up an observation frame of w x h pixels of bpp bytes.
func (g *pixelGame) frame(w, h, bpp int) {
	g.pix, g.bg = make([]uint8, w*h*bpp), make([]uint8, w*h*bpp)
	g.shape = []int{h, w}
	g.cv = canvas{pix: g.bg, stride: w * bpp, bpp: bpp, w: w, h: h, sw: pixelW, sh: pixelH}
	g.static(&g.cv)
	g.cv.pix = g.pix
}

// Seed reseeds the game's generator.
func (g *pixelGame) Seed(seed uint64) { g.rng = newRNG(seed, streamGame); g.ep.seed() }

// ActionSpace lists the game's actions.
func (g *pixelGame) ActionSpace() Discrete { return Discrete{N: len(g.names), Names: g.names} }

// ObservationSpace is uint8 [210, 160, 3] (RGB) or, after ObserveGray,
// uint8 [height, width].
func (g *pixelGame) ObservationSpace() Box { return uniformBox(Uint8, 0, 255, g.shape...) }

// ObserveGray makes observations gray frames of width x height, drawn
// straight at that size (GrayscaleResize calls it).
func (g *pixelGame) ObserveGray(width, height int) { g.frame(width, height, 1) }

// observe draws the scene into the observation frame.
func (g *pixelGame) observe() Obs {
	copy(g.pix, g.bg)
	g.draw(&g.cv)
	return Obs{Shape: g.shape, U8: g.pix}
}

// RenderSize is Atari's screen, 160x210.
func (g *pixelGame) RenderSize() image.Point { return image.Pt(pixelW, pixelH) }

// Render draws the scene in colour.
func (g *pixelGame) Render(dst *image.RGBA) {
	checkRenderTarget(g.ep.name, dst, g.RenderSize())
	c := rgbaCanvas(dst, g.RenderSize())
	g.static(&c)
	g.draw(&c)
}
