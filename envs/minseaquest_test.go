package envs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// seaquestSymbols: sub front and back, bullet, trench (the trail), enemy
// bullet, fish, enemy sub, oxygen gauge, diver gauge, diver.
const seaquestSymbols = "Ss-t*FEodD"

// noTrails leaves the trench channel out of pictures.
const noTrails = "Ss- *FEodD"

// quiet stops spawning and moving for the length of a test.
func (g *MinSeaquest) quiet() {
	g.spawnTimer, g.diverTimer, g.moveTimer, g.diverMoveTimer = 1000, 1000, 1000, 1000
}

// dive puts the sub at (y, x) below the surface.
func (g *MinSeaquest) dive(y, x int) {
	g.subY, g.subX, g.surfaced = y, x, false
}

func TestMinSeaquestStart(t *testing.T) {
	g := NewMinSeaquest(true)
	g.Seed(1)
	obs, _ := g.Reset()
	requirePicture(t, `
		....sS....
		..........
		..........
		..........
		..........
		..........
		..........
		..........
		..........
		oooooooooo`, obs, seaquestSymbols, "at the surface facing right, a full tank of oxygen")
}

func TestMinSeaquestFireCooldownAndTurning(t *testing.T) {
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(3, 2)
	obs, _, _, _, _ := g.Step(minFire)
	requirePicture(t, `
		..........
		..........
		..........
		.sS-......
		..........
		..........
		..........
		..........
		..........
		ooooooooo.`, obs, seaquestSymbols, "the bullet starts on the sub and moves one cell; FIRE does not move the sub")
	shots := 1
	for step := 2; step <= 11; step++ {
		before := g.cooldown
		g.Step(minFire)
		if g.cooldown == seaquestFireCooldown && before == 1 {
			shots++
			require.Contains(t, []int{6, 11}, step, "a shot every 5 steps")
		}
	}
	require.Equal(t, 3, shots)
	obs, _, _, _, _ = g.Step(minLeft)
	requirePicture(t, `
		..........
		..........
		..........
		.Ss.-....-
		..........
		..........
		..........
		..........
		..........
		ooooooooo.`, obs, noTrails, "LEFT moves and turns the sub, its back now on the right; two bullets fly on")
	require.Equal(t, 1, g.subX)
	require.False(t, g.faceRight)
}

func TestMinSeaquestShootingScores(t *testing.T) {
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(3, 5)
	g.enemies[2] = seaObject{active: true, x: 8, y: 3, dir: -1}
	g.Step(minFire)
	_, r, _, _, _ := g.Step(minNoop)
	require.Zero(t, r)
	obs, r, done, _, _ := g.Step(minNoop)
	require.Equal(t, 1.0, r, "the bullet reached the fish")
	require.False(t, done)
	require.False(t, g.enemies[2].active)
	requirePicture(t, `
		..........
		..........
		..........
		....sS....
		..........
		..........
		..........
		..........
		..........
		ooooooooo.`, obs, noTrails, "fish and bullet gone")
}

func TestMinSeaquestEnemiesKill(t *testing.T) {
	for _, c := range []struct {
		name  string
		enemy seaObject
	}{
		{"a fish swims into the front", seaObject{active: true, x: 6, y: 4, dir: -1}},
		{"a sub swims into the back", seaObject{active: true, sub: true, timer: 100, x: 3, y: 4, dir: 1}},
	} {
		g := started(NewMinSeaquest(true))
		g.quiet()
		g.dive(4, 5)
		g.enemies[3] = c.enemy
		g.moveTimer = 1
		_, _, done, _, _ := g.Step(minNoop)
		require.True(t, done, c.name)
	}
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(6, 8)
	g.enemies[5] = seaObject{active: true, sub: true, timer: 1, x: 2, y: 6, dir: 1}
	obs, _, _, _, _ := g.Step(minNoop)
	requirePicture(t, `
		..........
		..........
		..........
		..........
		..........
		..........
		..E*...sS.
		..........
		..........
		ooooooooo.`, obs, noTrails, "an enemy sub fires every 10 steps from the cell in front of it")
	require.Equal(t, int8(seaquestEnemyFire), g.enemies[5].timer)
	for range 3 {
		_, _, done, _, _ := g.Step(minNoop)
		require.False(t, done)
	}
	_, _, done, _, _ := g.Step(minNoop)
	require.True(t, done, "its bullet, one cell a step, reaches the sub's back")
}

func TestMinSeaquestDiversAndGauges(t *testing.T) {
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(4, 5)
	g.diverAt[3] = seaObject{active: true, x: 6, y: 4, dir: -1}
	g.diverMoveTimer = 1
	g.oxygen = 101
	obs, r, done, _, _ := g.Step(minNoop)
	require.Zero(t, r)
	require.False(t, done)
	require.Equal(t, 1, g.divers, "collected")
	require.Equal(t, 100, g.oxygen, "oxygen drops by 1 below the surface")
	requirePicture(t, `
		..........
		..........
		..........
		..........
		....sS....
		..........
		..........
		..........
		..........
		ooooo.....`, obs, "Ss-t*FEo D", "oxygen 100 fills 5 cells of the gauge")
	requirePicture(t, `
		..........
		..........
		..........
		..........
		..........
		..........
		..........
		..........
		..........
		d.........`, obs, "        d ", "one diver aboard")
	g.divers = seaquestMaxDivers
	g.diverAt[3] = seaObject{active: true, x: 5, y: 4, dir: -1}
	g.Step(minNoop)
	require.True(t, g.diverAt[3].active, "no room for a seventh")
}

func TestMinSeaquestOxygenRunsOut(t *testing.T) {
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(2, 5)
	g.oxygen = 1
	_, _, done, _, _ := g.Step(minNoop)
	require.True(t, done)
}

func TestMinSeaquestSurfacing(t *testing.T) {
	g := started(NewMinSeaquest(true))
	g.quiet()
	g.dive(1, 5)
	_, r, done, _, _ := g.Step(minUp)
	require.True(t, done, "surfacing with no diver ends the episode")
	require.Zero(t, r)

	g = started(NewMinSeaquest(true))
	g.quiet()
	g.dive(1, 5)
	g.divers, g.oxygen = 6, 150
	_, r, done, _, _ = g.Step(minUp)
	require.False(t, done)
	require.Equal(t, 7.0, r, "6 divers: a bonus of 150*10/200")
	require.Equal(t, [2]int{0, 200}, [2]int{g.divers, g.oxygen}, "divers emptied, oxygen refilled")
	require.Equal(t, [2]int{19, 5}, [2]int{g.spawnInterval, g.moveInterval}, "the first surfacing ramps the spawn interval")

	g.Step(minNoop)
	require.Equal(t, 200, g.oxygen, "no oxygen used at the surface")
	g.Step(minDown)
	g.divers = 3
	_, r, done, _, _ = g.Step(minUp)
	require.False(t, done)
	require.Zero(t, r)
	require.Equal(t, [2]int{2, 200}, [2]int{g.divers, g.oxygen}, "1-5 divers: one is used, oxygen refilled")
	require.Equal(t, [2]int{18, 4}, [2]int{g.spawnInterval, g.moveInterval}, "every second surfacing ramps the move interval too")

	g.spawnInterval, g.moveInterval, g.surfacings = 2, 2, 1
	g.Step(minDown)
	g.Step(minUp)
	require.Equal(t, [2]int{2, 2}, [2]int{g.spawnInterval, g.moveInterval}, "never below 2")

	flat := started(NewMinSeaquest(false))
	flat.quiet()
	flat.dive(1, 5)
	flat.divers = 2
	flat.Step(minUp)
	require.Equal(t, [2]int{20, 5}, [2]int{flat.spawnInterval, flat.moveInterval}, "ramping off")
}

func TestMinSeaquestSpawns(t *testing.T) {
	g := started(NewMinSeaquest(true))
	count := func(objects []seaObject) (n int) {
		for _, o := range objects {
			if o.active {
				n++
				require.True(t, o.x == 0 && o.dir == 1 || o.x == 9 && o.dir == -1, "enters at an edge: %+v", o)
				require.True(t, o.y >= 1 && o.y <= 8)
			}
		}
		return n
	}
	g.dive(8, 0)
	g.oxygen = 1000
	for step := 1; step <= 20; step++ {
		g.Step(minNoop)
		require.Equal(t, step/20, count(g.enemies[:]), "an enemy every 20 steps (step %d)", step)
	}
	g = started(NewMinSeaquest(true))
	g.dive(8, 0)
	g.oxygen = 1000
	g.spawnTimer = 1000
	for step := 1; step <= 30; step++ {
		g.Step(minNoop)
		require.Equal(t, step/30, count(g.diverAt[:]), "a diver every 30 steps (step %d)", step)
	}
}
