package envs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The MinAtar-rule games' rules are pinned by literal grids, in the style
// of Ebiten's 2048 example: set up a state, play one step, compare the
// picture of the observation.

// picture draws a [C, 10, 10] observation as ten lines of text: in each
// cell the symbol (from symbols, one per channel) of the first channel set
// there, "." where none is; channels whose symbol is a space are left out.
func picture(obs Obs, symbols string) string {
	var b strings.Builder
	for y := range minSize {
		for x := range minSize {
			c := byte('.')
			for ch := range len(symbols) {
				if symbols[ch] != ' ' && obs.U8[(ch*minSize+y)*minSize+x] != 0 {
					c = symbols[ch]
					break
				}
			}
			b.WriteByte(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// requirePicture compares a picture with a literal grid, ignoring the
// literal's leading and trailing blank lines and indentation.
func requirePicture(t *testing.T, want string, obs Obs, symbols string, msg string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	require.Equal(t, strings.Join(lines, "\n")+"\n", picture(obs, symbols), msg)
}

// started returns a seeded game after Reset.
func started[G interface {
	Seed(uint64)
	Reset() (Obs, Info)
}](g G) G {
	g.Seed(1)
	g.Reset()
	return g
}

func TestMinatarActionsAndSpaces(t *testing.T) {
	for _, env := range []Env{NewMinBreakout(), NewMinAsterix(true), NewMinFreeway(), NewMinSeaquest(true), NewMinInvaders(true)} {
		require.Equal(t, []string{"NOOP", "LEFT", "UP", "RIGHT", "DOWN", "FIRE"}, env.ActionSpace().Names)
		require.Equal(t, 10, env.ObservationSpace().Shape[1])
	}
	require.Equal(t, []int{4, 10, 10}, NewMinBreakout().ObservationSpace().Shape)
	require.Equal(t, []int{4, 10, 10}, NewMinAsterix(true).ObservationSpace().Shape)
	require.Equal(t, []int{7, 10, 10}, NewMinFreeway().ObservationSpace().Shape)
	require.Equal(t, []int{10, 10, 10}, NewMinSeaquest(true).ObservationSpace().Shape)
	require.Equal(t, []int{6, 10, 10}, NewMinInvaders(true).ObservationSpace().Shape)
}
