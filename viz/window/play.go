package window

import (
	"fmt"
	"image"
	"strings"

	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
)

// PlayConfig says what a person plays.
type PlayConfig struct {
	Env     envs.Env // a fresh env; Play seeds it once with Seed and resets it for every game
	EnvName string   // its registry name (for its natural speed)
	Seed    uint64
	OutDir  string // where screenshots (play-NNNN.png) and recordings (play-NNNN.gif) go
	Input   Input  // the keys; nil reads the keyboard
	Frames  int    // close after this many updates; 0 means stay open
}

// Play is the Game in which a person plays an env with the keyboard: the
// arrow keys and space (FIRE) choose among the env's actions by their
// names, at the env's natural speed (one step every few updates, the
// pixel games one game frame an update). With no key held the game plays
// NOOP; an env without NOOP (FrozenLake, CartPole) waits for a key. The
// panel shows the score, the actions and their keys, and what an agent
// would observe. P pauses, + and - change the speed, R starts the next
// game, S, G, Tab, Esc and Q work as in Watch.
type Play struct {
	*view
	cfg     PlayConfig
	names   []string
	noop    int // the NOOP action, -1 when the env has none
	obsNow  envs.Obs
	pending int // the action of a key pressed since the last step, -1 for none
	action  int // the action played last, -1 before the first
	score   float64
	last    float64 // the last game's score
	played  int     // games finished
	game    int     // the game being played, from 0
	steps   int     // steps in this game
	over    bool
	lives   float64
	hasLife bool
	// the panel's rows
	statsY, actionsY, obsY, helpY int
}

// playHelp are the lines of help at the panel's foot.
var playHelp = []string{
	"arrows move   space FIRE   P pause   +/- speed",
	"R next game   S screenshot   G gif on/off",
	"Tab panel   Esc or Q quit",
}

// NewPlay returns a Play of cfg's env, seeded and reset.
func NewPlay(cfg PlayConfig) (*Play, error) {
	v, err := newView(cfg.Env, cfg.EnvName, cfg.Input, outputs{dir: cfg.OutDir, prefix: "play"}, cfg.Frames)
	if err != nil {
		return nil, err
	}
	space := cfg.Env.ActionSpace()
	g := &Play{view: v, cfg: cfg, names: space.Names, noop: space.Index("NOOP"), pending: -1, action: -1, game: -1}
	y := pad
	g.statsY = y
	y += 4*lineH + lineH/2
	g.actionsY = y
	y += lineH + len(g.names)*lineH + lineH/2
	g.obsY = y
	y += lineH + g.obs.size().Y + lineH/2
	g.helpY = y
	g.panelH = y + len(playHelp)*lineH + pad
	g.panelW = max(panelMinW, g.obs.size().X+2*pad)
	cfg.Env.Seed(cfg.Seed)
	g.reset()
	return g, nil
}

// reset starts the next game.
func (g *Play) reset() {
	obs, info := g.env.Reset()
	g.game++
	g.obsNow, g.score, g.steps, g.over, g.pending = obs, 0, 0, false, -1
	g.wait = g.speed.ticks - 1 // the first step is due at once
	g.lives, g.hasLife = info[envs.InfoLives]
	g.refresh(obs)
}

// step plays action a.
func (g *Play) step(a int) {
	obs, r, term, trunc, info := g.env.Step(a)
	g.obsNow, g.action = obs, a
	g.score += r
	g.steps++
	if l, ok := info[envs.InfoLives]; ok {
		g.lives, g.hasLife = l, true
	}
	ret, monitored := info[envs.InfoEpisodeReturn]
	switch {
	case monitored:
		g.over, g.last = true, ret
	case term || trunc:
		if g.isMonitored() { // a lost life ended the agent's episode: the game goes on
			g.obsNow, _ = g.env.Reset()
			return
		}
		g.over, g.last = true, g.score
	}
	if g.over {
		g.played++
	}
}

// isMonitored reports whether a Monitor reports the env's games' ends.
func (g *Play) isMonitored() bool {
	for e := g.env; ; {
		if _, ok := e.(*envs.Monitor); ok {
			return true
		}
		w, ok := e.(envs.Wrapper)
		if !ok {
			return false
		}
		e = w.Inner()
	}
}

// Keys that choose actions.
var (
	keyUp    = []ebiten.Key{ebiten.KeyArrowUp}
	keyDown  = []ebiten.Key{ebiten.KeyArrowDown}
	keyLeft  = []ebiten.Key{ebiten.KeyArrowLeft}
	keyRight = []ebiten.Key{ebiten.KeyArrowRight}
	keyFire  = []ebiten.Key{ebiten.KeySpace}
)

// actionFor returns the env's action that the keys ask for, read through
// held (Pressed or JustPressed): the directions and FIRE together as the
// Atari names combine them ("UPRIGHT", "LEFTFIRE"), else the direction
// alone, else one of its parts, else FIRE; -1 when the keys name no action
// of the env.
func actionFor(space envs.Discrete, held func(keys ...ebiten.Key) bool) int {
	vertical, horizontal := "", ""
	switch up, down := held(keyUp...), held(keyDown...); {
	case up && !down:
		vertical = "UP"
	case down && !up:
		vertical = "DOWN"
	}
	switch left, right := held(keyLeft...), held(keyRight...); {
	case right && !left:
		horizontal = "RIGHT"
	case left && !right:
		horizontal = "LEFT"
	}
	dir, fire := vertical+horizontal, held(keyFire...)
	var names []string
	if fire && dir != "" {
		names = append(names, dir+"FIRE")
	}
	names = append(names, dir, vertical, horizontal)
	if fire {
		names = append(names, "FIRE")
	}
	for _, n := range names {
		if a := space.Index(n); n != "" && a >= 0 {
			return a
		}
	}
	return -1
}

// Update reads the keys and plays the step due in this update.
func (g *Play) Update() error {
	if g.commonKeys(g.Layout) {
		return g.quit()
	}
	in := g.in
	if in.JustPressed(ebiten.KeyP) {
		g.paused = !g.paused
	}
	if in.JustPressed(ebiten.KeyR) || g.over && in.JustPressed(ebiten.KeyEnter) {
		g.reset()
	}
	space := g.env.ActionSpace()
	if a := actionFor(space, func(keys ...ebiten.Key) bool { return anyJust(in, keys...) }); a >= 0 {
		g.pending = a // a tap between two steps is not lost
	}
	if !g.over && g.due() {
		a := g.pending
		if a < 0 {
			a = actionFor(space, func(keys ...ebiten.Key) bool { return anyPressed(in, keys...) })
		}
		if a < 0 {
			a = g.noop
		}
		if a < 0 {
			g.wait = g.speed.ticks // no action yet: step as soon as a key asks
		} else {
			for i := 0; i < g.speed.steps && !g.over; i++ {
				g.step(a)
				g.recordStep()
			}
			g.pending = -1
			g.refresh(g.obsNow)
		}
	}
	g.shoot(g.Layout, g.Draw)
	return nil
}

// anyPressed reports whether any of keys is held.
func anyPressed(in Input, keys ...ebiten.Key) bool {
	for _, k := range keys {
		if in.Pressed(k) {
			return true
		}
	}
	return false
}

// Layout is the picture and, unless Tab hid it, the panel beside it.
func (g *Play) Layout(outsideWidth, outsideHeight int) (int, int) { return g.layout() }

// Draw paints the game and the panel from the state; it changes nothing.
func (g *Play) Draw(screen *ebiten.Image) {
	if !g.drawGame(screen) {
		return
	}
	x, cols := g.panelX+pad, (g.panelW-2*pad)/charW
	last, lives := "-", ""
	if g.played > 0 {
		last = fmt.Sprintf("%g", g.last)
	}
	if g.hasLife {
		lives = fmt.Sprintf("   lives %g", g.lives)
	}
	pace := g.speed.String()
	if g.paused {
		pace = "PAUSED"
	}
	status := g.notes()
	if g.over {
		status = append(status, "game over: R plays again")
	}
	lines := []string{
		"play " + g.cfg.EnvName,
		fmt.Sprintf("score %g   last game %s%s", g.score, last, lives),
		fmt.Sprintf("game %d   step %d   %s", g.game, g.steps, pace),
		strings.Join(status, "   "),
	}
	for i, s := range lines {
		text(screen, fit(s, cols), x, g.statsY+i*lineH)
	}
	text(screen, "actions and keys", x, g.actionsY)
	for a, name := range g.names {
		y := g.actionsY + (a+1)*lineH
		if a == g.action {
			fill(screen, image.Rect(x, y+1, x+cols*charW, y+lineH-1), chosenTrack)
		}
		text(screen, fmt.Sprintf("%-12s %s", name, keysOf(name)), x, y)
	}
	g.drawObs(screen, x, g.obsY, cols)
	for i, s := range playHelp {
		text(screen, s, x, g.helpY+i*lineH)
	}
}

// keysOf names the keys of an action: "up+right", "space", "no key".
func keysOf(name string) string {
	if name == "NOOP" {
		return "no key"
	}
	var keys []string
	for rest := name; rest != ""; {
		found := false
		for _, p := range [...][2]string{{"UP", "up"}, {"DOWN", "down"}, {"LEFT", "left"}, {"RIGHT", "right"}, {"FIRE", "space"}} {
			if strings.HasPrefix(rest, p[0]) {
				keys, rest, found = append(keys, p[1]), rest[len(p[0]):], true
				break
			}
		}
		if !found {
			return "-"
		}
	}
	return strings.Join(keys, "+")
}
