package envs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// breakoutSymbols: paddle, ball, trail, brick.
const breakoutSymbols = "PBt#"

// setBall puts the ball at (y, x) moving (dy, dx).
func (g *MinBreakout) setBall(y, x, dy, dx int) {
	g.ballY, g.ballX, g.dy, g.dx = y, x, dy, dx
}

// onlyBricks leaves the bricks at the given (row, column) cells.
func (g *MinBreakout) onlyBricks(cells ...[2]int) {
	g.bricks = [3 * minSize]bool{}
	for _, c := range cells {
		g.bricks[(c[0]-1)*minSize+c[1]] = true
	}
	g.left = len(cells)
}

func TestMinBreakoutStart(t *testing.T) {
	sides := map[int]int{}
	g := NewMinBreakout()
	for seed := range uint64(40) {
		g.Seed(seed)
		obs, _ := g.Reset()
		sides[g.ballX]++
		if g.ballX == 0 {
			require.Equal(t, 1, g.dx)
			requirePicture(t, `
				..........
				##########
				##########
				B#########
				..........
				..........
				..........
				..........
				..........
				....P.....`, obs, breakoutSymbols, "bricks on rows 1-3, the ball on row 3, the paddle at x 4")
		} else {
			require.Equal(t, 9, g.ballX)
			require.Equal(t, -1, g.dx)
		}
		require.Equal(t, 1, g.dy, "moving down")
	}
	require.Len(t, sides, 2, "either side")
}

func TestMinBreakoutBallAndPaddleMove(t *testing.T) {
	g := started(NewMinBreakout())
	g.setBall(3, 0, 1, 1)
	obs, r, done, _, _ := g.Step(minRight)
	require.Zero(t, r)
	require.False(t, done)
	requirePicture(t, `
		..........
		##########
		##########
		t#########
		.B........
		..........
		..........
		..........
		..........
		.....P....`, obs, breakoutSymbols, "one cell diagonally; the trail marks the previous cell")
	g.paddleX = 0
	g.Step(minLeft)
	require.Equal(t, 0, g.paddleX, "the paddle stops at the edges")
	g.paddleX = 9
	g.Step(minRight)
	require.Equal(t, 9, g.paddleX)
}

func TestMinBreakoutWallsReflect(t *testing.T) {
	g := started(NewMinBreakout())
	g.setBall(5, 0, 1, -1)
	obs, _, _, _, _ := g.Step(minNoop)
	requirePicture(t, `
		..........
		##########
		##########
		##########
		..........
		t.........
		B.........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "the side wall reverses dx; the ball keeps its column")
	require.Equal(t, 1, g.dx)
	g.onlyBricks([2]int{3, 9})
	g.setBall(0, 4, -1, 1)
	obs, _, _, _, _ = g.Step(minNoop)
	requirePicture(t, `
		....tB....
		..........
		..........
		.........#
		..........
		..........
		..........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "the ceiling reverses dy; the ball keeps its row")
	require.Equal(t, 1, g.dy)
}

func TestMinBreakoutBreaksABrickAndBounces(t *testing.T) {
	g := started(NewMinBreakout())
	g.setBall(4, 3, -1, 1)
	obs, r, _, _, _ := g.Step(minNoop)
	require.Equal(t, 1.0, r)
	requirePicture(t, `
		..........
		##########
		##########
		####.#####
		...tB.....
		..........
		..........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "the brick at (3, 4) is gone, the ball keeps row 4 and turns down")
	require.Equal(t, 1, g.dy)
	require.Equal(t, 29, g.left)
}

// TestMinBreakoutNoBreaksOnConsecutiveSteps pins the strike flag and the
// ball that is blocked both ways.
func TestMinBreakoutNoBreaksOnConsecutiveSteps(t *testing.T) {
	g := started(NewMinBreakout())
	g.bricks[1*minSize+2], g.bricks[1*minSize+3] = false, false // a pocket at (2, 2) and (2, 3)
	g.left -= 2
	g.setBall(2, 2, 1, 1)
	obs, r, _, _, _ := g.Step(minNoop)
	require.Equal(t, 1.0, r, "breaks (3, 3)")
	requirePicture(t, `
		..........
		##########
		##tB######
		###.######
		..........
		..........
		..........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "")
	obs, r, _, _, _ = g.Step(minNoop)
	require.Zero(t, r, "(1, 4) is not broken: a brick broke on the previous step")
	requirePicture(t, `
		..........
		##########
		##.B######
		###.######
		..........
		..........
		..........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "blocked up by (1, 4) and sideways by (2, 4): the ball stays, turned back")
	require.Equal(t, [2]int{1, -1}, [2]int{g.dy, g.dx})
	_, r, _, _, _ = g.Step(minNoop)
	require.Equal(t, 1.0, r, "the flag is clear again: (3, 2) breaks")
}

func TestMinBreakoutPaddle(t *testing.T) {
	for _, c := range []struct {
		name   string
		paddle int
		want   string
		done   bool
		dy, dx int
	}{
		{"lands on the paddle's cell: bounces up, keeps its row", 4, `
			##########
			..........
			..........
			..........
			..........
			...tB.....
			....P.....`, false, -1, 1},
		{"leaves the paddle's column: bounces back the way it came", 3, `
			##########
			..........
			..........
			..........
			..........
			...B......
			...P......`, false, -1, -1},
		{"misses: reaches the bottom row, the end", 7, `
			##########
			..........
			..........
			..........
			..........
			...t......
			....B..P..`, true, 1, 1},
	} {
		g := started(NewMinBreakout())
		g.paddleX = c.paddle
		g.setBall(8, 3, 1, 1)
		obs, _, done, _, _ := g.Step(minNoop)
		requirePicture(t, "..........\n##########\n##########\n"+strings.TrimSpace(c.want), obs, breakoutSymbols, c.name)
		require.Equal(t, c.done, done, c.name)
		require.Equal(t, [2]int{c.dy, c.dx}, [2]int{g.dy, g.dx}, c.name)
	}
}

func TestMinBreakoutRefillsTheBricks(t *testing.T) {
	g := started(NewMinBreakout())
	g.onlyBricks([2]int{3, 4})
	g.setBall(4, 3, -1, 1)
	obs, r, _, _, _ := g.Step(minNoop)
	require.Equal(t, 1.0, r)
	requirePicture(t, `
		..........
		##########
		##########
		##########
		...tB.....
		..........
		..........
		..........
		..........
		....P.....`, obs, breakoutSymbols, "the last brick broken, all 30 come back")
}
