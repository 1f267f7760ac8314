package gan

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// A training step (both updates) allocates nothing after the first, for
// both architectures (on one thread: see ae's TestUpdateAllocatesNothing).
func TestStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer par.SetThreads(par.SetThreads(1))
	for _, arch := range []string{MLP, DCGAN} {
		cfg := DefaultConfig(arch)
		cfg.Batch, cfg.Width = 16, 8
		g, d := NewNets(cfg, 1)
		ac := nets.DefaultAdamConfig()
		s := &stepper{cfg: cfg, g: g, d: d, optG: nets.NewAdam(g.Params(), ac), optD: nets.NewAdam(d.Params(), ac), tp: nets.NewTape(),
			real: nets.New(16, 784), z: nets.New(16, cfg.Latent), ones: nets.New(16, 1), zeros: nets.New(16, 1)}
		s.ones.Fill(1)
		train := imgset.Set{Data: make([]float32, 16*784), N: 16, C: 1, H: 28, W: 28}
		idx := make([]int, 16)
		for i := range idx {
			idx[i] = i
		}
		rng := rand.New(rand.NewPCG(1, 2))
		step := func() { s.step(train, idx, rng) }
		step()
		require.Zero(t, testing.AllocsPerRun(3, step), arch)
	}
}
