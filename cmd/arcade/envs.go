package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/arcadelab/arcade/envs"
)

// envInfo is one env in arcade envs --json.
type envInfo struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Actions     []string    `json:"actions"` // the action names, in order
	Observation envSpace    `json:"observation"`
	RenderSize  [2]int      `json:"render_size"` // width, height in pixels
	EvalEpsilon float64     `json:"eval_epsilon"`
	Options     []envOption `json:"options"`
}

// envSpace is an observation space in arcade envs --json.
type envSpace struct {
	Shape []int     `json:"shape"`
	Dtype string    `json:"dtype"`
	Low   []float64 `json:"low"` // one value for every element, or one per element
	High  []float64 `json:"high"`
}

// envOption is an env option in arcade envs --json.
type envOption struct {
	Key     string `json:"key"`
	Default string `json:"default"`
	Help    string `json:"help"`
}

// cmdEnvs lists the envs of the registry with the spaces of their
// standard stacks (Make's defaults), their options and eval epsilon.
func cmdEnvs(c *cli, args []string) error {
	var co common
	fs := c.flagSet("[NAME...] [--json]", &co, flagJSON)
	c.extraHelp = "Lists every env, or the named ones, with the spaces of its standard wrapper stack\n" +
		"(its options' defaults). Training takes them as --env NAME --env-opt key=value.\n"
	if err := c.parse(fs, args, nil); err != nil {
		return err
	}
	names := fs.Args()
	for _, n := range names {
		if _, ok := envs.Lookup(n); !ok {
			return c.badInput("unknown env %q; one of %s", n, strings.Join(envs.Names(), ", "))
		}
	}
	var list []envInfo
	for _, spec := range envs.Specs() {
		if len(names) > 0 && !slices.Contains(names, spec.Name) {
			continue
		}
		env, err := envs.Make(spec.Name, nil)
		if err != nil {
			return err
		}
		space, size := env.ObservationSpace(), envs.RenderSize(env)
		e := envInfo{Name: spec.Name, Description: spec.Description, Actions: env.ActionSpace().Names,
			Observation: envSpace{Shape: space.Shape, Dtype: string(space.Dtype), Low: space.Low, High: space.High},
			RenderSize:  [2]int{size.X, size.Y}, EvalEpsilon: spec.EvalEpsilon, Options: []envOption{}}
		for _, o := range spec.Options {
			e.Options = append(e.Options, envOption(o))
		}
		if !co.JSON {
			if len(list) > 0 {
				fmt.Fprintln(c.stdout)
			}
			printEnv(c, e, space)
		}
		list = append(list, e)
	}
	if !co.JSON {
		return nil
	}
	data, err := json.Marshal(struct {
		Envs []envInfo `json:"envs"`
	}{list})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "%s\n", data)
	return err
}

// printEnv writes one env as text.
func printEnv(c *cli, e envInfo, space envs.Box) {
	fmt.Fprintf(c.stdout, "%s: %s\n", e.Name, e.Description)
	fmt.Fprintf(c.stdout, "  %-13s %d: %s\n", "actions", len(e.Actions), strings.Join(e.Actions, " "))
	fmt.Fprintf(c.stdout, "  %-13s %s\n", "observation", space)
	fmt.Fprintf(c.stdout, "  %-13s %dx%d\n", "render", e.RenderSize[0], e.RenderSize[1])
	fmt.Fprintf(c.stdout, "  %-13s %g\n", "eval epsilon", e.EvalEpsilon)
	if len(e.Options) == 0 {
		fmt.Fprintf(c.stdout, "  %-13s none\n", "options")
	}
	for i, o := range e.Options {
		label := ""
		if i == 0 {
			label = "options"
		}
		fmt.Fprintf(c.stdout, "  %-13s %-19s %s\n", label, o.Key+"="+o.Default, o.Help)
	}
}
