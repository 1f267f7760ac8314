package envs

import "math"

// Pong's geometry in pixels of the 160x210 screen, and its speeds in
// pixels per frame.
const (
	pongTop        = 34  // first row of the field, below the top wall
	pongBottom     = 194 // first row of the bottom wall
	pongWall       = 10  // wall thickness
	pongPaddleW    = 4
	pongPaddleH    = 16
	pongAgentX     = 140 // left edge of the agent's paddle (right side)
	pongOpponentX  = 16  // left edge of the opponent's paddle
	pongBallW      = 2
	pongBallH      = 4
	pongPaddleV    = 4.0         // the agent's paddle speed
	pongOpponentV  = 4.0 * 2 / 3 // the opponent's paddle speed, 2/3 of the agent's
	pongDelay      = 6           // frames the opponent lags behind the ball
	pongBallVX     = 2.0         // horizontal ball speed at a serve
	pongBallVXMax  = 4.0         // ... after speeding up 0.25 per paddle hit
	pongBallVYMax  = 3.0         // vertical speed off a paddle's tip
	pongServeDelay = 20          // frames between a point and the next serve
	pongWinScore   = 21
)

// Pong's colours, Atari's.
var (
	pongBackground = rgb(144, 72, 17)
	pongWallColour = rgb(236, 236, 236)
	pongAgentColor = rgb(92, 186, 92)
	pongOpponent   = rgb(213, 130, 74)
)

// Pong is table tennis from pixels against a scripted opponent.
//
// # Description
//
// The agent's green paddle on the right returns a ball against the orange
// paddle on the left, which tracks where the ball was 6 frames ago at 2/3
// of the agent's speed, so that angled shots beat it. The ball speeds up a
// little with every return, and leaves a paddle at an angle set by where
// it hit.
//
// # Action Space
//
// Discrete(3): 0 NOOP, 1 UP, 2 DOWN (the paddle moves 4 pixels a frame).
//
// # Observation Space
//
// The raw game: uint8 [210, 160, 3], the colour screen. The standard
// stack (Make): uint8 [4, 84, 84], the last 4 agent steps' grayscale
// frames drawn straight at 84x84, oldest first, each the max of the last
// two of its 4 game frames.
//
// # Rewards
//
// +1 when the ball passes the opponent, -1 when it passes the agent (each
// step's rewards summed over its frames, then clipped to [-1, 1]).
//
// # Starting State
//
// 0-0, paddles centred; the ball is served from the centre 20 frames after
// the reset and after every point, towards a random side at a random
// height and angle. The standard stack then plays 1 to 30 no-op frames.
//
// # Episode End
//
// Terminated when either side reaches 21 points. Truncated after 27,000
// agent steps (108,000 frames, as Gymnasium's Atari envs).
//
// # Arguments
//
// size, frame_skip, stack, noop_max, clip_reward, episodic_life (no lives
// here), sticky, max_steps: see arcade envs.
type Pong struct {
	pixelGame
	ballX, ballY float64 // top-left of the ball
	vx, vy       float64
	serve        int // frames until the serve; 0 while the ball is in play
	agentY, oppY float64
	agent, opp   int // scores
	trail        [pongDelay]float64
	trailAt      int
}

// NewPong returns an unseeded Pong.
func NewPong() *Pong {
	p := &Pong{}
	p.pixelGame = newPixelGame("pong", []string{"NOOP", "UP", "DOWN"}, drawPongStatic, p.drawScene)
	return p
}

// Reset starts a game at 0-0.
func (p *Pong) Reset() (Obs, Info) {
	p.ep.reset()
	mid := float64(pongTop+pongBottom-pongPaddleH) / 2
	p.agentY, p.oppY = mid, mid
	p.agent, p.opp = 0, 0
	p.serve = pongServeDelay
	p.ballX, p.ballY = (pixelW-pongBallW)/2, (pongTop+pongBottom-pongBallH)/2
	for i := range p.trail {
		p.trail[i] = p.ballY
	}
	clear(p.info)
	return p.observe(), p.info
}

// Step plays one frame.
func (p *Pong) Step(action int) (Obs, float64, bool, bool, Info) {
	p.ep.step(action)
	switch action {
	case 1:
		p.agentY -= pongPaddleV
	case 2:
		p.agentY += pongPaddleV
	}
	p.agentY = clampPaddle(p.agentY)
	p.moveOpponent()
	reward := 0.0
	if p.serve > 0 {
		if p.serve--; p.serve == 0 {
			p.launch()
		}
	} else {
		reward = p.moveBall()
	}
	p.trail[p.trailAt] = p.ballY
	p.trailAt = (p.trailAt + 1) % pongDelay
	done := p.agent == pongWinScore || p.opp == pongWinScore
	p.ep.end(done)
	clear(p.info)
	return p.observe(), reward, done, false, p.info
}

func clampPaddle(y float64) float64 {
	return max(pongTop, min(y, pongBottom-pongPaddleH))
}

// moveOpponent moves the opponent's paddle towards where the ball was
// pongDelay frames ago while the ball comes its way, and back towards the
// middle otherwise.
func (p *Pong) moveOpponent() {
	target := float64(pongTop+pongBottom)/2 - pongPaddleH/2
	if p.serve == 0 && p.vx < 0 {
		target = p.trail[p.trailAt] + pongBallH/2 - pongPaddleH/2 // the oldest entry
	}
	d := target - p.oppY
	p.oppY = clampPaddle(p.oppY + max(-pongOpponentV, min(d, pongOpponentV)))
}

// launch serves the ball from the centre.
func (p *Pong) launch() {
	p.ballX = (pixelW - pongBallW) / 2
	p.ballY = pongTop + 40 + p.rng.Float64()*(pongBottom-pongTop-80)
	p.vx = pongBallVX
	if p.rng.IntN(2) == 0 {
		p.vx = -pongBallVX
	}
	p.vy = (2*p.rng.Float64() - 1) * pongBallVYMax * 2 / 3
}

// moveBall moves the ball one frame: walls, paddles, points.
func (p *Pong) moveBall() float64 {
	oldX := p.ballX
	p.ballX += p.vx
	p.ballY += p.vy
	if p.ballY < pongTop {
		p.ballY, p.vy = 2*pongTop-p.ballY, -p.vy
	}
	if p.ballY+pongBallH > pongBottom {
		p.ballY, p.vy = 2*(pongBottom-pongBallH)-p.ballY, -p.vy
	}
	// A paddle returns the ball when the ball's leading edge crosses the
	// paddle's face this frame and they overlap vertically.
	if face := float64(pongAgentX); p.vx > 0 && oldX+pongBallW <= face && p.ballX+pongBallW > face && p.overlaps(p.agentY) {
		p.ballX = 2*(face-pongBallW) - p.ballX
		p.bounce(p.agentY, -1)
	}
	if face := float64(pongOpponentX + pongPaddleW); p.vx < 0 && oldX >= face && p.ballX < face && p.overlaps(p.oppY) {
		p.ballX = 2*face - p.ballX
		p.bounce(p.oppY, 1)
	}
	switch {
	case p.ballX+pongBallW < 0:
		p.agent++
		p.point()
		return 1
	case p.ballX > pixelW:
		p.opp++
		p.point()
		return -1
	}
	return 0
}

func (p *Pong) overlaps(paddleY float64) bool {
	return p.ballY < paddleY+pongPaddleH && p.ballY+pongBallH > paddleY
}

// bounce sends the ball off a paddle in direction dir (±1), faster, at an
// angle set by where it hit: the paddle's tips give pongBallVYMax.
func (p *Pong) bounce(paddleY float64, dir float64) {
	off := (p.ballY + pongBallH/2 - paddleY - pongPaddleH/2) / ((pongPaddleH + pongBallH) / 2)
	p.vy = max(-1, min(off, 1)) * pongBallVYMax
	p.vx = dir * min(math.Abs(p.vx)+0.25, pongBallVXMax)
}

// point parks the ball until the next serve.
func (p *Pong) point() {
	p.serve = pongServeDelay
	p.vx, p.vy = 0, 0
}

// drawPongStatic draws what never changes: background and walls.
func drawPongStatic(c *canvas) {
	c.fill(0, 0, pixelW, pixelH, pongBackground)
	c.fill(0, pongTop-pongWall, pixelW, pongTop, pongWallColour)
	c.fill(0, pongBottom, pixelW, pongBottom+pongWall, pongWallColour)
}

// drawScene draws over the static layer: scores, paddles, ball.
func (p *Pong) drawScene(c *canvas) {
	c.number(p.opp, 48, 4, 3, pongOpponent)
	c.number(p.agent, 128, 4, 3, pongAgentColor)
	c.fill(pongOpponentX, int(p.oppY), pongOpponentX+pongPaddleW, int(p.oppY)+pongPaddleH, pongOpponent)
	c.fill(pongAgentX, int(p.agentY), pongAgentX+pongPaddleW, int(p.agentY)+pongPaddleH, pongAgentColor)
	if p.serve == 0 {
		x, y := int(math.Floor(p.ballX)), int(math.Floor(p.ballY))
		c.fill(x, y, x+pongBallW, y+pongBallH, pongWallColour)
	}
}
