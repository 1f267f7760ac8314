// Command arcade-view is arcade's window: arcade watch RUN and arcade play
// ENV hand over to it. It is the only binary that links Ebiten, which opens
// the display when it initialises, so it needs a display (and cgo with the
// X11/GL development packages to build; make setup installs them).
//
// Usage:
//
//	arcade-view pattern [--frames N]   a test pattern, to check the display
//	arcade-view watch RUN              watch a trained agent play
//	arcade-view play ENV               play an env with the keyboard
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/arcadelab/arcade/viz/window"
	"github.com/spf13/pflag"
)

func main() {
	os.Exit(view(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage:
  arcade-view pattern [--frames N]
  arcade-view watch RUN [--best] [--epsilon E] [--seed S] [--out DIR]
  arcade-view play ENV [--env-opt key=value]... [--seed S] [--out DIR]
`

func view(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := pflag.NewFlagSet("arcade-view "+sub, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	frames := fs.Int("frames", 0, "close after this many frames (0: stay open until Esc or Q)")
	var open func() (window.Viewer, string, error)
	switch sub {
	case "pattern":
		if err := fs.Parse(args[1:]); err != nil {
			return flagError(stdout, stderr, fs, err)
		}
		if err := window.RunPattern("arcade-view: test pattern (Esc or Q closes)", *frames); err != nil {
			fmt.Fprintf(stderr, "arcade-view pattern: %v\n", err)
			return 1
		}
		return 0
	case "watch":
		open = watchFlags(fs, frames)
	case "play":
		open = playFlags(fs, frames)
	default:
		fmt.Fprintf(stderr, "arcade-view: unknown command %q (see arcade-view --help)\n", sub)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		return flagError(stdout, stderr, fs, err)
	}
	v, title, err := open()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return 2
	}
	if err := window.Run(v, title); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return 1
	}
	return 0
}

func flagError(stdout, stderr io.Writer, fs *pflag.FlagSet, err error) int {
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage of %s:\n%s", fs.Name(), fs.FlagUsages())
		return 0
	}
	fmt.Fprintf(stderr, "%s: %v (see %s --help)\n", fs.Name(), err, fs.Name())
	return 2
}
