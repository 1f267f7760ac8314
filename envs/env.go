package envs

import (
	"fmt"
	"image"
	"math/rand/v2"
)

// Obs is an observation: a view into the env's own buffer, valid until the
// env's next Step or Reset. Exactly one of U8 and F32 is set, and its length
// is the product of Shape.
type Obs struct {
	Shape []int     // e.g. [4] for CartPole, [C,10,10] for the MinAtar-rule games, [4,84,84] for a stack of frames
	U8    []uint8   // grid and pixel envs (0/1 for channels, 0..255 for pixels)
	F32   []float32 // vector envs
}

// Len is the number of values in the observation.
func (o Obs) Len() int { return len(o.U8) + len(o.F32) }

// Info carries a few numbers about a step besides the reward. It is the
// innermost env's own map, cleared at every Step and Reset and valid until
// the next one; wrappers add their keys to it. Step allocates nothing, so
// read what you need before the next Step.
type Info map[string]float64

// newInfo returns an empty Info whose storage already holds arcade's keys
// once, so that setting them later allocates nothing (a new map allocates
// its storage on the first insert).
func newInfo() Info {
	m := Info{InfoLives: 0, InfoEpisodeReturn: 0, InfoEpisodeLength: 0}
	clear(m)
	return m
}

// Info keys set by arcade's envs and wrappers.
const (
	// InfoLives is the number of lives left (Breakout).
	InfoLives = "lives"
	// InfoEpisodeReturn is set by Monitor on the last step of an episode:
	// the sum of the episode's rewards as the game gave them (before
	// ClipReward).
	InfoEpisodeReturn = "episode_return"
	// InfoEpisodeLength is set by Monitor beside InfoEpisodeReturn: the
	// episode's number of agent steps.
	InfoEpisodeLength = "episode_length"
)

// Env is a game environment with Gymnasium's contract. Seed it once, then
// Reset it at the start of every episode and Step it until the episode is
// terminated (the game reached an end) or truncated (a time limit cut it).
// Stepping after the end without Reset, or with an action outside
// ActionSpace, is a programmer error and panics with an "envs: ..." message.
type Env interface {
	Seed(seed uint64)                                                                 // reseeds the env's own RNG; call once, then Reset many times
	Reset() (Obs, Info)                                                               // starts an episode
	Step(action int) (obs Obs, reward float64, terminated, truncated bool, info Info) // plays one agent step
	ActionSpace() Discrete                                                            // N and action names ("NOOP", "LEFT", "FIRE", ...)
	ObservationSpace() Box                                                            // shape, dtype, low, high
	Render(dst *image.RGBA)                                                           // a picture for people; does not change state
}

// Wrapper is an Env that wraps another one: it embeds the inner env and
// overrides one concern (a time limit, frame skipping, ...).
type Wrapper interface {
	Env
	Inner() Env // the env this one wraps
}

// Unwrap returns the innermost env under any wrappers (Gymnasium's
// env.unwrapped), e.g. to reach CartPole's State or FrozenLake's table.
func Unwrap(env Env) Env {
	for {
		w, ok := env.(Wrapper)
		if !ok {
			return env
		}
		env = w.Inner()
	}
}

// RenderSizer is implemented by every arcade env: the size in pixels of
// the picture Render draws.
type RenderSizer interface {
	RenderSize() image.Point
}

// RenderSize returns the natural size of env's pictures, looking through
// wrappers for the first env that reports one (every arcade env does). It
// returns the zero point for an env that does not.
func RenderSize(env Env) image.Point {
	for {
		if r, ok := env.(RenderSizer); ok {
			return r.RenderSize()
		}
		w, ok := env.(Wrapper)
		if !ok {
			return image.Point{}
		}
		env = w.Inner()
	}
}

// checkRenderTarget panics unless dst can hold a picture of size.
func checkRenderTarget(name string, dst *image.RGBA, size image.Point) {
	if dst.Rect.Dx() < size.X || dst.Rect.Dy() < size.Y {
		panic(fmt.Sprintf("envs: %s: Render needs a %dx%d image, got %dx%d", name, size.X, size.Y, dst.Rect.Dx(), dst.Rect.Dy()))
	}
}

// Random streams: an env and each of its wrappers draw from their own
// generator, all derived from the one seed given to Seed.
const (
	streamGame   = 1
	streamSticky = 2
	streamNoop   = 3
)

// newRNG returns the generator of one stream for seed.
func newRNG(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix64(seed^stream*0x9e3779b97f4a7c15), splitmix64(seed+stream)))
}

// splitmix64 is Steele, Lea and Flood's SplitMix64 finaliser: a bijection
// that scatters nearby seeds far apart.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// DeriveSeed returns the seed of copy i of an env seeded with seed (the
// vector env's copies, parallel evaluation episodes): distinct and
// scattered for every i, the same on every machine.
func DeriveSeed(seed uint64, i int) uint64 {
	return splitmix64(seed + uint64(i+1)*0xd1b54a32d192ed03)
}

// episode keeps the Seed, Reset, Step protocol of an innermost env and
// panics when a caller breaks it.
type episode struct {
	name    string // the env's name, for messages
	actions int    // the number of actions
	seeded  bool
	state   int8 // 0 before the first Reset, 1 running, 2 ended
}

// seed records that the env was seeded.
func (e *episode) seed() { e.seeded = true }

// reset checks that the env was seeded and starts an episode.
func (e *episode) reset() {
	if !e.seeded {
		panic("envs: " + e.name + ": Reset before Seed")
	}
	e.state = 1
}

// step checks that an episode is running and that action is valid.
func (e *episode) step(action int) {
	switch e.state {
	case 0:
		panic("envs: " + e.name + ": Step before Reset")
	case 2:
		panic("envs: " + e.name + ": Step after the episode ended; call Reset")
	}
	checkAction(e.name, action, e.actions)
}

// end records that the episode is over when done.
func (e *episode) end(done bool) {
	if done {
		e.state = 2
	}
}

// checkAction panics unless 0 <= action < n.
func checkAction(name string, action, n int) {
	if action < 0 || action >= n {
		panic(fmt.Sprintf("envs: %s: action %d outside [0, %d)", name, action, n))
	}
}
