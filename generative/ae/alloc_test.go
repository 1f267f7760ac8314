package ae

import (
	"testing"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// The training step allocates nothing after the first: the contractive
// kind (the custom penalty op), the sparse one (L1), the conv one. On one
// thread: a pool worker that blocks on a busy machine makes the runtime
// allocate (a semaphore's waiter), which is no allocation of the step's.
func TestUpdateAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer par.SetThreads(par.SetThreads(1))
	for _, kind := range []string{Contractive, Sparse, Conv} {
		cfg, err := Preset(kind)
		require.NoError(t, err)
		cfg.Code = 16
		tr := &trainer{cfg: cfg, model: NewModel(cfg, 1, 28, 28, 1), tp: nets.NewTape(), x: nets.New(32, 784)}
		tr.opt = tr.newAdam(tr.model.Params())
		set := imgset.Set{Data: make([]float32, 32*784), N: 32, C: 1, H: 28, W: 28}
		for i := range set.Data {
			set.Data[i] = float32(i%7) / 7
		}
		set.Range(tr.x, 0, 32)
		step := func() { tr.update(tr.x, 32) }
		step()
		require.Zero(t, testing.AllocsPerRun(3, step), kind)
	}
}
