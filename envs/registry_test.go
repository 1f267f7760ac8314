package envs_test

import (
	"fmt"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/stretchr/testify/require"
)

func TestMakeErrorsAreOneLine(t *testing.T) {
	for _, c := range []struct {
		name string
		opts map[string]string
		msg  string
	}{
		{"pacman", nil, `unknown env "pacman"; one of cartpole, frozenlake, catch, min-breakout, min-asterix, min-freeway, min-seaquest, min-invaders, pong, breakout, snake`},
		{"frozenlake", map[string]string{"mapp": "4x4"}, `frozenlake: unknown option "mapp"; one of map, slippery, obs, max_steps`},
		{"catch", map[string]string{"size": "3"}, `catch: unknown option "size"; it takes none`},
		{"frozenlake", map[string]string{"map": "9x9"}, `frozenlake: option map="9x9": want one of 4x4, 8x8`},
		{"frozenlake", map[string]string{"slippery": "yes"}, `frozenlake: option slippery="yes": want one of true, false`},
		{"cartpole", map[string]string{"max_steps": "-1"}, `cartpole: option max_steps="-1": want an integer >= 0`},
		{"min-asterix", map[string]string{"sticky": "1.5"}, `min-asterix: option sticky="1.5": want a probability in [0, 1]`},
		{"pong", map[string]string{"size": "4"}, `pong: option size="4": want 0 or 8 to 512`},
		{"pong", map[string]string{"frame_skip": "0"}, `pong: option frame_skip="0": want an integer from 1 to 16`},
		{"snake", map[string]string{"size": "40"}, `snake: option size="40": want an integer from 5 to 32`},
	} {
		env, err := envs.Make(c.name, c.opts)
		require.Nil(t, env)
		require.EqualError(t, err, c.msg)
	}
}

func TestStandardStacks(t *testing.T) {
	for _, c := range []struct {
		name  string
		opts  map[string]string
		stack []string // outermost first
		shape []int
		dtype envs.Dtype
	}{
		{"cartpole", nil, []string{"*envs.Monitor", "*envs.TimeLimit", "*envs.CartPole"}, []int{4}, envs.Float32},
		{"frozenlake", map[string]string{"obs": "index"}, []string{"*envs.Monitor", "*envs.TimeLimit", "*envs.FrozenLake"}, []int{1}, envs.Uint8},
		{"catch", nil, []string{"*envs.Monitor", "*envs.Catch"}, []int{10, 5}, envs.Uint8},
		{"min-seaquest", nil, []string{"*envs.Monitor", "*envs.StickyActions", "*envs.MinSeaquest"}, []int{10, 10, 10}, envs.Uint8},
		{"min-freeway", map[string]string{"sticky": "0", "max_steps": "100"}, []string{"*envs.Monitor", "*envs.TimeLimit", "*envs.MinFreeway"}, []int{7, 10, 10}, envs.Uint8},
		{"pong", nil, []string{"*envs.FrameStack", "*envs.ClipReward", "*envs.Monitor", "*envs.TimeLimit", "*envs.FrameSkip",
			"*envs.NoopReset", "*envs.GrayscaleResize", "*envs.Pong"}, []int{4, 84, 84}, envs.Uint8},
		{"breakout", map[string]string{"episodic_life": "true", "sticky": "0.25", "size": "64", "stack": "1"},
			[]string{"*envs.ClipReward", "*envs.EpisodicLife", "*envs.Monitor", "*envs.TimeLimit", "*envs.FrameSkip",
				"*envs.NoopReset", "*envs.StickyActions", "*envs.GrayscaleResize", "*envs.Breakout"}, []int{64, 64}, envs.Uint8},
		{"pong", map[string]string{"size": "0", "stack": "2", "frame_skip": "1", "noop_max": "0", "clip_reward": "false", "max_steps": "0"},
			[]string{"*envs.FrameStack", "*envs.Monitor", "*envs.Pong"}, []int{2, 210, 160, 3}, envs.Uint8},
		{"snake", map[string]string{"size": "12"}, []string{"*envs.Monitor", "*envs.Snake"}, []int{3, 12, 12}, envs.Uint8},
	} {
		env, err := envs.Make(c.name, c.opts)
		require.NoError(t, err)
		var stack []string
		for e := env; ; {
			stack = append(stack, fmt.Sprintf("%T", e))
			w, ok := e.(envs.Wrapper)
			if !ok {
				break
			}
			e = w.Inner()
		}
		require.Equal(t, c.stack, stack, "%s %v", c.name, c.opts)
		space := env.ObservationSpace()
		require.Equal(t, c.shape, space.Shape, "%s %v", c.name, c.opts)
		require.Equal(t, c.dtype, space.Dtype)
	}
}

func TestRegistry(t *testing.T) {
	names := envs.Names()
	require.Len(t, names, 11)
	seen := map[string]bool{}
	for _, spec := range envs.Specs() {
		require.False(t, seen[spec.Name])
		seen[spec.Name] = true
		require.NotEmpty(t, spec.Description)
		got, ok := envs.Lookup(spec.Name)
		require.True(t, ok)
		require.Equal(t, spec.Name, got.Name)
		want := 0.05
		if spec.Name == "cartpole" || spec.Name == "frozenlake" {
			want = 0
		}
		require.Equal(t, want, spec.EvalEpsilon, spec.Name)
		opts := map[string]string{}
		for _, o := range spec.Options {
			require.NotEmpty(t, o.Help, "%s %s", spec.Name, o.Key)
			opts[o.Key] = o.Default
		}
		_, err := envs.Make(spec.Name, opts)
		require.NoError(t, err, "%s: every default, given explicitly", spec.Name)
		env, err := envs.Make(spec.Name, nil)
		require.NoError(t, err)
		size := envs.RenderSize(env)
		require.True(t, size.X >= 100 && size.Y >= 100, "%s renders %v", spec.Name, size)
	}
	_, ok := envs.Lookup("nope")
	require.False(t, ok)
}

// FuzzMake checks that any option value is either refused with an error
// or makes an env that plays.
func FuzzMake(f *testing.F) {
	f.Add("pong", "size", "84")
	f.Add("pong", "stack", "x")
	f.Add("breakout", "frame_skip", "17")
	f.Add("frozenlake", "map", "8x8")
	f.Add("frozenlake", "max_steps", "auto")
	f.Add("snake", "size", "5")
	f.Add("min-seaquest", "sticky", "1e-3")
	f.Add("min-asterix", "ramping", "False")
	f.Add("cartpole", "max_steps", "99999999999999999999")
	f.Add("catch", "", "")
	f.Fuzz(func(t *testing.T, name, key, value string) {
		env, err := envs.Make(name, map[string]string{key: value})
		if err != nil {
			require.NotContains(t, err.Error(), "\n", "one line")
			return
		}
		env.Seed(1)
		env.Reset()
		for range 3 {
			if _, _, term, trunc, _ := env.Step(0); term || trunc {
				env.Reset()
			}
		}
	})
}
