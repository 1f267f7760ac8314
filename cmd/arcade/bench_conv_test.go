package main

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/stretchr/testify/require"
)

func TestBenchConvSmall(t *testing.T) {
	defer func(n []convBenchNet) { convBenchNets = n }(convBenchNets)
	convBenchNets = convBenchNets[1:2] // the small-grid network only
	code, out, errOut := call("bench", "conv", "--threads", "2", "--no-peer", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Rows []benchRow `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Rows, 2)
	fwd := 0.0
	for _, f := range convBenchNets[0].flops {
		fwd += f
	}
	for i, r := range got.Rows {
		require.Equal(t, []string{"smallgrid_fwd", "smallgrid_fwd+bwd"}[i], r.Name)
		require.Equal(t, 2, r.Threads)
		require.Greater(t, r.MS, 0.0)
		require.NotNil(t, r.GFLOPS)
		want := []float64{fwd, 3*fwd - convBenchNets[0].flops[0]}[i]
		require.InEpsilon(t, want, *r.GFLOPS*r.MS*1e6, 1e-9, "FLOPs per pass")
		require.Equal(t, "--no-peer", r.Skipped)
	}
}

// TestBenchConvFLOPs checks each network's FLOP list against its layers:
// 2·N·(weights)·(output positions) for each convolution and dense layer,
// the positions found by running the layers.
func TestBenchConvFLOPs(t *testing.T) {
	for _, n := range convBenchNets {
		model := n.build(rand.New(rand.NewPCG(1, 2)))
		seq, ok := model.(*nets.Sequential)
		if !ok { // LeNet: its layers by hand
			seq = nets.NewSequential(leNetLayers(model)...)
		}
		x := nets.New(n.input[:]...)
		var flops []float64
		for _, l := range seq.Layers {
			x = l.Forward(nil, x)
			switch l := l.(type) {
			case *nets.Conv:
				flops = append(flops, 2*float64(n.input[0]*l.W.Size()*x.Shape[2]*x.Shape[3]))
			case *nets.Linear:
				flops = append(flops, 2*float64(n.input[0]*l.W.Size()))
			}
		}
		require.Equal(t, flops, n.flops, n.name)
	}
}

// leNetLayers lays models.LeNet's layers out in order, for counting.
func leNetLayers(model nets.Layer) []nets.Layer {
	m := model.(*models.LeNet)
	return []nets.Layer{m.Conv1, nets.MaxPool{Size: 2}, m.Conv2, nets.MaxPool{Size: 2}, &nets.FlattenLayer{}, m.FC1, m.FC2, m.FC3}
}
