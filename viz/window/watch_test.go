package window

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/require"
)

// scripted is a Policy that prefers action seq[k] at its k-th single
// observation (Q = 1 there, 0.2a - 0.3 for the others) and keeps a copy
// of the last single observation it was given. Batches (the lake's) get
// the same values for every row.
type scripted struct {
	n     int
	seq   []int
	calls int
	last  envs.Obs
}

func (s *scripted) NumActions() int { return s.n }

func (s *scripted) QValues(obs envs.Obs, q []float32) {
	rows := len(q) / s.n
	pref := s.seq[s.calls%len(s.seq)]
	for r := range rows {
		for a := range s.n {
			q[r*s.n+a] = 0.2*float32(a) - 0.3
		}
		q[r*s.n+pref] = 1
	}
	if rows == 1 {
		s.calls++
		s.last = envs.Obs{Shape: append([]int(nil), obs.Shape...), U8: append([]uint8(nil), obs.U8...), F32: append([]float32(nil), obs.F32...)}
	}
}

// newTestWatch returns a Watch of a scripted agent on env name, stepping
// once an update, with keys pressed by script.
func newTestWatch(t *testing.T, name string, opts map[string]string, seq []int, k *keys) (*Watch, *scripted) {
	t.Helper()
	env, err := envs.Make(name, opts)
	require.NoError(t, err)
	p := &scripted{n: env.ActionSpace().N, seq: seq}
	g, err := NewWatch(WatchConfig{Policy: p, Env: env, EnvName: name, Seed: 3, Label: "test " + name, OutDir: t.TempDir(), Input: k})
	require.NoError(t, err)
	g.speed = speed{ticks: 1, steps: 1}
	return g, p
}

// rendered returns the env's picture as Render draws it.
func rendered(env envs.Env) *image.RGBA {
	pic := image.NewRGBA(image.Rectangle{Max: envs.RenderSize(env)})
	env.Render(pic)
	return pic
}

// requireGameArea checks that the window's top-left corner is pic scaled k
// times, every pixel.
func requireGameArea(t *testing.T, shot, pic *image.RGBA, k int) {
	t.Helper()
	b := pic.Rect
	for y := 0; y < b.Dy()*k; y++ {
		for x := 0; x < b.Dx()*k; x++ {
			if got, want := shot.RGBAAt(x, y), pic.RGBAAt(x/k, y/k); got != want {
				require.Equal(t, want, got, "game area pixel (%d, %d), picture pixel (%d, %d)", x, y, x/k, y/k)
			}
		}
	}
}

func TestWatchShowsTheGameTheObservationAndTheChoice(t *testing.T) {
	gray := func(v uint8, high float64) color.RGBA {
		g := uint8(math.Round(float64(v) * 255 / high))
		return color.RGBA{g, g, g, 255}
	}
	for _, tc := range []struct {
		env     string
		frames  int // frames, or channels, of h x w
		h, w    int
		colour  func(obs envs.Obs, f, y, x int) color.RGBA
		actions []int
	}{
		{"catch", 1, 10, 5, func(o envs.Obs, f, y, x int) color.RGBA { return gray(o.U8[y*5+x], 1) }, []int{1, 2, 0}},
		{"min-breakout", 4, 10, 10, func(o envs.Obs, f, y, x int) color.RGBA {
			if o.U8[(f*10+y)*10+x] == 1 {
				return channelColours[f]
			}
			return obsBackground
		}, []int{3, 5, 1, 4}},
		{"pong", 4, 84, 84, func(o envs.Obs, f, y, x int) color.RGBA { return gray(o.U8[(f*84+y)*84+x], 255) }, []int{1, 2}},
	} {
		t.Run(tc.env, func(t *testing.T) {
			g, p := newTestWatch(t, tc.env, nil, tc.actions, newKeys())
			const steps = 5
			shot := capture(t, g, steps)
			require.Equal(t, steps, g.pl.actions, "one agent step an update")

			requireGameArea(t, shot, rendered(g.env), g.scale)

			// The observation panel holds the observation the agent was
			// given last, value for value.
			require.Equal(t, p.last.U8, g.pl.obs.U8)
			k, x0, y0 := g.obs.scale, g.panelX+pad, g.obsY+lineH
			for f := range tc.frames {
				for y := range tc.h {
					for x := range tc.w {
						px, py := x0+(f*(tc.w+frameGap)+x)*k, y0+y*k
						for _, d := range [][2]int{{0, 0}, {k - 1, k - 1}} {
							if got, want := shot.RGBAAt(px+d[0], py+d[1]), tc.colour(p.last, f, y, x); got != want {
								require.Equal(t, want, got, "observation frame %d cell (%d, %d)", f, y, x)
							}
						}
					}
				}
			}

			// The bar of the chosen action is highlighted, the others not.
			chosen := tc.actions[(p.calls-1)%len(tc.actions)]
			require.Equal(t, chosen, g.pl.action)
			for a := range p.n {
				r := g.bars.bar(a, g.pl.q)
				c := shot.RGBAAt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
				if a == chosen {
					require.Equal(t, chosenColour, c, "the chosen action's bar")
				} else {
					require.Equal(t, barColour, c, "action %d's bar", a)
				}
			}
			// The chosen bar is the longest: Q = 1 against at most 0.7.
			require.Greater(t, g.bars.bar(chosen, g.pl.q).Dx(), g.bars.bar((chosen+1)%p.n, g.pl.q).Dx())
		})
	}
}

// obsPolicy gives Q-values that depend on the observation, so that a
// game's course depends on what the agent sees.
type obsPolicy struct{ n int }

func (p obsPolicy) NumActions() int { return p.n }

func (p obsPolicy) QValues(obs envs.Obs, q []float32) {
	rows := len(q) / p.n
	size := obs.Len() / rows
	for r := range rows {
		for a := range p.n {
			s := float32(0)
			for i := r * size; i < (r+1)*size; i++ {
				if obs.U8[i] != 0 {
					s += float32((i*7 + a*13) % 11)
				}
			}
			q[r*p.n+a] = s
		}
	}
}

// TestWatchPlaysEvalEpisodes: game i of watch is the evaluation episode i
// that rollout.Play plays (and arcade eval scores and records), frame for
// frame, exploration included.
func TestWatchPlaysEvalEpisodes(t *testing.T) {
	for _, name := range []string{"catch", "min-breakout"} {
		env, err := envs.Make(name, nil)
		require.NoError(t, err)
		p := obsPolicy{n: env.ActionSpace().N}
		const seed, eps = 7, 0.3
		pl := newAgentPlayer(p, env, seed, eps)
		for game := range 2 {
			var want []*image.RGBA
			ref, err := envs.Make(name, nil)
			require.NoError(t, err)
			ret, length := rollout.Play(p, ref, seed, game, eps, func() { want = append(want, rendered(ref)) })
			require.Equal(t, game, pl.game)
			for i, w := range want {
				require.Equal(t, w.Pix, rendered(env).Pix, "%s game %d frame %d", name, game, i)
				if i < len(want)-1 {
					pl.step()
				}
			}
			require.True(t, pl.over, "%s game %d ends with rollout's", name, game)
			require.Equal(t, ret, pl.last)
			require.Equal(t, length, pl.steps)
			pl.step() // the next game
		}
	}
}

func TestWatchKeys(t *testing.T) {
	// Space pauses at update 3; the right arrow steps once at 5 and is
	// ignored while running (update 9, after space resumed at 8).
	k := newKeys().press(3, ebiten.KeySpace).press(5, ebiten.KeyArrowRight).press(8, ebiten.KeySpace).press(9, ebiten.KeyArrowRight)
	g, _ := newTestWatch(t, "catch", nil, []int{0}, k)
	show(&driven{g, k}, 2, func(*ebiten.Image) {})
	require.Equal(t, 2, g.pl.actions)
	show(&driven{g, k}, 5, func(*ebiten.Image) {}) // updates 3 to 7
	require.True(t, g.paused)
	require.Equal(t, 3, g.pl.actions, "paused: only the right arrow steps")
	show(&driven{g, k}, 3, func(*ebiten.Image) {}) // updates 8 to 10
	require.False(t, g.paused)
	require.Equal(t, 6, g.pl.actions, "running again: one step an update")

	// + and - halve and double the updates per step, then the steps per
	// update; R starts the next game; Tab hides the panel; Q quits.
	k = newKeys().press(1, ebiten.KeyMinus).press(2, ebiten.KeyEqual).press(3, ebiten.KeyNumpadAdd).press(4, ebiten.KeyEqual)
	g, _ = newTestWatch(t, "catch", nil, []int{0}, k)
	show(&driven{g, k}, 1, func(*ebiten.Image) {})
	require.Equal(t, speed{ticks: 2, steps: 1}, g.speed)
	require.Equal(t, 0, g.pl.actions, "update 1 of 2")
	show(&driven{g, k}, 1, func(*ebiten.Image) {})
	require.Equal(t, speed{ticks: 1, steps: 1}, g.speed)
	require.Equal(t, 1, g.pl.actions)
	show(&driven{g, k}, 2, func(*ebiten.Image) {})
	require.Equal(t, speed{ticks: 1, steps: 4}, g.speed)
	require.Equal(t, 1+2+4, g.pl.actions, "k steps an update when fast, over game ends")
	require.Equal(t, 0, g.pl.game)

	k = newKeys().press(1, ebiten.KeyR).press(2, ebiten.KeyTab).press(4, ebiten.KeyQ)
	g, _ = newTestWatch(t, "catch", nil, []int{0}, k)
	w, h := g.Layout(0, 0)
	show(&driven{g, k}, 1, func(*ebiten.Image) {})
	require.Equal(t, 1, g.pl.game, "R: the next game")
	require.Equal(t, 1, g.pl.steps)
	v := show(&driven{g, k}, 10, func(*ebiten.Image) {})
	gw, gh := g.Layout(0, 0)
	require.Equal(t, g.size.Mul(g.scale), image.Pt(gw, gh), "Tab hides the panel")
	require.Greater(t, w, gw)
	require.GreaterOrEqual(t, h, gh)
	require.True(t, v.ended, "Q quits")
	require.Equal(t, 3, v.updates, "at its update: updates 2, 3 and 4 ran")
}

// TestWatchIsDeterministic: the same seed and keys give the same games,
// and drawing changes nothing.
func TestWatchIsDeterministic(t *testing.T) {
	script := func() *keys {
		return newKeys().press(4, ebiten.KeyEqual).press(9, ebiten.KeyR).press(12, ebiten.KeySpace).press(14, ebiten.KeyArrowRight)
	}
	var games [2][]int
	var pics [2][]byte
	for i := range games {
		k := script()
		env, err := envs.Make("min-breakout", nil)
		require.NoError(t, err)
		g, err := NewWatch(WatchConfig{Policy: obsPolicy{n: 6}, Env: env, EnvName: "min-breakout", Seed: 5, Epsilon: 0.2,
			OutDir: t.TempDir(), Input: k})
		require.NoError(t, err)
		g.speed = speed{ticks: 1, steps: 1}
		show(&driven{g, k}, 16, func(screen *ebiten.Image) {
			before := rendered(env).Pix
			state := *g.pl
			for range 3 {
				g.Draw(screen)
			}
			require.Equal(t, before, rendered(env).Pix, "Draw leaves the env alone")
			require.Equal(t, state, *g.pl, "Draw leaves the player alone")
		})
		games[i] = []int{g.pl.game, g.pl.steps, g.pl.actions, g.pl.action, int(g.pl.ret)}
		pics[i] = rendered(env).Pix
	}
	require.Equal(t, games[0], games[1])
	require.Equal(t, pics[0], pics[1])
	require.GreaterOrEqual(t, games[0][0], 1, "R started the next game")
}
