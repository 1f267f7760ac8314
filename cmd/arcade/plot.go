package main

import (
	"fmt"
	"path/filepath"

	"github.com/arcadelab/arcade/internal/run"
)

func cmdPlot(c *cli, args []string) error {
	var co common
	fs := c.flagSet("RUN... [--png FILE] [--key KEY]...", &co, flagQuiet)
	png := fs.String("png", "", "write the figure here (default RUN/curves.png)")
	keys := fs.StringArray("key", nil, "draw only this metric key (repeatable), e.g. charts/episodic_return")
	c.extraHelp = "Several runs are drawn as their mean with a min-max band per metric.\n"
	if err := c.parse(fs, args, nil); err != nil {
		return err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		return c.badInput("which run? give one or more run directories")
	}
	for _, d := range dirs {
		if _, err := run.ReadMeta(d); err != nil {
			return c.badInput("%s", err)
		}
	}
	out := *png
	if out == "" {
		out = filepath.Join(dirs[0], "curves.png")
	}
	if err := run.PlotCurves(dirs, out, *keys...); err != nil {
		return err
	}
	if !co.Quiet {
		fmt.Fprintf(c.stderr, "wrote %s\n", out)
	}
	return nil
}
