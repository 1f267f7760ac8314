package dqn

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
)

// BenchmarkTrainSteps times the DQN loop with each env's default preset
// (learning from the first steps on, no evaluation or checkpoint on the
// way), and Pong's with C51's head of 51 atoms too, and reports agent
// steps per second; run it with -cpuprofile to see that the network
// update, not the loop around it, takes the time.
func BenchmarkTrainSteps(b *testing.B) {
	for _, bc := range []struct {
		env   string
		atoms int
		steps int
	}{{"catch", 0, 4096}, {"cartpole", 0, 4096}, {"min-breakout", 0, 2048}, {"pong", 0, 1024}, {"pong", 51, 1024}} {
		env, name := bc.env, bc.env
		if bc.atoms > 0 {
			name = env + "-c51"
		}
		b.Run(name, func(b *testing.B) {
			cfg, _ := Preset(DefaultPreset(env), env)
			cfg.Steps, cfg.LearningStarts, cfg.EvalEvery, cfg.CheckpointEvery, cfg.EvalEpisodes = bc.steps, 256, 0, 0, 1
			cfg.Atoms = bc.atoms
			cfg.BufferSize = min(cfg.BufferSize, 10_000)
			if err := cfg.Complete(); err != nil {
				b.Fatal(err)
			}
			steps := 0
			for i := 0; i < b.N; i++ {
				r, err := run.Create(filepath.Join(b.TempDir(), "run"), run.Meta{Experiment: "dqn", Subject: env}, cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Train(context.Background(), cfg, r, Options{Seed: 1}); err != nil {
					b.Fatal(err)
				}
				r.Close()
				steps += cfg.Steps
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
