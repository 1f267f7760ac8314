package main

// The commands below parse their flags (so --help works and a typo is
// caught) and say they are not built yet; the issues that build agents,
// generative models, envs and kernels replace them.

func cmdEval(c *cli, args []string) error {
	var co common
	fs := c.flagSet("RUN [--episodes N] [--seed S] [--epsilon E] [--best] [--record FILE.gif] [--json]", &co, flagSeed|flagThreads|flagJSON|flagQuiet)
	fs.Int("episodes", 100, "episodes to play")
	fs.Float64("epsilon", -1, "exploration rate while evaluating (default: the run's eval_epsilon)")
	fs.Bool("best", false, "evaluate best.safetensors instead of the final model")
	fs.String("record", "", "write the first episode as an animated GIF")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	return c.notBuilt()
}

func cmdSample(c *cli, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagSeed|flagThreads|flagOut|flagQuiet)
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	return c.notBuilt()
}
