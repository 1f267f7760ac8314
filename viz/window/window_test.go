package window

import (
	"image"
	"image/color"
	"os"
	"slices"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/require"
)

// Ebiten must run on the main thread, so the tests run in a goroutine
// while TestMain's RunGame drives a host game; a test hands the host a game
// to show, with the number of its updates to run, and a check to run on the
// screen after it has been drawn (Ebiten's own test pattern). Every call
// into a shown game happens on the main thread.

type visit struct {
	game    ebiten.Game
	frames  int                        // updates of game before the check
	check   func(screen *ebiten.Image) // runs inside Draw, after game.Draw
	done    chan struct{}
	updates int
	ended   bool // game.Update returned ebiten.Termination
	err     error
}

type host struct {
	visits chan *visit
	cur    *visit
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
		default:
			return nil
		}
	}
	v := h.cur
	if v.updates >= v.frames || v.ended || v.err != nil {
		return nil
	}
	v.updates++
	switch err := v.game.Update(); err {
	case nil:
	case ebiten.Termination:
		v.ended = true
	default:
		v.err = err
	}
	return nil
}

func (h *host) Draw(screen *ebiten.Image) {
	v := h.cur
	if v == nil {
		return
	}
	if v.updates < v.frames && !v.ended && v.err == nil {
		return
	}
	if w, h := v.game.Layout(0, 0); screen.Bounds().Size() != image.Pt(w, h) {
		return // the screen still has the previous layout's size: wait a frame
	}
	v.game.Draw(screen)
	v.check(screen)
	close(v.done)
	h.cur = nil
}

func (h *host) Layout(w, hh int) (int, int) {
	if h.cur != nil {
		return h.cur.game.Layout(w, hh)
	}
	return PatternWidth, PatternHeight
}

var theHost = &host{visits: make(chan *visit), end: make(chan struct{})}

// show runs frames updates of game in the real window (fewer when it
// quits), draws it and runs check on the drawn screen. It returns the
// visit: how many updates ran, whether the game quit, its error.
func show(game ebiten.Game, frames int, check func(screen *ebiten.Image)) *visit {
	v := &visit{game: game, frames: frames, check: check, done: make(chan struct{})}
	theHost.visits <- v
	<-v.done
	return v
}

// capture runs frames updates of game and returns the window's pixels.
func capture(t *testing.T, game ebiten.Game, frames int) *image.RGBA {
	t.Helper()
	var shot *image.RGBA
	v := show(game, frames, func(screen *ebiten.Image) {
		shot = image.NewRGBA(screen.Bounds())
		screen.ReadPixels(shot.Pix)
	})
	require.NoError(t, v.err)
	return shot
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

// keys is an Input that presses keys by script: just[i] go down in the
// game's i-th update (from 1), held[i] are down during it.
type keys struct {
	update     int
	just, held map[int][]ebiten.Key
}

func newKeys() *keys { return &keys{just: map[int][]ebiten.Key{}, held: map[int][]ebiten.Key{}} }

// press makes key go down in update i.
func (k *keys) press(i int, key ...ebiten.Key) *keys {
	k.just[i] = append(k.just[i], key...)
	return k
}

// hold keeps key down from update i to update j.
func (k *keys) hold(i, j int, key ebiten.Key) *keys {
	for u := i; u <= j; u++ {
		k.held[u] = append(k.held[u], key)
	}
	return k
}

func (k *keys) JustPressed(key ebiten.Key) bool { return slices.Contains(k.just[k.update], key) }
func (k *keys) Pressed(key ebiten.Key) bool {
	return slices.Contains(k.held[k.update], key) || k.JustPressed(key)
}

// driven advances its keys' script before each update of the game.
type driven struct {
	ebiten.Game
	keys *keys
}

func (d *driven) Update() error {
	d.keys.update++
	return d.Game.Update()
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
