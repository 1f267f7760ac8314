package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/spf13/pflag"
)

// usageError is bad input: a one-line message, a hint and exit status 2.
type usageError struct {
	msg  string
	hint string // e.g. "arcade train --help"
}

func (e *usageError) Error() string { return e.msg }

// badInput returns a usage error whose hint is the command's --help.
func (c *cli) badInput(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: c.cmd + " --help"}
}

// notBuilt is the answer of a capability that a later version builds.
func (c *cli) notBuilt() error {
	return &usageError{msg: "not built yet in this version of arcade", hint: "arcade --help"}
}

// interruptedError says where the checkpoint of an interrupted run is.
type interruptedError struct{ dir, resume string }

func (e *interruptedError) Error() string {
	return fmt.Sprintf("interrupted; checkpoint saved in %s (continue with %s)", e.dir, e.resume)
}

// exit prints err as one line and maps it to an exit status.
func (c *cli) exit(err error) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	var ie *interruptedError
	var se *silentExit
	switch {
	case errors.As(err, &se):
		return se.code
	case errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if ue.hint != "" {
			fmt.Fprintf(c.stderr, "%s: %s (see %s)\n", c.cmd, oneLine(ue.msg), ue.hint)
		} else {
			fmt.Fprintf(c.stderr, "%s: %s\n", c.cmd, oneLine(ue.msg))
		}
		return 2
	case errors.As(err, &ie):
		fmt.Fprintf(c.stderr, "%s: %s\n", c.cmd, ie.Error())
		return 130
	case errors.Is(err, run.ErrInterrupted):
		fmt.Fprintf(c.stderr, "%s: interrupted\n", c.cmd)
		return 130
	}
	fmt.Fprintf(c.stderr, "%s: %s\n", c.cmd, oneLine(err.Error()))
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// common holds the flags that every training command shares (DESIGN.md).
type common struct {
	Seed    uint64
	Threads int
	Out     string
	Resume  string
	JSON    bool
	Quiet   bool
}

// which common flags a command takes
const (
	flagSeed = 1 << iota
	flagThreads
	flagOut
	flagResume
	flagJSON
	flagQuiet
	flagsAll = flagSeed | flagThreads | flagOut | flagResume | flagJSON | flagQuiet
)

// flagSet returns a flag set for the command whose errors come back as
// values (never printed by pflag, never exiting).
func (c *cli) flagSet(synopsis string, co *common, which int) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.cmd, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() {}
	if which&flagSeed != 0 {
		fs.Uint64Var(&co.Seed, "seed", 1, "seed of every random draw")
	}
	if which&flagThreads != 0 {
		fs.IntVar(&co.Threads, "threads", 0, "worker threads (default GOMAXPROCS); results are the same bytes for any count")
	}
	if which&flagOut != 0 {
		fs.StringVar(&co.Out, "out", "", "output directory (default runs/<experiment>__<env or data>__<seed>__<unixtime>)")
	}
	if which&flagResume != 0 {
		fs.StringVar(&co.Resume, "resume", "", "continue the run in this directory from its checkpoint")
	}
	if which&flagJSON != 0 {
		fs.BoolVar(&co.JSON, "json", false, "print the result as one JSON object on stdout")
	}
	if which&flagQuiet != 0 {
		fs.BoolVar(&co.Quiet, "quiet", false, "no progress and no log lines on stderr")
	}
	fs.BoolP("help", "h", false, "show this help")
	fs.Lookup("help").Hidden = false
	c.synopsis = synopsis
	return fs
}

// parse parses args, printing the help on --help (then returning
// pflag.ErrHelp) and turning flag errors into usage errors.
func (c *cli) parse(fs *pflag.FlagSet, args []string, co *common) error {
	err := fs.Parse(args)
	if help, _ := fs.GetBool("help"); help || errors.Is(err, pflag.ErrHelp) {
		c.help(fs)
		return pflag.ErrHelp
	}
	if err != nil {
		return c.badInput("%s", err)
	}
	if co != nil && co.Threads < 0 {
		return c.badInput("--threads %d: want 0 (all cores) or more", co.Threads)
	}
	if co != nil {
		par.SetThreads(co.Threads)
	}
	return nil
}

// help prints the command's synopsis and flags on stdout.
func (c *cli) help(fs *pflag.FlagSet) {
	fmt.Fprintf(c.stdout, "Usage:\n  %s %s\n\nFlags:\n%s", c.cmd, c.synopsis, fs.FlagUsages())
	if c.extraHelp != "" {
		fmt.Fprintf(c.stdout, "\n%s", c.extraHelp)
	}
}

// flagValues returns every flag of fs and its value, for config.json.
func flagValues(fs *pflag.FlagSet) map[string]string {
	m := map[string]string{}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			m[f.Name] = f.Value.String()
		}
	})
	return m
}

// printResult writes a result struct as one JSON object (--json) or as
// "key: value" lines in the struct's field order.
func (c *cli) printResult(v any, asJSON bool) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if asJSON {
		_, err = fmt.Fprintf(c.stdout, "%s\n", data)
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%-24s %s\n", key.(string)+":", strings.Trim(string(val), `"`))
	}
	return nil
}
