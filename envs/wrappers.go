package envs

import (
	"fmt"
	"math/rand/v2"
)

// TimeLimit truncates episodes after MaxSteps steps, as Gymnasium's
// TimeLimit does: the step that reaches the limit returns truncated = true
// (together with terminated if the game ended on that very step).
type TimeLimit struct {
	Env
	MaxSteps int
	steps    int
	ended    bool
}

// NewTimeLimit wraps env with a limit of maxSteps steps per episode.
func NewTimeLimit(env Env, maxSteps int) *TimeLimit {
	if maxSteps < 1 {
		panic(fmt.Sprintf("envs: TimeLimit of %d steps; want at least 1", maxSteps))
	}
	return &TimeLimit{Env: env, MaxSteps: maxSteps}
}

// Inner returns the wrapped env.
func (w *TimeLimit) Inner() Env { return w.Env }

// Reset starts an episode and its step count.
func (w *TimeLimit) Reset() (Obs, Info) {
	w.steps, w.ended = 0, false
	return w.Env.Reset()
}

// Step plays a step and truncates the episode at MaxSteps.
func (w *TimeLimit) Step(action int) (Obs, float64, bool, bool, Info) {
	if w.ended {
		panic("envs: TimeLimit: Step after the episode ended; call Reset")
	}
	obs, r, term, trunc, info := w.Env.Step(action)
	w.steps++
	if w.steps >= w.MaxSteps {
		trunc = true
	}
	w.ended = term || trunc
	return obs, r, term, trunc, info
}

// ClipReward clips every reward to [-1, 1] (DQN's reward clipping). Put it
// above Monitor so that Monitor records the game's own rewards.
type ClipReward struct{ Env }

// NewClipReward wraps env.
func NewClipReward(env Env) *ClipReward { return &ClipReward{env} }

// Inner returns the wrapped env.
func (w *ClipReward) Inner() Env { return w.Env }

// Step plays a step and clips its reward.
func (w *ClipReward) Step(action int) (Obs, float64, bool, bool, Info) {
	obs, r, term, trunc, info := w.Env.Step(action)
	return obs, max(-1, min(1, r)), term, trunc, info
}

// StickyActions repeats the previously executed action instead of the
// chosen one with probability P at each step (Machado et al. 2018; MinAtar
// uses P = 0.1). The previous action starts as action 0 (no-op) at every
// Reset.
type StickyActions struct {
	Env
	P    float64
	n    int
	prev int
	rng  *rand.Rand
}

// NewStickyActions wraps env with repeat probability p in [0, 1].
func NewStickyActions(env Env, p float64) *StickyActions {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("envs: StickyActions probability %g outside [0, 1]", p))
	}
	return &StickyActions{Env: env, P: p, n: env.ActionSpace().N}
}

// Inner returns the wrapped env.
func (w *StickyActions) Inner() Env { return w.Env }

// Seed seeds the wrapper's own generator and the inner env.
func (w *StickyActions) Seed(seed uint64) {
	w.rng = newRNG(seed, streamSticky)
	w.Env.Seed(seed)
}

// Reset starts an episode with no-op as the previous action.
func (w *StickyActions) Reset() (Obs, Info) {
	w.prev = 0
	return w.Env.Reset()
}

// Step plays action, or the previous action with probability P.
func (w *StickyActions) Step(action int) (Obs, float64, bool, bool, Info) {
	checkAction("StickyActions", action, w.n)
	if w.rng == nil {
		panic("envs: StickyActions: Step before Seed")
	}
	if w.rng.Float64() < w.P {
		action = w.prev
	}
	w.prev = action
	return w.Env.Step(action)
}

// NoopReset plays a random number of no-op steps, uniform in [1, NoopMax],
// after each Reset, so that episodes start in varied states (Mnih et al.
// 2015; Gymnasium's AtariPreprocessing). Their rewards are dropped; an
// episode that ends during them is reset again. Action 0 must be NOOP.
type NoopReset struct {
	Env
	NoopMax int
	rng     *rand.Rand
}

// NewNoopReset wraps env with up to noopMax no-ops (at least 1).
func NewNoopReset(env Env, noopMax int) *NoopReset {
	if noopMax < 1 {
		panic(fmt.Sprintf("envs: NoopReset of %d no-ops; want at least 1", noopMax))
	}
	requireNoop("NoopReset", env)
	return &NoopReset{Env: env, NoopMax: noopMax}
}

// requireNoop panics unless action 0 of env is NOOP.
func requireNoop(wrapper string, env Env) {
	if names := env.ActionSpace().Names; len(names) == 0 || names[0] != "NOOP" {
		panic("envs: " + wrapper + " needs action 0 to be NOOP")
	}
}

// Inner returns the wrapped env.
func (w *NoopReset) Inner() Env { return w.Env }

// Seed seeds the wrapper's own generator and the inner env.
func (w *NoopReset) Seed(seed uint64) {
	w.rng = newRNG(seed, streamNoop)
	w.Env.Seed(seed)
}

// Reset resets the inner env and plays the no-ops.
func (w *NoopReset) Reset() (Obs, Info) {
	obs, info := w.Env.Reset()
	for n := 1 + w.rng.IntN(w.NoopMax); n > 0; n-- {
		var term, trunc bool
		obs, _, term, trunc, info = w.Env.Step(0)
		if term || trunc {
			obs, info = w.Env.Reset()
		}
	}
	return obs, info
}

// EpisodicLife ends an episode, for the agent, at every lost life, while the
// game goes on (Mnih et al. 2015); Reset after a lost life plays one no-op
// instead of restarting the game. It reads the inner env's "lives" Info key
// and is off in the standard stacks, as in Gymnasium. Put Monitor below it
// so that episode returns are whole games.
type EpisodicLife struct {
	Env
	lives    float64
	gameOver bool // the inner episode ended: the next Reset is a real one
	ended    bool // the agent's episode ended
}

// NewEpisodicLife wraps env, whose action 0 must be NOOP.
func NewEpisodicLife(env Env) *EpisodicLife {
	requireNoop("EpisodicLife", env)
	return &EpisodicLife{Env: env, gameOver: true}
}

// Inner returns the wrapped env.
func (w *EpisodicLife) Inner() Env { return w.Env }

// Reset restarts the game after a game over, and otherwise plays a no-op.
func (w *EpisodicLife) Reset() (Obs, Info) {
	var obs Obs
	var info Info
	if w.gameOver {
		obs, info = w.Env.Reset()
	} else {
		var term, trunc bool
		obs, _, term, trunc, info = w.Env.Step(0)
		if term || trunc {
			obs, info = w.Env.Reset()
		}
	}
	w.lives, w.gameOver, w.ended = info[InfoLives], false, false
	return obs, info
}

// Step plays a step and reports a lost life as terminated.
func (w *EpisodicLife) Step(action int) (Obs, float64, bool, bool, Info) {
	if w.ended {
		panic("envs: EpisodicLife: Step after the episode ended; call Reset")
	}
	obs, r, term, trunc, info := w.Env.Step(action)
	w.gameOver = term || trunc
	lives := info[InfoLives]
	if lives < w.lives && lives > 0 {
		term = true
	}
	w.lives = lives
	w.ended = term || trunc
	return obs, r, term, trunc, info
}

// Monitor records each episode's return (the sum of the rewards it sees)
// and length in steps, and sets them on the episode's last step under the
// Info keys "episode_return" and "episode_length". It allocates nothing.
type Monitor struct {
	Env
	ret    float64
	length int
}

// NewMonitor wraps env.
func NewMonitor(env Env) *Monitor { return &Monitor{Env: env} }

// Inner returns the wrapped env.
func (w *Monitor) Inner() Env { return w.Env }

// Reset starts counting an episode.
func (w *Monitor) Reset() (Obs, Info) {
	w.ret, w.length = 0, 0
	return w.Env.Reset()
}

// Step plays a step and reports the episode at its end.
func (w *Monitor) Step(action int) (Obs, float64, bool, bool, Info) {
	obs, r, term, trunc, info := w.Env.Step(action)
	w.ret += r
	w.length++
	if term || trunc {
		if info == nil {
			panic("envs: Monitor: the inner env returned a nil Info")
		}
		info[InfoEpisodeReturn] = w.ret
		info[InfoEpisodeLength] = float64(w.length)
	}
	return obs, r, term, trunc, info
}
