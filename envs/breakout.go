package envs

import "math"

// Breakout's geometry in pixels of the 160x210 screen, and its speeds in
// pixels per frame.
const (
	boTop         = 25  // first row below the top wall
	boWallTop     = 17  // first row of the top wall
	boLeft        = 8   // first column right of the left wall
	boRight       = 152 // first column of the right wall
	boBrickTop    = 57  // top of the first brick row
	boBrickW      = 8
	boBrickH      = 6
	boBrickRows   = 6
	boBrickCols   = (boRight - boLeft) / boBrickW // 18
	boPaddleY     = 189
	boPaddleW     = 16
	boPaddleH     = 4
	boBallW       = 2
	boBallH       = 4
	boServeY      = 110 // the ball's top at a serve
	boPaddleV     = 4.0 // the paddle's speed
	boBallVY      = 2.0 // vertical ball speed at a serve
	boBallVYFast  = 3.0 // ... after 12 returns or a hit on the top two rows
	boBallVXMax   = 2.5 // horizontal speed off the paddle's ends
	boFastReturns = 12
	boLives       = 5
	boWalls       = 2 // clearing the second wall ends the game
)

// Breakout's colours, Atari's; rows top to bottom, with their points.
var (
	boBackground = rgb(0, 0, 0)
	boWallColour = rgb(142, 142, 142)
	boRed        = rgb(200, 72, 72)
	boRowColours = [boBrickRows]paint{boRed, rgb(198, 108, 58), rgb(180, 122, 48), rgb(162, 162, 42), rgb(72, 160, 72), rgb(66, 72, 200)}
	boRowPoints  = [boBrickRows]float64{7, 7, 4, 4, 1, 1}
)

// Breakout is Atari-style Breakout from pixels.
//
// # Description
//
// A paddle at the bottom bounces a ball into six rows of 18 bricks between
// three walls. Where the ball hits the paddle sets its angle; it speeds up
// after 12 returns or a hit on the top two rows. A cleared wall is rebuilt
// once.
//
// # Action Space
//
// Discrete(4): 0 NOOP, 1 FIRE (serves a ball when none is in play),
// 2 RIGHT, 3 LEFT (the paddle moves 4 pixels a frame), Atari's order.
//
// # Observation Space
//
// The raw game: uint8 [210, 160, 3], the colour screen. The standard stack
// (Make): uint8 [4, 84, 84], the last 4 agent steps' grayscale frames drawn
// straight at 84x84, oldest first, each the max of the last two of its 4
// game frames.
//
// # Rewards
//
// The points of each brick broken: 1 for the two bottom rows, 4 for the
// middle two, 7 for the top two (clipped to 1 by the standard stack; the
// Monitor's episode_return keeps the points).
//
// # Starting State
//
// A full wall, the paddle centred, 5 lives, no ball until FIRE; the
// standard stack plays 1 to 30 no-op frames. FIRE serves from a random
// column below the bricks, downwards at a random angle.
//
// # Episode End
//
// Terminated when the last life is lost (a ball falling past the paddle
// costs one) or the second wall is cleared. Truncated after 27,000 agent
// steps (108,000 frames, as Gymnasium's Atari envs). Info "lives" holds the
// lives left; episodic_life=true ends the agent's episode at each lost one.
//
// # Arguments
//
// size, frame_skip, stack, noop_max, clip_reward, episodic_life, sticky,
// max_steps: see arcade envs.
type Breakout struct {
	pixelGame
	paddleX      float64
	ballX, ballY float64 // top-left of the ball
	vx, vy       float64
	inPlay       bool
	bricks       [boBrickRows * boBrickCols]bool
	left         int // bricks left in this wall
	walls        int // walls cleared
	lives, score int
	returns      int // paddle hits since the serve
	fast         bool
}

// NewBreakout returns an unseeded Breakout.
func NewBreakout() *Breakout {
	b := &Breakout{}
	b.pixelGame = newPixelGame("breakout", []string{"NOOP", "FIRE", "RIGHT", "LEFT"}, drawBreakoutStatic, b.drawScene)
	return b
}

// Reset starts a game: a full wall, 5 lives, no ball.
func (b *Breakout) Reset() (Obs, Info) {
	b.ep.reset()
	b.paddleX = float64(boLeft+boRight-boPaddleW) / 2
	b.inPlay, b.walls, b.lives, b.score = false, 0, boLives, 0
	b.build()
	clear(b.info)
	b.info[InfoLives] = boLives
	return b.observe(), b.info
}

func (b *Breakout) build() {
	for i := range b.bricks {
		b.bricks[i] = true
	}
	b.left = len(b.bricks)
}

// Step plays one frame.
func (b *Breakout) Step(action int) (Obs, float64, bool, bool, Info) {
	b.ep.step(action)
	switch action {
	case 1:
		if !b.inPlay {
			b.launch()
		}
	case 2:
		b.paddleX = min(b.paddleX+boPaddleV, boRight-boPaddleW)
	case 3:
		b.paddleX = max(b.paddleX-boPaddleV, boLeft)
	}
	reward := 0.0
	if b.inPlay {
		reward = b.moveBall()
	}
	done := b.lives == 0 || b.walls == boWalls
	b.ep.end(done)
	clear(b.info)
	b.info[InfoLives] = float64(b.lives)
	return b.observe(), reward, done, false, b.info
}

// launch serves a ball downwards from a random column.
func (b *Breakout) launch() {
	b.inPlay, b.returns, b.fast = true, 0, false
	b.ballX = boLeft + b.rng.Float64()*(boRight-boLeft-boBallW)
	b.ballY = boServeY
	b.vy = boBallVY
	b.vx = (0.5 + b.rng.Float64()) * boBallVXMax / 2
	if b.rng.IntN(2) == 0 {
		b.vx = -b.vx
	}
}

// moveBall moves the ball one frame, vertically then horizontally, each
// axis reflecting off walls and bricks, and returns the points scored.
func (b *Breakout) moveBall() float64 {
	reward := 0.0
	oldY := b.ballY
	b.ballY += b.vy
	if b.ballY < boTop {
		b.ballY, b.vy = 2*boTop-b.ballY, -b.vy
	}
	if r, ok := b.breakBrick(); ok {
		reward += r
		b.ballY, b.vy = oldY, -b.vy
	}
	if b.vy > 0 && oldY+boBallH <= boPaddleY && b.ballY+boBallH > boPaddleY &&
		b.ballX < b.paddleX+boPaddleW && b.ballX+boBallW > b.paddleX {
		b.ballY = 2*(boPaddleY-boBallH) - b.ballY
		off := (b.ballX + boBallW/2 - b.paddleX - boPaddleW/2) / ((boPaddleW + boBallW) / 2)
		b.vx = max(-1, min(off, 1)) * boBallVXMax
		if b.returns++; b.returns >= boFastReturns {
			b.fast = true
		}
		b.vy = -b.speed()
	}
	if b.ballY > pixelH {
		b.inPlay = false
		b.lives--
		return reward
	}
	oldX := b.ballX
	b.ballX += b.vx
	if b.ballX < boLeft {
		b.ballX, b.vx = 2*boLeft-b.ballX, -b.vx
	}
	if b.ballX+boBallW > boRight {
		b.ballX, b.vx = 2*(boRight-boBallW)-b.ballX, -b.vx
	}
	if r, ok := b.breakBrick(); ok {
		reward += r
		b.ballX, b.vx = oldX, -b.vx
	}
	return reward
}

// speed is the ball's vertical speed.
func (b *Breakout) speed() float64 {
	if b.fast {
		return boBallVYFast
	}
	return boBallVY
}

// breakBrick removes the first brick (in reading order) the ball overlaps
// and returns its points; the top two rows speed the ball up. A cleared
// wall is rebuilt, or ends the game the second time.
func (b *Breakout) breakBrick() (float64, bool) {
	x0, y0 := int(math.Floor(b.ballX)), int(math.Floor(b.ballY))
	r0, r1 := floorDiv(y0-boBrickTop, boBrickH), floorDiv(y0+boBallH-1-boBrickTop, boBrickH)
	c0, c1 := floorDiv(x0-boLeft, boBrickW), floorDiv(x0+boBallW-1-boLeft, boBrickW)
	for r := max(r0, 0); r <= min(r1, boBrickRows-1); r++ {
		for c := max(c0, 0); c <= min(c1, boBrickCols-1); c++ {
			if i := r*boBrickCols + c; b.bricks[i] {
				b.bricks[i] = false
				if r < 2 && !b.fast {
					b.fast = true
					b.vy = math.Copysign(boBallVYFast, b.vy)
				}
				b.score += int(boRowPoints[r])
				if b.left--; b.left == 0 {
					if b.walls++; b.walls < boWalls {
						b.build()
					}
				}
				return boRowPoints[r], true
			}
		}
	}
	return 0, false
}

// floorDiv is a / b rounded down, for b > 0.
func floorDiv(a, b int) int {
	if a < 0 {
		return -((-a + b - 1) / b)
	}
	return a / b
}

// drawBreakoutStatic draws what never changes: background and walls.
func drawBreakoutStatic(c *canvas) {
	c.fill(0, 0, pixelW, pixelH, boBackground)
	c.fill(0, boWallTop, pixelW, boTop, boWallColour)
	c.fill(0, boTop, boLeft, pixelH-14, boWallColour)
	c.fill(boRight, boTop, pixelW, pixelH-14, boWallColour)
}

// drawScene draws over the static layer: score, lives, bricks, paddle,
// ball.
func (b *Breakout) drawScene(c *canvas) {
	c.number(b.score, 60, 3, 2, boWallColour)
	c.number(b.lives, 110, 3, 2, boWallColour)
	for r := range boBrickRows {
		y := boBrickTop + r*boBrickH
		for col := 0; col < boBrickCols; {
			if !b.bricks[r*boBrickCols+col] {
				col++
				continue
			}
			end := col + 1 // draw a run of bricks as one rectangle
			for end < boBrickCols && b.bricks[r*boBrickCols+end] {
				end++
			}
			c.fill(boLeft+col*boBrickW, y, boLeft+end*boBrickW, y+boBrickH, boRowColours[r])
			col = end
		}
	}
	px := int(b.paddleX)
	c.fill(px, boPaddleY, px+boPaddleW, boPaddleY+boPaddleH, boRed)
	if b.inPlay {
		x, y := int(math.Floor(b.ballX)), int(math.Floor(b.ballY))
		c.fill(x, y, x+boBallW, y+boBallH, boRed)
	}
}
