package envs

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// playing returns a seeded Pong with the ball in play.
func playing() *Pong {
	p := started(NewPong())
	for p.serve > 0 {
		p.Step(0)
	}
	return p
}

func TestPongPaddleSpeeds(t *testing.T) {
	p := playing()
	p.vx = -2
	y := p.agentY
	p.Step(1)
	require.Equal(t, y-pongPaddleV, p.agentY, "UP moves the agent's paddle 4 pixels")
	p.oppY = pongTop
	for i := range p.trail {
		p.trail[i] = pongBottom - 10
	}
	p.Step(0)
	require.InDelta(t, pongTop+pongPaddleV*2/3, p.oppY, 1e-12, "the opponent moves 2/3 as fast")
}

// TestPongOpponentReactsLate checks that the opponent aims at where the
// ball was pongDelay frames ago.
func TestPongOpponentReactsLate(t *testing.T) {
	p := playing()
	for i := range p.trail {
		p.trail[i] = 40 // the ball was up there
	}
	p.ballX, p.ballY, p.vx, p.vy = 100, 150, -1, 0 // and is now down here
	for frame := 1; frame <= pongDelay+1; frame++ {
		p.oppY = 100
		p.Step(0)
		want := -pongOpponentV // still going up
		if frame > pongDelay {
			want = pongOpponentV // now going down
		}
		require.InDelta(t, want, p.oppY-100, 1e-12, "frame %d", frame)
	}
}

func TestPongPoints(t *testing.T) {
	p := playing()
	p.ballX, p.ballY, p.vx, p.vy = -1, 40, -2, 0
	p.oppY = pongBottom - pongPaddleH
	_, r, done, _, _ := p.Step(0)
	require.Equal(t, 1.0, r, "past the opponent: the agent scores")
	require.False(t, done)
	require.Equal(t, [2]int{1, 0}, [2]int{p.agent, p.opp})
	require.Equal(t, pongServeDelay, p.serve)

	p = playing()
	p.ballX, p.ballY, p.vx, p.vy = pixelW-1, 40, 2, 0
	p.agentY = pongBottom - pongPaddleH
	_, r, _, _, _ = p.Step(0)
	require.Equal(t, -1.0, r, "past the agent: the opponent scores")

	p = playing()
	p.agent = pongWinScore - 1
	p.ballX, p.ballY, p.vx, p.vy = -1, 40, -2, 0
	p.oppY = pongBottom - pongPaddleH
	_, r, done, _, _ = p.Step(0)
	require.Equal(t, 1.0, r)
	require.True(t, done, "21 points end the game")
}

func TestPongReturnsSetTheAngle(t *testing.T) {
	for _, c := range []struct {
		name   string
		offset float64 // ball centre minus paddle centre
		vy     float64
	}{
		{"the middle returns it flat", 0, 0},
		{"near the top tip sends it up steeply", -9, -0.9 * pongBallVYMax},
		{"near the bottom tip down", 9, 0.9 * pongBallVYMax},
	} {
		p := playing()
		p.agentY = 100
		p.ballX, p.vx, p.vy = pongAgentX-pongBallW-1, 2, 0
		p.ballY = p.agentY + pongPaddleH/2 + c.offset - pongBallH/2
		p.Step(0)
		require.InDelta(t, -2.25, p.vx, 1e-12, "%s: back and 0.25 faster", c.name)
		require.InDelta(t, c.vy, p.vy, 1e-12, c.name)
		require.Less(t, p.ballX+pongBallW, float64(pongAgentX), "%s: in front of the paddle", c.name)
	}
}

// TestPongCanBeBeaten plays a scripted agent that aims the ball with its
// paddle's edge: the opponent, slower and late, loses points.
func TestPongCanBeBeaten(t *testing.T) {
	p := started(NewPong())
	points := 0
	for {
		target := p.ballY + pongBallH/2 + 6 - pongPaddleH/2 // hit with the top part: steep returns
		_, r, done, _, _ := p.Step(paddleToward(p, target))
		if r > 0 {
			points++
		}
		if done {
			break
		}
	}
	require.GreaterOrEqual(t, points, 10, "points won against the scripted opponent (final %d-%d)", p.agent, p.opp)
}

// TestPongCanBeWonToNil plays a scripted agent that moves to where the
// ball will cross its paddle's face (walls included) and meets it 4
// pixels off centre, away from the opponent: a perfect game, 21-0, on
// seeds 1 to 3, so the game's ceiling is the full 21.
func TestPongCanBeWonToNil(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		score := scriptedPong(seed, 1, func(p *Pong) int {
			target := crossingY(p) + pongBallH/2 - pongPaddleH/2 - 4*awayFromOpponent(p)
			return paddleToward(p, target)
		})
		require.Equal(t, [2]int{21, 0}, score, "seed %d", seed)
	}
}

// scriptedPong plays a game of Pong on seed with policy, each action held
// for hold frames, and returns the final score, the agent's first.
func scriptedPong(seed uint64, hold int, policy func(*Pong) int) [2]int {
	p := NewPong()
	p.Seed(seed)
	p.Reset()
	for done := false; !done; {
		a := policy(p)
		for k := 0; k < hold && !done; k++ {
			_, _, done, _, _ = p.Step(a)
		}
	}
	return [2]int{p.agent, p.opp}
}

// awayFromOpponent returns where the agent should send the ball: 1 (hit
// below the paddle's centre: the ball goes down) while the opponent is
// high, -1 (up) while it is low.
func awayFromOpponent(p *Pong) float64 {
	if p.oppY+pongPaddleH/2 > float64(pongTop+pongBottom)/2 {
		return -1
	}
	return 1
}

// paddleToward returns the action that moves the agent's paddle towards
// top edge target: UP, DOWN, or NOOP within 2 pixels of it.
func paddleToward(p *Pong, target float64) int {
	switch {
	case p.agentY > target+2:
		return 1
	case p.agentY < target-2:
		return 2
	}
	return 0
}

// crossingY returns the ball's top when it reaches the agent's paddle,
// or the middle of the field while the ball is not coming.
func crossingY(p *Pong) float64 {
	if _, y, coming := crossing(p); coming {
		return y
	}
	return float64(pongTop+pongBottom)/2 - pongBallH/2
}

// crossing follows the ball (walls included) to the frame its leading
// edge crosses the agent's paddle face: how many frames from now, and
// the ball's top then. coming is false while the ball is parked, going
// away, or already past the face.
func crossing(p *Pong) (frames int, top float64, coming bool) {
	x, y, vy := p.ballX, p.ballY, p.vy
	if p.serve > 0 || p.vx <= 0 || x+pongBallW > pongAgentX {
		return 0, 0, false
	}
	for frames = 1; ; frames++ {
		old := x
		x, y = x+p.vx, y+vy
		if y < pongTop {
			y, vy = 2*pongTop-y, -vy
		}
		if y+pongBallH > pongBottom {
			y, vy = 2*(pongBottom-pongBallH)-y, -vy
		}
		if old+pongBallW <= pongAgentX && x+pongBallW > pongAgentX {
			return frames, y, true
		}
	}
}

// TestPongCanBeWonToNilAtFrameSkip4 plays the agent's way, one action
// held for 4 frames, so its paddle moves 16 pixels a decision, the
// paddle's height. A scripted player that looks ahead still wins 21-0:
// among the places its paddle can be when the ball crosses (16 pixels
// apart, shifted by 4 pixels for each frame of the last decision before
// the crossing) it picks the one whose hit sends the ball steepest away
// from the opponent. So the ceiling of an agent behind the standard
// wrappers is the full 21 too.
func TestPongCanBeWonToNilAtFrameSkip4(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		require.Equal(t, [2]int{21, 0}, scriptedPong(seed, 4, aimAtFrameSkip4), "seed %d", seed)
	}
}

// TestPongPlannerLosesLittleToEvaluationEpsilon plays the look-ahead
// player of TestPongCanBeWonToNilAtFrameSkip4 under the evaluation's
// epsilon: one decision in 20 is a uniform random action. It replans
// after each slip and still wins every game by at least 15, so +10 at
// epsilon 0.05 (issue 7's Pong figure) is well inside what the game
// allows (docs/results.md compares the DQN agents' losses to them).
func TestPongPlannerLosesLittleToEvaluationEpsilon(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	total := 0
	for seed := uint64(1); seed <= 5; seed++ {
		score := scriptedPong(seed, 4, func(p *Pong) int {
			if rng.Float64() < 0.05 {
				return rng.IntN(3)
			}
			return aimAtFrameSkip4(p)
		})
		require.Equal(t, 21, score[0], "seed %d", seed)
		require.LessOrEqual(t, score[1], 6, "seed %d", seed)
		total += score[0] - score[1]
	}
	t.Logf("mean return over 5 games at epsilon 0.05: %.1f", float64(total)/5)
}

// aimAtFrameSkip4 returns the action to hold for the next 4 frames:
// towards the reachable paddle place (see
// TestPongCanBeWonToNilAtFrameSkip4) that hits the ball farthest from
// the paddle's centre, away from the opponent, short of the very tip.
func aimAtFrameSkip4(p *Pong) int {
	frames, top, coming := crossing(p)
	if !coming {
		return paddleToward(p, float64(pongTop+pongBottom)/2-pongPaddleH/2)
	}
	away := awayFromOpponent(p)
	before := (frames - 1) / 4 // whole decisions before the crossing one
	last := frames - 4*before  // frames of the crossing decision played by then
	best, action := math.Inf(-1), 0
	for k := -before; k <= before; k++ { // net decisions spent moving, up (-) or down (+)
		for d := -1; d <= 1; d++ { // the crossing decision's move
			y := clampPaddle(p.agentY + 4*float64(4*k+last*d))
			if !(top < y+pongPaddleH && top+pongBallH > y) {
				continue // a miss
			}
			off := away * (top + pongBallH/2 - y - pongPaddleH/2) / ((pongPaddleH + pongBallH) / 2)
			score := min(off, 1.9-off) - 0.001*math.Abs(float64(k)) // steep, but off the edge's last pixel; fewest moves
			if score > best {
				best, action = score, moveAction(k, d, before)
			}
		}
	}
	return action
}

// moveAction is the first action of a plan that spends k net decisions
// moving and then d on the crossing decision, before decisions away.
func moveAction(k, d, before int) int {
	switch {
	case k < 0 || (k == 0 && before == 0 && d < 0):
		return 1
	case k > 0 || (k == 0 && before == 0 && d > 0):
		return 2
	}
	return 0
}

func TestBreakoutServeBricksAndLives(t *testing.T) {
	b := started(NewBreakout())
	_, info := b.Reset()
	require.Equal(t, 5.0, info[InfoLives])
	for range 10 {
		b.Step(0)
	}
	require.False(t, b.inPlay, "no ball until FIRE")
	b.Step(1)
	require.True(t, b.inPlay)
	require.Equal(t, float64(boServeY)+boBallVY, b.ballY, "served below the bricks, and moved one frame")
	require.Equal(t, boBallVY, b.vy, "downwards")

	// A ball rising into the bottom row scores 1; into the top row 7, and
	// speeds up.
	for _, c := range []struct {
		row    int
		points float64
		vy     float64
	}{{5, 1, boBallVY}, {0, 7, boBallVYFast}} {
		b := started(NewBreakout())
		b.Step(1)
		for r := c.row + 1; r < boBrickRows; r++ { // clear the rows below
			for col := range boBrickCols {
				b.bricks[r*boBrickCols+col] = false
			}
		}
		b.ballX, b.ballY, b.vx, b.vy = 50, float64(boBrickTop+(c.row+1)*boBrickH)+1, 0, -boBallVY
		_, r, _, _, _ := b.Step(0)
		require.Equal(t, c.points, r, "row %d", c.row)
		require.Equal(t, c.vy, b.vy, "row %d: bounced down", c.row)
		require.False(t, b.bricks[c.row*boBrickCols+(50-boLeft)/boBrickW], "row %d: the brick is gone", c.row)
	}

	b.ballX, b.ballY, b.vx, b.vy = 20, pixelH-1, 0, 2
	b.paddleX = 100
	_, r, done, _, info := b.Step(0)
	require.Zero(t, r)
	require.False(t, done)
	require.Equal(t, 4.0, info[InfoLives], "a ball past the paddle costs a life")
	require.False(t, b.inPlay)
	b.lives = 1
	b.Step(1)
	b.ballX, b.ballY, b.vx, b.vy = 20, pixelH-1, 0, 2
	_, _, done, _, info = b.Step(0)
	require.True(t, done, "the last life lost ends the game")
	require.Zero(t, info[InfoLives])
}

func TestBreakoutWallRebuiltOnce(t *testing.T) {
	b := started(NewBreakout())
	b.Step(1)
	clearAllBut := func() {
		b.bricks = [boBrickRows * boBrickCols]bool{}
		b.bricks[5*boBrickCols+5] = true
		b.left = 1
	}
	clearAllBut()
	x := float64(boLeft + 5*boBrickW + 2)
	b.ballX, b.ballY, b.vx, b.vy = x, float64(boBrickTop+6*boBrickH)+1, 0, -boBallVY
	_, r, done, _, _ := b.Step(0)
	require.Equal(t, 1.0, r)
	require.False(t, done)
	require.Equal(t, boBrickRows*boBrickCols, b.left, "a new wall")
	clearAllBut()
	b.ballX, b.ballY, b.vx, b.vy = x, float64(boBrickTop+6*boBrickH)+1, 0, -boBallVY
	_, _, done, _, _ = b.Step(0)
	require.True(t, done, "the second wall cleared ends the game")
}

func TestBreakoutPaddleSetsTheAngle(t *testing.T) {
	b := started(NewBreakout())
	b.Step(1)
	b.paddleX = 80
	b.ballX, b.ballY, b.vx, b.vy = 80-boBallW/2, boPaddleY-boBallH-1, 1, 2
	b.Step(0)
	require.Equal(t, -boBallVY, b.vy, "bounced up")
	require.InDelta(t, -boBallVXMax*8/9, b.vx, 0.5, "the left end sends it left")
}

// TestGrayFramesMatchTheColourScreen checks the direct 84x84 gray drawing
// against GrayscaleResize's general path, which converts and resizes the
// colour screen: they agree but for the edges of objects.
func TestGrayFramesMatchTheColourScreen(t *testing.T) {
	for _, newGame := range []func() Env{func() Env { return NewPong() }, func() Env { return NewBreakout() }} {
		direct := NewGrayscaleResize(newGame(), 84, 84)
		converted := NewGrayscaleResize(NewMonitor(newGame()), 84, 84) // not a GrayObserver: converts
		require.True(t, direct.direct)
		require.False(t, converted.direct)
		require.Equal(t, direct.ObservationSpace(), converted.ObservationSpace())
		direct.Seed(5)
		converted.Seed(5)
		a, _ := direct.Reset()
		b, _ := converted.Reset()
		rng := rand.New(rand.NewPCG(1, 1))
		for i := range 300 {
			act := rng.IntN(direct.ActionSpace().N)
			var doneA, doneB bool
			a, _, doneA, _, _ = direct.Step(act)
			b, _, doneB, _, _ = converted.Step(act)
			require.Equal(t, doneA, doneB)
			sum := 0
			for j := range a.U8 {
				sum += abs(int(a.U8[j]) - int(b.U8[j]))
			}
			require.Less(t, float64(sum)/float64(len(a.U8)), 6.0, "step %d: mean absolute difference", i)
			if doneA {
				direct.Reset()
				converted.Reset()
			}
		}
	}
}

func TestCanvasKeepsSmallObjectsVisible(t *testing.T) {
	pix := make([]uint8, 84*84)
	c := canvas{pix: pix, stride: 84, bpp: 1, w: 84, h: 84, sw: pixelW, sh: pixelH}
	white := rgb(255, 255, 255)
	for x := 0; x < pixelW-2; x += 7 {
		clear(pix)
		c.fill(x, 101, x+2, 105, white) // a 2x4 ball
		n := 0
		for _, v := range pix {
			if v == 255 {
				n++
			}
		}
		require.Positive(t, n, "a ball at x %d", x)
		require.LessOrEqual(t, n, 4)
	}
	c.fill(-5, -5, 500, 500, white)
	for _, v := range pix {
		require.Equal(t, uint8(255), v, "clipped to the frame")
	}
}

func TestMaxBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for n := range 40 {
		a, b, dst := make([]uint8, n), make([]uint8, n), make([]uint8, n)
		for i := range n {
			a[i], b[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
		}
		if n > 2 { // the edges of the high-bit trick
			a[1], b[1] = 255, 0
			a[2], b[2] = 127, 128
		}
		maxBytes(dst, a, b)
		for i := range n {
			require.Equal(t, max(a[i], b[i]), dst[i], "n %d, byte %d: %d vs %d", n, i, a[i], b[i])
		}
	}
}

func TestPixelRenderIsTheColourObservation(t *testing.T) {
	p := started(NewPong())
	for range 40 {
		p.Step(2)
	}
	obs := p.observe()
	require.Equal(t, []int{pixelH, pixelW, 3}, obs.Shape)
	img := image.NewRGBA(image.Rect(0, 0, pixelW, pixelH))
	p.Render(img)
	for i := range pixelW * pixelH {
		require.Equal(t, img.Pix[4*i:4*i+3], obs.U8[3*i:3*i+3], "pixel %d", i)
	}
}
