package main

import (
	"runtime"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets/kernels"
)

// versionInfo is what arcade version prints.
type versionInfo struct {
	Version string `json:"version"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	CPUs    int    `json:"cpus"`
	Kernel  string `json:"kernel"` // the SGEMM micro-kernel this CPU runs (kernels.Kernel)
}

func cmdVersion(c *cli, args []string) error {
	var co common
	fs := c.flagSet("[--json]", &co, flagJSON)
	if err := c.parse(fs, args, nil); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.badInput("unexpected argument %q", fs.Arg(0))
	}
	return c.printResult(versionInfo{Version: run.Version, Go: runtime.Version(), OS: runtime.GOOS,
		Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), Kernel: kernels.Kernel()}, co.JSON)
}
