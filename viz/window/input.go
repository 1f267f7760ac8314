package window

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Input is what a game reads of the keyboard in an Update. Games take it
// as a value so that tests and scripts can press keys without one.
type Input interface {
	// JustPressed reports whether key went down in this update.
	JustPressed(key ebiten.Key) bool
	// Pressed reports whether key is held down.
	Pressed(key ebiten.Key) bool
}

// Keyboard is the real keyboard, read through Ebiten.
type Keyboard struct{}

// JustPressed reports whether key went down in this update.
func (Keyboard) JustPressed(key ebiten.Key) bool { return inpututil.IsKeyJustPressed(key) }

// Pressed reports whether key is held down.
func (Keyboard) Pressed(key ebiten.Key) bool { return ebiten.IsKeyPressed(key) }

// anyJust reports whether any of keys went down in this update.
func anyJust(in Input, keys ...ebiten.Key) bool {
	for _, k := range keys {
		if in.JustPressed(k) {
			return true
		}
	}
	return false
}

// The keys both games share.
var (
	keysQuit   = []ebiten.Key{ebiten.KeyEscape, ebiten.KeyQ}
	keysFaster = []ebiten.Key{ebiten.KeyEqual, ebiten.KeyNumpadAdd} // + is shift and = on most layouts
	keysSlower = []ebiten.Key{ebiten.KeyMinus, ebiten.KeyNumpadSubtract}
)
