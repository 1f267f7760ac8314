package nets_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// requireRel compares with PyTorch to 1e-4 relative (1e-5 absolute near
// 0): the conv core sums in another order than PyTorch's kernels.
func requireRel(t *testing.T, want, got []float32, what string) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	for i := range want {
		w, g := float64(want[i]), float64(got[i])
		require.True(t, math.Abs(w-g) <= 1e-5+1e-4*math.Abs(w), "%s[%d]: PyTorch %.9g, nets %.9g", what, i, w, g)
	}
}

func pairOf(v any) [2]int {
	p := ints(v)
	return [2]int{p[0], p[1]}
}

func floats(v any) []float32 {
	var out []float32
	for _, x := range v.([]any) {
		out = append(out, float32(x.(float64)))
	}
	return out
}

// TestConvCoreMatchesPyTorch replays testdata/conv.json (gen_conv.py,
// PyTorch 1.13): every case's output and gradients to 1e-4 relative, and
// batch norm's running statistics after the step.
func TestConvCoreMatchesPyTorch(t *testing.T) {
	data, err := os.ReadFile("testdata/conv.json")
	require.NoError(t, err)
	var ref opsRef
	require.NoError(t, json.Unmarshal(data, &ref))
	require.Len(t, ref.Cases, 25)
	seen := map[string]int{}
	for _, tc := range ref.Cases {
		seen[tc.Name]++
		in := map[string]*nets.Tensor{}
		for k, v := range tc.Inputs {
			in[k] = nets.FromData(append([]float32{}, v.Data...), v.Shape...)
			in[k].SetRequiresGrad(true)
		}
		n := func(key string) int { return int(tc.Args[key].(float64)) }
		tp := nets.NewTape()
		var y *nets.Tensor
		var bn *nets.BatchNorm
		switch tc.Name {
		case "conv2d":
			o := nets.ConvOpts{Stride: pairOf(tc.Args["stride"]), Dilation: pairOf(tc.Args["dilation"])}
			if tc.Args["padding"] == "same" {
				o.Same = true
			} else {
				o.Padding = pairOf(tc.Args["padding"])
			}
			y = nets.Conv2D(tp, in["x"], in["w"], in["b"], o)
		case "conv_transpose2d":
			o := nets.ConvOpts{Stride: pairOf(tc.Args["stride"]), Padding: pairOf(tc.Args["padding"]),
				Dilation: pairOf(tc.Args["dilation"]), OutputPadding: pairOf(tc.Args["output_padding"])}
			y = nets.ConvTranspose2D(tp, in["x"], in["w"], in["b"], o)
		case "max_pool2d":
			y = nets.MaxPool2D(tp, in["x"], n("size"), n("stride"), n("padding"))
		case "avg_pool2d":
			y = nets.AvgPool2D(tp, in["x"], n("size"), n("stride"), n("padding"))
		case "global_avg_pool2d":
			y = nets.GlobalAvgPool2D(tp, in["x"])
		case "upsample_nearest2d":
			y = nets.UpsampleNearest2D(tp, in["x"], n("scale"))
		case "batch_norm":
			bn = nets.NewBatchNorm(in["x"].Shape[1])
			bn.Gamma, bn.Beta = in["gamma"], in["beta"]
			copy(bn.RunningMean.Data, floats(tc.Args["running_mean"]))
			copy(bn.RunningVar.Data, floats(tc.Args["running_var"]))
			bn.Momentum, bn.Eps = tc.Args["momentum"].(float64), tc.Args["eps"].(float64)
			tp.Train = tc.Args["train"].(bool)
			y = bn.Forward(tp, in["x"])
		default:
			t.Fatalf("no case %s", tc.Name)
		}
		name := tc.Name
		require.Equal(t, tc.Shape, y.Shape, name)
		requireRel(t, tc.Y, y.Data, name+" y")
		tp.BackwardFrom(y, tc.DY)
		for k, want := range tc.Grads {
			requireRel(t, want, in[k].Grad, name+" d"+k)
		}
		if bn != nil {
			requireRel(t, floats(tc.Args["running_mean_after"]), bn.RunningMean.Data, name+" running_mean")
			requireRel(t, floats(tc.Args["running_var_after"]), bn.RunningVar.Data, name+" running_var")
		}
	}
	require.Equal(t, map[string]int{"conv2d": 8, "conv_transpose2d": 3, "max_pool2d": 4, "avg_pool2d": 4,
		"global_avg_pool2d": 1, "upsample_nearest2d": 1, "batch_norm": 4}, seen)
}
