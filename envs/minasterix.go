package envs

// min-asterix's channels.
const (
	maPlayer = iota
	maEnemy
	maTrail
	maGold
)

// Asterix's timing, in steps.
const (
	asterixSpawnSpeed = 10  // steps between spawns at the start
	asterixMoveSpeed  = 5   // steps between moves at the start
	asterixRampEvery  = 100 // steps between difficulty ramps
)

// asterixObject is the gold or enemy crossing one lane.
type asterixObject struct {
	active bool
	gold   bool
	x, dir int
}

// MinAsterix is Asterix on MinAtar's rules.
//
// # Description
//
// The player moves over eight lanes (rows 1-8) that gold and enemies cross
// from the left or right edge; gold scores, enemies kill.
//
// # Action Space
//
// Discrete(6): NOOP, LEFT, UP, RIGHT, DOWN, FIRE; LEFT, UP, RIGHT and DOWN
// move the player one cell within columns 0-9 and rows 1-8; NOOP and FIRE
// do nothing.
//
// # Observation Space
//
// uint8 [4, 10, 10] of 0/1, channels player, enemy, trail (the cell each
// object came from), gold.
//
// # Rewards
//
// +1 per gold collected.
//
// # Starting State
//
// The player at (x 5, y 5); empty lanes.
//
// # Episode End
//
// Terminated when the player and an enemy share a cell. No time limit.
//
// # Arguments
//
// sticky (default 0.1), ramping (default true), max_steps (default 0).
//
// Each step: the player moves and touches what is in its cell; every
// move_speed steps (5 at first) every object moves one cell along its
// lane, vanishing past the edge; every spawn_speed steps (10 at first) an
// object enters a random free lane at a random edge, gold with probability
// 1/3; the player touches again. With ramping, every 100 steps
// spawn_speed drops by 1, and move_speed too on every second ramp, neither
// below 1.
type MinAsterix struct {
	minGame
	ramping               bool
	px, py                int
	lanes                 [8]asterixObject // lane i is row i+1
	spawnSpeed, moveSpeed int
	spawnTimer, moveTimer int
	rampTimer, ramps      int
}

// NewMinAsterix returns an unseeded min-asterix.
func NewMinAsterix(ramping bool) *MinAsterix {
	return &MinAsterix{ramping: ramping, minGame: newMinGame("min-asterix",
		[]paint{rgb(90, 180, 240), rgb(230, 70, 70), rgb(90, 90, 120), rgb(245, 205, 60)},
		maTrail, maGold, maEnemy, maPlayer)}
}

// Reset empties the lanes and centres the player.
func (g *MinAsterix) Reset() (Obs, Info) {
	g.ep.reset()
	g.px, g.py = 5, 5
	g.lanes = [8]asterixObject{}
	g.spawnSpeed, g.moveSpeed = asterixSpawnSpeed, asterixMoveSpeed
	g.spawnTimer, g.moveTimer = g.spawnSpeed, g.moveSpeed
	g.rampTimer, g.ramps = asterixRampEvery, 0
	return g.observe(), g.info
}

// Step moves the player, moves and spawns the objects, and ramps.
func (g *MinAsterix) Step(action int) (Obs, float64, bool, bool, Info) {
	g.ep.step(action)
	switch action {
	case minLeft:
		g.px = max(g.px-1, 0)
	case minRight:
		g.px = min(g.px+1, minSize-1)
	case minUp:
		g.py = max(g.py-1, 1)
	case minDown:
		g.py = min(g.py+1, 8)
	}
	reward, dead := g.touch()
	if g.moveTimer--; g.moveTimer <= 0 {
		g.moveTimer = g.moveSpeed
		for i := range g.lanes {
			if o := &g.lanes[i]; o.active {
				if o.x += o.dir; o.x < 0 || o.x >= minSize {
					o.active = false
				}
			}
		}
	}
	if g.spawnTimer--; g.spawnTimer <= 0 {
		g.spawnTimer = g.spawnSpeed
		g.spawn()
	}
	r, d := g.touch()
	reward, dead = reward+r, dead || d
	if g.rampTimer--; g.ramping && g.rampTimer <= 0 {
		g.rampTimer = asterixRampEvery
		g.ramps++
		g.spawnSpeed = max(g.spawnSpeed-1, 1)
		if g.ramps%2 == 0 {
			g.moveSpeed = max(g.moveSpeed-1, 1)
		}
	}
	g.ep.end(dead)
	return g.observe(), reward, dead, false, g.info
}

// touch collects gold in the player's cell (+1) and reports an enemy there.
func (g *MinAsterix) touch() (reward float64, dead bool) {
	o := &g.lanes[g.py-1]
	if !o.active || o.x != g.px {
		return 0, false
	}
	if o.gold {
		o.active = false
		return 1, false
	}
	return 0, true
}

// spawn sends gold or an enemy into a random free lane, if there is one.
func (g *MinAsterix) spawn() {
	free := 0
	for _, o := range g.lanes {
		if !o.active {
			free++
		}
	}
	if free == 0 {
		return
	}
	k := g.rng.IntN(free)
	for i := range g.lanes {
		if o := &g.lanes[i]; !o.active {
			if k == 0 {
				o.active = true
				o.x, o.dir = g.randomSide()
				o.gold = g.rng.IntN(3) == 0
				return
			}
			k--
		}
	}
}

func (g *MinAsterix) observe() Obs {
	g.begin()
	g.set(maPlayer, g.py, g.px)
	for i, o := range g.lanes {
		if !o.active {
			continue
		}
		ch := maEnemy
		if o.gold {
			ch = maGold
		}
		g.set(ch, i+1, o.x)
		g.set(maTrail, i+1, o.x-o.dir)
	}
	return g.obs()
}
