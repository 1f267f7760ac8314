package ae

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
)

// contractiveOp is Σ_n ‖J_n‖²_F of a sigmoid layer.
type contractiveOp struct {
	h, w *nets.Tensor
	s    []float64 // s_i = Σ_j W_ij²
	a    []float64 // a_i = Σ_n (h_ni (1 - h_ni))²
}

// ContractivePenalty returns, as a scalar, the sum over the rows n of the
// squared Frobenius norm of the Jacobian ∂h_n/∂x_n of a sigmoid layer
// h = sigmoid(x·Wᵀ + b), given its output h [N, Z] and weight W [Z, D]
// (Rifai et al. 2011, eq. 8): since ∂h_i/∂x_j = h_i(1-h_i) W_ij,
//
//	‖J_n‖²_F = Σ_i (h_ni(1 - h_ni))² Σ_j W_ij².
//
// Gradients flow to h (and through the sigmoid to the layer's input and
// parameters) and to W directly. The sums run in float64, in a fixed
// order.
func ContractivePenalty(tp *nets.Tape, h, w *nets.Tensor) *nets.Tensor {
	if h.Rank() != 2 || w.Rank() != 2 || h.Shape[1] != w.Shape[0] {
		panic(fmt.Sprintf("ae: ContractivePenalty of h %v and W %v: want [N, Z] and [Z, D]", h.Shape, w.Shape))
	}
	z, d := w.Shape[0], w.Shape[1]
	op, out := nets.Record[contractiveOp](tp, nil, h, w)
	op.h, op.w = h, w
	op.s = grow(op.s, z)
	op.a = grow(op.a, z)
	for i := range z {
		s := 0.0
		for _, v := range w.Data[i*d : (i+1)*d] {
			s += float64(v) * float64(v)
		}
		op.s[i] = s
		op.a[i] = 0
	}
	for r := 0; r < h.Shape[0]; r++ {
		for i, v := range h.Data[r*z : (r+1)*z] {
			g := float64(v) * (1 - float64(v))
			op.a[i] += g * g
		}
	}
	total := 0.0
	for i := range z {
		total += op.a[i] * op.s[i]
	}
	out.Data[0] = float32(total)
	return out
}

// Backward, with g the gradient of the penalty P:
//
//	∂P/∂h_ni = 2 h_ni(1-h_ni)(1-2h_ni) s_i
//	∂P/∂W_ij = 2 W_ij a_i
func (op *contractiveOp) Backward(out *nets.Tensor) {
	g := float64(out.Grad[0])
	z := op.w.Shape[0]
	if dh := op.h.GradBuf(); dh != nil {
		for k, v := range op.h.Data {
			h := float64(v)
			dh[k] += float32(g * 2 * h * (1 - h) * (1 - 2*h) * op.s[k%z])
		}
	}
	if dw := op.w.GradBuf(); dw != nil {
		d := op.w.Shape[1]
		for i := range z {
			c := g * 2 * op.a[i]
			for j := i * d; j < (i+1)*d; j++ {
				dw[j] += float32(c * float64(op.w.Data[j]))
			}
		}
	}
}

// grow returns buf with n elements, reusing its memory when it can.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}
