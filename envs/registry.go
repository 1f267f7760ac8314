package envs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Option is one --env-opt key of an env: its default and a line of help.
type Option struct {
	Key, Default, Help string
}

// Spec describes an env of the registry: what Make builds for its name.
type Spec struct {
	Name        string
	Description string // one line
	Options     []Option
	// EvalEpsilon is the exploration rate evaluations use by default
	// (DESIGN.md): 0 for CartPole and FrozenLake, 0.05 for grid and pixel
	// games.
	EvalEpsilon float64
	build       func(o *options) Env
}

// Options shared by several envs.
var (
	optMaxSteps = func(def string) Option {
		return Option{"max_steps", def, "time limit in agent steps (TimeLimit wrapper); 0: none"}
	}
	optSticky    = Option{"sticky", "0.1", "probability of repeating the previous action instead of the chosen one"}
	optRamping   = Option{"ramping", "true", "difficulty ramping (MinAtar's default)"}
	pixelOptions = []Option{
		{"size", "84", "side of the square grayscale frame the agent sees, 8 to 512; 0: the colour frame 160x210 as is"},
		{"frame_skip", "4", "game frames per agent step (1 to 16); the observation is the max of the last two"},
		{"stack", "4", "frames stacked in an observation, oldest first (1 to 16)"},
		{"noop_max", "30", "up to this many no-op frames after each reset (up to 1000); 0: none"},
		{"clip_reward", "true", "clip rewards to [-1, 1] (episode_return stays unclipped)"},
		{"episodic_life", "false", "end the agent's episode at every lost life"},
		{"sticky", "0", "probability of repeating the previous action, per game frame"},
		optMaxSteps("27000"),
	}
)

// registry lists the envs in the order arcade envs shows them.
var registry = []Spec{
	{Name: "cartpole", Description: "Gymnasium's CartPole-v1, step for step: keep a pole upright by pushing its cart",
		Options: []Option{optMaxSteps("500")}, EvalEpsilon: 0,
		build: func(o *options) Env { return standardStack(NewCartPole(), o.integer("max_steps", 0)) }},
	{Name: "frozenlake", Description: "Gymnasium's FrozenLake-v1: cross slippery ice to the goal without falling in a hole",
		Options: []Option{
			{"map", "4x4", "4x4 or 8x8, Gymnasium's maps"},
			{"slippery", "true", "moves go the intended way or either perpendicular way, 1/3 each"},
			{"obs", "onehot", "onehot (float32 [states], for a DQN) or index (uint8 [1], for a tabular agent)"},
			{"max_steps", "auto", "time limit in steps; auto: 100 for 4x4, 200 for 8x8 (Gymnasium's); 0: none"}},
		EvalEpsilon: 0, build: buildFrozenLake},
	{Name: "catch", Description: "bsuite's Catch: move a paddle to catch a falling ball on a 10x5 grid",
		EvalEpsilon: 0.05, build: func(o *options) Env { return NewMonitor(NewCatch()) }},
	{Name: "min-breakout", Description: "MinAtar-rule Breakout: bounce a ball off a paddle into three rows of bricks",
		Options: []Option{optSticky, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env { return minatarStack(NewMinBreakout(), o) }},
	{Name: "min-asterix", Description: "MinAtar-rule Asterix: collect gold and dodge enemies crossing eight lanes",
		Options: []Option{optSticky, optRamping, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env { return minatarStack(NewMinAsterix(o.boolean("ramping")), o) }},
	{Name: "min-freeway", Description: "MinAtar-rule Freeway: lead a chicken across eight lanes of traffic for 2500 steps",
		Options: []Option{optSticky, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env { return minatarStack(NewMinFreeway(), o) }},
	{Name: "min-seaquest", Description: "MinAtar-rule Seaquest: shoot enemies, rescue divers, surface for oxygen",
		Options: []Option{optSticky, optRamping, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env { return minatarStack(NewMinSeaquest(o.boolean("ramping")), o) }},
	{Name: "min-invaders", Description: "MinAtar-rule Space Invaders: shoot down a descending block of aliens",
		Options: []Option{optSticky, optRamping, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env { return minatarStack(NewMinInvaders(o.boolean("ramping")), o) }},
	{Name: "pong", Description: "Pong from pixels against a scripted opponent, first to 21, Atari preprocessing",
		Options: pixelOptions, EvalEpsilon: 0.05, build: func(o *options) Env { return pixelStack(NewPong(), o) }},
	{Name: "breakout", Description: "Breakout from pixels: six rows of bricks, five lives, FIRE serves, Atari preprocessing",
		Options: pixelOptions, EvalEpsilon: 0.05, build: func(o *options) Env { return pixelStack(NewBreakout(), o) }},
	{Name: "snake", Description: "Snake on a square grid: eat food, grow, avoid the walls and your tail",
		Options: []Option{{"size", "10", "side of the square grid, 5 to 32"}, optMaxSteps("0")}, EvalEpsilon: 0.05,
		build: func(o *options) Env {
			return standardStack(NewSnake(o.between("size", 5, 32)), o.integer("max_steps", 0))
		}},
}

// Specs returns every env of the registry, in arcade envs' order.
func Specs() []Spec { return slices.Clone(registry) }

// Lookup returns the spec of the env called name.
func Lookup(name string) (Spec, bool) {
	for _, s := range registry {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// Names returns the names of every env, in arcade envs' order.
func Names() []string {
	names := make([]string, len(registry))
	for i, s := range registry {
		names[i] = s.Name
	}
	return names
}

// Make builds the env called name with its standard wrapper stack (each
// env's doc comment and the package documentation list them), configured
// by opts (the CLI's --env-opt key=value; missing keys take their
// defaults). An unknown name, an unknown key or a bad value is a one-line
// error. The env still needs Seed, then Reset.
func Make(name string, opts map[string]string) (Env, error) {
	spec, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown env %q; one of %s", name, strings.Join(Names(), ", "))
	}
	for key := range opts {
		if !slices.ContainsFunc(spec.Options, func(o Option) bool { return o.Key == key }) {
			if len(spec.Options) == 0 {
				return nil, fmt.Errorf("%s: unknown option %q; it takes none", name, key)
			}
			keys := make([]string, len(spec.Options))
			for i, o := range spec.Options {
				keys[i] = o.Key
			}
			return nil, fmt.Errorf("%s: unknown option %q; one of %s", name, key, strings.Join(keys, ", "))
		}
	}
	o := &options{spec: &spec, values: opts}
	env := spec.build(o)
	if o.err != nil {
		return nil, o.err
	}
	return env, nil
}

// options reads an env's option values, remembering the first bad one.
type options struct {
	spec   *Spec
	values map[string]string
	err    error
}

// raw returns the value of key: the caller's, or the default.
func (o *options) raw(key string) string {
	if v, ok := o.values[key]; ok {
		return v
	}
	for _, opt := range o.spec.Options {
		if opt.Key == key {
			return opt.Default
		}
	}
	panic("envs: " + o.spec.Name + " reads an option it does not declare: " + key)
}

func (o *options) fail(key, want string) {
	if o.err == nil {
		o.err = fmt.Errorf("%s: option %s=%q: want %s", o.spec.Name, key, o.raw(key), want)
	}
}

// choice returns the value of key, which must be one of allowed.
func (o *options) choice(key string, allowed ...string) string {
	v := o.raw(key)
	if !slices.Contains(allowed, v) {
		o.fail(key, "one of "+strings.Join(allowed, ", "))
		return allowed[0]
	}
	return v
}

// boolean returns the value of key: true or false.
func (o *options) boolean(key string) bool {
	return o.choice(key, "true", "false") == "true"
}

// integer returns the value of key, an integer of at least lo.
func (o *options) integer(key string, lo int) int {
	v, err := strconv.Atoi(o.raw(key))
	if err != nil || v < lo {
		o.fail(key, fmt.Sprintf("an integer >= %d", lo))
		return lo
	}
	return v
}

// between returns the value of key, an integer from lo to hi.
func (o *options) between(key string, lo, hi int) int {
	v, err := strconv.Atoi(o.raw(key))
	if err != nil || v < lo || v > hi {
		o.fail(key, fmt.Sprintf("an integer from %d to %d", lo, hi))
		return lo
	}
	return v
}

// probability returns the value of key, a number in [0, 1].
func (o *options) probability(key string) float64 {
	v, err := strconv.ParseFloat(o.raw(key), 64)
	if err != nil || !(v >= 0 && v <= 1) {
		o.fail(key, "a probability in [0, 1]")
		return 0
	}
	return v
}

// standardStack adds a TimeLimit of maxSteps (none for 0) and a Monitor.
func standardStack(env Env, maxSteps int) Env {
	if maxSteps > 0 {
		env = NewTimeLimit(env, maxSteps)
	}
	return NewMonitor(env)
}

func buildFrozenLake(o *options) Env {
	f := NewFrozenLake(o.choice("map", "4x4", "8x8"), o.boolean("slippery"), o.choice("obs", "onehot", "index") == "onehot")
	limit := f.TimeLimit()
	if o.raw("max_steps") != "auto" {
		limit = o.integer("max_steps", 0)
	}
	return standardStack(f, limit)
}

// minatarStack is the MinAtar-rule games' stack: StickyActions (unless
// sticky=0), TimeLimit (when max_steps > 0), Monitor.
func minatarStack(env Env, o *options) Env {
	if p := o.probability("sticky"); p > 0 {
		env = NewStickyActions(env, p)
	}
	return standardStack(env, o.integer("max_steps", 0))
}

// pixelStack is the pixel games' stack, innermost first: the game,
// GrayscaleResize (size > 0; directly on the game, which then draws its
// frames in gray at that size), StickyActions (sticky > 0), NoopReset
// (noop_max > 0), FrameSkip (frame_skip > 1), TimeLimit (max_steps > 0),
// Monitor, EpisodicLife (episodic_life), ClipReward (clip_reward),
// FrameStack (stack > 1).
func pixelStack(env Env, o *options) Env {
	if size := o.integer("size", 0); size > 0 {
		if size < 8 || size > 512 {
			o.fail("size", "0 or 8 to 512")
			return env
		}
		env = NewGrayscaleResize(env, size, size)
	}
	if p := o.probability("sticky"); p > 0 {
		env = NewStickyActions(env, p)
	}
	if n := o.between("noop_max", 0, 1000); n > 0 {
		env = NewNoopReset(env, n)
	}
	if k := o.between("frame_skip", 1, 16); k > 1 {
		env = NewFrameSkip(env, k)
	}
	if n := o.integer("max_steps", 0); n > 0 {
		env = NewTimeLimit(env, n)
	}
	env = NewMonitor(env)
	if o.boolean("episodic_life") {
		env = NewEpisodicLife(env)
	}
	if o.boolean("clip_reward") {
		env = NewClipReward(env)
	}
	if k := o.between("stack", 1, 16); k > 1 {
		env = NewFrameStack(env, k)
	}
	return env
}
