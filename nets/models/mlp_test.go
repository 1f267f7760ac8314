package models

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func TestMLPShapesAndNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewMLP(rng, []int{784, 512, 256, 10}, 0.2, rand.New(rand.NewPCG(3, 4)))
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"}, names)
	require.Equal(t, 784*512+512+512*256+256+256*10+10, nets.Count(m.Params()))
	x := nets.New(3, 28, 28)
	nets.Uniform(rng, x, 0, 1)
	y := m.Forward(nil, x)
	require.Equal(t, []int{3, 10}, y.Shape)
	require.Equal(t, y.Data, m.Forward(nil, x).Data, "evaluation is deterministic (no dropout)")
}

func TestMLPGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 6)) // a seed whose pre-activations stay away from ReLU's kink
	pcg := rand.NewPCG(7, 8)
	m := NewMLP(rng, []int{6, 5, 4, 3}, 0.25, rand.New(pcg))
	x := nets.New(4, 6)
	nets.Uniform(rng, x, -1, 1)
	inputs := []*nets.Tensor{x}
	for _, p := range m.Params() {
		inputs = append(inputs, p.Tensor)
	}
	require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
		pcg.Seed(9, 9) // the same dropout masks at every evaluation
		return nets.CrossEntropy(tp, m.Forward(tp, x), []int{0, 2, 1, 1}, nets.ReduceMean)
	}, inputs, gradcheck.Options{}))
}
