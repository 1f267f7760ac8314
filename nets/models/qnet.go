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
// advantages A [N, A], combined as Q = V + A - mean(A) (DuelingQ). With
// Atoms the head is distributional (Head).
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
	Head

	inC int // a conv torso's input channels (1: [N, H, W] is read as [N, 1, H, W])

	torso []qLayer
	// plain head
	hidden, q *nets.Linear
	// dueling head
	valueFC, value, advFC, adv *nets.Linear
	support                    *nets.Tensor // [Atoms]: Support(), when distributional
}

// Head is the kind of a Q-network's head.
//
// With Atoms > 0 it is distributional (C51, Bellemare et al. 2017): for
// each action, a softmax over Atoms logits gives the probabilities of the
// returns z_j of Support, Atoms values spaced evenly from VMin to VMax,
// and Q is their mean, Σ_j p_j z_j. The output layers then have Atoms
// outputs per action (the dueling value stream Atoms), and the dueling
// streams combine logit by logit, as in Rainbow (Hessel et al. 2018).
type Head struct {
	Dueling    bool
	Atoms      int     // 0: one value per action; 2 or more: C51's distribution
	VMin, VMax float64 // the support's ends when Atoms > 0
}

// Support returns the Atoms returns z_j = VMin + j (VMax-VMin)/(Atoms-1)
// of a distributional head, or nil.
func (h Head) Support() []float32 {
	if h.Atoms == 0 {
		return nil
	}
	z := make([]float32, h.Atoms)
	for j := range z {
		z[j] = float32(h.VMin + float64(j)*(h.VMax-h.VMin)/float64(h.Atoms-1))
	}
	return z
}

// outputs is the number of values the head computes per action.
func (h Head) outputs() int { return max(h.Atoms, 1) }

// qLayer is one layer of a torso with the name its parameters take.
type qLayer struct {
	name  string
	layer nets.Layer
}

// NewMLPQNet returns a Q-network of dense layers for observations of in
// values: hidden lists the hidden sizes (at least one), the last of which
// is the head's hidden layer (one per stream when dueling). CleanRL's
// CartPole network is NewMLPQNet(rng, 4, []int{120, 84}, 2, Head{}).
func NewMLPQNet(rng *rand.Rand, in int, hidden []int, actions int, head Head) *QNet {
	if in < 1 || actions < 1 || len(hidden) == 0 {
		panic(fmt.Sprintf("models: MLP Q-network of %d inputs, hidden %v, %d actions: want positive sizes and one hidden layer at least", in, hidden, actions))
	}
	m := &QNet{Arch: "mlp", Actions: actions, Head: head}
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
func NewNatureQNet(rng *rand.Rand, c, h, w, actions int, head Head) *QNet {
	return newConvQNet(rng, "nature", []int{c, h, w}, []convSpec{{32, 8, 4}, {64, 4, 2}, {64, 3, 1}}, 512, actions, head)
}

// NewMinAtarQNet returns the network of Young and Tian 2019 for MinAtar's
// grids [C, H, W] (10x10): conv 16 3x3 stride 1 with ReLU, then a hidden
// layer of 128 and one output per action (16*8*8 = 1024 features at
// 10x10). Observations [H, W] are taken as one channel.
func NewMinAtarQNet(rng *rand.Rand, c, h, w, actions int, head Head) *QNet {
	return newConvQNet(rng, "minatar", []int{c, h, w}, []convSpec{{16, 3, 1}}, 128, actions, head)
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
func newConvQNet(rng *rand.Rand, arch string, in []int, convs []convSpec, hidden, actions int, head Head) *QNet {
	c, h, w := in[0], in[1], in[2]
	if c < 1 || actions < 1 {
		panic(fmt.Sprintf("models: %s Q-network of input %v and %d actions", arch, in, actions))
	}
	m := &QNet{Arch: arch, Actions: actions, Head: head, inC: c}
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
	if m.Atoms == 1 || m.Atoms < 0 || (m.Atoms > 0 && !(m.VMin < m.VMax)) {
		panic(fmt.Sprintf("models: distributional head of %d atoms on [%v, %v]: want 2 or more atoms on a non-empty range", m.Atoms, m.VMin, m.VMax))
	}
	k := m.outputs()
	if m.Atoms > 0 {
		m.support = nets.FromData(m.Support(), m.Atoms)
	}
	if m.Dueling {
		m.valueFC, m.value = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, k)
		m.advFC, m.adv = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, m.Actions*k)
		return
	}
	m.hidden, m.q = nets.NewLinear(rng, in, hidden), nets.NewLinear(rng, hidden, m.Actions*k)
}

// Forward returns the Q-values [N, Actions] of x [N, ...]: a
// distributional head's means Σ_j p_j z_j.
func (m *QNet) Forward(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	if m.Atoms == 0 {
		return m.head(tp, m.features(tp, x))
	}
	p := nets.Softmax(tp, m.Logits(tp, x))
	return nets.Sum(tp, nets.Mul(tp, p, m.support), 2)
}

// Logits returns a distributional head's logits [N, Actions, Atoms] of x
// [N, ...]: a softmax over the last axis gives each action's distribution
// of returns over Support.
func (m *QNet) Logits(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	if m.Atoms == 0 {
		panic("models: Logits of a Q-network without a distributional head")
	}
	return m.head(tp, m.features(tp, x))
}

// features runs the torso: x [N, ...] -> [N, F].
func (m *QNet) features(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
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
	return x
}

// head runs the head on features [N, F]: Q-values [N, Actions], or logits
// [N, Actions, Atoms] when distributional.
func (m *QNet) head(tp *nets.Tape, x *nets.Tensor) *nets.Tensor {
	n := x.Dim(0)
	if !m.Dueling {
		out := m.q.Forward(tp, nets.ReLU(tp, m.hidden.Forward(tp, x)))
		if m.Atoms > 0 {
			out = nets.Reshape(tp, out, n, m.Actions, m.Atoms)
		}
		return out
	}
	v := m.value.Forward(tp, nets.ReLU(tp, m.valueFC.Forward(tp, x)))
	a := m.adv.Forward(tp, nets.ReLU(tp, m.advFC.Forward(tp, x)))
	if m.Atoms > 0 {
		v, a = nets.Reshape(tp, v, n, 1, m.Atoms), nets.Reshape(tp, a, n, m.Actions, m.Atoms)
	}
	return DuelingQ(tp, v, a)
}

// DuelingQ combines a state value v [N, 1] and advantages a [N, A] into
// Q-values [N, A]: Q = V + A - mean over actions of A, the identifiable
// aggregation of Wang et al. 2016 (eq. 9). A distributional head's logits
// combine the same way atom by atom: v [N, 1, K] and a [N, A, K].
func DuelingQ(tp *nets.Tape, v, a *nets.Tensor) *nets.Tensor {
	if (a.Rank() != 2 && a.Rank() != 3) || v.Rank() != a.Rank() || v.Dim(0) != a.Dim(0) || v.Dim(1) != 1 ||
		(a.Rank() == 3 && v.Dim(2) != a.Dim(2)) {
		panic(fmt.Sprintf("models: DuelingQ of V %v and A %v, want [N, 1] and [N, A], or [N, 1, K] and [N, A, K]", v.Shape, a.Shape))
	}
	mean := nets.Reshape(tp, nets.Mean(tp, a, 1), v.Shape...)
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
