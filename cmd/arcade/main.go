// Command arcade trains, evaluates and benchmarks arcade's agents and
// models headless: pure Go, built with CGO_ENABLED=0, no display needed.
// Its subcommands watch and play hand over to arcade-view, the window.
//
// Usage:
//
//	arcade <command> [arguments] [flags]
//
// Run arcade --help for the commands and arcade <command> --help for
// each one's flags.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

func main() {
	os.Exit(arcade(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand of arcade.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(c *cli, args []string) error
}

// commands lists arcade's subcommands in the order --help shows them.
var commands = []command{
	{"train", "<experiment> [flags]", "train an agent or a model (arcade train --help lists experiments)", cmdTrain},
	{"eval", "RUN [flags]", "evaluate a trained agent from its run directory", cmdEval},
	{"watch", "RUN", "watch a trained agent play, in a window (arcade-view)", cmdWatch},
	{"play", "ENV", "play an env yourself with the keyboard, in a window (arcade-view)", cmdPlay},
	{"sample", "RUN [flags]", "draw samples from a trained generative model", cmdSample},
	{"plot", "RUN... [--png FILE]", "draw learning curves of one or more runs as PNG", cmdPlot},
	{"bench", "[gemm|conv|envs|replay|rnn|all] [flags]", "measure kernels, envs and replay against their peers", cmdBench},
	{"envs", "[flags]", "list the environments with their spaces and options", cmdEnvs},
	{"version", "[flags]", "print arcade's version and the kernels this CPU uses", cmdVersion},
}

// cli carries the output streams of one invocation.
type cli struct {
	stdout, stderr io.Writer
	cmd            string // the subcommand, for messages
	synopsis       string // what follows cmd in its usage line
	extraHelp      string // printed after the flags by --help
}

// arcade runs the command line with args and returns the exit status: 0 on success,
// 1 when the work failed, 2 for bad input, 130 when interrupted.
func arcade(args []string, stdout, stderr io.Writer) (status int) {
	c := &cli{stdout: stdout, stderr: stderr, cmd: "arcade"}
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "%s: internal error: %v (this is a bug; ARCADE_DEBUG=1 prints the stack)\n", c.cmd, v)
			if os.Getenv("ARCADE_DEBUG") != "" {
				stderr.Write(debug.Stack())
			}
			status = 1
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return arcade([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" {
		args[0] = "version"
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			c.cmd = "arcade " + cmd.name
			return c.exit(cmd.run(c, args[1:]))
		}
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "arcade: unknown flag %s before a command (see arcade --help)\n", args[0])
	} else {
		fmt.Fprintf(stderr, "arcade: unknown command %q (see arcade --help)\n", args[0])
	}
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `arcade: a Go lab for deep reinforcement learning and generative models.

Usage:
  arcade <command> [arguments] [flags]

Commands:
`)
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-8s %-40s %s\n", cmd.name, cmd.args, cmd.summary)
	}
	fmt.Fprint(w, `
Run "arcade <command> --help" for a command's flags.
Everything is seeded: the same --seed gives the same bytes at any --threads.
`)
}
