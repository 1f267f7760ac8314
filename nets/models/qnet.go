package models

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/arcadelab/arcade/nets"
)

// QNet is a DQN Q-network: a torso that turns an observation into
// features, then a head with one output per action. The head is a hidden
// dense layer with ReLU followed by the output layer; with Dueling it is
// two such streams (Wang et al. 2016), a state value V [N, 1] and
// advantages A [N, A], combined as Q = V + A - mean(A) (DuelingQ).
//
// The torsos: an MLP's hidden layers but the last (NewMLPQNet), the Nature
// conv net of Mnih et al. 2015 for 84x84 frame stacks, or MinAtar's small
// conv net (Young and Tian 2019). Parameter names: the torso's "conv1",
// "conv2", ..., "fc1", ...; the plain head's hidden layer takes the next
// "fcK" and its output "q"; the dueling head's layers are "value_fc",
// "value", "advantage_fc" and "advantage" (each ".weight" and ".bias").
//
// Shape: x [N, ...] (flattened for the dense layers) -> Q [N, Actions].
// Init: PyTorch's defaults (nn.Linear, nn.Conv2d).
type QNet struct {
	Arch    string // "mlp", "nature" or "minatar"
	Actions int
	Dueling bool

	inC int // a conv torso's input channels (1: [N, H, W] is read as [N, 1, H, W])

	torso []qLayer
	// plain head
	hidden, q *nets.Linear
	// dueling head
	valueFC, value, advFC, adv *nets.Linear
}

// qLayer is one layer of a torso with the name its parameters take.
type qLayer struct {
	name  string
	layer nets.Layer
}

// NewMLPQNet returns a Q-network of dense layers for observations of in
// values: hidden lists the hidden sizes (at least one), the last of which
// is the head's hidden layer (one per stream when dueling). CleanRL's
// CartPole network is NewMLPQNet(rng, 4, []int{120, 84}, 2, false).
func NewMLPQNet(rng *rand.Rand, in int, hidden []int, actions int, dueling bool) *QNet {
	if in < 1 || actions < 1 || len(hidden) == 0 {
		panic(fmt.Sprintf("models: MLP Q-network of %d inputs, hidden %v, %d actions: want positive sizes and one hidden layer at least", in, hidden, actions))
	}
	m := &QNet{Arch: "mlp", Actions: actions, Dueling: dueling}
	prev := in
	for i, h := range hidden[:len(hidden)-1] {
		m.torso = append(m.torso, qLayer{"fc" + strconv.Itoa(i+1), nets.NewLinear(rng, prev, h)})
		prev = h
	}
	m.newHead(rng, prev, hidden[len(hidden)-1])
	return m
}

// NewNatureQNet returns the network of Mnih et al. 2015 (Nature, Methods)
// for observations [C, H, W] (stacks of C frames of 84x84): conv 32 8x8
// stride 4, conv 64 4x4 stride 2, conv 64 3x3 stride 1, each with ReLU,
// then a hidden layer of 512 and one output per action (64*7*7 = 3136
// features at 84x84).
func NewNatureQNet(rng *rand.Rand, c, h, w, actions int, dueling bool) *QNet {
	return newConvQNet(rng, "nature", []int{c, h, w}, []convSpec{{32, 8, 4}, {64, 4, 2}, {64, 3, 1}}, 512, actions, dueling)
}

// NewMinAtarQNet returns the network of Young and Tian 2019 for MinAtar's
// grids [C, H, W] (10x10): conv 16 3x3 stride 1 with ReLU, then a hidden
// layer of 128 and one output per action (16*8*8 = 1024 features at
// 10x10). Observations [H, W] are taken as one channel.
func NewMinAtarQNet(rng *rand.Rand, c, h, w, actions int, dueling bool) *QNet {
	return newConvQNet(rng, "minatar", []int{c, h, w}, []convSpec{{16, 3, 1}}, 128, actions, dueling)
}

// convSpec is one conv layer of a torso: out channels, kernel, stride.
type convSpec struct{ out, k, stride int }

// ConvOutput returns the height or width after a valid convolution of
// kernel k and stride: (in - k)/stride + 1, or 0 when the kernel does not
// fit.
func ConvOutput(in, k, stride int) int {
	if in < k {
		return 0
	}
	return (in-k)/stride + 1
}

// newConvQNet makes a torso of valid convolutions and a head.
func newConvQNet(rng *rand.Rand, arch string, in []int, convs []convSpec, hidden, actions int, dueling bool) *QNet {
	c, h, w := in[0], in[1], in[2]
	if c < 1 || actions < 1 {
		panic(fmt.Sprintf("models: %s Q-network of input %v and %d actions", arch, in, actions))
	}
	m := &QNet{Arch: arch, Actions: actions, Dueling: dueling, inC: c}
	for i, s := range convs {
		h, w = ConvOutput(h, s.k, s.stride), ConvOutput(w, s.k, s.stride)
		if h < 1 || w < 1 {
			panic(fmt.Sprintf("models: %s Q-network: input %v is too small for its conv layer %d (%dx%d stride %d)", arch, in, i+1, s.k, s.k, s.stride))
		}
		m.torso = append(m.torso, qLayer{"conv" + strconv.Itoa(i+1), nets.NewConv(rng, c, s.out, s.k, nets.StridePad(s.stride, 0))})
		c = s.out
	}
	m.newHead(rng, c*h*w, hidden)
	return m
}

// newHead makes the head from features of size in, with hidden units.
func (m *QNet) newHead(rng *rand.Rand, in, hidden int) {
	if hidden < 1 {
		panic(fmt.Sprintf("models: Q-network head of %d hidden units", hidden))
	}
	if m.Dueling {
		m.valueFC, m.value = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, 1)
		m.advFC, m.adv = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, m.Actions)
		return
	}
	m.hidden, m.q = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, m.Actions)
}

// Forward returns the Q-values [N, Actions] of x [N, ...].
func (m *QNet) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	if m.inC == 1 && x.Rank() == 3 {
		x = nets.Reshape(tp, x, x.Dim(0), 1, x.Dim(1), x.Dim(2))
	}
	for _, l := range m.torso {
		if _, dense := l.layer.(*nets.Linear); dense && x.Rank() > 2 {
			x = nets.Flatten(tp, x)
		}
		x = nets.ReLU(tp, l.layer.Forward(tp, x))
	}
	if x.Rank() > 2 {
		x = nets.Flatten(tp, x)
	}
	if !m.Dueling {
		return m.q.Forward(tp, nets.ReLU(tp, m.hidden.Forward(tp, x)))
	}
	v := m.value.Forward(tp, nets.ReLU(tp, m.valueFC.Forward(tp, x)))
	a := m.adv.Forward(tp, nets.ReLU(tp, m.advFC.Forward(tp, x)))
	return DuelingQ(tp, v, a)
}

// DuelingQ combines a state value v [N, 1] and advantages a [N, A] into
// Q-values [N, A]: Q = V + A - mean over actions of A, the identifiable
// aggregation of Wang et al. 2016 (eq. 9).
func DuelingQ(tp *nets.Tape, v, a *nets.Tensor) *nets.Tensor {
	if a.Rank() != 2 || v.Rank() != 2 || v.Dim(0) != a.Dim(0) || v.Dim(1) != 1 {
		panic(fmt.Sprintf("models: DuelingQ of V %v and A %v, want [N, 1] and [N, A]", v.Shape, a.Shape))
	}
	mean := nets.Reshape(tp, nets.Mean(tp, a, 1), a.Dim(0), 1)
	return nets.Add(tp, v, nets.Sub(tp, a, mean))
}

// Params returns the torso's parameters, then the head's.
func (m *QNet) Params() []nets.Param {
	var ps []nets.Param
	for _, l := range m.torso {
		ps = append(ps, nets.Prefix(l.name+".", l.layer.Params())...)
	}
	if m.Dueling {
		ps = append(ps, nets.Prefix("value_fc.", m.valueFC.Params())...)
		ps = append(ps, nets.Prefix("value.", m.value.Params())...)
		ps = append(ps, nets.Prefix("advantage_fc.", m.advFC.Params())...)
		return append(ps, nets.Prefix("advantage.", m.adv.Params())...)
	}
	ps = append(ps, nets.Prefix("fc"+strconv.Itoa(m.denseLayers()+1)+".", m.hidden.Params())...)
	return append(ps, nets.Prefix("q.", m.q.Params())...)
}

// denseLayers counts the torso's dense layers.
func (m *QNet) denseLayers() int {
	n := 0
	for _, l := range m.torso {
		if _, ok := l.layer.(*nets.Linear); ok {
			n++
		}
	}
	return n
}

var _ nets.Layer = (*QNet)(nil)
