package main

import (
	"io"
	"math/rand/v2"
	"path/filepath"

	"github.com/arcadelab/arcade/generative/gan"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/run"
)

// sampleGAN draws from a GAN: --n samples of an MNIST GAN as a grid
// (samples.png, noise from --seed), or the 1-D GAN's map beside the inverse
// CDF (map.png).
func sampleGAN(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagSeed|flagOut|flagJSON)
	n := fs.Int("n", 64, "samples to draw (MNIST GANs)")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	if *n < 1 || *n > 10000 {
		return c.badInput("--n %d: want 1 to 10000", *n)
	}
	var cfg ganConfig
	if _, err := run.LoadConfig(dir, "gan", &cfg); err != nil {
		return err
	}
	weights := filepath.Join(dir, "model.safetensors")
	file := "samples.png"
	var draw func(w io.Writer) error
	if cfg.Arch == oneD {
		g, err := gan.Load1D(weights, cfg.OneD)
		if err != nil {
			return err
		}
		file, draw = "map.png", func(w io.Writer) error { return gan.WriteMap(w, g) }
	} else {
		g, err := gan.LoadGenerator(weights, cfg.Config)
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(co.Seed, 0))
		draw = func(w io.Writer) error { return gan.WriteSamples(w, g, cfg.Latent, *n, cfg.Batch, rng) }
	}
	out := co.Out
	if out == "" {
		out = filepath.Join(dir, file)
	}
	if err := atomicfile.WriteFunc(out, draw); err != nil {
		return err
	}
	return c.printResult(picturesResult{Files: []string{out}}, co.JSON)
}
