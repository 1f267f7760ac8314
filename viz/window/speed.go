package window

import (
	"fmt"
	"strings"

	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
)

// Games advance in updates, never in wall time: Ebiten calls Update
// ebiten.DefaultTPS (60) times a second, and a game plays one agent step
// every ticks updates, or steps agent steps in every update when faster.
// The same seed and the same keys give the same game at any frame rate.

// The speed limits: the slowest is one step every 2 seconds, the fastest
// 256 steps an update.
const (
	maxTicks = 128
	maxSteps = 256
)

// speed is how fast a game advances: one agent step every ticks updates,
// or steps agent steps every update; one of the two is 1.
type speed struct {
	ticks, steps int
}

// faster halves the updates per step, then doubles the steps per update.
func (s *speed) faster() {
	if s.ticks > 1 {
		s.ticks /= 2
	} else if s.steps < maxSteps {
		s.steps *= 2
	}
}

// slower halves the steps per update, then doubles the updates per step.
func (s *speed) slower() {
	if s.steps > 1 {
		s.steps /= 2
	} else if s.ticks < maxTicks {
		s.ticks *= 2
	}
}

// perSecond is the number of agent steps a second at Ebiten's 60 updates a
// second.
func (s speed) perSecond() float64 {
	return float64(ebiten.DefaultTPS) * float64(s.steps) / float64(s.ticks)
}

// String says the speed for the panel, e.g. "7.5 steps/s".
func (s speed) String() string {
	if v := s.perSecond(); v >= 100 {
		return fmt.Sprintf("%.0f steps/s", v)
	}
	return fmt.Sprintf("%.3g steps/s", s.perSecond())
}

// naturalTicks returns the updates per agent step at which the env called
// name plays at its own pace for a person: the pixel games one update per
// game frame (Atari's 60 a second, frame_skip frames a step), CartPole
// one (its physics step is 20 ms), the grid games a few steps a second.
func naturalTicks(name string, env envs.Env) int {
	switch {
	case name == "cartpole":
		return 1
	case name == "frozenlake":
		return 16
	case name == "snake":
		return 6
	case name == "catch" || strings.HasPrefix(name, "min-"):
		return 8
	}
	for e := env; ; {
		if fs, ok := e.(*envs.FrameSkip); ok {
			return fs.Skip
		}
		w, ok := e.(envs.Wrapper)
		if !ok {
			break
		}
		e = w.Inner()
	}
	if name == "pong" || name == "breakout" {
		return 1 // frame_skip=1: every step is one game frame
	}
	return 4
}
