package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/par"
)

// minatarPythonSPS are the speeds of MinAtar's own Python implementation
// (act plus observation, one process) on the development machine, as the
// team's minatar-rules.md quotes them; MinAtar is GPL and is not run here.
var minatarPythonSPS = map[string]float64{
	"min-breakout": 308e3,
	"min-asterix":  242e3,
	"min-freeway":  110e3,
	"min-seaquest": 176e3,
	"min-invaders": 22.7e3,
}

// benchVectorCopies is the number of copies in the vector-env rows.
const benchVectorCopies = 16

// benchEnvNames lists the envs the suite measures: all of them (tests
// shorten it).
var benchEnvNames = envs.Names()

// benchEnvs measures agent steps per second of every env's standard stack
// (Make's defaults; the observation included, no rendering; random
// actions; episodes reset as they end): one env on one thread, then a
// vector env of 16 copies at each thread count. Every row's ms is the time
// of 1000 agent steps.
func benchEnvs(bn *bencher) ([]benchRow, error) {
	var rows []benchRow
	for _, name := range benchEnvNames {
		env, err := envs.Make(name, nil)
		if err != nil {
			return nil, err
		}
		acts := randomActions(env.ActionSpace().N)
		env.Seed(1)
		env.Reset()
		const steps = 1000
		k := 0
		ms := timeMS(5, func() {
			for range steps {
				if _, _, term, trunc, _ := env.Step(acts[k%len(acts)]); term || trunc {
					env.Reset()
				}
				k++
			}
		}) * 1000 / steps
		r := benchRow{Name: name, Threads: 1, MS: ms, StepsPerSecond: ptr(1e6 / ms)}
		if sps, ok := minatarPythonSPS[name]; ok {
			r.withPeer("minatar-python (quoted)", 1e6/sps, nil)
		} else {
			r.Skipped = "no peer"
		}
		rows = append(rows, r)

		for _, th := range bn.threads {
			par.SetThreads(th)
			v, err := envs.MakeVector(name, nil, benchVectorCopies)
			if err != nil {
				return nil, err
			}
			v.Seed(1)
			v.Reset()
			batch := make([]int, benchVectorCopies)
			const vsteps = 10
			ms := timeMS(5, func() {
				for range vsteps {
					for i := range batch {
						batch[i] = acts[k%len(acts)]
						k++
					}
					v.Step(batch)
				}
			}) * 1000 / (vsteps * benchVectorCopies)
			rows = append(rows, benchRow{Name: fmt.Sprintf("%s/vector%d", name, benchVectorCopies), Threads: th, MS: ms,
				StepsPerSecond: ptr(1e6 / ms), Skipped: "no peer"})
		}
		if !bn.quiet {
			fmt.Fprintf(bn.stderr, "bench envs: %s done\n", name)
		}
	}
	return rows, nil
}

// randomActions returns a fixed sequence of uniform random actions.
func randomActions(n int) []int {
	rng := rand.New(rand.NewPCG(1, 2))
	acts := make([]int, 4096)
	for i := range acts {
		acts[i] = rng.IntN(n)
	}
	return acts
}
