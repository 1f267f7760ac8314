package models

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func TestResNet(t *testing.T) {
	m := NewResNet(rand.New(rand.NewPCG(1, 2)))
	require.Len(t, m.Buffers(), 2*(1+2+3+3)) // stem, block1 (two), block2 and block3 (three each: a projection)
	require.Equal(t, "block2.downsample.1.running_var", m.Buffers()[11].Name)
	checkClassifier(t, m, 77754)
}

func TestAlexNet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewAlexNet(rng, 0.5, rand.New(rand.NewPCG(3, 4)))
	// Most parameters are in the dense layers, as in AlexNet.
	dense := nets.Count(append(append(m.FC6.Params(), m.FC7.Params()...), m.FC8.Params()...))
	require.Greater(t, dense, nets.Count(m.Params())/2)
	checkClassifier(t, m, 488986)
}

func TestVGG(t *testing.T) {
	m := NewVGG(rand.New(rand.NewPCG(1, 2)), 0.5, rand.New(rand.NewPCG(3, 4)))
	convs := 0
	for _, b := range m.Convs {
		for _, c := range b {
			require.Equal(t, []int{3, 3}, c.W.Shape[2:], "only 3x3 kernels")
			convs++
		}
	}
	require.Equal(t, 13, convs, "VGG16: 13 convolutions and 3 dense layers")
	require.Len(t, m.Buffers(), 2*13)
	checkClassifier(t, m, 416634)
}

func TestInception(t *testing.T) {
	m := NewInception(rand.New(rand.NewPCG(1, 2)), 0.4, rand.New(rand.NewPCG(3, 4)))
	x, _ := digits(2)
	require.Equal(t, []int{2, 64, 14, 14}, m.I3a.Forward(nil, nets.New(2, 32, 14, 14)).Shape)
	require.Equal(t, []int{2, 10}, m.Forward(nil, x).Shape)
	require.Len(t, m.Buffers(), 2*(1+3*6)) // the stem's and each module's six convolutions' batch norms
	require.Equal(t, "inception3a.branch1_bn.running_mean", m.Buffers()[2].Name)
	checkClassifier(t, m, 54634)
}
