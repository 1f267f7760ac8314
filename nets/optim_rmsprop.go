package nets

import (
	"math"

	"github.com/arcadelab/arcade/nets/kernels"
)

// RMSPropConfig holds the hyper-parameters of RMSProp, with PyTorch's
// names.
type RMSPropConfig struct {
	LR          float64 // learning rate η
	Alpha       float64 // α, the decay of the running averages
	Eps         float64 // ε, added to the root (outside it)
	WeightDecay float64 // λ, added to the gradient
	Momentum    float64 // μ
	Centered    bool    // divide by the variance, not the second moment, of the gradient
}

// DefaultRMSPropConfig returns PyTorch's defaults: η 0.01, α 0.99, ε 1e-8.
func DefaultRMSPropConfig() RMSPropConfig {
	return RMSPropConfig{LR: 0.01, Alpha: 0.99, Eps: 1e-8}
}

// RMSProp divides the gradient by a running root mean square of recent
// gradients (Tieleman and Hinton 2012, lecture 6.5), as PyTorch's
// torch.optim.RMSprop does, optionally centered (Graves 2013).
type RMSProp struct {
	base
	cfg  RMSPropConfig
	v    []*Tensor // "square_avg"
	gAvg []*Tensor // "grad_avg", centered only
	buf  []*Tensor // "momentum_buffer", with momentum only
	lr   float32
}

// NewRMSProp returns RMSProp over params. It panics on invalid
// hyper-parameters.
func NewRMSProp(params []Param, cfg RMSPropConfig) *RMSProp {
	checkRange("RMSProp", "alpha", cfg.Alpha, 0, 1)
	checkRange("RMSProp", "eps", cfg.Eps, 0, math.MaxFloat64)
	checkRange("RMSProp", "momentum", cfg.Momentum, 0, 1)
	checkRange("RMSProp", "weight decay", cfg.WeightDecay, 0, math.MaxFloat64)
	o := &RMSProp{cfg: cfg}
	o.init("RMSProp", params, cfg.LR, o.update)
	o.v = o.slot("square_avg")
	if cfg.Momentum > 0 {
		o.buf = o.slot("momentum_buffer")
	}
	if cfg.Centered {
		o.gAvg = o.slot("grad_avg")
	}
	return o
}

// Step updates every parameter.
func (o *RMSProp) Step() {
	o.lr = float32(o.base.lr)
	o.run()
}

// update, for each element:
//
//	g ← ∇ + λθ
//	v ← αv + (1-α)g²
//	centered: ḡ ← αḡ + (1-α)g;  s = √(v - ḡ²) + ε,  otherwise s = √v + ε
//	μ > 0: b ← μb + g/s;  θ ← θ - ηb,  otherwise θ ← θ - η g/s
func (o *RMSProp) update(i, lo, hi int) {
	p, grad, v := o.params[i].Data[lo:hi], o.params[i].Grad[lo:hi], o.v[i].Data[lo:hi]
	var gAvg, buf []float32
	if o.gAvg != nil {
		gAvg = o.gAvg[i].Data[lo:hi]
	}
	if o.buf != nil {
		buf = o.buf[i].Data[lo:hi]
	}
	kernels.RMSPropStep(p, grad, v, gAvg, buf, kernels.RMSPropCoeffs{Alpha: float32(o.cfg.Alpha),
		C:   float32(1 - o.cfg.Alpha), // rounded once, as PyTorch passes it
		Eps: float32(o.cfg.Eps), Mu: float32(o.cfg.Momentum), WD: float32(o.cfg.WeightDecay), LR: o.lr})
}

func sqrt32(v float32) float32 { return float32(math.Sqrt(float64(v))) }

// DQNRMSPropConfig holds the hyper-parameters of the DQN paper's RMSProp.
type DQNRMSPropConfig struct {
	LR       float64 // learning rate η
	Decay    float64 // ρ, the decay of both running averages ("gradient momentum" and "squared gradient momentum")
	Eps      float64 // ε, the "min squared gradient", added inside the root
	Momentum float64 // μ of Graves's update; 0 in DQN
}

// DefaultDQNRMSPropConfig returns the values of Mnih et al. 2015 (Nature,
// Extended Data Table 1): η 0.00025, ρ 0.95, ε 0.01, no momentum.
func DefaultDQNRMSPropConfig() DQNRMSPropConfig {
	return DQNRMSPropConfig{LR: 0.00025, Decay: 0.95, Eps: 0.01}
}

// DQNRMSProp is the centered RMSProp of Graves 2013 (eqs. 38-41) with ε
// inside the square root, as DeepMind's DQN used it (Mnih et al. 2015);
// it differs from PyTorch's centered RMSprop, which adds ε outside.
type DQNRMSProp struct {
	base
	cfg   DQNRMSPropConfig
	n     []*Tensor // running mean of g², "square_avg"
	g     []*Tensor // running mean of g, "grad_avg"
	delta []*Tensor // the last update Δ, with momentum only ("momentum_buffer")
	lr    float32
}

// NewDQNRMSProp returns the DQN paper's RMSProp over params. It panics on
// invalid hyper-parameters.
func NewDQNRMSProp(params []Param, cfg DQNRMSPropConfig) *DQNRMSProp {
	checkRange("DQNRMSProp", "decay", cfg.Decay, 0, 1)
	checkRange("DQNRMSProp", "eps", cfg.Eps, 0, math.MaxFloat64)
	checkRange("DQNRMSProp", "momentum", cfg.Momentum, 0, 1)
	o := &DQNRMSProp{cfg: cfg}
	o.init("DQNRMSProp", params, cfg.LR, o.update)
	o.n, o.g = o.slot("square_avg"), o.slot("grad_avg")
	if cfg.Momentum > 0 {
		o.delta = o.slot("momentum_buffer")
	}
	return o
}

// Step updates every parameter.
func (o *DQNRMSProp) Step() {
	o.lr = float32(o.base.lr)
	o.run()
}

// update, for each element:
//
//	n ← ρn + (1-ρ)g²
//	ḡ ← ρḡ + (1-ρ)g
//	Δ ← μΔ - η g/√(n - ḡ² + ε)
//	θ ← θ + Δ
func (o *DQNRMSProp) update(i, lo, hi int) {
	p, grad := o.params[i].Data[lo:hi], o.params[i].Grad[lo:hi]
	n, gAvg := o.n[i].Data[lo:hi], o.g[i].Data[lo:hi]
	var delta []float32
	if o.delta != nil {
		delta = o.delta[i].Data[lo:hi]
	}
	kernels.DQNRMSPropStep(p, grad, n, gAvg, delta, kernels.DQNRMSPropCoeffs{Rho: float32(o.cfg.Decay),
		C: float32(1 - o.cfg.Decay), Eps: float32(o.cfg.Eps), Mu: float32(o.cfg.Momentum), LR: o.lr})
}
