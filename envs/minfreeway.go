package envs

// min-freeway's channels: chicken, car, then speed 1..5 at mfSpeed+v-1.
const (
	mfChicken = iota
	mfCar
	mfSpeed
)

// Freeway's timing, in steps.
const (
	freewayMoveCooldown = 3    // the chicken moves at most once every 3 steps
	freewayLength       = 2500 // steps in an episode
	freewayColumn       = 4    // the chicken's column
)

// freewayCar is the car of one lane.
type freewayCar struct {
	x, dir int
	speed  int // 1..5: the car moves one cell every speed+1 steps
	timer  int // steps until its next move
}

// MinFreeway is Freeway on MinAtar's rules.
//
// # Description
//
// A chicken crosses eight lanes of traffic, from the bottom row to the top,
// as many times as it can in 2500 steps.
//
// # Action Space
//
// Discrete(6): NOOP, LEFT, UP, RIGHT, DOWN, FIRE; UP and DOWN move the
// chicken one row, at most once every 3 steps; the others do nothing.
//
// # Observation Space
//
// uint8 [7, 10, 10] of 0/1, channels chicken, car, speed1..speed5. The
// speed channel of a car's speed marks the cell the car came from, so the
// channels show both its speed and its direction.
//
// # Rewards
//
// +1 for every crossing (reaching row 0).
//
// # Starting State
//
// The chicken on row 9 of column 4; in each lane (rows 1-8) a car with a
// random speed in 1..5 and a random direction, entering from the edge it
// drives away from.
//
// # Episode End
//
// Terminated after 2500 steps, the game's own end (MinAtar's terminal; the
// clock is not in the observation). Collisions do not end it.
//
// # Arguments
//
// sticky (default 0.1), max_steps (default 0).
//
// Each step the chicken moves (if its cooldown allows), a crossing scores
// and sends it back to row 9 with every car's speed redrawn, a car in its
// cell sends it back to row 9; then every car whose timer runs out moves
// one cell, wrapping around the edges, and a car in the chicken's cell
// sends it back again. No ramping.
type MinFreeway struct {
	minGame
	chickenY int
	cooldown int
	cars     [8]freewayCar // lane i is row i+1
	steps    int
}

// NewMinFreeway returns an unseeded min-freeway.
func NewMinFreeway() *MinFreeway {
	return &MinFreeway{minGame: newMinGame("min-freeway",
		[]paint{rgb(250, 220, 60), rgb(230, 70, 70), rgb(60, 60, 110), rgb(70, 70, 130),
			rgb(80, 80, 150), rgb(90, 90, 170), rgb(100, 100, 190)},
		mfSpeed, mfSpeed+1, mfSpeed+2, mfSpeed+3, mfSpeed+4, mfCar, mfChicken)}
}

// Reset puts the chicken at the bottom and draws the traffic.
func (g *MinFreeway) Reset() (Obs, Info) {
	g.ep.reset()
	g.chickenY, g.cooldown, g.steps = minSize-1, 0, 0
	for i := range g.cars {
		c := &g.cars[i]
		c.x, c.dir = g.randomSide()
	}
	g.redrawSpeeds()
	return g.observe(), g.info
}

func (g *MinFreeway) redrawSpeeds() {
	for i := range g.cars {
		c := &g.cars[i]
		c.speed = 1 + g.rng.IntN(5)
		c.timer = c.speed + 1
	}
}

// Step moves the chicken, then the cars.
func (g *MinFreeway) Step(action int) (Obs, float64, bool, bool, Info) {
	g.ep.step(action)
	if g.cooldown > 0 {
		g.cooldown--
	}
	if g.cooldown == 0 {
		switch {
		case action == minUp:
			g.chickenY--
			g.cooldown = freewayMoveCooldown
		case action == minDown && g.chickenY < minSize-1:
			g.chickenY++
			g.cooldown = freewayMoveCooldown
		}
	}
	reward := 0.0
	if g.chickenY == 0 {
		reward = 1
		g.chickenY = minSize - 1
		g.redrawSpeeds()
	}
	g.hit()
	for i := range g.cars {
		c := &g.cars[i]
		if c.timer--; c.timer <= 0 {
			c.timer = c.speed + 1
			c.x = (c.x + c.dir + minSize) % minSize
		}
	}
	g.hit()
	g.steps++
	done := g.steps >= freewayLength
	g.ep.end(done)
	return g.observe(), reward, done, false, g.info
}

// hit sends the chicken back to the bottom row when a car is in its cell.
func (g *MinFreeway) hit() {
	if y := g.chickenY; y >= 1 && y <= 8 && g.cars[y-1].x == freewayColumn {
		g.chickenY = minSize - 1
	}
}

func (g *MinFreeway) observe() Obs {
	g.begin()
	g.set(mfChicken, g.chickenY, freewayColumn)
	for i, c := range g.cars {
		g.set(mfCar, i+1, c.x)
		g.set(mfSpeed+c.speed-1, i+1, (c.x-c.dir+minSize)%minSize)
	}
	return g.obs()
}
