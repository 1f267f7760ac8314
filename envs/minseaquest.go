package envs

// min-seaquest's channels.
const (
	msSubFront = iota
	msSubBack
	msBullet
	msTrench // the trail: where each enemy, diver and bullet came from
	msEnemyBullet
	msFish
	msEnemySub
	msOxygen
	msDiverGauge
	msDiver
)

// Seaquest's rules, in steps and units of oxygen.
const (
	seaquestOxygen        = 200 // full tank
	seaquestFireCooldown  = 5   // steps between the sub's shots
	seaquestSpawnInterval = 20  // steps between enemies at the start
	seaquestMoveInterval  = 5   // steps between enemy moves at the start
	seaquestMinInterval   = 2   // ramping stops here
	seaquestEnemyFire     = 10  // steps between an enemy sub's shots
	seaquestDiverInterval = 30  // steps between divers
	seaquestDiverMove     = 5   // steps between diver moves
	seaquestMaxDivers     = 6
)

// seaObject is an enemy, a diver or a bullet moving along a row: small,
// for the step's many passes over them.
type seaObject struct {
	active bool
	sub    bool // an enemy sub rather than a fish
	x, y   int8
	dir    int8
	timer  int8 // an enemy sub's steps until it fires
}

// MinSeaquest is Seaquest on MinAtar's rules.
//
// # Description
//
// A submarine shoots fish and enemy subs, collects divers, and must
// surface for oxygen, with divers aboard.
//
// # Action Space
//
// Discrete(6): NOOP, LEFT, UP, RIGHT, DOWN, FIRE. LEFT and RIGHT move the
// sub one cell and turn it; UP and DOWN move it within rows 0 (the surface)
// to 8; FIRE shoots in the facing direction (at most once every 5 steps)
// and does not move.
//
// # Observation Space
//
// uint8 [10, 10, 10] of 0/1, channels sub_front, sub_back (the cell behind
// the sub), friendly_bullet, trench, enemy_bullet, enemy_fish, enemy_sub,
// oxygen_gauge, diver_gauge, diver. The rules give the channel named
// trench no rule; arcade uses it as the trail of the other games: the cell
// each enemy, diver and bullet came from, so directions are visible. The
// gauges are on row 9: oxygen*10/200 cells of oxygen, one cell per diver.
//
// # Rewards
//
// +1 per enemy shot; surfacing with 6 divers scores oxygen*10/200.
//
// # Starting State
//
// The sub at the surface (x 5, facing right) with 200 oxygen and no
// divers; no enemies.
//
// # Episode End
//
// Terminated when the sub (either of its cells) touches an enemy or an
// enemy bullet, when oxygen runs out, or when it surfaces with no diver.
// No time limit.
//
// # Arguments
//
// sticky (default 0.1), ramping (default true), max_steps (default 0).
//
// Each step: the sub acts; its bullets move one cell and hit; enemy
// bullets move one cell; every move interval (5) enemies move one cell,
// every 5 steps divers do, vanishing past the edges; every spawn interval
// (20) an enemy (a sub with probability 1/3, else a fish) enters a random
// free lane of rows 1-8 at a random edge, and every 30 steps a diver does;
// every enemy sub fires every 10 steps from the cell in front of it; the
// sub's bullets hit again; the sub touches enemies, bullets and divers (at
// most 6 aboard); oxygen drops by 1 below the surface. Arriving at the
// surface with 6 divers scores the bonus, refills oxygen and empties the
// count; with 1 to 5 it refills oxygen and uses one diver; with ramping
// each surfacing lowers the spawn interval by 1 and every second one the
// move interval, neither below 2.
type MinSeaquest struct {
	minGame
	ramping          bool
	subX, subY       int
	faceRight        bool
	oxygen, divers   int
	cooldown         int
	surfaced         bool // the sub was at the surface after the previous step
	surfacings       int
	spawnInterval    int
	moveInterval     int
	spawnTimer       int
	moveTimer        int
	diverTimer       int
	diverMoveTimer   int
	enemies, diverAt [8]seaObject // by lane: row i+1
	bullets          [4]seaObject // the sub's: one every 5 steps, 10 steps at most on the grid
	enemyBullets     [8]seaObject // one per enemy sub in flight at most
}

// NewMinSeaquest returns an unseeded min-seaquest.
func NewMinSeaquest(ramping bool) *MinSeaquest {
	return &MinSeaquest{ramping: ramping, minGame: newMinGame("min-seaquest",
		[]paint{rgb(250, 220, 60), rgb(200, 170, 50), rgb(250, 250, 250), rgb(70, 70, 110), rgb(255, 120, 120),
			rgb(230, 70, 70), rgb(180, 60, 200), rgb(80, 200, 230), rgb(120, 220, 120), rgb(120, 220, 120)},
		msOxygen, msDiverGauge, msTrench, msDiver, msFish, msEnemySub, msEnemyBullet, msBullet, msSubBack, msSubFront)}
}

// Reset puts the sub at the surface with a full tank.
func (g *MinSeaquest) Reset() (Obs, Info) {
	g.ep.reset()
	g.subX, g.subY, g.faceRight = 5, 0, true
	g.oxygen, g.divers, g.cooldown = seaquestOxygen, 0, 0
	g.surfaced, g.surfacings = true, 0
	g.spawnInterval, g.moveInterval = seaquestSpawnInterval, seaquestMoveInterval
	g.spawnTimer, g.moveTimer = g.spawnInterval, g.moveInterval
	g.diverTimer, g.diverMoveTimer = seaquestDiverInterval, seaquestDiverMove
	g.enemies, g.diverAt = [8]seaObject{}, [8]seaObject{}
	g.bullets, g.enemyBullets = [4]seaObject{}, [8]seaObject{}
	return g.observe(), g.info
}

// backX is the column of the sub's back cell (off the grid at an edge).
func (g *MinSeaquest) backX() int {
	if g.faceRight {
		return g.subX - 1
	}
	return g.subX + 1
}

// Step plays one step of the rules above.
func (g *MinSeaquest) Step(action int) (Obs, float64, bool, bool, Info) {
	g.ep.step(action)
	if g.cooldown > 0 {
		g.cooldown--
	}
	switch action {
	case minFire:
		if g.cooldown == 0 {
			dir := -1
			if g.faceRight {
				dir = 1
			}
			launch(g.bullets[:], g.subX, g.subY, dir)
			g.cooldown = seaquestFireCooldown
		}
	case minLeft:
		g.subX, g.faceRight = max(g.subX-1, 0), false
	case minRight:
		g.subX, g.faceRight = min(g.subX+1, minSize-1), true
	case minUp:
		g.subY = max(g.subY-1, 0)
	case minDown:
		g.subY = min(g.subY+1, 8)
	}
	advance(g.bullets[:])
	reward := g.shoot()
	advance(g.enemyBullets[:])
	if g.moveTimer--; g.moveTimer <= 0 {
		g.moveTimer = g.moveInterval
		advance(g.enemies[:])
	}
	if g.diverMoveTimer--; g.diverMoveTimer <= 0 {
		g.diverMoveTimer = seaquestDiverMove
		advance(g.diverAt[:])
	}
	if g.spawnTimer--; g.spawnTimer <= 0 {
		g.spawnTimer = g.spawnInterval
		if o := g.enter(&g.enemies); o != nil {
			o.sub, o.timer = g.rng.IntN(3) == 0, seaquestEnemyFire
		}
	}
	if g.diverTimer--; g.diverTimer <= 0 {
		g.diverTimer = seaquestDiverInterval
		g.enter(&g.diverAt)
	}
	for i := range g.enemies {
		if e := &g.enemies[i]; e.active && e.sub {
			if e.timer--; e.timer <= 0 {
				e.timer = seaquestEnemyFire
				if x := int(e.x + e.dir); x >= 0 && x < minSize {
					launch(g.enemyBullets[:], x, int(e.y), int(e.dir))
				}
			}
		}
	}
	reward += g.shoot()
	dead := g.touch()
	if g.subY > 0 {
		g.surfaced = false
		if g.oxygen--; g.oxygen <= 0 {
			dead = true
		}
	} else if !g.surfaced {
		g.surfaced = true
		r, d := g.surface()
		reward, dead = reward+r, dead || d
	}
	g.ep.end(dead)
	return g.observe(), reward, dead, false, g.info
}

// launch starts a bullet at (x, y) in a free slot of bullets.
func launch(bullets []seaObject, x, y, dir int) {
	for i := range bullets {
		if b := &bullets[i]; !b.active {
			*b = seaObject{active: true, x: int8(x), y: int8(y), dir: int8(dir)}
			return
		}
	}
}

// advance moves every active object one cell along its row; those that
// leave the grid vanish.
func advance(objects []seaObject) {
	for i := range objects {
		if o := &objects[i]; o.active {
			if o.x += o.dir; o.x < 0 || o.x >= minSize {
				o.active = false
			}
		}
	}
}

// enter brings an object into a random free lane from a random edge and
// returns it, or nil when every lane is taken.
func (g *MinSeaquest) enter(lanes *[8]seaObject) *seaObject {
	free := 0
	for _, o := range lanes {
		if !o.active {
			free++
		}
	}
	if free == 0 {
		return nil
	}
	k := g.rng.IntN(free)
	for i := range lanes {
		if o := &lanes[i]; !o.active {
			if k == 0 {
				x, dir := g.randomSide()
				*o = seaObject{active: true, x: int8(x), y: int8(i + 1), dir: int8(dir)}
				return o
			}
			k--
		}
	}
	return nil
}

// shoot removes every enemy that shares a cell with one of the sub's
// bullets, and the bullet: +1 each.
func (g *MinSeaquest) shoot() float64 {
	reward := 0.0
	for i := range g.bullets {
		b := &g.bullets[i]
		if !b.active || b.y < 1 {
			continue
		}
		if e := &g.enemies[b.y-1]; e.active && e.x == b.x {
			e.active, b.active = false, false
			reward++
		}
	}
	return reward
}

// touch collects the divers in the sub's cells and reports an enemy or an
// enemy bullet there.
func (g *MinSeaquest) touch() (dead bool) {
	if g.subY < 1 {
		return false
	}
	front, back, y := int8(g.subX), int8(g.backX()), int8(g.subY)
	if e := &g.enemies[g.subY-1]; e.active && (e.x == front || e.x == back) {
		dead = true
	}
	for i := range g.enemyBullets {
		if b := &g.enemyBullets[i]; b.active && b.y == y && (b.x == front || b.x == back) {
			dead = true
		}
	}
	if d := &g.diverAt[g.subY-1]; d.active && (d.x == front || d.x == back) && g.divers < seaquestMaxDivers {
		d.active = false
		g.divers++
	}
	return dead
}

// surface applies the rules of arriving at the surface.
func (g *MinSeaquest) surface() (reward float64, dead bool) {
	switch {
	case g.divers == 0:
		return 0, true
	case g.divers == seaquestMaxDivers:
		reward = float64(g.oxygen * 10 / seaquestOxygen)
		g.divers = 0
	default:
		g.divers--
	}
	g.oxygen = seaquestOxygen
	if g.ramping {
		g.surfacings++
		g.spawnInterval = max(g.spawnInterval-1, seaquestMinInterval)
		if g.surfacings%2 == 0 {
			g.moveInterval = max(g.moveInterval-1, seaquestMinInterval)
		}
	}
	return reward, false
}

func (g *MinSeaquest) observe() Obs {
	g.begin()
	g.set(msSubFront, g.subY, g.subX)
	g.set(msSubBack, g.subY, g.backX())
	g.mark(g.bullets[:], msBullet)
	g.mark(g.enemyBullets[:], msEnemyBullet)
	g.mark(g.diverAt[:], msDiver)
	for i := range g.enemies {
		if e := &g.enemies[i]; e.active {
			ch := msFish
			if e.sub {
				ch = msEnemySub
			}
			g.set(ch, int(e.y), int(e.x))
			g.set(msTrench, int(e.y), int(e.x-e.dir))
		}
	}
	for x := range g.oxygen * 10 / seaquestOxygen {
		g.set(msOxygen, minSize-1, x)
	}
	for x := range g.divers {
		g.set(msDiverGauge, minSize-1, x)
	}
	return g.obs()
}

// mark sets the cells of the active objects in channel ch, and their
// trails.
func (g *MinSeaquest) mark(objects []seaObject, ch int) {
	for i := range objects {
		if o := &objects[i]; o.active {
			g.set(ch, int(o.y), int(o.x))
			g.set(msTrench, int(o.y), int(o.x-o.dir))
		}
	}
}
