package window

import (
	"image"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

// tablePolicy is a FrozenLake Q-table whose greedy action in state s is
// s mod 4, worth s/16: Q(s, a) = s/16 for a = s mod 4, 0 otherwise. It
// reads the state from index and one-hot observations, one or a batch.
type tablePolicy struct{}

func (tablePolicy) NumActions() int { return 4 }

func (tablePolicy) QValues(obs envs.Obs, q []float32) {
	for r := range len(q) / 4 {
		s := 0
		if obs.U8 != nil {
			s = int(obs.U8[r])
		} else {
			n := len(obs.F32) / (len(q) / 4)
			for i, v := range obs.F32[r*n : (r+1)*n] {
				if v == 1 {
					s = i
				}
			}
		}
		for a := range 4 {
			q[r*4+a] = 0
		}
		q[r*4+s%4] = float32(s) / 16
	}
}

func TestLakeShowsValuesAndGreedyArrows(t *testing.T) {
	for _, obs := range []string{"index", "onehot"} {
		env, err := envs.Make("frozenlake", map[string]string{"obs": obs, "slippery": "false"})
		require.NoError(t, err)
		g, err := NewWatch(WatchConfig{Policy: tablePolicy{}, Env: env, EnvName: "frozenlake", Seed: 1, OutDir: t.TempDir(), Input: newKeys()})
		require.NoError(t, err)
		m := g.lake
		require.NotNil(t, m)
		require.Equal(t, []bool{false, false, false, false, false, true, false, true, false, false, false, true, true, false, false, true},
			m.terminal, "the holes and the goal of Gymnasium's 4x4 map")
		for s := range 16 {
			require.Equal(t, s%4, m.greedy[s], obs)
			require.InDelta(t, float64(s)/16, m.values[s], 1e-7)
		}
		require.Equal(t, [2]float64{0, 14 / 16.0}, [2]float64{m.lo, m.hi}, "the range over states 0 to 14 but the holes")
		shot := capture(t, g, 0)
		pic := rendered(env) // the agent on the start cell
		k, cell, r := g.scale, m.cell, m.cell*3/8
		at := func(x, y int) image.Point { return image.Pt(x*k+k/2, y*k+k/2) }
		for s := range 16 {
			x0, y0 := s%4*cell, s/4*cell
			corner := image.Pt(x0+4, y0+4)
			want := pic.RGBAAt(corner.X, corner.Y)
			plain := m.terminal[s] || s == 0
			if !plain {
				over := image.NewRGBA(image.Rect(0, 0, 1, 1))
				over.SetRGBA(0, 0, want)
				blend(over, over.Rect, m.heat(s), heatAlpha)
				want = over.RGBAAt(0, 0)
			}
			p := at(corner.X, corner.Y)
			require.Equal(t, want, shot.RGBAAt(p.X, p.Y), "%s: state %d's heat", obs, s)

			cx, cy := x0+cell/2, y0+cell/2
			d := lakeDirs[m.greedy[s]]
			tip := at(cx+d[0]*(r-2), cy+d[1]*(r-2))
			side := at(cx-d[1]*(r-2), cy+d[0]*(r-2))
			if plain {
				require.NotEqual(t, arrowColour, shot.RGBAAt(tip.X, tip.Y), "%s: no arrow on state %d", obs, s)
				continue
			}
			require.Equal(t, arrowColour, shot.RGBAAt(tip.X, tip.Y), "%s: state %d's arrow points %d", obs, s, m.greedy[s])
			require.NotEqual(t, arrowColour, shot.RGBAAt(side.X, side.Y), "%s: and not sideways", obs)
		}
	}
}
