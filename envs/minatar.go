package envs

import (
	"image"
	"math/rand/v2"
)

// The MinAtar-rule games (Young and Tian 2019) are written from the rules
// in the team's minatar-rules.md only; MinAtar's code is GPL and was not
// read. Where the rules leave a detail open, the game's doc comment says
// what arcade does.

// The six actions of every MinAtar-rule game, in MinAtar's order.
const (
	minNoop = iota
	minLeft
	minUp
	minRight
	minDown
	minFire
)

// minSize is the side of the MinAtar grid.
const minSize = 10

// minCell is the size of a grid cell in pictures, in pixels.
const minCell = 16

// minGame holds what the five MinAtar-rule games share: the [C, 10, 10] 0/1
// observation, the RNG, the episode protocol and the picture.
type minGame struct {
	ep      episode
	rng     *rand.Rand
	cells   []uint8 // [C, 10, 10], rebuilt after every Reset and Step
	shape   []int
	info    Info
	colours []paint // one per channel
	layers  []int   // the channels in drawing order, bottom first
}

// newMinGame returns a game whose channel c is drawn in colours[c], the
// channels stacked in the order layers lists them (bottom first).
func newMinGame(name string, colours []paint, layers ...int) minGame {
	c := len(colours)
	return minGame{ep: episode{name: name, actions: 6}, cells: make([]uint8, c*minSize*minSize),
		shape: []int{c, minSize, minSize}, info: newInfo(), colours: colours, layers: layers}
}

// set marks cell (y, x) of channel c, ignoring cells off the grid.
func (g *minGame) set(c, y, x int) {
	if x >= 0 && x < minSize && y >= 0 && y < minSize {
		g.cells[(c*minSize+y)*minSize+x] = 1
	}
}

// begin clears the observation and the Info for a new frame.
func (g *minGame) begin() {
	clear(g.cells)
	clear(g.info)
}

// obs returns the observation built since begin.
func (g *minGame) obs() Obs { return Obs{Shape: g.shape, U8: g.cells} }

// Seed reseeds the game's generator.
func (g *minGame) Seed(seed uint64) { g.rng = newRNG(seed, streamGame); g.ep.seed() }

// ActionSpace is MinAtar's six actions; published results use all six.
func (g *minGame) ActionSpace() Discrete {
	return Discrete{N: 6, Names: minatarActions}
}

var minatarActions = []string{"NOOP", "LEFT", "UP", "RIGHT", "DOWN", "FIRE"}

// ObservationSpace is uint8 [C, 10, 10] of 0/1.
func (g *minGame) ObservationSpace() Box {
	return uniformBox(Uint8, 0, 1, g.shape...)
}

// RenderSize is 16 pixels per cell: 160x160.
func (g *minGame) RenderSize() image.Point { return image.Pt(minSize*minCell, minSize*minCell) }

// Render draws the grid, one colour per channel.
func (g *minGame) Render(dst *image.RGBA) {
	checkRenderTarget(g.ep.name, dst, g.RenderSize())
	drawGrid(dst, g.cells, minSize, minSize, minCell, rgb(12, 12, 20), g.colours, g.layers)
}

// randomSide returns the column and direction of an object entering a row:
// from the left edge moving right or from the right edge moving left,
// 50/50.
func (g *minGame) randomSide() (x, dir int) {
	if g.rng.IntN(2) == 0 {
		return 0, 1
	}
	return minSize - 1, -1
}
