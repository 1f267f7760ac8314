package nets_test

import (
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func TestTapeReusesItsBuffers(t *testing.T) {
	rng := newRNG(30)
	l := nets.NewLinear(rng, 3, 2)
	x := randTensor(rng, -1, 1, 4, 3)
	tp := nets.NewTape()
	y1 := nets.Tanh(tp, l.Forward(tp, x))
	require.Equal(t, 2, tp.Len())
	tp.Reset()
	y2 := nets.Tanh(tp, l.Forward(tp, x))
	require.Same(t, y1, y2, "the same position reuses its output")

	// A smaller batch reuses the buffers within their capacity.
	tp.Reset()
	small := nets.FromData(x.Data[:6], 2, 3)
	y3 := nets.Tanh(tp, l.Forward(tp, small))
	require.Same(t, y1, y3)
	require.Equal(t, []int{2, 2}, y3.Shape)
	require.Equal(t, nets.Tanh(nil, l.Forward(nil, small)).Data, y3.Data)

	// An op of another type at a position replaces it and what follows
	// (elementwise functions share one type, so Sigmoid would reuse it).
	tp.Reset()
	y4 := nets.Softmax(tp, l.Forward(tp, x))
	require.NotSame(t, y1, y4)
}

func TestBackwardAccumulatesIntoLeavesAndClearsIntermediates(t *testing.T) {
	w := nets.FromData([]float32{2}, 1).SetRequiresGrad(true)
	x := nets.FromData([]float32{3}, 1)
	tp := nets.NewTape()
	for range 2 {
		tp.Reset()
		h := nets.Mul(tp, w, x)
		loss := nets.SumAll(tp, nets.Mul(tp, h, h)) // (wx)², d/dw = 2wx² = 36
		loss.Backward()
		require.Equal(t, []float32{12}, h.Grad, "2wx: cleared at each pass")
	}
	require.Equal(t, []float32{72}, w.Grad, "two passes add up in the leaf")
	w.ZeroGrad()
	require.Equal(t, []float32{0}, w.Grad)
}

// Several forwards of one network on one tape (Double DQN's online net on
// s and s') and many steps of a recurrence (BPTT) add their gradients.
func TestRepeatedUseOnOneTape(t *testing.T) {
	rng := newRNG(31)
	cell := nets.NewLinear(rng, 3, 3)
	h0 := randTensor(rng, -1, 1, 2, 3)
	check(t, "BPTT over 6 steps", func(tp *nets.Tape) *nets.Tensor {
		h := h0
		for range 6 {
			h = nets.Tanh(tp, cell.Forward(tp, h))
		}
		return h
	}, h0, cell.W, cell.B)
}

func TestBackwardMisuse(t *testing.T) {
	x := nets.FromData([]float32{1, 2}, 2)
	tp := nets.NewTape()
	require.PanicsWithValue(t, "nets: Backward from a tensor that needs no gradient (nothing that requires a gradient feeds it)",
		func() { nets.SumAll(tp, x).Backward() })
	require.Panics(t, func() { nets.SumAll(nil, x).Backward() }, "nothing recorded")
	w := nets.FromData([]float32{1, 2}, 2).SetRequiresGrad(true)
	require.Panics(t, func() { nets.Mul(tp, w, x).Backward() }, "not a scalar")
	loss := nets.SumAll(tp, nets.Mul(tp, w, x))
	tp.Reset()
	nets.Exp(tp, w)
	nets.Exp(tp, w)
	require.Panics(t, func() { loss.Backward() }, "its position was recorded again")
	require.Panics(t, func() { nets.Exp(tp, w).SetRequiresGrad(false) })

	noGrad := &nets.Tape{NoGrad: true}
	require.False(t, nets.Exp(noGrad, w).RequiresGrad())
}

func TestOutputsOfAnotherTape(t *testing.T) {
	w := nets.FromData([]float32{1, 2}, 2).SetRequiresGrad(true)
	a, b := nets.NewTape(), nets.NewTape()
	h := nets.Exp(a, w)
	require.PanicsWithValue(t, "nets: an input that needs a gradient was recorded on another tape; record both on one tape, or Detach it",
		func() { nets.Exp(b, h) })
	target := nets.Exp(&nets.Tape{NoGrad: true}, w) // a target network's output: a constant
	loss := nets.MSE(b, nets.Exp(b, w), target, nets.ReduceSum)
	loss.Backward()
	require.Len(t, w.Grad, 2)
}
