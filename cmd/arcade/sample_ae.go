package main

import (
	"io"
	"path/filepath"

	"github.com/arcadelab/arcade/generative/ae"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/run"
)

// picturesResult is what the image samplers print: the files written.
type picturesResult struct {
	Files []string `json:"files"`
}

// sampleAE draws what an autoencoder's units learned (the seed's two
// views): --what units, the test images that activate each code unit
// most; --what weights, each first-layer unit's weights as an image.
func sampleAE(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagOut|flagJSON)
	what := fs.String("what", "units", "units (the test images that activate each code unit most) or weights (each first-layer unit's input weights)")
	dataDir := fs.String("data", "", "folder of the MNIST IDX files (default: the run's, or the Go module cache)")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	if *what != "units" && *what != "weights" {
		return c.badInput("--what %q: want units or weights", *what)
	}
	var cfg aeConfig
	if _, err := run.LoadConfig(dir, "ae", &cfg); err != nil {
		return err
	}
	if *dataDir != "" {
		cfg.Data = *dataDir
	}
	m, err := ae.LoadModel(filepath.Join(dir, "model.safetensors"), cfg.Config, 1, 28, 28)
	if err != nil {
		return err
	}
	out := co.Out
	if out == "" {
		out = filepath.Join(dir, *what+".png")
	}
	var draw func(w io.Writer) error
	if *what == "weights" {
		draw = func(w io.Writer) error { return ae.WriteWeights(w, m, 1, 28, 28) }
	} else {
		_, test, err := loadMNISTSets(cfg.Data, cfg.Limit)
		if err != nil {
			return err
		}
		draw = func(w io.Writer) error { return ae.WriteUnits(w, m, test) }
	}
	if err := atomicfile.WriteFunc(out, draw); err != nil {
		return err
	}
	return c.printResult(picturesResult{Files: []string{out}}, co.JSON)
}
