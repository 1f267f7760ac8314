package envs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rows draws a [rows, cols] 0/1 observation as text: "#" for 1, "." for 0.
func rows(obs Obs, cols int) string {
	var b strings.Builder
	for i, v := range obs.U8 {
		b.WriteByte(".#"[v])
		if (i+1)%cols == 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestCatchFallsAndScores(t *testing.T) {
	c := NewCatch()
	c.Seed(2)
	obs, _ := c.Reset()
	c.ballX = 4
	obs = c.observe()
	require.Equal(t, "....#\n.....\n.....\n.....\n.....\n.....\n.....\n.....\n.....\n..#..\n", rows(obs, catchCols))
	obs, r, done, _, _ := c.Step(2)
	require.Equal(t, ".....\n....#\n.....\n.....\n.....\n.....\n.....\n.....\n.....\n...#.\n", rows(obs, catchCols),
		"the paddle moves, the ball falls a row")
	require.Zero(t, r)
	require.False(t, done)
	for range 7 {
		_, _, done, _, _ = c.Step(2)
		require.False(t, done)
	}
	obs, r, done, _, _ = c.Step(0)
	require.True(t, done, "the ball reaches the bottom after 9 steps")
	require.Equal(t, 1.0, r, "caught")
	require.Equal(t, ".....\n.....\n.....\n.....\n.....\n.....\n.....\n.....\n.....\n....#\n", rows(obs, catchCols))

	total := 0.0
	for range 100 {
		c.Reset()
		for {
			_, r, done, _, _ := c.Step(0) // never moves: catches only balls in the middle column
			if done {
				total += r
				break
			}
		}
	}
	require.InDelta(t, -60, total, 20, "1 in 5 caught: 20 - 80")
}

func TestSnake(t *testing.T) {
	s := started(NewSnake(6))
	s.food = 5*6 + 5
	requirePicture6 := func(want string, msg string) {
		t.Helper()
		var got strings.Builder
		n := s.size * s.size
		for i := range n {
			c := byte('.')
			switch {
			case s.cells[snHead*n+i] == 1:
				c = 'H'
			case s.cells[snBody*n+i] == 1:
				c = 'o'
			case s.cells[snFood*n+i] == 1:
				c = '*'
			}
			got.WriteByte(c)
			if (i+1)%s.size == 0 {
				got.WriteByte('\n')
			}
		}
		require.Equal(t, strings.ReplaceAll(strings.TrimSpace(want), "\t", "")+"\n", got.String(), msg)
	}
	s.observe()
	requirePicture6(`
		......
		......
		......
		.ooH..
		......
		.....*`, "three cells in the middle row, heading right")
	s.Step(1)
	s.Step(4)
	requirePicture6(`
		......
		......
		......
		...oo.
		....H.
		.....*`, "LEFT would reverse: ignored; DOWN turns; the tail follows")
	_, r, done, _, _ := s.Step(2)
	require.False(t, done)
	require.Zero(t, r)
	_, r, done, _, _ = s.Step(4)
	require.Equal(t, 1.0, r, "food")
	require.False(t, done)
	require.Equal(t, 4, s.n, "one cell longer")
	require.NotEqual(t, 5*6+5, s.food, "new food elsewhere")
	_, _, done, _, _ = s.Step(4)
	require.True(t, done, "the bottom wall")

	s = started(NewSnake(6))
	s.food = 0
	cycle := []int{3, 1, 4, 2} // UP, LEFT, DOWN, RIGHT: round a square of 4 cells, the head entering the cell the tail leaves
	steps := 1
	for ; ; steps++ {
		_, r, done, _, _ := s.Step(cycle[(steps-1)%4])
		require.Zero(t, r)
		if done {
			break
		}
	}
	require.Equal(t, 4*6*6, steps, "starving after 4*size*size steps without food")
}
