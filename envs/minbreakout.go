package envs

// min-breakout's channels.
const (
	mbPaddle = iota
	mbBall
	mbTrail
	mbBrick
)

// MinBreakout is Breakout on MinAtar's rules.
//
// # Description
//
// A paddle on the bottom row keeps a ball in play; the ball breaks the
// bricks of rows 1-3, which refill when all 30 are gone.
//
// # Action Space
//
// Discrete(6): NOOP, LEFT, UP, RIGHT, DOWN, FIRE; only LEFT and RIGHT do
// anything (they move the paddle one cell, stopping at the edges).
//
// # Observation Space
//
// uint8 [4, 10, 10] of 0/1, channels paddle, ball, trail (the ball's
// previous cell; at the start, the ball's own cell), brick.
//
// # Rewards
//
// +1 per brick broken.
//
// # Starting State
//
// Paddle at x 4 of row 9; bricks on rows 1-3; the ball on row 3 at x 0
// moving down-right or at x 9 moving down-left, 50/50.
//
// # Episode End
//
// Terminated when the ball reaches the bottom row off the paddle. No time
// limit.
//
// # Arguments
//
// sticky (default 0.1), max_steps (default 0, none).
//
// Each step the paddle moves, then the ball moves one cell diagonally.
// Where its next cell is blocked, the blocked direction reverses and the
// ball stays on that axis, as a reflection across the cell edge does: a
// side wall keeps its column, the ceiling its row. A brick in the next cell
// reverses the vertical direction and keeps the ball's row (breaking the
// brick, +1, unless a brick was broken on the previous step: the flag that
// stops two breaks in a row); should the cell beside it in its own row be a
// brick too, the horizontal direction reverses as well and the ball stays
// put. At the bottom, a ball landing on the paddle's cell bounces up and
// keeps its row; a ball leaving the column the paddle is in (coming off the
// paddle's side) bounces back the way it came and stays put; any other
// ball reaches row 9 and the episode ends.
type MinBreakout struct {
	minGame
	ballX, ballY   int
	dx, dy         int
	trailX, trailY int
	paddleX        int
	bricks         [3 * minSize]bool // rows 1-3
	left           int               // bricks left
	strike         bool              // a brick was broken on the previous step
}

// NewMinBreakout returns an unseeded min-breakout.
func NewMinBreakout() *MinBreakout {
	return &MinBreakout{minGame: newMinGame("min-breakout",
		[]paint{rgb(90, 180, 240), rgb(250, 250, 250), rgb(90, 90, 120), rgb(220, 110, 70)},
		mbBrick, mbTrail, mbPaddle, mbBall)}
}

// Reset refills the bricks and serves the ball from a random side.
func (g *MinBreakout) Reset() (Obs, Info) {
	g.ep.reset()
	g.ballY, g.dy = 3, 1
	g.ballX, g.dx = g.randomSide()
	g.trailX, g.trailY = g.ballX, g.ballY
	g.paddleX, g.strike = 4, false
	g.refill()
	return g.observe(), g.info
}

func (g *MinBreakout) refill() {
	for i := range g.bricks {
		g.bricks[i] = true
	}
	g.left = len(g.bricks)
}

// brick reports whether cell (y, x) holds a brick.
func (g *MinBreakout) brick(y, x int) bool {
	return y >= 1 && y <= 3 && g.bricks[(y-1)*minSize+x]
}

// Step moves the paddle, then the ball.
func (g *MinBreakout) Step(action int) (Obs, float64, bool, bool, Info) {
	g.ep.step(action)
	switch action {
	case minLeft:
		g.paddleX = max(g.paddleX-1, 0)
	case minRight:
		g.paddleX = min(g.paddleX+1, minSize-1)
	}
	g.trailX, g.trailY = g.ballX, g.ballY
	nx, ny := g.ballX+g.dx, g.ballY+g.dy
	if nx < 0 || nx >= minSize {
		g.dx, nx = -g.dx, g.ballX
	}
	if ny < 0 {
		g.dy, ny = -g.dy, g.ballY
	}
	reward, struck := 0.0, false
	if g.brick(ny, nx) {
		if !g.strike {
			g.bricks[(ny-1)*minSize+nx] = false
			g.left--
			reward, struck = 1, true
		}
		g.dy, ny = -g.dy, g.ballY
		if g.brick(ny, nx) {
			g.dx, nx = -g.dx, g.ballX
		}
	}
	g.strike = struck
	terminated := false
	if ny == minSize-1 {
		switch {
		case nx == g.paddleX:
			g.dy, ny = -1, g.ballY
		case g.ballX == g.paddleX:
			g.dx, g.dy, nx, ny = -g.dx, -1, g.ballX, g.ballY
		default:
			terminated = true
		}
	}
	g.ballX, g.ballY = nx, ny
	if g.left == 0 {
		g.refill()
	}
	g.ep.end(terminated)
	return g.observe(), reward, terminated, false, g.info
}

func (g *MinBreakout) observe() Obs {
	g.begin()
	g.set(mbPaddle, minSize-1, g.paddleX)
	g.set(mbBall, g.ballY, g.ballX)
	g.set(mbTrail, g.trailY, g.trailX)
	for i, b := range g.bricks {
		if b {
			g.set(mbBrick, 1+i/minSize, i%minSize)
		}
	}
	return g.obs()
}
