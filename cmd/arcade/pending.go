package main

// The commands below parse their flags (so --help works and a typo is
// caught) and say they are not built yet; the issues that build agents,
// generative models, envs and kernels replace them.

func cmdSample(c *cli, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagSeed|flagThreads|flagOut|flagQuiet)
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	return c.notBuilt()
}
