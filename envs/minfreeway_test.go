package envs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// freewaySymbols: chicken, car, speed 1..5.
const freewaySymbols = "C>12345"

// parkCars puts every car at column 9 moving left at speed 5 with a long
// wait before its next move.
func (g *MinFreeway) parkCars() {
	for i := range g.cars {
		g.cars[i] = freewayCar{x: 9, dir: -1, speed: 5, timer: 1000}
	}
}

func TestMinFreewayStart(t *testing.T) {
	g := started(NewMinFreeway())
	for i, c := range g.cars {
		require.True(t, c.speed >= 1 && c.speed <= 5, "lane %d speed %d", i, c.speed)
		require.True(t, c.x == 0 && c.dir == 1 || c.x == 9 && c.dir == -1, "lane %d enters from the edge it drives away from", i)
		require.Equal(t, c.speed+1, c.timer)
	}
	g.parkCars()
	g.cars[0] = freewayCar{x: 0, dir: 1, speed: 2, timer: 1000}
	requirePicture(t, `
		..........
		>........2
		5........>
		5........>
		5........>
		5........>
		5........>
		5........>
		5........>
		....C.....`, g.observe(), freewaySymbols, "the speed channel marks the cell behind each car, wrapping")
}

func TestMinFreewayChickenMovesOnceEveryThreeSteps(t *testing.T) {
	g := started(NewMinFreeway())
	g.parkCars()
	var rows []int
	for range 7 {
		g.Step(minUp)
		rows = append(rows, g.chickenY)
	}
	require.Equal(t, []int{8, 8, 8, 7, 7, 7, 6}, rows)
	g.chickenY, g.cooldown = 9, 0
	g.Step(minDown)
	require.Equal(t, 9, g.chickenY, "no lower than row 9")
	g.Step(minUp)
	require.Equal(t, 8, g.chickenY, "a move that did not happen costs no cooldown")
}

func TestMinFreewayCrossingScores(t *testing.T) {
	g := started(NewMinFreeway())
	g.parkCars()
	g.chickenY = 1
	_, r, done, _, _ := g.Step(minUp)
	require.Equal(t, 1.0, r)
	require.False(t, done)
	require.Equal(t, 9, g.chickenY, "back to the bottom")
	for _, c := range g.cars {
		require.Equal(t, c.speed, c.timer, "speeds redrawn and their timers restarted (one step ago)")
		require.Equal(t, 9, c.x, "positions kept")
	}
}

func TestMinFreewayCarsMoveWrapAndHit(t *testing.T) {
	g := started(NewMinFreeway())
	g.parkCars()
	g.cars[2] = freewayCar{x: 0, dir: -1, speed: 1, timer: 1}
	g.cars[6] = freewayCar{x: 5, dir: -1, speed: 3, timer: 1}
	g.chickenY = 7
	obs, r, _, _, _ := g.Step(minNoop)
	require.Zero(t, r)
	require.Equal(t, 9, g.chickenY, "the car in lane 7 drove into the chicken: back to row 9")
	requirePicture(t, `
		..........
		5........>
		5........>
		1........>
		5........>
		5........>
		5........>
		....>3....
		5........>
		....C.....`, obs, freewaySymbols, "cars move one cell and wrap around")
	require.Equal(t, 4, g.cars[6].timer, "speed 3: the next move in 4 steps")
}

func TestMinFreewayEndsAfter2500Steps(t *testing.T) {
	g := started(NewMinFreeway())
	steps := 0
	for {
		steps++
		if _, _, done, _, _ := g.Step(minUp); done {
			break
		}
	}
	require.Equal(t, 2500, steps)
}
