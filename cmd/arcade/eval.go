package main

import (
	"image"
	"io"
	"strings"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/viz/img"
)

// evalResult is what arcade eval prints (DESIGN.md's --json keys).
type evalResult struct {
	MeanReturn float64 `json:"mean_return"`
	StdReturn  float64 `json:"std_return"`
	MinReturn  float64 `json:"min_return"`
	MaxReturn  float64 `json:"max_return"`
	Episodes   int     `json:"episodes"`
	Epsilon    float64 `json:"epsilon"`
}

func cmdEval(c *cli, args []string) error {
	var co common
	fs := c.flagSet("RUN [--episodes N] [--seed S] [--epsilon E] [--best] [--record FILE.gif] [--json]", &co, flagSeed|flagThreads|flagJSON|flagQuiet)
	episodes := fs.Int("episodes", 100, "episodes to play")
	epsilon := fs.Float64("epsilon", -1, "exploration rate while evaluating (default: the run's eval_epsilon)")
	best := fs.Bool("best", false, "evaluate best.safetensors instead of the final model")
	record := fs.String("record", "", "write the first episode as an animated GIF")
	fs.Lookup("seed").Usage = "evaluation episode i is seeded from S and i, apart from every training game (default: the run's seed)"
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return c.badInput("which run? arcade eval RUN")
	}
	if *episodes < 1 {
		return c.badInput("--episodes %d: want 1 or more", *episodes)
	}
	if *epsilon != -1 && !(*epsilon >= 0 && *epsilon <= 1) {
		return c.badInput("--epsilon %v: want a probability in [0, 1]", *epsilon)
	}
	if *record != "" && !strings.HasSuffix(strings.ToLower(*record), ".gif") {
		return c.badInput("--record %s: want a .gif file", *record)
	}
	agent, err := agents.Load(fs.Arg(0), *best)
	if err != nil {
		return c.badInput("%v", err)
	}
	eps := agent.EvalEpsilon
	if *epsilon >= 0 {
		eps = *epsilon
	}
	seed := agent.Seed
	if fs.Changed("seed") {
		seed = co.Seed
	}
	res, err := rollout.Evaluate(agent, rollout.Config{Env: agent.Env, EnvOpts: agent.EnvOpts, Episodes: *episodes, Seed: seed, Epsilon: eps})
	if err != nil {
		return err
	}
	if *record != "" {
		if err := recordEpisode(agent, seed, eps, *record); err != nil {
			return err
		}
	}
	return c.printResult(evalResult{MeanReturn: res.Mean(), StdReturn: res.Std(), MinReturn: res.Min(), MaxReturn: res.Max(),
		Episodes: *episodes, Epsilon: eps}, co.JSON)
}

// recordEpisode plays the first evaluation episode again, rendering every
// frame into an animated GIF at path (no display needed).
func recordEpisode(agent *agents.Agent, seed uint64, eps float64, path string) error {
	env, err := agent.NewEnv()
	if err != nil {
		return err
	}
	size := envs.RenderSize(env)
	frame := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
	anim := img.NewGIF(5)
	rollout.Play(agent, env, seed, 0, eps, func() {
		env.Render(frame)
		anim.Add(frame)
	})
	return atomicfile.WriteFunc(path, func(w io.Writer) error { return anim.Encode(w) })
}
