package trainloop

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func parts() []Part {
	a, b := nets.NewParam(2, 3), nets.NewParam(4)
	for i := range a.Data {
		a.Data[i] = float32(i)
	}
	b.Fill(7)
	pa, pb := []nets.Param{{Name: "w", Tensor: a}}, []nets.Param{{Name: "w", Tensor: b}}
	return []Part{
		{Name: "g", Params: pa, Opt: nets.NewAdam(pa, nets.DefaultAdamConfig())},
		{Name: "d", Params: pb, Opt: nets.NewSGD(pb, nets.SGDConfig{LR: 0.5, Momentum: 0.9})},
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	src := parts()
	for _, p := range src { // one step each, so that the optimizers have state
		p.Params[0].Grad = make([]float32, p.Params[0].Size())
		p.Params[0].Grad[0] = 1
		p.Opt.Step()
	}
	src[1].Opt.SetLR(0.25)
	path := filepath.Join(t.TempDir(), "checkpoint", "state.safetensors")
	st := State{Phase: 1, Epoch: 2, Batch: 3, Step: 44, Elapsed: 5.5}
	require.NoError(t, Save(path, src, st, map[string]string{"extra": "x"}))
	peek, err := Peek(path)
	require.NoError(t, err)
	require.Equal(t, st, peek)

	dst := parts()
	got, meta, err := Load(path, dst)
	require.NoError(t, err)
	require.Equal(t, st, got)
	require.Equal(t, "x", meta["extra"])
	for i := range src {
		require.Equal(t, src[i].Params[0].Data, dst[i].Params[0].Data)
		require.Equal(t, src[i].Opt.Steps(), dst[i].Opt.Steps())
		require.Equal(t, src[i].Opt.LR(), dst[i].Opt.LR())
		for j, s := range src[i].Opt.State() {
			require.Equal(t, s.Data, dst[i].Opt.State()[j].Data)
		}
	}
	_, _, err = Load(path, dst[:1])
	require.Error(t, err, "a checkpoint of other parts")
}

func TestLoopResumesWhereItStopped(t *testing.T) {
	dir := t.TempDir()
	r, err := run.Create(filepath.Join(dir, "run"), run.Meta{Experiment: "test"}, nil, nil)
	require.NoError(t, err)
	defer r.Close()
	var seen [][]int
	var st State
	saves := 0
	ends := 0
	newLoop := func() *Loop {
		return &Loop{Seed: 1, Stream: 9, N: 10, Batch: 4, Epochs: 2,
			Step:     func(idx []int) (string, error) { seen = append(seen, append([]int(nil), idx...)); return "", nil },
			EndEpoch: func() error { ends++; return nil },
			Save:     func() error { saves++; return nil },
		}
	}
	l := newLoop()
	require.Equal(t, 3, l.Batches())
	ctx, cancel := context.WithCancel(context.Background())
	l.Step = func(idx []int) (string, error) {
		seen = append(seen, append([]int(nil), idx...))
		if len(seen) == 4 {
			cancel() // Ctrl-C during the first batch of epoch 2
		}
		return "", nil
	}
	require.ErrorIs(t, l.Run(ctx, &st), run.ErrInterrupted)
	require.Equal(t, State{Epoch: 1, Batch: 1, Step: 4}, st)
	require.Equal(t, 2, saves, "end of epoch 1, then the interruption")
	require.NoError(t, newLoop().Run(context.Background(), &st))
	require.Equal(t, State{Epoch: 2, Batch: 0, Step: 6}, st)
	require.Equal(t, 2, ends)

	var whole [][]int
	st2 := State{}
	l2 := newLoop()
	l2.Step = func(idx []int) (string, error) { whole = append(whole, append([]int(nil), idx...)); return "", nil }
	require.NoError(t, l2.Run(context.Background(), &st2))
	require.Equal(t, whole, seen, "the same batches as an uninterrupted loop")
	require.Len(t, whole[2], 2, "the last batch of an epoch is smaller")
}
