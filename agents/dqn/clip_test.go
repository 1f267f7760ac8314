package dqn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// clipGradNorm leaves the gradients with nets.ClipGradNorm's bits for norms
// well below, just below, at, just above and well above the limit, and for
// NaN and infinite gradients.
func TestClipGradNormMatchesNets(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	shapes := [][]int{{128, 1600}, {128}, {6, 128}, {1}}
	grads := func(norm float64) []nets.Param {
		var ps []nets.Param
		s := 0.0
		for i, sh := range shapes {
			p := nets.NewParam(sh...)
			p.Grad = make([]float32, p.Size())
			for j := range p.Grad {
				p.Grad[j] = float32(rng.NormFloat64())
				s += float64(p.Grad[j]) * float64(p.Grad[j])
			}
			ps = append(ps, nets.Param{Name: string(rune('a' + i)), Tensor: p})
		}
		for _, p := range ps {
			for j := range p.Grad {
				p.Grad[j] *= float32(norm / math.Sqrt(s))
			}
		}
		return ps
	}
	const maxNorm = 10
	for _, norm := range []float64{0, 0.5, 9, 10 * (1 - 1e-7), 10, 10 * (1 + 1e-7), 11, 1e6, math.NaN(), math.Inf(1)} {
		ps := grads(norm)
		if math.IsNaN(norm) || math.IsInf(norm, 0) {
			ps[2].Grad[3] = float32(norm)
		}
		want := make([]nets.Param, len(ps))
		for i, p := range ps {
			q := nets.NewParam(p.Shape...)
			q.Grad = append([]float32{}, p.Grad...)
			want[i] = nets.Param{Name: p.Name, Tensor: q}
		}
		nets.ClipGradNorm(want, maxNorm)
		clipGradNorm(ps, maxNorm)
		for i := range ps {
			for j, w := range want[i].Grad {
				require.Equal(t, math.Float32bits(w), math.Float32bits(ps[i].Grad[j]), "norm %v: param %d grad %d", norm, i, j)
			}
		}
	}
}
