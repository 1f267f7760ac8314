package nets

import "math"

// ClipGradNorm scales the gradients of params so that their global L2 norm
// (all gradients seen as one vector) is at most maxNorm, and returns the
// norm before clipping, as PyTorch's clip_grad_norm_: the scale is
// maxNorm/(norm + 1e-6) when that is below 1. The sum of squares runs in
// float64 in parameter order.
func ClipGradNorm(params []Param, maxNorm float64) float64 {
	s := 0.0
	for _, p := range params {
		for _, g := range p.Grad {
			s += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(s)
	if c := maxNorm / (norm + 1e-6); c < 1 {
		c32 := float32(c)
		for _, p := range params {
			for i := range p.Grad {
				p.Grad[i] *= c32
			}
		}
	}
	return norm
}

// ClipGradValue limits every gradient element of params to [-v, v], as
// PyTorch's clip_grad_value_.
func ClipGradValue(params []Param, v float32) {
	for _, p := range params {
		for i, g := range p.Grad {
			p.Grad[i] = min(max(g, -v), v)
		}
	}
}
