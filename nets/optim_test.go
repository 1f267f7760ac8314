package nets_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// optimRef is nets/testdata/optim.json, written by gen_optim.py with
// PyTorch 1.13: parameters, 10 steps of gradients, and for each optimizer
// configuration the parameters after every step.
type optimRef struct {
	Shapes  [][]int       `json:"shapes"`
	Params0 [][]float32   `json:"params0"`
	Grads   [][][]float32 `json:"grads"`
	Cases   []struct {
		Name      string         `json:"name"`
		Optimizer string         `json:"optimizer"`
		Config    map[string]any `json:"config"`
		Expected  [][][]float32  `json:"expected"`
	} `json:"cases"`
	Schedules map[string][]float64 `json:"schedules"`
}

func loadOptimRef(t *testing.T) optimRef {
	data, err := os.ReadFile("testdata/optim.json")
	require.NoError(t, err)
	var ref optimRef
	require.NoError(t, json.Unmarshal(data, &ref))
	return ref
}

// newOptimizer maps a PyTorch optimizer and its keyword arguments to ours.
func newOptimizer(t *testing.T, kind string, cfg map[string]any, ps []nets.Param) nets.Optimizer {
	f := func(key string, def float64) float64 {
		if v, ok := cfg[key]; ok {
			return v.(float64)
		}
		return def
	}
	b := func(key string) bool { v, _ := cfg[key].(bool); return v }
	switch kind {
	case "SGD":
		return nets.NewSGD(ps, nets.SGDConfig{LR: f("lr", 0), Momentum: f("momentum", 0), Dampening: f("dampening", 0),
			WeightDecay: f("weight_decay", 0), Nesterov: b("nesterov")})
	case "RMSprop":
		c := nets.DefaultRMSPropConfig()
		c.LR, c.Alpha, c.Eps = f("lr", c.LR), f("alpha", c.Alpha), f("eps", c.Eps)
		c.Momentum, c.WeightDecay, c.Centered = f("momentum", 0), f("weight_decay", 0), b("centered")
		return nets.NewRMSProp(ps, c)
	case "Adam", "AdamW":
		c := nets.DefaultAdamConfig()
		if kind == "AdamW" {
			c = nets.DefaultAdamWConfig()
		}
		c.LR, c.WeightDecay, c.AMSGrad = f("lr", c.LR), f("weight_decay", c.WeightDecay), b("amsgrad")
		if betas, ok := cfg["betas"].([]any); ok {
			c.Beta1, c.Beta2 = betas[0].(float64), betas[1].(float64)
		}
		return nets.NewAdam(ps, c)
	}
	t.Fatalf("unknown optimizer %s", kind)
	return nil
}

func TestOptimizersMatchPyTorch(t *testing.T) {
	ref := loadOptimRef(t)
	require.Len(t, ref.Cases, 14)
	for _, tc := range ref.Cases {
		var ps []nets.Param
		for i, s := range ref.Shapes {
			p := nets.NewParam(s...)
			copy(p.Data, ref.Params0[i])
			ps = append(ps, nets.Param{Name: string(rune('a' + i)), Tensor: p})
		}
		opt := newOptimizer(t, tc.Optimizer, tc.Config, ps)
		for step, want := range tc.Expected {
			for i, p := range ps {
				p.Grad = append(p.Grad[:0], ref.Grads[step][i]...)
			}
			opt.Step()
			for i, p := range ps {
				for j, w := range want[i] {
					got := p.Data[j]
					diff := math.Abs(float64(got - w))
					ok := diff <= 1e-7 || diff <= 1e-6*math.Abs(float64(w))
					require.True(t, ok, "%s step %d param %d[%d]: got %.9g, PyTorch %.9g", tc.Name, step+1, i, j, got, w)
				}
			}
		}
		require.Equal(t, int64(len(tc.Expected)), opt.Steps())
	}
}

// The DQN paper's RMSProp, worked out by hand for one parameter θ0 = 1
// with η 0.1, ρ 0.9, ε 0.01 and gradients 1 then 2:
//
//	step 1: n = 0.1·1² = 0.1, ḡ = 0.1·1 = 0.1, n - ḡ² + ε = 0.1,
//	        Δ = -0.1·1/√0.1 = -0.316227766, θ = 0.683772234
//	step 2: n = 0.9·0.1 + 0.1·2² = 0.49, ḡ = 0.9·0.1 + 0.1·2 = 0.29,
//	        n - ḡ² + ε = 0.4159, Δ = -0.2/√0.4159 = -0.310124113,
//	        θ = 0.373648121
//
// With momentum μ 0.5, step 2's Δ adds 0.5·(-0.316227766):
// Δ = -0.468237996, θ = 0.215534238.
func TestDQNRMSPropByHand(t *testing.T) {
	for _, tc := range []struct {
		momentum float64
		want     [2]float32
	}{{0, [2]float32{0.683772234, 0.373648121}}, {0.5, [2]float32{0.683772234, 0.215534238}}} {
		p := nets.NewParam(1)
		p.Data[0] = 1
		opt := nets.NewDQNRMSProp([]nets.Param{{Name: "w", Tensor: p}}, nets.DQNRMSPropConfig{LR: 0.1, Decay: 0.9, Eps: 0.01, Momentum: tc.momentum})
		for step, g := range []float32{1, 2} {
			p.Grad = []float32{g}
			opt.Step()
			require.InDelta(t, tc.want[step], p.Data[0], 1e-6, "momentum %v step %d", tc.momentum, step+1)
		}
	}
	c := nets.DefaultDQNRMSPropConfig()
	require.Equal(t, nets.DQNRMSPropConfig{LR: 0.00025, Decay: 0.95, Eps: 0.01}, c)
}

func TestOptimizerBasics(t *testing.T) {
	p := nets.NewParam(2)
	ps := []nets.Param{{Name: "w", Tensor: p}}
	opt := nets.NewAdam(ps, nets.DefaultAdamConfig())
	opt.Step() // no gradient yet: skipped, as PyTorch skips grad None
	require.Equal(t, []float32{0, 0}, p.Data)
	p.Grad = []float32{1, -1}
	opt.ZeroGrad()
	require.Equal(t, []float32{0, 0}, p.Grad)
	require.Len(t, opt.State(), 2)
	require.Equal(t, "exp_avg/w", opt.State()[0].Name)
	require.Panics(t, func() { nets.NewSGD(append(ps, ps[0]), nets.DefaultSGDConfig()) }, "a tensor listed twice")
	require.Panics(t, func() { nets.NewSGD(ps, nets.SGDConfig{LR: 0.1, Nesterov: true}) })
	require.Panics(t, func() { nets.NewAdam(ps, nets.AdamConfig{LR: 0.1, Beta1: 1, Beta2: 0.9}) })
	require.Panics(t, func() { nets.NewRMSProp(ps, nets.RMSPropConfig{LR: -1}) })
}

func TestSchedulesMatchPyTorch(t *testing.T) {
	ref := loadOptimRef(t)
	lr0 := 0.1
	scheds := map[string]nets.Schedule{
		"step":          nets.StepLR{LR0: lr0, Every: 3, Gamma: 0.5},
		"exponential":   nets.ExponentialLR{LR0: lr0, Gamma: 0.9},
		"inverse_time":  nets.InverseTimeLR{LR0: lr0, K: 0.5},
		"cosine":        nets.CosineLR{LR0: lr0, Min: 0.001, Span: 10},
		"warmup_cosine": nets.WarmupLR{Span: 4, Start: 0.25, Then: nets.CosineLR{LR0: lr0, Span: 10}},
	}
	require.Len(t, ref.Schedules, len(scheds))
	for name, want := range ref.Schedules {
		for epoch, w := range want {
			require.InDelta(t, w, scheds[name].At(float64(epoch)), 1e-12, "%s epoch %d", name, epoch)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want nets.Schedule
	}{
		{"constant", nets.ConstantLR{LR0: 0.1}},
		{"step", nets.StepLR{LR0: 0.1, Every: 4, Gamma: 0.1}},
		{"step:5:0.5", nets.StepLR{LR0: 0.1, Every: 5, Gamma: 0.5}},
		{"exp:0.8", nets.ExponentialLR{LR0: 0.1, Gamma: 0.8}},
		{"inverse:0.25", nets.InverseTimeLR{LR0: 0.1, K: 0.25}},
		{"cosine", nets.CosineLR{LR0: 0.1, Span: 12}},
		{"warmup:2+cosine", nets.WarmupLR{Span: 2, Start: 0.01, Then: nets.CosineLR{LR0: 0.1, Span: 12}}},
	} {
		s, err := nets.ParseSchedule(tc.spec, 0.1, 12)
		require.NoError(t, err, tc.spec)
		require.Equal(t, tc.want, s, tc.spec)
	}
	for _, bad := range []string{"", "linear", "step:0", "exp:2", "exp:0.9:1", "warmup:x+cosine", "warmup:1", "cosine:3", "warmup:1+warmup:1+cosine"} {
		_, err := nets.ParseSchedule(bad, 0.1, 12)
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "\n")
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"constant", "step:3:0.5", "exp:0.9", "inverse:1", "cosine", "warmup:1+cosine", "warmup:0.5+step"} {
		f.Add(s, 0.01, 10)
	}
	f.Fuzz(func(t *testing.T, spec string, lr0 float64, epochs int) {
		if !(lr0 >= 0 && lr0 < 1e3) || epochs < 0 || epochs > 1e6 {
			return
		}
		s, err := nets.ParseSchedule(spec, lr0, epochs)
		if err != nil {
			return
		}
		for _, at := range []float64{0, 0.5, 1, float64(epochs)} {
			lr := s.At(at)
			if math.IsNaN(lr) || lr < 0 || lr > lr0*(1+1e-12) {
				t.Fatalf("%q at %v: lr %v from lr0 %v", spec, at, lr, lr0)
			}
		}
	})
}

func TestClipping(t *testing.T) {
	a, b := nets.NewParam(2), nets.NewParam(1)
	a.Grad, b.Grad = []float32{3, 0}, []float32{4}
	ps := []nets.Param{{Name: "a", Tensor: a}, {Name: "b", Tensor: b}}
	require.Equal(t, 5.0, nets.ClipGradNorm(ps, 10))
	require.Equal(t, []float32{3, 0}, a.Grad, "under the limit: unchanged")
	require.Equal(t, 5.0, nets.ClipGradNorm(ps, 1))
	require.InDelta(t, 0.6, a.Grad[0], 1e-6)
	require.InDelta(t, 0.8, b.Grad[0], 1e-6)
	a.Grad = []float32{-3, 0.5}
	nets.ClipGradValue(ps, 1)
	require.Equal(t, []float32{-1, 0.5}, a.Grad)
}
