package nets_test

import (
	"math"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// distinct returns a tensor of the given shape holding a random
// permutation of 0.05·(i - size/2): no ties, and every two values further
// apart than the gradient checker's steps, so max pooling has no kinks
// near them.
func distinct(seed uint64, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	perm := newRNG(seed).Perm(t.Size())
	for i, p := range perm {
		t.Data[i] = 0.05 * float32(p-t.Size()/2)
	}
	return t
}

func TestPoolGradients(t *testing.T) {
	x := distinct(30, 2, 3, 7, 6)
	for _, p := range [][3]int{{2, 0, 0}, {3, 2, 1}, {3, 1, 1}, {2, 1, 1}, {4, 3, 2}} {
		check(t, "MaxPool2D", func(tp *nets.Tape) *nets.Tensor { return nets.MaxPool2D(tp, x, p[0], p[1], p[2]) }, x)
		check(t, "AvgPool2D", func(tp *nets.Tape) *nets.Tensor { return nets.AvgPool2D(tp, x, p[0], p[1], p[2]) }, x)
	}
	check(t, "GlobalAvgPool2D", func(tp *nets.Tape) *nets.Tensor { return nets.GlobalAvgPool2D(tp, x) }, x)
	check(t, "UpsampleNearest2D", func(tp *nets.Tape) *nets.Tensor { return nets.UpsampleNearest2D(tp, x, 3) }, x)
}

func TestPoolValues(t *testing.T) {
	x := nets.FromData([]float32{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
	}, 1, 1, 3, 4)
	require.Equal(t, []float32{6, 8}, nets.MaxPool2D(nil, x, 2, 0, 0).Data)
	require.Equal(t, []float32{3.5, 5.5}, nets.AvgPool2D(nil, x, 2, 2, 0).Data)
	// Padding: -∞ for the maximum, zeros counted in the mean (size² divides).
	require.Equal(t, []float32{1, 3, 4, 9, 11, 12}, nets.MaxPool2D(nil, x, 2, 2, 1).Data)
	require.Equal(t, []float32{0.25, 1.25, 1, 3.5, 8.5, 5}, nets.AvgPool2D(nil, x, 2, 2, 1).Data)
	require.Equal(t, []float32{6.5}, nets.GlobalAvgPool2D(nil, x).Data)
	up := nets.UpsampleNearest2D(nil, nets.FromData([]float32{1, 2, 3, 4}, 1, 1, 2, 2), 2)
	require.Equal(t, []int{1, 1, 4, 4}, up.Shape)
	require.Equal(t, []float32{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.Data)

	// Ties go to the first maximum, as in PyTorch.
	tie := nets.FromData([]float32{7, 7, 7, 7}, 1, 1, 2, 2).SetRequiresGrad(true)
	tp := nets.NewTape()
	y := nets.MaxPool2D(tp, tie, 2, 2, 0)
	tp.BackwardFrom(y, []float32{1})
	require.Equal(t, []float32{1, 0, 0, 0}, tie.Grad)

	// Overlapping windows: each output's gradient goes to its window's first maximum.
	flat := nets.FromData([]float32{5, 5, 5, 5, 5, 5}, 1, 1, 2, 3).SetRequiresGrad(true)
	tp = nets.NewTape()
	y = nets.MaxPool2D(tp, flat, 3, 1, 1)
	tp.BackwardFrom(y, []float32{1, 1, 1, 1, 1, 1})
	require.Equal(t, []float32{4, 2, 0, 0, 0, 0}, flat.Grad, "each window's first pixel inside the input")

	// A NaN in a window pools to NaN, of either sign (x86's 0/0 has the sign bit set).
	for _, centre := range []float32{math.Float32frombits(0xffc00000), float32(math.NaN())} {
		nan := nets.FromData([]float32{1, 2, 3, 4, centre, 6, 7, 8, 9}, 1, 1, 3, 3)
		for _, p := range [][3]int{{2, 1, 0}, {3, 1, 1}, {2, 2, 0}} { // every window holds the centre
			for _, v := range nets.MaxPool2D(nil, nan, p[0], p[1], p[2]).Data {
				require.True(t, v != v, "window %v", p)
			}
		}
	}

	require.Panics(t, func() { nets.MaxPool2D(nil, x, 2, 2, 2) }, "padding above half the window")
	require.Panics(t, func() { nets.AvgPool2D(nil, x, 5, 1, 0) }, "window larger than the input")
	require.Panics(t, func() { nets.MaxPool2D(nil, nets.New(3, 4), 2, 2, 0) }, "not NCHW")
}
