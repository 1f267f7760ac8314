package envs_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/par"
)

// BenchmarkStep measures agent steps of each env's standard stack (Make),
// observation included, rendering excluded, with random actions; episodes
// are reset as they end. Compare with the figures in BENCHMARKS.md.
func BenchmarkStep(b *testing.B) {
	for _, name := range envs.Names() {
		b.Run(name, func(b *testing.B) {
			env, err := envs.Make(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			env.Seed(1)
			env.Reset()
			n := env.ActionSpace().N
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, term, trunc, _ := env.Step(rng.IntN(n)); term || trunc {
					env.Reset()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// BenchmarkVector measures 16 copies of each env stepped together at 1 and
// 2 threads; steps/s counts the agent steps of all copies.
func BenchmarkVector(b *testing.B) {
	const copies = 16
	for _, name := range envs.Names() {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(b *testing.B) {
				defer par.SetThreads(par.SetThreads(threads))
				v, err := envs.MakeVector(name, nil, copies)
				if err != nil {
					b.Fatal(err)
				}
				v.Seed(1)
				v.Reset()
				n := v.ActionSpace().N
				rng := rand.New(rand.NewPCG(1, 2))
				acts := make([]int, copies)
				b.ReportAllocs()
				for b.Loop() {
					for i := range acts {
						acts[i] = rng.IntN(n)
					}
					v.Step(acts)
				}
				b.ReportMetric(float64(b.N*copies)/b.Elapsed().Seconds(), "steps/s")
			})
		}
	}
}
