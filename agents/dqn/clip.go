package dqn

import (
	"math"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/kernels"
)

// clipGradNorm is nets.ClipGradNorm(params, maxNorm) without its sum of
// squares in order (one chain of dependent float64 additions, 8% of the
// time of a MinAtar-rule run) where a faster sum shows the norm below
// maxNorm by far more than either sum's rounding error (both within
// n·2⁻⁵³ of the exact sum, relatively: about 10⁻¹⁰ for these nets):
// ClipGradNorm would leave the gradients as they are then. Otherwise
// ClipGradNorm clips them, so the gradients get the same bits either way.
func clipGradNorm(params []nets.Param, maxNorm float64) {
	s := 0.0
	for _, p := range params {
		s += kernels.SumSquares(p.Grad)
	}
	if math.Sqrt(s*(1+1e-6))+1e-6 < maxNorm*(1-1e-6) {
		return
	}
	nets.ClipGradNorm(params, maxNorm)
}
