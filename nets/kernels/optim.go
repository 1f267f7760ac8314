package kernels

//go:generate go run ./internal/optimgen -out .

import "fmt"

// The optimizer updates of package nets, elementwise over a parameter's
// values p, its gradient g and the optimizer's state. Each is a Go loop
// (optim_go.go) of float32 operations, each rounded once: products are
// converted to float32 before they are added, so that no compiler fuses
// them into a multiply-add. The avx512 and avx2 kernels (Kernel) run the
// same operations in the same order on 16 or 8 lanes (optim_amd64.s; the
// last len(p) mod 16 or 8 elements by the Go loop), so every kernel gives
// the same bits. A vector holding a tiny or subnormal value goes a slower
// way that gives the same bits without the CPU's subnormal assists
// (optim_amd64.s's header): the moments of parameters whose gradients
// stay 0 decay into the subnormals, and made Adam 4 to 14 times slower.

// AdamCoeffs are the float32 coefficients of one Adam step (nets.Adam).
type AdamCoeffs struct {
	B1, C1 float32 // β1 and 1-β1
	B2, C2 float32 // β2 and 1-β2
	Alpha  float32 // the step size η√(1-β2ᵗ)/(1-β1ᵗ)
	Eps    float32 // ε√(1-β2ᵗ)
	// WeightDecay selects the loop with weight decay: p ← p·Decay, then
	// g ← g + WD·p (Adam: Decay 1; AdamW: WD 0).
	WeightDecay bool
	Decay, WD   float32
}

// AdamStep makes one Adam step on every element of p, with gradient g and
// moments m and v (all of p's length):
//
//	if c.WeightDecay { p ← p·Decay;  g ← g + WD·p }
//	m ← B1·m + C1·g
//	v ← B2·v + (C2·g)·g
//	p ← p - (Alpha·m) / (√v + Eps)
func AdamStep(p, g, m, v []float32, c AdamCoeffs) {
	checkLens("AdamStep", len(p), len(g), len(m), len(v))
	k := adamVector(p, g, m, v, &c)
	adamGo(p[k:], g[k:], m[k:], v[k:], &c)
}

// RMSPropCoeffs are the float32 coefficients of one RMSProp step
// (nets.RMSProp).
type RMSPropCoeffs struct {
	Alpha, C float32 // α, the decay of the running averages, and 1-α
	Eps      float32 // ε, added to the root
	Mu       float32 // the momentum
	WD       float32 // the weight decay λ; 0 skips it
	LR       float32 // the learning rate η
}

// RMSPropStep makes one RMSProp step on every element of p, with gradient
// g and square average v; gAvg (the gradient's average) is nil unless
// centered, buf (the momentum buffer) nil without momentum:
//
//	if WD ≠ 0 { g ← g + WD·p }
//	v ← Alpha·v + (C·g)·g
//	centered: gAvg ← Alpha·gAvg + C·g;  s ← √(v - gAvg·gAvg) + Eps
//	otherwise: s ← √v + Eps
//	momentum: buf ← Mu·buf + g/s;  p ← p - LR·buf
//	otherwise: p ← p - (LR·g)/s
func RMSPropStep(p, g, v, gAvg, buf []float32, c RMSPropCoeffs) {
	checkLens("RMSPropStep", len(p), len(g), len(v))
	checkOptional("RMSPropStep", len(p), gAvg, buf)
	k := rmspropVector(p, g, v, gAvg, buf, &c)
	rmspropGo(p[k:], g[k:], v[k:], tail(gAvg, k), tail(buf, k), &c)
}

// DQNRMSPropCoeffs are the float32 coefficients of one step of the DQN
// paper's RMSProp (nets.DQNRMSProp).
type DQNRMSPropCoeffs struct {
	Rho, C float32 // ρ, the decay of both averages, and 1-ρ
	Eps    float32 // ε, added inside the root
	Mu     float32 // the momentum
	LR     float32 // the learning rate η
}

// DQNRMSPropStep makes one step of the DQN paper's centered RMSProp on
// every element of p, with gradient g, averages n (of g²) and gAvg (of g);
// delta, the last update, is nil without momentum:
//
//	n ← Rho·n + (C·g)·g
//	gAvg ← Rho·gAvg + C·g
//	d ← (-LR·g) / √((n - gAvg·gAvg) + Eps)
//	momentum: d ← d + Mu·delta;  delta ← d
//	p ← p + d
func DQNRMSPropStep(p, g, n, gAvg, delta []float32, c DQNRMSPropCoeffs) {
	checkLens("DQNRMSPropStep", len(p), len(g), len(n), len(gAvg))
	checkOptional("DQNRMSPropStep", len(p), delta)
	k := dqnRMSPropVector(p, g, n, gAvg, delta, &c)
	dqnRMSPropGo(p[k:], g[k:], n[k:], gAvg[k:], tail(delta, k), &c)
}

// SGDCoeffs are the float32 coefficients of one SGD step (nets.SGD).
type SGDCoeffs struct {
	LR   float32 // the learning rate η
	WD   float32 // the weight decay λ; 0 skips it
	Mu   float32 // the momentum μ
	Damp float32 // 1-τ, τ the dampening
	// First says that this is the first step: the momentum buffer is set
	// to the gradient.
	First    bool
	Nesterov bool
}

// SGDStep makes one SGD step on every element of p with gradient g; buf,
// the momentum buffer, is nil without momentum:
//
//	if WD ≠ 0 { g ← g + WD·p }
//	momentum: buf ← g on the first step, Mu·buf + Damp·g after;
//	          g ← g + Mu·buf (Nesterov) or buf
//	p ← p - LR·g
func SGDStep(p, g, buf []float32, c SGDCoeffs) {
	checkLens("SGDStep", len(p), len(g))
	checkOptional("SGDStep", len(p), buf)
	k := sgdVector(p, g, buf, &c)
	sgdGo(p[k:], g[k:], tail(buf, k), &c)
}

// checkLens panics unless every length is n.
func checkLens(what string, n int, lens ...int) {
	for _, l := range lens {
		if l != n {
			panic(fmt.Sprintf("kernels: %s of %d parameters with a slice of %d", what, n, l))
		}
	}
}

// checkOptional panics unless each slice is nil or of length n.
func checkOptional(what string, n int, slices ...[]float32) {
	for _, s := range slices {
		if s != nil && len(s) != n {
			panic(fmt.Sprintf("kernels: %s of %d parameters with a slice of %d", what, n, len(s)))
		}
	}
}

// tail returns s[k:], or nil for a nil s.
func tail(s []float32, k int) []float32 {
	if s == nil {
		return nil
	}
	return s[k:]
}
