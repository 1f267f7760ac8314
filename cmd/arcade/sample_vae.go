package main

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/generative/vae"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
)

// sampleVAE draws from a VAE: samples.png, --n images decoded from z ~
// N(0, I); interpolations.png, --pairs rows of --steps images decoded
// between the codes of two test images; and for a 2-D latent space
// manifold.png. Everything derives from --seed.
func sampleVAE(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagSeed|flagOut|flagJSON)
	n := fs.Int("n", 64, "samples from the prior")
	pairs := fs.Int("pairs", 8, "pairs of test images to interpolate between")
	steps := fs.Int("steps", 10, "images per interpolation, both ends included")
	dataDir := fs.String("data", "", "folder of the MNIST IDX files (default: the run's, or the Go module cache)")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	if *n < 1 || *n > 10000 || *pairs < 1 || *pairs > 100 || *steps < 2 || *steps > 100 {
		return c.badInput("--n 1..10000, --pairs 1..100 and --steps 2..100 (got %d, %d, %d)", *n, *pairs, *steps)
	}
	var cfg vaeConfig
	meta, err := run.LoadConfig(dir, "vae", &cfg)
	if err != nil {
		return err
	}
	var test data.Frames
	if cfg.Data == "frames" {
		if _, _, test, err = vaeFrames(c, meta.Seed, cfg); err != nil {
			return err
		}
	} else {
		if *dataDir != "" {
			cfg.Data = *dataDir
		} else if cfg.Data == "mnist" {
			cfg.Data = ""
		}
		_, digits, err := loadMNISTSets(cfg.Data, cfg.Limit)
		if err != nil {
			return err
		}
		test = digits.AsFrames()
	}
	m, err := vae.LoadModel(filepath.Join(dir, "model.safetensors"), cfg.Config, test.C, test.H, test.W)
	if err != nil {
		return err
	}
	out := co.Out
	if out == "" {
		out = dir
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(co.Seed, 0))
	draws := []struct {
		file string
		draw func(w io.Writer) error
	}{
		{"samples.png", func(w io.Writer) error { return vae.WriteSamples(w, m, *n, rng, test.C, test.H, test.W) }},
		{"interpolations.png", func(w io.Writer) error { return vae.WriteInterpolations(w, m, test, *pairs, *steps, rng) }},
	}
	if cfg.Latent == 2 {
		draws = append(draws, struct {
			file string
			draw func(w io.Writer) error
		}{"manifold.png", func(w io.Writer) error { return vae.WriteManifold(w, m, 20, test.C, test.H, test.W) }})
	}
	var res picturesResult
	for _, d := range draws {
		path := filepath.Join(out, d.file)
		if err := atomicfile.WriteFunc(path, d.draw); err != nil {
			return err
		}
		res.Files = append(res.Files, path)
	}
	return c.printResult(res, co.JSON)
}
