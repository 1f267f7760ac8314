package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/viz/window"
	"github.com/spf13/pflag"
)

// playFlags binds arcade-view play's flags; the function it returns makes
// the env and builds the Play.
func playFlags(fs *pflag.FlagSet, frames *int) func() (window.Viewer, string, error) {
	envOpts := fs.StringArray("env-opt", nil, "env option key=value, repeatable (arcade envs lists them)")
	seed := fs.Uint64("seed", 1, "the env's seed")
	out := fs.String("out", ".", "where S (screenshots) and G (GIFs) write")
	return func() (window.Viewer, string, error) {
		if fs.NArg() != 1 {
			return nil, "", errors.New("which env? arcade-view play ENV (arcade envs lists them)")
		}
		name := fs.Arg(0)
		opts, err := parseEnvOpts(*envOpts)
		if err != nil {
			return nil, "", err
		}
		// A person sees the game's own score: the pixel games clip their
		// rewards for agents unless told otherwise.
		if spec, ok := envs.Lookup(name); ok && slices.ContainsFunc(spec.Options, func(o envs.Option) bool { return o.Key == "clip_reward" }) {
			if _, given := opts["clip_reward"]; !given {
				opts["clip_reward"] = "false"
			}
		}
		env, err := envs.Make(name, opts)
		if err != nil {
			return nil, "", err
		}
		g, err := window.NewPlay(window.PlayConfig{Env: env, EnvName: name, Seed: *seed, OutDir: *out, Frames: *frames})
		return g, "arcade play " + name, err
	}
}

// parseEnvOpts turns --env-opt key=value flags into a map.
func parseEnvOpts(opts []string) (map[string]string, error) {
	m := map[string]string{}
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--env-opt %q: want key=value", o)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("--env-opt %s given twice", k)
		}
		m[k] = v
	}
	return m, nil
}
