package nets

import (
	"math"

	"github.com/arcadelab/arcade/nets/kernels"
)

// SGDConfig holds the hyper-parameters of SGD, with PyTorch's names.
type SGDConfig struct {
	LR          float64 // learning rate η
	Momentum    float64 // μ; 0 is plain SGD
	Dampening   float64 // τ
	WeightDecay float64 // λ, the L2 penalty's coefficient, added to the gradient
	Nesterov    bool    // Nesterov momentum (Sutskever et al. 2013); needs μ > 0 and τ = 0
}

// DefaultSGDConfig returns plain SGD with learning rate 0.01.
func DefaultSGDConfig() SGDConfig { return SGDConfig{LR: 0.01} }

// SGD is stochastic gradient descent, with momentum (Polyak 1964) or
// Nesterov momentum (Sutskever et al. 2013) as PyTorch's torch.optim.SGD
// formulates them.
type SGD struct {
	base
	cfg SGDConfig
	buf []*Tensor // momentum buffers ("momentum_buffer"), nil without momentum
	lr  float32   // the step's learning rate, as float32
}

// NewSGD returns SGD over params. It panics on invalid hyper-parameters.
func NewSGD(params []Param, cfg SGDConfig) *SGD {
	checkRange("SGD", "momentum", cfg.Momentum, 0, 1)
	checkRange("SGD", "dampening", cfg.Dampening, 0, 1)
	checkRange("SGD", "weight decay", cfg.WeightDecay, 0, math.MaxFloat64)
	if cfg.Nesterov && (cfg.Momentum == 0 || cfg.Dampening != 0) {
		panic("nets: SGD Nesterov momentum needs momentum > 0 and no dampening")
	}
	o := &SGD{cfg: cfg}
	o.init("SGD", params, cfg.LR, o.update)
	if cfg.Momentum != 0 {
		o.buf = o.slot("momentum_buffer")
	}
	return o
}

// Step updates every parameter.
func (o *SGD) Step() {
	o.lr = float32(o.base.lr)
	o.run()
}

// update, for each element:
//
//	g ← ∇ + λθ
//	if μ ≠ 0: b ← g on the first step, μb + (1-τ)g after;  g ← g + μb (Nesterov) or b
//	θ ← θ - ηg
func (o *SGD) update(i, lo, hi int) {
	p, grad := o.params[i].Data[lo:hi], o.params[i].Grad[lo:hi]
	var buf []float32
	if o.buf != nil {
		buf = o.buf[i].Data[lo:hi]
	}
	kernels.SGDStep(p, grad, buf, kernels.SGDCoeffs{LR: o.lr, WD: float32(o.cfg.WeightDecay), Mu: float32(o.cfg.Momentum),
		Damp: float32(1 - o.cfg.Dampening), First: o.steps == 1, Nesterov: o.cfg.Nesterov})
}
