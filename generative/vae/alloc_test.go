package vae

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// The training step allocates nothing after the first, for the MLP and
// the conv VAE (on one thread: see ae's TestUpdateAllocatesNothing).
func TestUpdateAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer par.SetThreads(par.SetThreads(1))
	for _, conv := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Conv = conv
		m := NewModel(cfg, 1, 28, 28, 1)
		opt := nets.NewAdam(m.Params(), nets.DefaultAdamConfig())
		rng := rand.New(rand.NewPCG(1, 2))
		x, eps := nets.New(32, 784), nets.New(32, cfg.Latent)
		nets.Uniform(rng, x, 0, 1)
		nets.Normal(rng, eps, 0, 1)
		tp := nets.NewTape()
		step := func() { update(tp, m, opt, x, eps) }
		step()
		require.Zero(t, testing.AllocsPerRun(3, step), "conv %v", conv)
	}
}
