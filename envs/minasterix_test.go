package envs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// asterixSymbols: player, enemy, trail, gold.
const asterixSymbols = "@Et$"

// quiet stops spawning and moving for the length of a test.
func (g *MinAsterix) quiet() {
	g.spawnTimer, g.moveTimer = 1000, 1000
}

func TestMinAsterixStartAndPlayerMoves(t *testing.T) {
	g := NewMinAsterix(true)
	g.Seed(1)
	obs, _ := g.Reset()
	requirePicture(t, `
		..........
		..........
		..........
		..........
		..........
		.....@....
		..........
		..........
		..........
		..........`, obs, asterixSymbols, "the player at (x 5, y 5), empty lanes")
	g.quiet()
	for range 5 {
		g.Step(minUp)
	}
	require.Equal(t, 1, g.py, "rows 1-8 only")
	for range 9 {
		g.Step(minDown)
	}
	require.Equal(t, 8, g.py)
	g.Step(minLeft)
	g.Step(minFire)
	require.Equal(t, [2]int{4, 8}, [2]int{g.px, g.py}, "FIRE does nothing")
}

func TestMinAsterixSpawnsEveryTenSteps(t *testing.T) {
	g := started(NewMinAsterix(true))
	count := func() (n int) {
		for _, o := range g.lanes {
			if o.active {
				n++
				require.True(t, o.x == 0 && o.dir == 1 || o.x == 9 && o.dir == -1, "enters at an edge: %+v", o)
			}
		}
		return n
	}
	for step := 1; step <= 10; step++ {
		g.Step(minNoop)
		if step < 10 {
			require.Zero(t, count(), "step %d", step)
		}
	}
	require.Equal(t, 1, count(), "one object after 10 steps")
	golds := 0
	for seed := range uint64(300) {
		g.Seed(seed)
		g.Reset()
		g.spawn()
		for _, o := range g.lanes {
			if o.active && o.gold {
				golds++
			}
		}
	}
	require.InDelta(t, 100, golds, 4*8.2, "gold with probability 1/3: sqrt(300/3*2/3) = 8.2")
}

func TestMinAsterixObjectsMoveWithTrails(t *testing.T) {
	g := started(NewMinAsterix(true))
	g.quiet()
	g.lanes[2] = asterixObject{active: true, x: 2, dir: 1}
	g.lanes[6] = asterixObject{active: true, gold: true, x: 0, dir: -1}
	g.moveTimer = 1
	obs, _, _, _, _ := g.Step(minNoop)
	requirePicture(t, `
		..........
		..........
		..........
		..tE......
		..........
		.....@....
		..........
		..........
		..........
		..........`, obs, asterixSymbols, "one cell every move_speed steps; gold leaving the grid vanishes")
	require.False(t, g.lanes[6].active)
	require.Equal(t, asterixMoveSpeed, g.moveTimer)
}

func TestMinAsterixGoldAndEnemies(t *testing.T) {
	g := started(NewMinAsterix(true))
	g.quiet()
	g.lanes[4] = asterixObject{active: true, gold: true, x: 6, dir: -1}
	g.moveTimer = 1
	obs, r, done, _, _ := g.Step(minNoop)
	require.Equal(t, 1.0, r, "gold moving onto the player scores")
	require.False(t, done)
	require.False(t, g.lanes[4].active, "and disappears")
	requirePicture(t, `
		..........
		..........
		..........
		..........
		..........
		.....@....
		..........
		..........
		..........
		..........`, obs, asterixSymbols, "")

	g.lanes[4] = asterixObject{active: true, x: 6, dir: -1}
	_, r, done, _, _ = g.Step(minRight)
	require.Zero(t, r)
	require.True(t, done, "moving onto an enemy ends the episode")
}

func TestMinAsterixRamping(t *testing.T) {
	g := started(NewMinAsterix(true))
	g.quiet()
	g.rampTimer = 1
	g.Step(minNoop)
	require.Equal(t, [2]int{9, 5}, [2]int{g.spawnSpeed, g.moveSpeed}, "the first ramp: spawn_speed only")
	require.Equal(t, asterixRampEvery, g.rampTimer)
	g.rampTimer = 1
	g.Step(minNoop)
	require.Equal(t, [2]int{8, 4}, [2]int{g.spawnSpeed, g.moveSpeed}, "every second ramp: move_speed too")
	g.spawnSpeed, g.moveSpeed, g.ramps = 1, 1, 1
	g.rampTimer = 1
	g.Step(minNoop)
	require.Equal(t, [2]int{1, 1}, [2]int{g.spawnSpeed, g.moveSpeed}, "never below 1")

	flat := started(NewMinAsterix(false))
	flat.quiet()
	flat.rampTimer = 1
	flat.Step(minNoop)
	require.Equal(t, [2]int{10, 5}, [2]int{flat.spawnSpeed, flat.moveSpeed}, "ramping off")
}
