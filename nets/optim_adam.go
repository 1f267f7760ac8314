package nets

import (
	"math"

	"github.com/arcadelab/arcade/nets/kernels"
)

// AdamConfig holds the hyper-parameters of Adam and AdamW, with PyTorch's
// names.
type AdamConfig struct {
	LR          float64 // learning rate η
	Beta1       float64 // β1, the decay of the first moment m
	Beta2       float64 // β2, the decay of the second moment v
	Eps         float64 // ε
	WeightDecay float64 // λ: added to the gradient (Adam) or decoupled (AdamW)
	AMSGrad     bool    // use the running maximum of v (Reddi et al. 2018)
	// Decoupled applies the weight decay to the parameters directly,
	// θ ← θ(1 - ηλ), instead of adding λθ to the gradient: AdamW.
	Decoupled bool
}

// DefaultAdamConfig returns the paper's values (Kingma and Ba 2015):
// η 0.001, β1 0.9, β2 0.999, ε 1e-8, no weight decay.
func DefaultAdamConfig() AdamConfig {
	return AdamConfig{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// DefaultAdamWConfig returns AdamW as PyTorch defaults it (Loshchilov and
// Hutter 2019): Adam's values with decoupled weight decay 0.01.
func DefaultAdamWConfig() AdamConfig {
	c := DefaultAdamConfig()
	c.WeightDecay, c.Decoupled = 0.01, true
	return c
}

// Adam is Adam with bias correction (Kingma and Ba 2015), as PyTorch's
// torch.optim.Adam computes it; with Decoupled set it is AdamW (Loshchilov
// and Hutter 2019), torch.optim.AdamW.
type Adam struct {
	base
	cfg  AdamConfig
	m, v []*Tensor // "exp_avg", "exp_avg_sq"
	vMax []*Tensor // "max_exp_avg_sq", AMSGrad only
	// the step's coefficients, as float32
	stepSize, epsHat float32 // α and ε̂ of update
}

// NewAdam returns Adam (or AdamW, cfg.Decoupled) over params. It panics on
// invalid hyper-parameters.
func NewAdam(params []Param, cfg AdamConfig) *Adam {
	checkRange("Adam", "beta1", cfg.Beta1, 0, math.Nextafter(1, 0))
	checkRange("Adam", "beta2", cfg.Beta2, 0, math.Nextafter(1, 0))
	checkRange("Adam", "eps", cfg.Eps, 0, math.MaxFloat64)
	checkRange("Adam", "weight decay", cfg.WeightDecay, 0, math.MaxFloat64)
	o := &Adam{cfg: cfg}
	o.init("Adam", params, cfg.LR, o.update)
	o.m, o.v = o.slot("exp_avg"), o.slot("exp_avg_sq")
	if cfg.AMSGrad {
		o.vMax = o.slot("max_exp_avg_sq")
	}
	return o
}

// Step updates every parameter. The bias corrections are computed in
// float64 from the step count t, as PyTorch computes them in Python.
func (o *Adam) Step() {
	t := float64(o.steps + 1)
	bc2Sqrt := math.Sqrt(1 - math.Pow(o.cfg.Beta2, t))
	o.stepSize = float32(o.base.lr / (1 - math.Pow(o.cfg.Beta1, t)) * bc2Sqrt)
	o.epsHat = float32(o.cfg.Eps * bc2Sqrt)
	o.run()
}

// update, for each element, at step t:
//
//	AdamW: θ ← θ(1 - ηλ);  Adam: g ← ∇ + λθ
//	m ← β1 m + (1-β1) g
//	v ← β2 v + (1-β2) g²
//	AMSGrad: v̂ ← max(v̂, v), used for v below
//	θ ← θ - η/(1-β1ᵗ) · m / (√v / √(1-β2ᵗ) + ε)
//
// The last line is computed as θ - α m / (√v + ε̂) with α = η√(1-β2ᵗ)/(1-β1ᵗ)
// and ε̂ = ε√(1-β2ᵗ) (the paper's "more efficient order", section 2): one
// division instead of two, equal up to rounding.
func (o *Adam) update(i, lo, hi int) {
	grad := o.params[i].Grad[lo:hi]
	p, m, v := o.params[i].Data[lo:hi], o.m[i].Data[lo:hi], o.v[i].Data[lo:hi]
	p, m, v = p[:len(grad)], m[:len(grad)], v[:len(grad)]
	// 1-β is computed in float64 and rounded once, as PyTorch passes it.
	b1, b2, c1, c2 := float32(o.cfg.Beta1), float32(o.cfg.Beta2), float32(1-o.cfg.Beta1), float32(1-o.cfg.Beta2)
	alpha, eps := o.stepSize, o.epsHat
	wd, decay := float32(0), float32(1)
	if o.cfg.Decoupled {
		decay = float32(1 - o.base.lr*o.cfg.WeightDecay)
	} else {
		wd = float32(o.cfg.WeightDecay)
	}
	if o.vMax == nil { // in vector registers (the same bits as the loop below without vMax)
		kernels.AdamStep(p, grad, m, v, kernels.AdamCoeffs{B1: b1, C1: c1, B2: b2, C2: c2, Alpha: alpha, Eps: eps,
			WeightDecay: o.cfg.WeightDecay != 0, Decay: decay, WD: wd})
		return
	}
	vMax := o.vMax[i].Data[lo:hi]
	for j, g := range grad {
		p[j] *= decay
		g += wd * p[j]
		m[j] = b1*m[j] + c1*g
		v[j] = b2*v[j] + c2*g*g
		vMax[j] = max(vMax[j], v[j])
		p[j] -= alpha * m[j] / (sqrt32(vMax[j]) + eps)
	}
}
