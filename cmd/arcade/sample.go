package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arcadelab/arcade/internal/run"
)

// samplers maps a run's experiment kind (config.json's "experiment") to
// the function that samples from it; each lives in its own file
// (sample_<kind>.go) and parses its own flags.
var samplers = map[string]func(c *cli, dir string, args []string) error{
	"charlm":  sampleCharLM,
	"ae":      sampleAE,
	"vae":     sampleVAE,
	"gan":     sampleGAN,
	"seq2seq": sampleSeq2seq,
}

// cmdSample is arcade sample RUN [flags]: it reads the run's kind and hands
// over to that kind's sampler.
func cmdSample(c *cli, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		var co common
		fs := c.flagSet("RUN [flags]", &co, 0)
		c.extraHelp = "Each kind of run has its own flags: arcade sample RUN --help lists them.\n"
		if err := c.parse(fs, args, nil); err != nil {
			return err
		}
		return c.badInput("which run? give its directory first, e.g. arcade sample runs/charlm__tinyshakespeare__1__1700000000")
	}
	dir := args[0]
	meta, err := run.ReadMeta(dir)
	if err != nil {
		return c.badInput("%v", err)
	}
	sample := samplers[meta.Experiment]
	if sample == nil {
		return &usageError{msg: fmt.Sprintf("%s: a %s run has nothing to sample; arcade sample takes %s runs", dir, meta.Experiment, sampleKinds()), hint: "arcade eval RUN evaluates an agent"}
	}
	return sample(c, dir, args[1:])
}

// sampleKinds lists the run kinds arcade sample takes, sorted and joined
// for an error message.
func sampleKinds() string {
	kinds := make([]string, 0, len(samplers))
	for k := range samplers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return strings.Join(kinds, ", ")
}
