package models

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// digits returns n random 28x28 "images" [n, 784] and labels.
func digits(n int) (*nets.Tensor, []int) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := nets.New(n, 784)
	nets.Uniform(rng, x, 0, 1)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	return x, labels
}

// checkClassifier checks an MNIST network: its logits' shape for flat and
// image inputs, that evaluation is deterministic, that its parameters are
// uniquely named, and that a few Adam steps on a small batch lower the
// training loss.
func checkClassifier(t *testing.T, m nets.Layer, wantParams int) {
	t.Helper()
	require.Equal(t, wantParams, nets.Count(m.Params()))
	x, labels := digits(8)
	y := m.Forward(nil, x)
	require.Equal(t, []int{8, 10}, y.Shape)
	require.Equal(t, y.Data, m.Forward(nil, nets.Reshape(nil, x, 8, 1, 28, 28)).Data, "flat and image inputs agree")
	names := map[string]bool{}
	for _, p := range nets.State(m) {
		require.False(t, names[p.Name], "two parameters named %s", p.Name)
		names[p.Name] = true
	}
	opt := nets.NewAdam(m.Params(), nets.DefaultAdamConfig())
	tp := nets.NewTape()
	loss := func() float32 {
		tp.Reset()
		opt.ZeroGrad()
		l := nets.CrossEntropy(tp, m.Forward(tp, x), labels, nets.ReduceMean)
		l.Backward()
		opt.Step()
		return l.Item()
	}
	first := loss()
	for range 7 {
		loss()
	}
	require.Less(t, nets.CrossEntropy(nil, m.Forward(nil, x), labels, nets.ReduceMean).Item(), first)
}

func TestLeNet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewLeNet(rng, 0.2, rand.New(rand.NewPCG(3, 4)))
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	require.Equal(t, []string{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
		"fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"}, names)
	// 6·25+6 + 16·6·25+16 + 400·120+120 + 120·84+84 + 84·10+10, LeNet-5's 61,706
	checkClassifier(t, m, 61706)
	x, _ := digits(3)
	f := m.Features(nil, x)
	require.Equal(t, []int{3, LeNetFeatures}, f.Shape)
	for _, v := range f.Data {
		require.GreaterOrEqual(t, v, float32(0), "features are ReLU outputs")
	}
}

func TestLoadLeNet(t *testing.T) {
	m := NewLeNet(rand.New(rand.NewPCG(7, 8)), 0, nil)
	dir := t.TempDir()
	require.NoError(t, nets.SaveTensors(filepath.Join(dir, "model.safetensors"), m.Params(), map[string]string{"arcade.model": "lenet"}))
	loaded, err := LoadLeNet(dir)
	require.NoError(t, err)
	x, _ := digits(4)
	require.Equal(t, m.Features(nil, x).Data, loaded.Features(nil, x).Data)
	loaded, err = LoadLeNet(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, m.Forward(nil, x).Data, loaded.Forward(nil, x).Data)

	other := filepath.Join(dir, "mlp.safetensors")
	require.NoError(t, nets.SaveTensors(other, m.Params(), map[string]string{"arcade.model": "mlp"}))
	_, err = LoadLeNet(other)
	require.ErrorContains(t, err, `a model "mlp", not a LeNet`)
	_, err = LoadLeNet(filepath.Join(dir, "missing"))
	require.Error(t, err)
}
