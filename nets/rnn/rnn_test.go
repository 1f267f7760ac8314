package rnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

// trainStep runs one forward and backward pass of r over xs from the
// carried states and returns the loss: the mean squared output.
func trainStep(tp *nets.Tape, r *RNN, params []nets.Param, xs *nets.Tensor, init []State, lengths []int) *nets.Tensor {
	tp.Reset()
	nets.ZeroGrads(params)
	ys, _ := r.Forward(tp, xs, init, lengths)
	loss := nets.MeanAll(tp, nets.Square(tp, ys))
	loss.Backward()
	return loss
}

func TestGradientOnlyToTheInitialState(t *testing.T) {
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 10))
			r := New(rng, Config{Kind: v.kind, Opts: v.opts, Input: 3, Hidden: 4, Layers: 2})
			for _, p := range r.Params() {
				p.SetRequiresGrad(false)
			}
			xs := randTensor(rng, 1, 4, 2, 3)
			h0 := randTensor(rng, 0.5, 2, 4)
			init := []State{{H: h0}, {}}
			ins := []*nets.Tensor{h0}
			if r.Cells[0].HasCellState() {
				init[0].C = randTensor(rng, 0.5, 2, 4)
				ins = append(ins, init[0].C)
			}
			f := func(tp *nets.Tape) *nets.Tensor {
				ys, _ := r.Forward(tp, xs, init, []int{4, 2})
				return ys
			}
			require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{}))
		})
	}
}

func TestStackedBidirectionalGradients(t *testing.T) {
	for _, kind := range []Kind{GRU, LSTM} {
		t.Run(kind.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			r := New(rng, Config{Kind: kind, Input: 3, Hidden: 3, Layers: 2, Bidirectional: true})
			xs := randTensor(rng, 1, 4, 3, 3)
			ins := []*nets.Tensor{xs}
			for _, p := range r.Params() {
				ins = append(ins, p.Tensor)
			}
			f := func(tp *nets.Tape) *nets.Tensor {
				ys, final := r.Forward(tp, xs, nil, []int{2, 4, 3})
				parts := []*nets.Tensor{nets.Reshape(tp, ys, -1)}
				for _, s := range final {
					parts = append(parts, nets.Reshape(tp, s.H, -1))
				}
				return nets.Concat(tp, 0, parts...)
			}
			require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{}))
		})
	}
}

func TestSameBytesAtAnyThreadCount(t *testing.T) {
	defer nets.SetParallel(nets.SetParallel(1, 8))
	for _, kind := range []Kind{Vanilla, GRU, SimpleGRU, LSTM} {
		t.Run(kind.String(), func(t *testing.T) {
			var grads [][]float32
			for _, threads := range []int{1, 2, 3} {
				prev := par.SetThreads(threads)
				rng := rand.New(rand.NewPCG(13, 14))
				r := New(rng, Config{Kind: kind, Input: 5, Hidden: 16, Layers: 2, Bidirectional: true})
				xs := randTensor(rng, 1, 6, 9, 5)
				trainStep(nets.NewTape(), r, r.Params(), xs, nil, []int{6, 1, 2, 3, 4, 5, 6, 6, 0})
				var g []float32
				for _, p := range r.Params() {
					g = append(g, p.Grad...)
				}
				grads = append(grads, g)
				par.SetThreads(prev)
			}
			for i := range grads[0] {
				require.Equal(t, math.Float32bits(grads[0][i]), math.Float32bits(grads[1][i]), "1 vs 2 threads, gradient %d", i)
				require.Equal(t, math.Float32bits(grads[0][i]), math.Float32bits(grads[2][i]), "1 vs 3 threads, gradient %d", i)
			}
		})
	}
}

func TestTrainingStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, kind := range []Kind{Vanilla, GRU, LSTM} {
		rng := rand.New(rand.NewPCG(15, 16))
		r := New(rng, Config{Kind: kind, Input: 5, Hidden: 8, Layers: 2, Bidirectional: true, Dropout: 0.3})
		r.DropRNG = rand.New(rand.NewPCG(1, 1))
		xs := randTensor(rng, 1, 6, 4, 5)
		lengths := []int{6, 3, 1, 5}
		tp := nets.NewTape()
		var carry Carry
		params := r.Params()
		step := func() {
			trainStep(tp, r, params, xs, carry.Init(), lengths)
			carry.Keep(r.final)
		}
		step()
		step()
		require.Zero(t, testing.AllocsPerRun(5, step), "%s", kind)
	}
}

func TestCarryContinuesTheSequence(t *testing.T) {
	for _, kind := range []Kind{GRU, LSTM} {
		rng := rand.New(rand.NewPCG(17, 18))
		r := New(rng, Config{Kind: kind, Input: 3, Hidden: 5, Layers: 2})
		xs := randTensor(rng, 1, 8, 2, 3)
		whole, _ := r.Forward(nil, xs, nil, nil)
		wholeYs := whole.Clone()
		var carry Carry
		tp := nets.NewTape()
		for c := 0; c < 2; c++ {
			chunk := nets.FromData(xs.Data[c*4*2*3:(c+1)*4*2*3], 4, 2, 3)
			tp.Reset()
			ys, final := r.Forward(tp, chunk, carry.Init(), nil)
			require.InDeltaSlice(t, wholeYs.Data[c*4*2*5:(c+1)*4*2*5], ys.Data, 1e-6, "%s chunk %d", kind, c)
			nets.MeanAll(tp, ys).Backward()
			carry.Keep(final)
		}
		for _, s := range carry.Init() {
			require.False(t, s.H.RequiresGrad(), "a carried state is a leaf without gradient")
		}
		carry.Reset()
		require.Nil(t, carry.Init())
	}
}

func TestDropoutBetweenLayersOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	cfg := Config{Kind: LSTM, Input: 3, Hidden: 6, Layers: 2}
	plain := New(rng, cfg)
	cfg.Dropout = 0.5
	dropped := New(rand.New(rand.NewPCG(19, 20)), cfg)
	dropped.DropRNG = rand.New(rand.NewPCG(3, 3))
	xs := randTensor(rng, 1, 5, 2, 3)
	want, _ := plain.Forward(nil, xs, nil, nil)
	eval, _ := dropped.Forward(&nets.Tape{}, xs, nil, nil)
	require.Equal(t, want.Data, eval.Data, "evaluation mode does not drop")
	train, _ := dropped.Forward(nets.NewTape(), xs, nil, nil)
	require.NotEqual(t, want.Data, train.Data, "training mode drops between the layers")
	// One layer has nothing between layers to drop.
	one := New(rand.New(rand.NewPCG(1, 1)), Config{Kind: GRU, Input: 3, Hidden: 4, Layers: 1, Dropout: 0.5})
	a, _ := one.Forward(nets.NewTape(), xs, nil, nil)
	b, _ := one.Forward(nil, xs, nil, nil)
	require.Equal(t, b.Data, a.Data)
}

func TestHeads(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	ys := randTensor(rng, 1, 4, 3, 2)
	lengths := []int{1, 4, 2}
	last := Last(nil, ys, lengths)
	require.Equal(t, []int{3, 2}, last.Shape)
	require.Equal(t, ys.Data[(0*3+0)*2:(0*3+0)*2+2], last.Data[0:2])
	require.Equal(t, ys.Data[(3*3+1)*2:(3*3+1)*2+2], last.Data[2:4])
	require.Equal(t, ys.Data[(1*3+2)*2:(1*3+2)*2+2], last.Data[4:6])
	one, many := NewManyToOne(rng, 2, 5), NewManyToMany(rng, 2, 5)
	ins := []*nets.Tensor{ys}
	for _, p := range append(one.Params(), many.Params()...) {
		ins = append(ins, p.Tensor)
	}
	f := func(tp *nets.Tape) *nets.Tensor {
		return nets.Concat(tp, 0, nets.Reshape(tp, one.Forward(tp, ys, lengths), -1), nets.Reshape(tp, many.Forward(tp, ys), -1))
	}
	require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{}))
	require.Panics(t, func() { Last(nil, ys, []int{1, 0, 2}) })
}

func TestOneHotInputs(t *testing.T) {
	x := nets.New(2, 3, 4)
	OneHot(x, []int{0, 3, 1, 2, 2, 0})
	require.Equal(t, []float32{1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0}, x.Data)
	require.Panics(t, func() { OneHot(x, []int{0, 4, 1, 2, 2, 0}) })
	require.Panics(t, func() { OneHot(x, []int{0}) })
}

func TestBadShapesPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := New(rng, Config{Kind: LSTM, Input: 3, Hidden: 4, Layers: 1})
	require.PanicsWithValue(t, "rnn: a sequence of shape [5 2 4], want [T, B, 3] with T >= 1", func() { r.Forward(nil, nets.New(5, 2, 4), nil, nil) })
	require.Panics(t, func() { r.Forward(nil, nets.New(5, 2, 3), nil, []int{6, 1}) })
	require.Panics(t, func() { r.Forward(nil, nets.New(5, 2, 3), []State{{H: nets.New(3, 4)}}, nil) })
	require.Panics(t, func() { r.Cells[0].Step(nil, nets.New(2, 4), State{}) })
	require.Panics(t, func() { NewCell(rng, GRU, 3, 4, Options{Peephole: true}) })
	require.Panics(t, func() {
		New(rng, Config{Kind: GRU, Input: 3, Hidden: 4, Layers: 2, Dropout: 0.5}).Forward(nets.NewTape(), nets.New(2, 1, 3), nil, nil)
	})
	_, err := ParseKind("elman")
	require.EqualError(t, err, `unknown cell "elman": want rnn, gru, simple-gru or lstm`)
}
