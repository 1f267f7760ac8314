package dqn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/replay"
	"github.com/stretchr/testify/require"
)

// Two transitions, three actions. Q' rows [1 2 3] and [4 0 1]; the online
// net's rows [0 5 1] and [0 0 9].
//
//	DQN:        y0 = 1 + 0.9*max(1,2,3) = 3.7     y1 = 0.5 + 0.81*max(4,0,1) = 3.74
//	Double DQN: y0 = 1 + 0.9*Q'(s',argmax(0,5,1)=1) = 1 + 0.9*2 = 2.8
//	            y1 = 0.5 + 0.81*Q'(s',argmax(0,0,9)=2) = 0.5 + 0.81*1 = 1.31
//	terminal s'1: y1 = 0.5 whatever the networks say.
//
// Expected SARSA at eps 0.3 values s' at 0.7 Q'(s',a*) + 0.3 mean Q'(s'),
// the means being 2 and 5/3:
//
//	DQN:        y0 = 1 + 0.9*(0.7*3 + 0.3*2) = 3.43   y1 = 0.5 + 0.81*(0.7*4 + 0.3*5/3) = 3.173
//	Double DQN: y0 = 1 + 0.9*(0.7*2 + 0.3*2) = 2.8    y1 = 0.5 + 0.81*(0.7*1 + 0.3*5/3) = 1.472
//
// and at eps 1 at the mean alone, whoever picks: y0 = 2.8, y1 = 1.85.
func TestTargetsByHand(t *testing.T) {
	returns, discounts := []float32{1, 0.5}, []float32{0.9, 0.81}
	qTarget, qOnline := []float32{1, 2, 3, 4, 0, 1}, []float32{0, 5, 1, 0, 0, 9}
	y := make([]float32, 2)
	for _, tc := range []struct {
		name     string
		online   []float32
		terminal []bool
		eps      float32
		want     []float32
	}{
		{"dqn", nil, []bool{false, false}, 0, []float32{3.7, 3.74}},
		{"double", qOnline, []bool{false, false}, 0, []float32{2.8, 1.31}},
		{"dqn terminal", nil, []bool{false, true}, 0, []float32{3.7, 0.5}},
		{"double terminal", qOnline, []bool{false, true}, 0, []float32{2.8, 0.5}},
		{"expected sarsa", nil, []bool{false, false}, 0.3, []float32{3.43, 3.173}},
		{"double expected sarsa", qOnline, []bool{false, false}, 0.3, []float32{2.8, 1.472}},
		{"expected sarsa terminal", nil, []bool{false, true}, 0.3, []float32{3.43, 0.5}},
		{"uniform policy", nil, []bool{false, false}, 1, []float32{2.8, 1.85}},
		{"double uniform policy", qOnline, []bool{false, false}, 1, []float32{2.8, 1.85}},
	} {
		Targets(y, returns, discounts, tc.terminal, qTarget, tc.online, 3, tc.eps)
		require.InDeltaSlice(t, tc.want, y, 1e-5, tc.name)
	}
}

// C51's projection on the support [-1 0 1], two transitions, two actions.
// Transition 0: R 0.5, discount 0.5; the target net's distributions
// [.2 .3 .5] (mean 0.3) and [.6 .4 0] (mean -0.6). Transition 1: R 1.5,
// discount 0.9; [.5 .5 0] (mean -0.5) and [0 0 1] (mean 1).
//
//	DQN picks action 0 for s'0: -1, 0, 1 move to 0, 0.5, 1, so
//	  m0 = [0, .2 + .3/2, .3/2 + .5] = [0 .35 .65] (mean 0.65 = 0.5 + 0.5*0.3);
//	  and action 1 for s'1: 1 moves to 2.4, clipped to 1: m1 = [0 0 1].
//	Double, the online net's rows [0 1] and [1 0], picks 1 then 0:
//	  m0 = [0, .6 + .4/2, .4/2] = [0 .8 .2];
//	  for s'1 -1 moves to 0.6 (of its .5, .4 goes to the value 0 and .6
//	  to the value 1) and 0 to 1.5, clipped: m1 = [0, .2, .3 + .5] = [0 .2 .8].
//	Terminal s'0: all the mass at R = 0.5, half way: m0 = [0 .5 .5]; at
//	  R = -3, clipped to -1: m0 = [1 0 0].
//	Epsilon-greedy at 0.5 (DQN's picks) mixes half the greedy distribution
//	  with half the actions' mean: s'0's [.3 .325 .375] gives
//	  m0 = [0, .3 + .1625, .1625 + .375] = [0 .4625 .5375]; s'1's
//	  [.125 .125 .75] gives m1 = [0, .05, .075 + .125 + .75] = [0 .05 .95].
func TestProjectTargetsByHand(t *testing.T) {
	support := []float32{-1, 0, 1}
	discounts := []float32{0.5, 0.9}
	pTarget := []float32{.2, .3, .5, .6, .4, 0, .5, .5, 0, 0, 0, 1}
	qOnline := []float32{0, 1, 1, 0}
	m := make([]float32, 6)
	for _, tc := range []struct {
		name     string
		returns  []float32
		online   []float32
		terminal []bool
		eps      float32
		want     []float32
	}{
		{"dqn", []float32{0.5, 1.5}, nil, []bool{false, false}, 0, []float32{0, .35, .65, 0, 0, 1}},
		{"double", []float32{0.5, 1.5}, qOnline, []bool{false, false}, 0, []float32{0, .8, .2, 0, .2, .8}},
		{"terminal", []float32{0.5, 1.5}, nil, []bool{true, false}, 0, []float32{0, .5, .5, 0, 0, 1}},
		{"terminal clipped", []float32{-3, 1.5}, qOnline, []bool{true, false}, 0, []float32{1, 0, 0, 0, .2, .8}},
		{"epsilon-greedy", []float32{0.5, 1.5}, nil, []bool{false, false}, 0.5, []float32{0, .4625, .5375, 0, .05, .95}},
	} {
		ProjectTargets(m, tc.returns, discounts, tc.terminal, pTarget, tc.online, support, 2, tc.eps)
		require.InDeltaSlice(t, tc.want, m, 1e-6, tc.name)
	}
	require.Panics(t, func() {
		ProjectTargets(m[:5], []float32{0.5, 1.5}, discounts, []bool{false, false}, pTarget, nil, support, 2, 0)
	})
}

// Three-step returns with gamma 0.5 across episode ends, one action, and a
// made-up target network Q'(s) = s/10. Episode 1: 10 -(r 1)-> 11 -(r 2)->
// 12, terminated: from 10, R = 1 + 0.5*2 = 2 and from 11, R = 2, neither
// bootstraps. Episode 2: 20 -(r 4)-> 21 -(r 8)-> 22, truncated by a time
// limit: from 20, R = 4 + 0.5*8 = 8 plus 0.5^2 Q'(22) = 8 + 0.25*2.2 =
// 8.55; from 21, R = 8 plus 0.5 Q'(22) = 9.1.
func TestNStepTargetsAcrossEpisodeEnds(t *testing.T) {
	rc := replay.DefaultConfig()
	rc.Capacity, rc.ObsShape, rc.DType, rc.NStep, rc.Gamma = 50, []int{1}, replay.F32, 3, 0.5
	buf, err := replay.New(rc)
	require.NoError(t, err)
	o := func(v float32) []float32 { return []float32{v} }
	buf.AddF32(o(10), 0, 1, o(11), false, false)
	buf.AddF32(o(11), 0, 2, o(12), true, false)
	buf.AddF32(o(20), 0, 4, o(21), false, false)
	buf.AddF32(o(21), 0, 8, o(22), false, true)
	require.Equal(t, 4, buf.Len())
	batch := buf.NewBatch(64)
	buf.Sample(batch, rand.New(rand.NewPCG(1, 2)), 1)
	qTarget := make([]float32, 64)
	for i, s := range batch.NextObs {
		qTarget[i] = s / 10
	}
	y := make([]float32, 64)
	Targets(y, batch.Returns, batch.Discounts, batch.Terminal, qTarget, nil, 1, 0)
	want := map[float32]float32{10: 2, 11: 2, 20: 8.55, 21: 9.1}
	seen := map[float32]bool{}
	for i, s := range batch.Obs {
		require.InDelta(t, want[s], y[i], 1e-6, "from s = %v", s)
		seen[s] = true
	}
	require.Len(t, seen, 4, "64 draws reach all four transitions")
}

// Polyak averaging by hand: tau 0.1 moves [1 2] towards [11 22] to
// [1 + 0.1*10, 2 + 0.1*20] = [2 4]; tau 1 copies.
func TestPolyakTargetUpdateByHand(t *testing.T) {
	dst := []nets.Param{{Name: "w", Tensor: nets.FromData([]float32{1, 2}, 2)}}
	src := []nets.Param{{Name: "w", Tensor: nets.FromData([]float32{11, 22}, 2)}}
	nets.Polyak(dst, src, 0.1)
	require.InDeltaSlice(t, []float32{2, 4}, dst[0].Data, 1e-6)
	nets.Polyak(dst, src, 1)
	require.Equal(t, []float32{11, 22}, dst[0].Data)
}

// Epsilon from 1 to 0.1 over 100 steps: 0.55 half way, 0.1 from step 100
// on; a zero duration is the end value at once.
func TestEpsilonScheduleByHand(t *testing.T) {
	for _, tc := range []struct {
		t    int
		want float64
	}{{0, 1}, {10, 0.91}, {50, 0.55}, {99, 0.109}, {100, 0.1}, {5000, 0.1}} {
		require.InDelta(t, tc.want, rollout.Linear(1, 0.1, 100, tc.t), 1e-12, "t = %d", tc.t)
	}
	require.Equal(t, 0.1, rollout.Linear(1, 0.1, 0, 0))
}

// The presets' RMSProps, first step on a weight of 0 with gradient 0.01 at
// lr 2.5e-4 and decay 0.95: v = 0.05 g², ḡ = 0.05 g, so v - ḡ² = 0.0475 g².
//
//	rmsprop (the DQN paper's, eps inside the root):
//	  Δ = 2.5e-4 · 0.01 / sqrt(0.0475e-4 + 0.01) = 2.49941e-5
//	torch-rmsprop (PyTorch's centered RMSprop, MinAtar's, eps outside):
//	  Δ = 2.5e-4 · 0.01 / (sqrt(0.0475e-4) + 0.01) = 2.05265e-4
func TestPresetRMSPropsByHand(t *testing.T) {
	for _, c := range []struct {
		preset string
		step   float64
	}{{"nature", 2.49941e-5}, {"minatar", 2.05265e-4}} {
		cfg, ok := Preset(c.preset, "min-breakout")
		require.True(t, ok)
		w := nets.Param{Name: "w", Tensor: nets.FromData([]float32{0}, 1)}
		w.Grad = []float32{0.01}
		newOptimizer(cfg, []nets.Param{w}).Step()
		require.InEpsilon(t, c.step, -float64(w.Data[0]), 1e-5, "preset %s (%s)", c.preset, cfg.Optimizer)
	}
}

// Adam's first step is lr g / (|g| + eps): with g = 1e-4 and lr 1e-3, the
// default eps 1e-8 steps 1e-3 · 1e-4/(1e-4 + 1e-8) = 9.999e-4, and
// --adam-eps 1e-4 half of lr, 5e-4.
func TestAdamEpsByHand(t *testing.T) {
	for _, c := range []struct {
		eps, step float64
	}{{0, 9.999e-4}, {1e-4, 5e-4}} {
		cfg, ok := Preset("rainbow-lite", "min-breakout")
		require.True(t, ok)
		cfg.LR, cfg.AdamEps = 1e-3, c.eps
		w := nets.Param{Name: "w", Tensor: nets.FromData([]float32{0}, 1)}
		w.Grad = []float32{1e-4}
		newOptimizer(cfg, []nets.Param{w}).Step()
		require.InEpsilon(t, c.step, -float64(w.Data[0]), 1e-4, "adam-eps %v", c.eps)
	}
}

// One transition, two actions, tau 1. Q'(s) = [0, ln 3]: pi(.|s) = [1/4,
// 3/4]. Q'(s') = [1, 1]: pi(.|s') uniform, and its soft value is 1 + ln 2.
// With R 1, discount 0.9, alpha 0.9:
//
//	a = 0: ln(1/4) = -1.386 clips to -1, y = 1 - 0.9 + 0.9(1 + ln 2) = 1.6238325
//	a = 1: y = 1 + 0.9 ln(3/4) + 0.9(1 + ln 2) = 2.2649186
//	a = 1, s' terminal: y = 1 + 0.9 ln(3/4) = 0.7410861
func TestMunchausenTargetsByHand(t *testing.T) {
	qS, qNext := []float32{0, float32(math.Log(3))}, []float32{1, 1}
	y := make([]float32, 1)
	for _, tc := range []struct {
		action   int
		terminal bool
		want     float32
	}{{0, false, 1.6238325}, {1, false, 2.2649186}, {1, true, 0.7410861}} {
		MunchausenTargets(y, []float32{1}, []float32{0.9}, []bool{tc.terminal}, []int{tc.action}, qS, qNext, 2, 0.9, 1)
		require.InDelta(t, tc.want, y[0], 1e-6, "action %d, terminal %v", tc.action, tc.terminal)
	}
}

// At a small temperature the soft value is the max and the bonus alpha
// times the action's advantage under Q', clipped to [-1, 0]: advantage
// learning. Large values do not overflow the softmax.
func TestMunchausenTargetsAtSmallTemperature(t *testing.T) {
	qS := []float32{500, 499.7, 498, 2, 1, 3}
	qNext := []float32{900, 899.5, 0, -2, -1, -3}
	y := make([]float32, 2)
	MunchausenTargets(y, []float32{1, -1}, []float32{0.5, 0.25}, []bool{false, false}, []int{1, 0}, qS, qNext, 3, 0.9, 1e-3)
	require.InDeltaSlice(t, []float32{1 + 0.9*-0.3 + 0.5*900, -1 + 0.9*-1 + 0.25*-1}, y, 1e-3)
}
