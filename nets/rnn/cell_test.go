package rnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

// variant is a cell kind with its options, as the tests sweep them.
type variant struct {
	kind Kind
	opts Options
}

func (v variant) String() string {
	s := v.kind.String()
	if v.opts.Peephole {
		s += "+peephole"
	}
	if v.opts.Coupled {
		s += "+coupled"
	}
	return s
}

var variants = []variant{{Vanilla, Options{}}, {GRU, Options{}}, {SimpleGRU, Options{}}, {LSTM, Options{}},
	{LSTM, Options{Peephole: true}}, {LSTM, Options{Coupled: true}}, {LSTM, Options{Peephole: true, Coupled: true}}}

// requireNear compares float32 results with float64 references to
// 1e-5 absolute + 1e-4 relative.
func requireNear(t *testing.T, want [][]float64, got []float32, what string) {
	t.Helper()
	cols := len(want[0])
	for r := range want {
		for j, w := range want[r] {
			g := float64(got[r*cols+j])
			require.InDelta(t, w, g, 1e-5+1e-4*math.Abs(w), "%s[%d][%d]", what, r, j)
		}
	}
}

func TestLayerMatchesNaiveLoops(t *testing.T) {
	const T, B, In, H = 5, 3, 4, 6
	for _, v := range variants {
		for _, reverse := range []bool{false, true} {
			for _, lengths := range [][]int{nil, {5, 2, 0}} {
				t.Run(fmt.Sprintf("%v/reverse=%v/lengths=%v", v, reverse, lengths), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(1, 2))
					c := NewCell(rng, v.kind, In, H, v.opts)
					xs := randTensor(rng, 1, T, B, In)
					s := State{H: randTensor(rng, 0.5, B, H)}
					if c.HasCellState() {
						s.C = randTensor(rng, 0.5, B, H)
					}
					l := NewLayer(c, reverse)
					ys, final := l.Forward(nets.NewTape(), xs, s, lengths)
					var c0 [][]float64
					if s.C != nil {
						c0 = nested2(s.C.Data, B, H)
					}
					wantYs, wantH, wantC := naiveLayer(c, reverse, nested3(xs), nested2(s.H.Data, B, H), c0, lengths)
					require.Equal(t, []int{T, B, H}, ys.Shape)
					for tt := range T {
						requireNear(t, wantYs[tt], ys.Data[tt*B*H:(tt+1)*B*H], fmt.Sprintf("ys[%d]", tt))
					}
					requireNear(t, wantH, final.H.Data, "h")
					if c.HasCellState() {
						requireNear(t, wantC, final.C.Data, "c")
					} else {
						require.Nil(t, final.C)
					}
				})
			}
		}
	}
}

func TestCellStepsMatchLayer(t *testing.T) {
	const T, B, In, H = 4, 2, 3, 5
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			c := NewCell(rng, v.kind, In, H, v.opts)
			xs := randTensor(rng, 1, T, B, In)
			ys, final := NewLayer(c, false).Forward(nil, xs, State{}, nil)
			var s State
			for k := range T {
				x := nets.FromData(xs.Data[k*B*In:(k+1)*B*In], B, In)
				s = c.Step(nil, x, s)
				require.InDeltaSlice(t, ys.Data[k*B*H:(k+1)*B*H], s.H.Data, 1e-6, "step %d", k)
			}
			require.InDeltaSlice(t, final.H.Data, s.H.Data, 1e-6)
		})
	}
}

func TestGradientsThroughSteps(t *testing.T) {
	const T, B, In, H = 4, 3, 3, 4
	for _, v := range variants {
		for _, reverse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/reverse=%v", v, reverse), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 6))
				c := NewCell(rng, v.kind, In, H, v.opts)
				xs := randTensor(rng, 1, T, B, In)
				h0, c0 := randTensor(rng, 0.5, B, H), randTensor(rng, 0.5, B, H)
				ins := []*nets.Tensor{xs, h0}
				s := State{H: h0}
				if c.HasCellState() {
					ins, s.C = append(ins, c0), c0
				}
				for _, p := range c.Params() {
					ins = append(ins, p.Tensor)
				}
				l := NewLayer(c, reverse)
				lengths := []int{4, 1, 3}
				// The outputs and the final state, so that both paths of
				// the gradient are checked.
				f := func(tp *nets.Tape) *nets.Tensor {
					ys, final := l.Forward(tp, xs, s, lengths)
					parts := []*nets.Tensor{nets.Reshape(tp, ys, T*B, H), final.H}
					if final.C != nil {
						parts = append(parts, final.C)
					}
					return nets.Concat(tp, 0, parts...)
				}
				require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{Eps: 1e-2}))
			})
		}
	}
}

func TestCellStepGradients(t *testing.T) {
	const B, In, H = 2, 3, 4
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			c := NewCell(rng, v.kind, In, H, v.opts)
			x1, x2, x3 := randTensor(rng, 1, B, In), randTensor(rng, 1, B, In), randTensor(rng, 1, B, In)
			ins := []*nets.Tensor{x1, x2, x3}
			for _, p := range c.Params() {
				ins = append(ins, p.Tensor)
			}
			f := func(tp *nets.Tape) *nets.Tensor {
				s := c.Step(tp, x1, State{})
				s = c.Step(tp, x2, s)
				s = c.Step(tp, x3, s)
				if s.C != nil {
					return nets.Concat(tp, 0, s.H, s.C)
				}
				return s.H
			}
			require.NoError(t, gradcheck.Check(f, ins, gradcheck.Options{}))
		})
	}
}

// TestWideCellsMatchNaiveLoops covers W_hhᵀ cut into several column panels
// (G·H above panelWidth, the last panel narrower).
func TestWideCellsMatchNaiveLoops(t *testing.T) {
	const T, B, In, H = 3, 2, 4, 200
	for _, kind := range []Kind{LSTM, GRU} {
		rng := rand.New(rand.NewPCG(23, 24))
		c := NewCell(rng, kind, In, H, Options{})
		require.Greater(t, c.Gates()*H, panelWidth)
		xs := randTensor(rng, 1, T, B, In)
		h0 := randTensor(rng, 0.5, B, H)
		ys, final := NewLayer(c, false).Forward(nil, xs, State{H: h0}, nil)
		wantYs, wantH, _ := naiveLayer(c, false, nested3(xs), nested2(h0.Data, B, H), nil, nil)
		for tt := range T {
			requireNear(t, wantYs[tt], ys.Data[tt*B*H:(tt+1)*B*H], fmt.Sprintf("%s ys[%d]", kind, tt))
		}
		requireNear(t, wantH, final.H.Data, "h")
	}
}

// TestInputWidthsOfBothProducts checks dW_ih and dx along both ways of
// forming dW_ih (an input width that is a multiple of narrowTile or not).
func TestInputWidthsOfBothProducts(t *testing.T) {
	for _, in := range []int{narrowTile, narrowTile + 1} {
		rng := rand.New(rand.NewPCG(25, 26))
		c := NewCell(rng, GRU, in, 3, Options{})
		xs := randTensor(rng, 1, 3, 2, in)
		l := NewLayer(c, false)
		f := func(tp *nets.Tape) *nets.Tensor {
			ys, _ := l.Forward(tp, xs, State{}, nil)
			return ys
		}
		require.NoError(t, gradcheck.Check(f, []*nets.Tensor{xs, c.WIH, c.BIH}, gradcheck.Options{}), "In = %d", in)
	}
}
