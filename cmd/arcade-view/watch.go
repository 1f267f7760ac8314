package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/viz/window"
	"github.com/spf13/pflag"
)

// watchFlags binds arcade-view watch's flags; the function it returns
// loads the run and builds the Watch.
func watchFlags(fs *pflag.FlagSet, frames *int) func() (window.Viewer, string, error) {
	best := fs.Bool("best", false, "watch best.safetensors instead of the final model")
	epsilon := fs.Float64("epsilon", 0, "exploration rate while playing (default: the run's eval_epsilon)")
	seed := fs.Uint64("seed", 0, "game i is seeded from S and i, as arcade eval's episode i (default: the run's seed)")
	out := fs.String("out", "", "where S (screenshots) and G (GIFs) write (default: the run directory)")
	return func() (window.Viewer, string, error) {
		if fs.NArg() != 1 {
			return nil, "", errors.New("which run? arcade-view watch RUN")
		}
		dir := fs.Arg(0)
		if fs.Changed("epsilon") && !(*epsilon >= 0 && *epsilon <= 1) {
			return nil, "", fmt.Errorf("--epsilon %v: want a probability in [0, 1]", *epsilon)
		}
		agent, err := agents.Load(dir, *best)
		if err != nil {
			return nil, "", err
		}
		eps := agent.EvalEpsilon
		if fs.Changed("epsilon") {
			eps = *epsilon
		}
		s := agent.Seed
		if fs.Changed("seed") {
			s = *seed
		}
		outDir := dir
		if *out != "" {
			outDir = *out
		}
		env, err := agent.NewEnv()
		if err != nil {
			return nil, "", err
		}
		label := fmt.Sprintf("%s %s, %s", agent.Kind, agent.Env, filepath.Base(filepath.Clean(dir)))
		if *best {
			label += " (best)"
		}
		g, err := window.NewWatch(window.WatchConfig{Policy: agent, Env: env, EnvName: agent.Env, Seed: s, Epsilon: eps,
			Label: label, OutDir: outDir, Frames: *frames})
		return g, "arcade watch " + dir, err
	}
}
