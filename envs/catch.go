package envs

import (
	"image"
	"math/rand/v2"
)

// Catch's board, as in bsuite's Catch (Osband et al. 2019).
const (
	catchRows = 10
	catchCols = 5
)

// Catch is bsuite's Catch: a ball falls, the agent catches it.
//
// # Description
//
// A ball appears in a random column of the top row and falls one row per
// step; the agent moves a one-cell paddle along the bottom row to catch it.
//
// # Action Space
//
// Discrete(3): 0 NOOP, 1 LEFT, 2 RIGHT (the paddle stops at the edges).
//
// # Observation Space
//
// uint8 [10, 5]: 1 on the ball's and the paddle's cells, 0 elsewhere.
//
// # Rewards
//
// +1 when the ball reaches the bottom row on the paddle, -1 when it
// misses; 0 on the other steps.
//
// # Starting State
//
// The ball in a uniformly random column of row 0; the paddle in the middle
// of row 9.
//
// # Episode End
//
// Terminated when the ball reaches the bottom row, after 9 steps.
//
// # Arguments
//
// None.
type Catch struct {
	ep                    episode
	rng                   *rand.Rand
	ballX, ballY, paddleX int
	cells                 [catchRows * catchCols]uint8
	shape                 []int
	info                  Info
}

// NewCatch returns an unseeded Catch.
func NewCatch() *Catch {
	return &Catch{ep: episode{name: "catch", actions: 3}, shape: []int{catchRows, catchCols}, info: newInfo()}
}

// Seed reseeds the env's generator.
func (c *Catch) Seed(seed uint64) { c.rng = newRNG(seed, streamGame); c.ep.seed() }

// ActionSpace is NOOP, LEFT, RIGHT.
func (c *Catch) ActionSpace() Discrete {
	return Discrete{N: 3, Names: catchActions}
}

var catchActions = []string{"NOOP", "LEFT", "RIGHT"}

// ObservationSpace is uint8 [10, 5] of 0/1.
func (c *Catch) ObservationSpace() Box { return uniformBox(Uint8, 0, 1, catchRows, catchCols) }

// Reset drops a new ball.
func (c *Catch) Reset() (Obs, Info) {
	c.ep.reset()
	c.ballX, c.ballY, c.paddleX = c.rng.IntN(catchCols), 0, catchCols/2
	clear(c.info)
	return c.observe(), c.info
}

// Step moves the paddle, then the ball.
func (c *Catch) Step(action int) (Obs, float64, bool, bool, Info) {
	c.ep.step(action)
	switch action {
	case 1:
		c.paddleX = max(c.paddleX-1, 0)
	case 2:
		c.paddleX = min(c.paddleX+1, catchCols-1)
	}
	c.ballY++
	reward, done := 0.0, c.ballY == catchRows-1
	if done {
		reward = -1
		if c.ballX == c.paddleX {
			reward = 1
		}
	}
	c.ep.end(done)
	clear(c.info)
	return c.observe(), reward, done, false, c.info
}

func (c *Catch) observe() Obs {
	clear(c.cells[:])
	c.cells[c.ballY*catchCols+c.ballX] = 1
	c.cells[(catchRows-1)*catchCols+c.paddleX] = 1
	return Obs{Shape: c.shape, U8: c.cells[:]}
}

const catchCell = 24 // pixels per cell in pictures

// RenderSize is 24 pixels per cell: 120x240.
func (c *Catch) RenderSize() image.Point { return image.Pt(catchCols*catchCell, catchRows*catchCell) }

// Render draws the board, the ball and the paddle.
func (c *Catch) Render(dst *image.RGBA) {
	checkRenderTarget("catch", dst, c.RenderSize())
	cv := rgbaCanvas(dst, c.RenderSize())
	cv.fill(0, 0, catchCols*catchCell, catchRows*catchCell, rgb(20, 20, 30))
	bx, by := c.ballX*catchCell, c.ballY*catchCell
	fillDisc(dst, float64(bx)+catchCell/2, float64(by)+catchCell/2, catchCell*0.4, rgb(240, 200, 60))
	px, py := c.paddleX*catchCell, (catchRows-1)*catchCell
	cv.fill(px+1, py+catchCell/2, px+catchCell-1, py+catchCell, rgb(90, 180, 240))
}
