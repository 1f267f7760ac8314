package rnn

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// torchCase is one case of testdata/torch.json, written by gen_torch.py
// with PyTorch 1.13: an nn.RNN, nn.GRU or nn.LSTM, its weights, inputs,
// upstream gradients, outputs and gradients.
type torchCase struct {
	Name          string               `json:"name"`
	Kind          string               `json:"kind"`
	Layers        int                  `json:"layers"`
	Bidirectional bool                 `json:"bidirectional"`
	T             int                  `json:"T"`
	B             int                  `json:"B"`
	In            int                  `json:"In"`
	H             int                  `json:"H"`
	Lengths       []int                `json:"lengths"`
	X             []float32            `json:"x"`
	H0            []float32            `json:"h0"`
	C0            []float32            `json:"c0"`
	Params        map[string][]float32 `json:"params"`
	DY            []float32            `json:"dy"`
	DH            []float32            `json:"dh"`
	DC            []float32            `json:"dc"`
	Y             []float32            `json:"y"`
	HN            []float32            `json:"h_n"`
	CN            []float32            `json:"c_n"`
	Grads         map[string][]float32 `json:"grads"`
}

// requireRel compares with PyTorch to 1e-4 relative (1e-6 absolute near
// 0): float32 kernels that sum in another order and another exp agree to a
// few ulps per step, compounded over the steps and layers.
func requireRel(t *testing.T, want, got []float32, what string) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	for i := range want {
		w, g := float64(want[i]), float64(got[i])
		require.True(t, math.Abs(w-g) <= 1e-6+1e-4*math.Abs(w), "%s[%d]: PyTorch %.9g, arcade %.9g", what, i, w, g)
	}
}

func TestRNNsMatchPyTorch(t *testing.T) {
	data, err := os.ReadFile("testdata/torch.json")
	require.NoError(t, err)
	var ref struct{ Cases []torchCase }
	require.NoError(t, json.Unmarshal(data, &ref))
	require.Len(t, ref.Cases, 7)
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			kind, err := ParseKind(tc.Kind)
			require.NoError(t, err)
			r := New(rand.New(rand.NewPCG(1, 1)), Config{Kind: kind, Input: tc.In, Hidden: tc.H, Layers: tc.Layers, Bidirectional: tc.Bidirectional})
			params := r.Params()
			require.Len(t, params, len(tc.Params))
			for _, p := range params {
				v, ok := tc.Params[p.Name]
				require.True(t, ok, "PyTorch has no parameter %s", p.Name)
				copy(p.Data, v)
			}
			x := nets.FromData(append([]float32{}, tc.X...), tc.T, tc.B, tc.In).SetRequiresGrad(true)
			n := len(r.Cells)
			var init []State
			var h0, c0 *nets.Tensor
			if tc.H0 != nil {
				h0 = nets.FromData(append([]float32{}, tc.H0...), n, tc.B, tc.H).SetRequiresGrad(true)
				if tc.C0 != nil {
					c0 = nets.FromData(append([]float32{}, tc.C0...), n, tc.B, tc.H).SetRequiresGrad(true)
				}
			}
			tp := nets.NewTape()
			if h0 != nil { // PyTorch's h0 [L·D, B, H] as states on the tape
				init = make([]State, n)
				hs := nets.Split(tp, nil, h0, 0, ones(n)...)
				var cs []*nets.Tensor
				if c0 != nil {
					cs = nets.Split(tp, nil, c0, 0, ones(n)...)
				}
				for i := range init {
					init[i].H = nets.Reshape(tp, hs[i], tc.B, tc.H)
					if cs != nil {
						init[i].C = nets.Reshape(tp, cs[i], tc.B, tc.H)
					}
				}
			}
			ys, final := r.Forward(tp, x, init, tc.Lengths)
			parts := []*nets.Tensor{nets.Reshape(tp, ys, -1)}
			dout := append([]float32{}, tc.DY...)
			got := map[string][]float32{"y": ys.Data}
			var hn, cn []float32
			for _, s := range final {
				parts = append(parts, nets.Reshape(tp, s.H, -1))
				hn = append(hn, s.H.Data...)
			}
			dout = append(dout, tc.DH...)
			if kind == LSTM {
				for _, s := range final {
					parts = append(parts, nets.Reshape(tp, s.C, -1))
					cn = append(cn, s.C.Data...)
				}
				dout = append(dout, tc.DC...)
			}
			requireRel(t, tc.Y, got["y"], "y")
			requireRel(t, tc.HN, hn, "h_n")
			if kind == LSTM {
				requireRel(t, tc.CN, cn, "c_n")
			}
			tp.BackwardFrom(nets.Concat(tp, 0, parts...), dout)
			for _, p := range params {
				requireRel(t, tc.Grads[p.Name], p.Grad, "grad "+p.Name)
			}
			requireRel(t, tc.Grads["x"], x.Grad, "grad x")
			if h0 != nil {
				requireRel(t, tc.Grads["h0"], h0.Grad, "grad h0")
			}
			if c0 != nil {
				requireRel(t, tc.Grads["c0"], c0.Grad, "grad c0")
			}
		})
	}
}

// ones returns n ones: the sizes of a split into n single slices.
func ones(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1
	}
	return s
}
