package window

import (
	"image/color"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/require"
)

// Ebiten must run on the main thread, so the tests run in a goroutine
// while TestMain's RunGame drives a host game; a test hands the host a game
// to show and a check to run on the screen after it has been drawn
// (Ebiten's own test pattern).

type visit struct {
	game   ebiten.Game
	frames int                        // updates of game before the check
	check  func(screen *ebiten.Image) // runs inside Draw, after game.Draw
	done   chan struct{}
}

type host struct {
	visits chan *visit
	cur    *visit
	frames int
	end    chan struct{}
}

func (h *host) Update() error {
	select {
	case <-h.end:
		return ebiten.Termination
	default:
	}
	if h.cur == nil {
		select {
		case h.cur = <-h.visits:
			h.frames = 0
		default:
			return nil
		}
	}
	h.frames++
	if err := h.cur.game.Update(); err != nil && err != ebiten.Termination {
		return err
	}
	return nil
}

func (h *host) Draw(screen *ebiten.Image) {
	if h.cur == nil {
		return
	}
	h.cur.game.Draw(screen)
	if h.frames >= h.cur.frames {
		h.cur.check(screen)
		close(h.cur.done)
		h.cur = nil
	}
}

func (h *host) Layout(w, hh int) (int, int) {
	if h.cur != nil {
		return h.cur.game.Layout(w, hh)
	}
	return PatternWidth, PatternHeight
}

var theHost = &host{visits: make(chan *visit), end: make(chan struct{})}

// show runs game for frames updates in the real window and then check on
// the drawn screen.
func show(game ebiten.Game, frames int, check func(screen *ebiten.Image)) {
	v := &visit{game: game, frames: frames, check: check, done: make(chan struct{})}
	theHost.visits <- v
	<-v.done
}

func TestMain(m *testing.M) {
	code := make(chan int, 1)
	go func() {
		code <- m.Run()
		close(theHost.end)
	}()
	ebiten.SetWindowTitle("arcade window tests")
	ebiten.SetWindowSize(2*PatternWidth, 2*PatternHeight)
	if err := ebiten.RunGame(theHost); err != nil {
		panic(err)
	}
	os.Exit(<-code)
}

func TestPatternPixelsReadBackFromTheWindow(t *testing.T) {
	var got []color.Color
	points := [][2]int{{5, 5}, {45, 100}, {100, 20}, {315, 150}, {5, 230}, {315, 230}}
	show(&Pattern{}, 3, func(screen *ebiten.Image) {
		for _, p := range points {
			got = append(got, screen.At(p[0], p[1]))
		}
	})
	for i, p := range points {
		require.Equal(t, PatternColor(p[0], p[1]), color.RGBAModel.Convert(got[i]), "pixel %v", p)
	}
	require.Equal(t, color.RGBA{255, 255, 0, 255}, PatternColor(45, 100), "the second bar is yellow")
}
