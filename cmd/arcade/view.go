package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// The window lives in a second binary, arcade-view: Ebiten opens the
// display when its package initialises and panics without one, so arcade
// itself never links it and runs on machines with no display.

func cmdWatch(c *cli, args []string) error {
	return c.handOver("watch", "RUN", args)
}

func cmdPlay(c *cli, args []string) error {
	return c.handOver("play", "ENV", args)
}

// handOver runs arcade-view with the same subcommand and arguments, after
// checking that there is a display and a viewer to run.
func (c *cli) handOver(sub, what string, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			fs := c.flagSet(what+" [flags]", &common{}, 0)
			c.extraHelp = "Opens arcade-view, the window; its flags are listed by arcade-view " + sub + " --help.\n"
			c.help(fs)
			return nil
		}
	}
	if len(args) == 0 {
		return c.badInput("which %s? arcade %s %s", map[string]string{"RUN": "run directory", "ENV": "env"}[what], sub, what)
	}
	if !hasDisplay() {
		return &usageError{msg: "no display (DISPLAY is not set): the window needs one; " +
			"to see an episode without one, record it: arcade eval RUN --record episode.gif"}
	}
	viewer, err := findViewer()
	if err != nil {
		return &usageError{msg: "arcade-view is not beside arcade or on PATH; build it with " +
			"make view (it needs the X11/GL dev packages that make setup installs)"}
	}
	cmd := exec.Command(viewer, append([]string{sub}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, c.stdout, c.stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// arcade-view has printed its own message.
		return &silentExit{code: exit.ExitCode()}
	}
	return err
}

// silentExit passes on another program's exit status without a message.
type silentExit struct{ code int }

func (e *silentExit) Error() string { return "" }

func hasDisplay() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// findViewer looks for arcade-view beside the running binary, then on PATH.
func findViewer() (string, error) {
	name := "arcade-view"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return exec.LookPath(name)
}
