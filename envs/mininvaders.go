package envs

// min-invaders's channels.
const (
	miCannon = iota
	miAlien
	miAlienLeft
	miAlienRight
	miBullet
	miEnemyBullet
)

// Space Invaders' timing, in steps.
const (
	invadersFireCooldown = 5  // steps between the cannon's shots
	invadersInterval     = 12 // steps between block moves at the start
	invadersMinInterval  = 6  // later waves stop speeding up here
	invadersShootEvery   = 10 // steps between alien shots
)

// MinInvaders is Space Invaders on MinAtar's rules.
//
// # Description
//
// A cannon on the bottom row shoots at a block of aliens that moves
// sideways and steps down at the edges, shooting back.
//
// # Action Space
//
// Discrete(6): NOOP, LEFT, UP, RIGHT, DOWN, FIRE; LEFT and RIGHT move the
// cannon one cell, FIRE shoots (at most once every 5 steps), UP and DOWN
// do nothing.
//
// # Observation Space
//
// uint8 [6, 10, 10] of 0/1, channels cannon, alien, alien_left and
// alien_right (every alien, in the channel of the block's direction),
// friendly_bullet, enemy_bullet.
//
// # Rewards
//
// +1 per alien shot.
//
// # Starting State
//
// The cannon at x 5 of row 9; 24 aliens in rows 0-3, columns 2-7, moving
// left.
//
// # Episode End
//
// Terminated when an alien or an enemy bullet reaches the cannon's cell,
// or the block steps down while an alien is on row 9. No time limit.
//
// # Arguments
//
// sticky (default 0.1), ramping (default true), max_steps (default 0).
//
// Each step: the cannon acts (a shot starts on row 8 above it); bullets
// move one cell (the cannon's up, the aliens' down) and hit; the block
// moves when its timer runs out, every min(aliens left, interval) steps,
// one cell sideways or, when an alien is at the edge it moves to, one row
// down and turning; every 10 steps the alien nearest the cannon's column
// (the lowest of that column; the left one of a tie) shoots from the cell
// below it. A cleared wave brings a new block; with ramping its interval
// is 1 less, not below 6.
type MinInvaders struct {
	minGame
	ramping   bool
	cannonX   int
	aliens    [minSize * minSize]bool
	count     int // aliens left
	dir       int // -1 left, +1 right
	interval  int
	moveTimer int
	cooldown  int
	shotTimer int
	bullets   [minSize * minSize]bool // the cannon's
	enemy     [minSize * minSize]bool // the aliens'
}

// NewMinInvaders returns an unseeded min-invaders.
func NewMinInvaders(ramping bool) *MinInvaders {
	return &MinInvaders{ramping: ramping, minGame: newMinGame("min-invaders",
		[]paint{rgb(90, 180, 240), rgb(120, 220, 120), rgb(120, 220, 120), rgb(100, 200, 160),
			rgb(250, 250, 250), rgb(255, 120, 120)},
		miAlienLeft, miAlienRight, miAlien, miBullet, miEnemyBullet, miCannon)}
}

// Reset brings the first wave.
func (g *MinInvaders) Reset() (Obs, Info) {
	g.ep.reset()
	g.cannonX, g.cooldown, g.shotTimer = 5, 0, invadersShootEvery
	g.interval = invadersInterval
	g.bullets, g.enemy = [minSize * minSize]bool{}, [minSize * minSize]bool{}
	g.wave()
	return g.observe(), g.info
}

// wave places a new block of aliens moving left.
func (g *MinInvaders) wave() {
	g.aliens = [minSize * minSize]bool{}
	for y := range 4 {
		for x := 2; x < 8; x++ {
			g.aliens[y*minSize+x] = true
		}
	}
	g.count, g.dir = 24, -1
	g.moveTimer = min(g.count, g.interval)
}

// Step plays one step of the rules above.
func (g *MinInvaders) Step(action int) (Obs, float64, bool, bool, Info) {
	g.ep.step(action)
	if g.cooldown > 0 {
		g.cooldown--
	}
	switch action {
	case minLeft:
		g.cannonX = max(g.cannonX-1, 0)
	case minRight:
		g.cannonX = min(g.cannonX+1, minSize-1)
	}
	// The cannon's bullets move up, the aliens' down, by shifting rows.
	copy(g.bullets[:], g.bullets[minSize:])
	clear(g.bullets[(minSize-1)*minSize:])
	copy(g.enemy[minSize:], g.enemy[:])
	clear(g.enemy[:minSize])
	if action == minFire && g.cooldown == 0 {
		g.bullets[(minSize-2)*minSize+g.cannonX] = true
		g.cooldown = invadersFireCooldown
	}
	reward := g.hit()
	dead := g.enemy[(minSize-1)*minSize+g.cannonX]
	if g.moveTimer--; g.moveTimer <= 0 {
		dead = g.march() || dead
		reward += g.hit()
		g.moveTimer = min(g.count, g.interval)
	}
	if g.shotTimer--; g.shotTimer <= 0 {
		g.shotTimer = invadersShootEvery
		g.alienShot()
		dead = dead || g.enemy[(minSize-1)*minSize+g.cannonX]
	}
	dead = dead || g.aliens[(minSize-1)*minSize+g.cannonX]
	if g.count == 0 {
		if g.ramping {
			g.interval = max(g.interval-1, invadersMinInterval)
		}
		g.wave()
	}
	g.ep.end(dead)
	return g.observe(), reward, dead, false, g.info
}

// hit removes every alien in a cell with one of the cannon's bullets, and
// the bullet: +1 each.
func (g *MinInvaders) hit() float64 {
	reward := 0.0
	for i, b := range g.bullets {
		if b && g.aliens[i] {
			g.bullets[i], g.aliens[i] = false, false
			g.count--
			reward++
		}
	}
	return reward
}

// march moves the block one cell sideways, or one row down and turning
// when an alien is at the edge it moves to; stepping down with an alien on
// row 9 ends the game.
func (g *MinInvaders) march() (dead bool) {
	edge := 0
	if g.dir > 0 {
		edge = minSize - 1
	}
	atEdge := false
	for y := range minSize {
		atEdge = atEdge || g.aliens[y*minSize+edge]
	}
	if !atEdge {
		if g.dir < 0 {
			copy(g.aliens[:], g.aliens[1:])
		} else {
			copy(g.aliens[1:], g.aliens[:])
		}
		for y := range minSize { // clear the column the block left
			g.aliens[y*minSize+(minSize-1-edge)] = false
		}
		return false
	}
	g.dir = -g.dir
	for x := range minSize {
		if g.aliens[(minSize-1)*minSize+x] {
			return true
		}
	}
	copy(g.aliens[minSize:], g.aliens[:])
	clear(g.aliens[:minSize])
	return false
}

// alienShot fires from below the alien nearest the cannon's column.
func (g *MinInvaders) alienShot() {
	bestX, bestY := -1, -1
	for x := range minSize {
		for y := minSize - 1; y >= 0; y-- {
			if g.aliens[y*minSize+x] {
				if bestX < 0 || abs(x-g.cannonX) < abs(bestX-g.cannonX) {
					bestX, bestY = x, y
				}
				break
			}
		}
	}
	if bestX >= 0 && bestY+1 < minSize {
		g.enemy[(bestY+1)*minSize+bestX] = true
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (g *MinInvaders) observe() Obs {
	g.begin()
	g.set(miCannon, minSize-1, g.cannonX)
	dirCh := miAlienLeft
	if g.dir > 0 {
		dirCh = miAlienRight
	}
	for i := range minSize * minSize {
		y, x := i/minSize, i%minSize
		if g.aliens[i] {
			g.set(miAlien, y, x)
			g.set(dirCh, y, x)
		}
		if g.bullets[i] {
			g.set(miBullet, y, x)
		}
		if g.enemy[i] {
			g.set(miEnemyBullet, y, x)
		}
	}
	return g.obs()
}
