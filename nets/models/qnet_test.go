package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/gradcheck"
	"github.com/stretchr/testify/require"
)

func paramNames(ps []nets.Param) []string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return names
}

func TestMLPQNetShapesAndNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	plain := NewMLPQNet(rng, 4, []int{120, 84}, 2, Head{})
	require.Equal(t, []string{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "q.weight", "q.bias"}, paramNames(plain.Params()))
	require.Equal(t, 4*120+120+120*84+84+84*2+2, nets.Count(plain.Params()))
	duel := NewMLPQNet(rng, 4, []int{120, 84}, 2, Head{Dueling: true})
	require.Equal(t, []string{"fc1.weight", "fc1.bias", "value_fc.weight", "value_fc.bias", "value.weight", "value.bias",
		"advantage_fc.weight", "advantage_fc.bias", "advantage.weight", "advantage.bias"}, paramNames(duel.Params()))
	x := nets.New(3, 2, 2) // flattened to [3, 4]
	nets.Uniform(rng, x, -1, 1)
	for _, m := range []*QNet{plain, duel} {
		q := m.Forward(nil, x)
		require.Equal(t, []int{3, 2}, q.Shape)
	}
}

// The aggregation by hand: V = [1; 2], A = [1 2 3; 0 0 6], mean(A) = [2; 2],
// so Q = V + A - mean(A) = [0 1 2; 0 0 6].
func TestDuelingQByHand(t *testing.T) {
	v := nets.FromData([]float32{1, 2}, 2, 1)
	a := nets.FromData([]float32{1, 2, 3, 0, 0, 6}, 2, 3)
	require.Equal(t, []float32{0, 1, 2, 0, 0, 6}, DuelingQ(nil, v, a).Data)
}

func TestQNetGradients(t *testing.T) {
	for _, dueling := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(2, 4)) // a seed whose pre-activations stay away from ReLU's kink
		m := NewMLPQNet(rng, 5, []int{6, 4}, 3, Head{Dueling: dueling})
		x := nets.New(4, 5)
		nets.Uniform(rng, x, -1, 1)
		inputs := []*nets.Tensor{x}
		for _, p := range m.Params() {
			inputs = append(inputs, p.Tensor)
		}
		require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
			return nets.Huber(tp, nets.Gather(tp, m.Forward(tp, x), 1, []int{0, 2, 1, 1}),
				nets.FromData([]float32{0.5, -0.5, 1, 0}, 4), 1, nets.ReduceMean)
		}, inputs, gradcheck.Options{}), "dueling %v", dueling)
	}
}

// The Nature network has 1,687,206 parameters for 6 actions (conv1 8,224,
// conv2 32,832, conv3 36,928, fc1 3136*512+512 = 1,606,144, q 3,078), and
// MinAtar's 16*C*9+16 + 1024*128+128 + 129*A.
func TestConvQNetShapesAndNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	nature := NewNatureQNet(rng, 4, 84, 84, 6, Head{})
	require.Equal(t, []string{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
		"fc1.weight", "fc1.bias", "q.weight", "q.bias"}, paramNames(nature.Params()))
	require.Equal(t, 1_687_206, nets.Count(nature.Params()))
	x := nets.New(2, 4, 84, 84)
	nets.Uniform(rng, x, 0, 1)
	require.Equal(t, []int{2, 6}, nature.Forward(nil, x).Shape)

	minatar := NewMinAtarQNet(rng, 7, 10, 10, 6, Head{Dueling: true})
	require.Equal(t, 16*7*9+16+2*(1024*128+128)+129+128*6+6, nets.Count(minatar.Params()))
	require.Equal(t, "value_fc.weight", minatar.Params()[2].Name)
	g := nets.New(3, 7, 10, 10)
	nets.Uniform(rng, g, 0, 1)
	require.Equal(t, []int{3, 6}, minatar.Forward(nil, g).Shape)

	oneChannel := NewMinAtarQNet(rng, 1, 10, 5, 3, Head{}) // Catch's [10, 5] boards
	require.Equal(t, []int{2, 3}, oneChannel.Forward(nil, nets.New(2, 10, 5)).Shape)
	require.Panics(t, func() { NewNatureQNet(rng, 4, 20, 20, 6, Head{}) }, "too small for conv1")
}

func TestConvQNetGradients(t *testing.T) {
	for _, dueling := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(2, 4))
		m := newConvQNet(rng, "small", []int{2, 5, 5}, []convSpec{{3, 3, 1}, {2, 2, 2}}, 4, 3, Head{Dueling: dueling})
		x := nets.New(2, 2, 5, 5)
		nets.Uniform(rng, x, -1, 1)
		inputs := []*nets.Tensor{x}
		for _, p := range m.Params() {
			inputs = append(inputs, p.Tensor)
		}
		require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
			return nets.Huber(tp, nets.Gather(tp, m.Forward(tp, x), 1, []int{0, 2}),
				nets.FromData([]float32{0.5, -0.5}, 2), 1, nets.ReduceMean)
		}, inputs, gradcheck.Options{}), "dueling %v", dueling)
	}
}

func TestSupportByHand(t *testing.T) {
	require.Equal(t, []float32{-10, -5, 0, 5, 10}, Head{Atoms: 5, VMin: -10, VMax: 10}.Support())
	require.Equal(t, []float32{0, 0.5, 1}, Head{Atoms: 3, VMin: 0, VMax: 1}.Support())
	require.Nil(t, Head{Dueling: true}.Support())
}

// Atom by atom: V = [1 2], A = [[0 2] [2 0] [1 1]] (3 actions, 2 atoms),
// mean(A) = [1 1], so the logits are V + A - mean(A) = [[0 3] [2 1] [1 2]].
func TestDistributionalDuelingByHand(t *testing.T) {
	v := nets.FromData([]float32{1, 2}, 1, 1, 2)
	a := nets.FromData([]float32{0, 2, 2, 0, 1, 1}, 1, 3, 2)
	require.Equal(t, []float32{0, 3, 2, 1, 1, 2}, DuelingQ(nil, v, a).Data)
	require.Panics(t, func() { DuelingQ(nil, nets.New(1, 1, 3), a) }, "atoms differ")
	require.Panics(t, func() { DuelingQ(nil, nets.New(1, 2), a) }, "ranks differ")
}

// A distributional head's Q-values are the means of its distributions:
// Σ_j softmax(logits)_j z_j, checked against a softmax computed here.
func TestDistributionalQNetMeans(t *testing.T) {
	for _, dueling := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(3, 5))
		head := Head{Dueling: dueling, Atoms: 5, VMin: -2, VMax: 2}
		m := NewMLPQNet(rng, 4, []int{8}, 3, head)
		out := "q.weight"
		if dueling {
			out = "advantage.weight"
		}
		for _, p := range m.Params() {
			if p.Name == out {
				require.Equal(t, []int{3 * 5, 8}, p.Tensor.Shape)
			}
		}
		x := nets.New(2, 4)
		nets.Uniform(rng, x, -1, 1)
		logits := m.Logits(nil, x)
		require.Equal(t, []int{2, 3, 5}, logits.Shape)
		q := m.Forward(nil, x)
		require.Equal(t, []int{2, 3}, q.Shape)
		z := head.Support()
		for r := range 2 * 3 {
			row := logits.Data[r*5 : (r+1)*5]
			var sum, mean float64
			for _, l := range row {
				sum += math.Exp(float64(l))
			}
			for j, l := range row {
				mean += math.Exp(float64(l)) / sum * float64(z[j])
			}
			require.InDelta(t, mean, q.Data[r], 1e-6)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	require.Panics(t, func() { NewMLPQNet(rng, 4, []int{8}, 3, Head{Atoms: 1, VMin: -1, VMax: 1}) }, "one atom")
	require.Panics(t, func() { NewMLPQNet(rng, 4, []int{8}, 3, Head{Atoms: 51, VMin: 1, VMax: 1}) }, "empty support")
	require.Panics(t, func() { NewMLPQNet(rng, 4, []int{8}, 3, Head{}).Logits(nil, nets.New(1, 4)) }, "no distribution")
}

// The gradients of C51's loss, -Σ_j m_j log p_j(s, a) for target
// probabilities m, and of the Q-values, through the distributional head.
func TestDistributionalQNetGradients(t *testing.T) {
	for _, dueling := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(3, 7)) // a seed whose pre-activations stay away from ReLU's kink
		m := NewMLPQNet(rng, 5, []int{6, 4}, 3, Head{Dueling: dueling, Atoms: 4, VMin: -1, VMax: 1})
		x := nets.New(2, 5)
		nets.Uniform(rng, x, -1, 1)
		inputs := []*nets.Tensor{x}
		for _, p := range m.Params() {
			inputs = append(inputs, p.Tensor)
		}
		negTarget := nets.FromData([]float32{-0.1, -0.2, -0.3, -0.4, 0, -0.5, -0.5, 0}, 2, 4) // -m
		picks := []int{2, 2, 2, 2, 0, 0, 0, 0}                                                // action 2 for the first row's atoms, 0 for the second's
		require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
			logp := nets.Gather(tp, nets.LogSoftmax(tp, m.Logits(tp, x)), 1, picks)
			return nets.MeanAll(tp, nets.Sum(tp, nets.Mul(tp, logp, negTarget), 1))
		}, inputs, gradcheck.Options{}), "cross-entropy, dueling %v", dueling)
		require.NoError(t, gradcheck.Check(func(tp *nets.Tape) *nets.Tensor {
			return nets.Huber(tp, nets.Gather(tp, m.Forward(tp, x), 1, []int{1, 0}),
				nets.FromData([]float32{0.5, -0.5}, 2), 1, nets.ReduceMean)
		}, inputs, gradcheck.Options{}), "Q-values, dueling %v", dueling)
	}
}
