package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/generative/charlm"
	"github.com/arcadelab/arcade/internal/run"
)

// charlmSample is what arcade sample prints for a charlm run with --json.
type charlmSample struct {
	Prompt      string  `json:"prompt"`
	Text        string  `json:"text"` // the generated characters, after the prompt
	Temperature float64 `json:"temperature"`
}

// sampleCharLM generates text from a character language model: the
// prompt, then --length characters drawn at --temperature.
func sampleCharLM(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [flags]", &co, flagSeed|flagJSON)
	prompt := fs.String("prompt", "", "text the model reads before generating (default: a newline)")
	temperature := fs.Float64("temperature", 0.8, "divides the logits before the softmax: lower is more conservative, 0 always takes the most likely character")
	length := fs.Int("length", 500, "characters to generate")
	best := fs.Bool("best", false, "use the weights of the best validation epoch (best.safetensors) instead of the final ones")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	if !(*temperature >= 0) {
		return c.badInput("--temperature %v: want 0 (greedy) or more", *temperature)
	}
	if *length < 0 || *length > 1_000_000 {
		return c.badInput("--length %d: want 0 to 1000000", *length)
	}
	var cfg charlm.Config
	if _, err := run.LoadConfig(dir, "charlm", &cfg); err != nil {
		return err
	}
	file, err := charlmWeights(dir, *best)
	if err != nil {
		return c.badInput("%v", err)
	}
	m, vocab, err := charlm.LoadModel(filepath.Join(dir, file), cfg)
	if err != nil {
		return err
	}
	if _, err := vocab.Encode(*prompt); err != nil {
		return c.badInput("--prompt: %v", err)
	}
	text, err := charlm.Sample(m, vocab, *prompt, *temperature, *length, rand.New(rand.NewPCG(co.Seed, 0)))
	if err != nil {
		return err
	}
	if co.JSON {
		return c.printResult(charlmSample{Prompt: *prompt, Text: text, Temperature: *temperature}, true)
	}
	_, err = fmt.Fprintf(c.stdout, "%s%s\n", *prompt, text)
	return err
}

// charlmWeights returns the weights file of run dir that sample reads: the
// final model, or with best the best epoch's. A run stopped before its end
// (Ctrl-C, killed) has no final model yet, and one stopped in its first
// epoch no best one either; the error then says what to pass instead.
func charlmWeights(dir string, best bool) (string, error) {
	has := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return !errors.Is(err, fs.ErrNotExist) // another error: LoadModel reports it
	}
	resume := "arcade train charlm --resume " + dir + " continues it"
	switch {
	case best && has(charlm.BestFile):
		return charlm.BestFile, nil
	case !best && has(charlm.ModelFile):
		return charlm.ModelFile, nil
	case !best && has(charlm.BestFile):
		return "", fmt.Errorf("%s has no %s: the run did not finish; pass --best for the weights of its best epoch (%s)", dir, charlm.ModelFile, resume)
	}
	want := charlm.ModelFile
	if best {
		want = charlm.BestFile
	}
	return "", fmt.Errorf("%s has no %s: no epoch has finished yet (%s)", dir, want, resume)
}
