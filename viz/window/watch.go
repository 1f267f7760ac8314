package window

import (
	"fmt"
	"strings"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
)

// WatchConfig says what a Watch shows.
type WatchConfig struct {
	Policy  agents.Policy // the agent: Q-values per action
	Env     envs.Env      // a fresh env of the kind it was trained on; Watch seeds it
	EnvName string        // the env's registry name (for its natural speed)
	Seed    uint64        // game i is seeded rollout.EvalSeed(Seed, i): arcade eval's episode i
	Epsilon float64       // the exploration rate while playing
	Label   string        // the panel's first line: what is playing
	OutDir  string        // where screenshots (watch-NNNN.png) and recordings (watch-NNNN.gif) go
	Input   Input         // the keys; nil reads the keyboard
	Frames  int           // close after this many updates; 0 means stay open
}

// Watch is the Game that shows an agent playing: the env's picture scaled
// up with sharp pixels and, in a side panel, the Q-value of each action
// (the chosen one highlighted), the returns, the step, epsilon, the
// observation the agent receives and the keys. Over a FrozenLake it draws
// the state values as a heatmap and the greedy actions as arrows.
//
// Update plays one agent step every few updates (k steps an update when
// fast), never by the clock, so the same seed shows the same games; Draw
// only reads state. Space pauses, the right arrow steps once while
// paused, + and - change the speed, R starts the next game (the next
// seed), S saves a screenshot of the window, G starts and stops a GIF of
// the game's picture (one frame per step), Tab hides the panel, Esc or Q
// quits.
type Watch struct {
	*view
	cfg  WatchConfig
	pl   *agentPlayer
	bars bars
	// the panel's rows
	statsY, barsY, obsY, legendY, helpY int
}

// watchHelp are the lines of help at the panel's foot.
var watchHelp = []string{
	"space pause   right: one step   +/- speed",
	"R next seed   S screenshot   G gif on/off",
	"Tab panel   Esc or Q quit",
}

// NewWatch returns a Watch of cfg's agent, on game 0.
func NewWatch(cfg WatchConfig) (*Watch, error) {
	if n := cfg.Env.ActionSpace().N; n != cfg.Policy.NumActions() {
		return nil, fmt.Errorf("%s has %d actions; the agent has %d", cfg.EnvName, n, cfg.Policy.NumActions())
	}
	if !(cfg.Epsilon >= 0 && cfg.Epsilon <= 1) {
		return nil, fmt.Errorf("epsilon %v: want a probability in [0, 1]", cfg.Epsilon)
	}
	v, err := newView(cfg.Env, cfg.EnvName, cfg.Input, outputs{dir: cfg.OutDir, prefix: "watch"}, cfg.Frames)
	if err != nil {
		return nil, err
	}
	g := &Watch{view: v, cfg: cfg}
	// The lake asks the policy about every state before the game starts,
	// so that the policy's last observation is the game's.
	g.lake = newLakeMap(cfg.Env, cfg.Policy)
	g.pl = newAgentPlayer(cfg.Policy, cfg.Env, cfg.Seed, cfg.Epsilon)

	y := pad
	g.statsY = y
	y += 5*lineH + lineH/2
	g.barsY = y
	g.bars = newBars(g.panelX+pad, y+lineH, cfg.Env.ActionSpace().Names)
	y += lineH + g.bars.height() + lineH/2
	g.obsY = y
	y += lineH + g.obs.size().Y + lineH/2
	if g.lake != nil {
		g.legendY = y
		y += 2*lineH + lineH/2
	}
	g.helpY = y
	g.panelH = y + len(watchHelp)*lineH + pad
	g.panelW = max(panelMinW, g.obs.size().X+2*pad, g.bars.labelW+g.bars.trackW+8*charW+2*pad)
	g.refresh(g.pl.obs)
	return g, nil
}

// Update reads the keys and plays the steps due in this update.
func (g *Watch) Update() error {
	if g.commonKeys(g.Layout) {
		return g.quit()
	}
	in := g.in
	if in.JustPressed(ebiten.KeySpace) {
		g.paused = !g.paused
	}
	if in.JustPressed(ebiten.KeyR) {
		g.pl.start(g.pl.game + 1)
		g.wait = 0
		g.refresh(g.pl.obs)
	}
	steps := 0
	if g.paused && in.JustPressed(ebiten.KeyArrowRight) {
		steps = 1
	} else if g.due() {
		steps = g.speed.steps
	}
	if steps > 0 {
		for range steps {
			g.pl.step()
			g.recordStep()
		}
		g.refresh(g.pl.obs)
	}
	g.shoot(g.Layout, g.Draw)
	return nil
}

// Layout is the picture and, unless Tab hid it, the panel beside it.
func (g *Watch) Layout(outsideWidth, outsideHeight int) (int, int) { return g.layout() }

// Draw paints the game and the panel from the state; it changes nothing.
func (g *Watch) Draw(screen *ebiten.Image) {
	if !g.drawGame(screen) {
		return
	}
	pl := g.pl
	x, cols := g.panelX+pad, (g.panelW-2*pad)/charW
	last := "-"
	if pl.played > 0 {
		last = fmt.Sprintf("%g", pl.last)
	}
	clipped := ""
	if pl.clipped {
		clipped = " (clipped)"
	}
	pace := g.speed.String()
	if g.paused {
		pace = "PAUSED"
	}
	lines := []string{
		g.cfg.Label,
		fmt.Sprintf("game %d   step %d   (%d steps in all)", pl.game, pl.steps, pl.actions),
		fmt.Sprintf("return %g%s   last game %s", pl.ret, clipped, last),
		fmt.Sprintf("epsilon %g   %s", pl.epsilon, pace),
		g.status(),
	}
	for i, s := range lines {
		text(screen, fit(s, cols), x, g.statsY+i*lineH)
	}
	text(screen, "Q-values", x, g.barsY)
	chosen := pl.action
	if pl.over {
		chosen = -1
	}
	g.bars.draw(screen, pl.q, chosen)
	g.drawObs(screen, x, g.obsY, cols)
	if g.lake != nil {
		text(screen, fit(fmt.Sprintf("map: V(s) = max Q, dark %.3g to yellow %.3g", g.lake.lo, g.lake.hi), cols), x, g.legendY)
		text(screen, "arrows: the greedy action", x, g.legendY+lineH)
	}
	for i, s := range watchHelp {
		text(screen, s, x, g.helpY+i*lineH)
	}
}

// status is the panel's fifth line: a saved file, a recording, the end of
// a game or an exploring move.
func (g *Watch) status() string {
	parts := g.notes()
	switch pl := g.pl; {
	case pl.over:
		parts = append(parts, fmt.Sprintf("game over: %g", pl.last))
	case pl.action != pl.greedy:
		parts = append(parts, "exploring: a random action")
	}
	return strings.Join(parts, "   ")
}
