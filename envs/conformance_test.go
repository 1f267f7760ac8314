package envs_test

import (
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/envs/envtest"
	"github.com/stretchr/testify/require"
)

// maker returns a function that makes the env name with opts.
func maker(t *testing.T, name string, opts map[string]string) func() envs.Env {
	return func() envs.Env {
		env, err := envs.Make(name, opts)
		require.NoError(t, err)
		return env
	}
}

// TestEveryEnvPassesTheChecker runs envtest on the standard stack of every
// env of the registry, and on variants that change its pieces.
func TestEveryEnvPassesTheChecker(t *testing.T) {
	limits := map[string]int{"cartpole": 500, "frozenlake": 100, "pong": 27000, "breakout": 27000}
	for _, spec := range envs.Specs() {
		t.Run(spec.Name, func(t *testing.T) {
			envtest.Check(t, maker(t, spec.Name, nil), envtest.Config{MaxSteps: limits[spec.Name], Monitored: true})
		})
	}
	for _, v := range []struct {
		name string
		opts map[string]string
		c    envtest.Config
	}{
		{"cartpole", map[string]string{"max_steps": "7"}, envtest.Config{MaxSteps: 7, Monitored: true}},
		{"frozenlake", map[string]string{"map": "8x8", "obs": "index"}, envtest.Config{MaxSteps: 200, Monitored: true}},
		{"frozenlake", map[string]string{"slippery": "false", "max_steps": "9"}, envtest.Config{MaxSteps: 9, Monitored: true, Deterministic: true}},
		{"min-breakout", map[string]string{"sticky": "0"}, envtest.Config{Monitored: true}},
		{"min-asterix", map[string]string{"ramping": "false", "max_steps": "50"}, envtest.Config{MaxSteps: 50, Monitored: true}},
		{"min-freeway", map[string]string{"sticky": "0"}, envtest.Config{Steps: 5200, Monitored: true}},
		{"min-seaquest", map[string]string{"ramping": "false"}, envtest.Config{Monitored: true}},
		{"min-invaders", map[string]string{"ramping": "false"}, envtest.Config{Monitored: true}},
		{"pong", map[string]string{"size": "0", "stack": "2", "noop_max": "0", "frame_skip": "2", "max_steps": "30"}, envtest.Config{Steps: 70, MaxSteps: 30, Monitored: true}},
		{"breakout", map[string]string{"episodic_life": "true", "clip_reward": "false", "sticky": "0.25", "max_steps": "0"}, envtest.Config{Steps: 500}},
		{"snake", map[string]string{"size": "5", "max_steps": "30"}, envtest.Config{MaxSteps: 30, Monitored: true}},
	} {
		t.Run(v.name+"/variant", func(t *testing.T) { envtest.Check(t, maker(t, v.name, v.opts), v.c) })
	}
}

// TestUnwrappedEnvsPassTheChecker runs envtest on the games without any
// wrapper.
func TestUnwrappedEnvsPassTheChecker(t *testing.T) {
	for name, newEnv := range map[string]func() envs.Env{
		"cartpole":     func() envs.Env { return envs.NewCartPole() },
		"frozenlake":   func() envs.Env { return envs.NewFrozenLake("4x4", true, true) },
		"catch":        func() envs.Env { return envs.NewCatch() },
		"min-breakout": func() envs.Env { return envs.NewMinBreakout() },
		"min-asterix":  func() envs.Env { return envs.NewMinAsterix(true) },
		"min-freeway":  func() envs.Env { return envs.NewMinFreeway() },
		"min-seaquest": func() envs.Env { return envs.NewMinSeaquest(true) },
		"min-invaders": func() envs.Env { return envs.NewMinInvaders(true) },
		"pong":         func() envs.Env { return envs.NewPong() },
		"breakout":     func() envs.Env { return envs.NewBreakout() },
		"snake":        func() envs.Env { return envs.NewSnake(12) },
	} {
		// Space Invaders draws no random numbers: only sticky actions vary it.
		c := envtest.Config{Steps: 300, Deterministic: name == "min-invaders"}
		t.Run(name, func(t *testing.T) { envtest.Check(t, newEnv, c) })
	}
}
