package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/spf13/pflag"
)

// experiment is one kind of training run: arcade train <name>.
type experiment struct {
	name    string
	summary string
	// bind adds the experiment's own flags to fs and returns the function
	// that trains once the flags are parsed; nil while not built yet.
	bind func(fs *pflag.FlagSet) trainFunc
}

// trainFunc trains and returns the result to print (a struct whose JSON
// keys are DESIGN.md's).
type trainFunc func(t *trainer) (any, error)

// experiments lists arcade train's experiments in the order --help shows.
var experiments = []experiment{
	{"mnist", "classify MNIST digits with an MLP or a conv net (--model)", bindMNIST},
	{"qlearn", "tabular Q-learning on FrozenLake, measured against value iteration", bindQLearn},
	{"dqn", "DQN and its family (Double, Dueling, prioritized, n-step) on any env", bindDQN},
	{"ae", "autoencoders: undercomplete, tied, sparse, denoising, contractive, conv, stacked", bindAE},
	{"vae", "variational autoencoder on MNIST or game frames", bindVAE},
	{"gan", "GAN and DCGAN on MNIST, scored by a Frechet distance", bindGAN},
	{"charlm", "character language model (LSTM or GRU) on a text file", bindCharLM},
	{"seq2seq", "date translation with attention, beam search and error analysis", bindSeq2seq},
	{"word2vec", "word embeddings: skip-gram with negative sampling, hierarchical softmax, a full-softmax LM, GloVe", bindWord2vec},
}

// trainer is what a training function gets: the parsed common flags, the
// interrupt context and the output streams.
type trainer struct {
	*cli
	common
	ctx   context.Context
	flags *pflag.FlagSet
	exp   string
	dir   string // the run directory, once opened
}

func cmdTrain(c *cli, args []string) error {
	var co common
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := c.flagSet("<experiment> [flags]", &co, flagsAll)
		c.extraHelp = experimentList()
		if err := c.parse(fs, args, &co); err != nil {
			return err
		}
		return c.badInput("which experiment? one of %s", experimentNames())
	}
	name := args[0]
	var exp *experiment
	for i := range experiments {
		if experiments[i].name == name {
			exp = &experiments[i]
		}
	}
	if exp == nil {
		return &usageError{msg: fmt.Sprintf("unknown experiment %q; one of %s", name, experimentNames()), hint: "arcade train --help"}
	}
	c.cmd = "arcade train " + name
	if exp.bind == nil {
		return c.notBuilt()
	}
	fs := c.flagSet("[flags]", &co, flagsAll)
	train := exp.bind(fs)
	if err := c.parse(fs, args[1:], &co); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	ctx, cancel := run.WithInterrupt(context.Background())
	defer cancel()
	t := &trainer{cli: c, common: co, ctx: ctx, flags: fs, exp: name}
	result, err := train(t)
	if errors.Is(err, run.ErrInterrupted) && t.dir != "" {
		return &interruptedError{dir: t.dir, resume: fmt.Sprintf("arcade train %s --resume %s", name, t.dir)}
	}
	if err != nil {
		return err
	}
	return c.printResult(result, co.JSON)
}

func experimentNames() string {
	names := make([]string, len(experiments))
	for i, e := range experiments {
		names[i] = e.name
	}
	return strings.Join(names, ", ")
}

func experimentList() string {
	var b strings.Builder
	b.WriteString("Experiments:\n")
	for _, e := range experiments {
		state := ""
		if e.bind == nil {
			state = " (not built yet)"
		}
		fmt.Fprintf(&b, "  %-9s %s%s\n", e.name, e.summary, state)
	}
	b.WriteString("\nRun \"arcade train <experiment> --help\" for its flags.\n")
	return b.String()
}

// create opens a fresh run directory for subject (the env or data set) and
// records every flag and the experiment's config in config.json.
func (t *trainer) create(subject string, config any) (*run.Run, error) {
	dir := t.Out
	if dir == "" {
		dir = run.DefaultDir("runs", t.exp, subject, t.Seed, time.Now())
	}
	r, err := run.Create(dir, run.Meta{Experiment: t.exp, Subject: subject, Seed: t.Seed,
		Command: os.Args, Flags: flagValues(t.flags)}, config, t.logWriter())
	if err != nil {
		return nil, err
	}
	t.dir = r.Dir
	return r, nil
}

// logWriter is where the run echoes its log lines.
func (t *trainer) logWriter() io.Writer {
	if t.Quiet {
		return nil
	}
	return t.stderr
}

// progress starts a progress report of total units on stderr.
func (t *trainer) progress(label string, total int64) *run.Progress {
	return run.NewProgress(t.stderr, label, total, t.Quiet)
}
