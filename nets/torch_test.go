package nets_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// opsRef is nets/testdata/ops.json, written by gen_ops.py with PyTorch
// 1.13: inputs, an upstream gradient dy, and PyTorch's output and input
// gradients for activations, losses and a few ops.
type opsRef struct {
	Cases []struct {
		Name   string         `json:"name"`
		Args   map[string]any `json:"args"`
		Inputs map[string]struct {
			Shape []int     `json:"shape"`
			Data  []float32 `json:"data"`
		} `json:"inputs"`
		DY    []float32            `json:"dy"`
		Shape []int                `json:"shape"`
		Y     []float32            `json:"y"`
		Grads map[string][]float32 `json:"grads"`
	} `json:"cases"`
}

func ints(v any) []int {
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(x.(float64)))
	}
	return out
}

func reduction(args map[string]any) nets.Reduction {
	switch args["reduction"] {
	case "sum":
		return nets.ReduceSum
	case "none":
		return nets.ReduceNone
	}
	return nets.ReduceMean
}

// requireClose compares with PyTorch to 1e-5 relative (1e-6 absolute near
// 0): float32 kernels that round differently agree to a few ulps.
func requireClose(t *testing.T, want, got []float32, what string) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	for i := range want {
		w, g := float64(want[i]), float64(got[i])
		require.True(t, math.Abs(w-g) <= 1e-6+1e-5*math.Abs(w), "%s[%d]: PyTorch %.9g, nets %.9g", what, i, w, g)
	}
}

func TestOpsMatchPyTorch(t *testing.T) {
	data, err := os.ReadFile("testdata/ops.json")
	require.NoError(t, err)
	var ref opsRef
	require.NoError(t, json.Unmarshal(data, &ref))
	require.Len(t, ref.Cases, 34)
	for _, tc := range ref.Cases {
		in := map[string]*nets.Tensor{}
		for k, v := range tc.Inputs {
			in[k] = nets.FromData(append([]float32{}, v.Data...), v.Shape...)
			if _, ok := tc.Grads[k]; ok {
				in[k].SetRequiresGrad(true)
			}
		}
		red := reduction(tc.Args)
		f := func(key string) float32 { return float32(tc.Args[key].(float64)) }
		tp := nets.NewTape()
		var y *nets.Tensor
		switch tc.Name {
		case "relu":
			y = nets.ReLU(tp, in["x"])
		case "leaky_relu":
			y = nets.LeakyReLU(tp, in["x"], f("slope"))
		case "sigmoid":
			y = nets.Sigmoid(tp, in["x"])
		case "tanh":
			y = nets.Tanh(tp, in["x"])
		case "softmax":
			y = nets.Softmax(tp, in["x"])
		case "log_softmax":
			y = nets.LogSoftmax(tp, in["x"])
		case "exp":
			y = nets.Exp(tp, nets.MulScalar(tp, in["x"], 0.1))
		case "log":
			y = nets.Log(tp, in["x"])
		case "sqrt":
			y = nets.Sqrt(tp, in["x"])
		case "clamp":
			y = nets.Clamp(tp, in["x"], f("lo"), f("hi"))
		case "linear":
			y = nets.Affine(tp, in["x"], in["w"], in["b"])
		case "gather":
			y = nets.Gather(tp, in["x"], 1, ints(tc.Args["idx"]))
		case "max":
			y = nets.Max(tp, in["x"], 1)
		case "mse":
			y = nets.MSE(tp, in["p"], in["t"], red)
		case "l1":
			y = nets.L1(tp, in["p"], in["t"], red)
		case "huber":
			y = nets.Huber(tp, in["p"], in["t"], float64(f("delta")), red)
		case "bce":
			y = nets.BCE(tp, in["p"], in["t"], red)
		case "bce_with_logits":
			y = nets.BCEWithLogits(tp, in["p"], in["t"], red)
		case "cross_entropy":
			y = nets.CrossEntropy(tp, in["x"], ints(tc.Args["labels"]), red)
		case "gaussian_kl":
			y = nets.GaussianKL(tp, in["mu"], in["lv"], red)
		default:
			t.Fatalf("no case %s", tc.Name)
		}
		name := tc.Name
		if r, ok := tc.Args["reduction"]; ok {
			name += " " + r.(string)
		}
		require.Equal(t, len(tc.Shape), y.Rank(), name)
		requireClose(t, tc.Y, y.Data, name+" y")
		tp.BackwardFrom(y, tc.DY)
		for k, want := range tc.Grads {
			requireClose(t, want, in[k].Grad, name+" d"+k)
		}
	}
}
