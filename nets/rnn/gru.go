package rnn

import "github.com/arcadelab/arcade/nets"

// gruOp is one step of a GRU (PyTorch's) or of the simplified GRU; its
// output is the new hidden state h' [B, H].
type gruOp struct {
	stepBase
	out *nets.Tensor
	gh  []float32 // [B, G·H] b_hh + W_hh h: the GRU keeps gh_n for the backward pass
	a   []float32 // [B, G·H] the gates' activations: r, z, n (simplified: u, c̃)
	// The backward pass's buffers: dh' (read), dG_h and dG_x (written),
	// dh of the previous state (added into; nil when not needed).
	dout, dgh, dgx, dhPrev []float32
}

// gruStep records one step of c, a GRU or SimpleGRU.
func gruStep(tp *nets.Tape, c *Cell, first *recurrence, k, steps int, gx *nets.Tensor, t int, hPrev *nets.Tensor, lengths []int) (*nets.Tensor, *recurrence) {
	b := gx.Shape[gx.Rank()-2]
	var buf [6]*nets.Tensor
	op, out := nets.Record[gruOp](tp, []int{b, c.Hidden}, inputs(&buf, gx, hPrev, c.WHH, c.BHH)...)
	op.begin(c, first, k, steps, gx, t, hPrev, lengths, out)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.out = out
	op.gh, op.a = grow(op.gh, b*op.g), grow(op.a, b*op.g)
	op.recurrent(op.gh)
	nets.Parallel(b, op.g, op.fwd)
	return out, op.rec
}

// forwardRows computes rows [lo, hi):
//
//	GRU:        r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n)
//	            h' = (1 - z) ⊙ n + z ⊙ h
//	simplified: u = σ(gx_u + gh_u), c̃ = tanh(gx_c + gh_c)
//	            h' = u ⊙ c̃ + (1 - u) ⊙ h
//
// Padding rows keep h.
func (op *gruOp) forwardRows(lo, hi int) {
	H, G := op.h, op.g
	gx := op.gxRows(lo, hi)
	for b := lo; b < hi; b++ {
		x, gh, a := gx[(b-lo)*G:(b-lo+1)*G], op.gh[b*G:(b+1)*G], op.a[b*G:(b+1)*G]
		hp, h := op.row(op.hPrev, b), op.out.Data[b*H:(b+1)*H]
		if !op.rowValid(b) {
			copy(h, hp)
			continue
		}
		if op.cell.Kind == GRU {
			for j := range 2 * H {
				a[j] = x[j] + gh[j]
			}
			sigmoids(a[:2*H])
			r, z, n := a[:H], a[H:2*H], a[2*H:]
			for j := range n {
				n[j] = x[2*H+j] + r[j]*gh[2*H+j]
			}
			tanhs(n)
			for j := range h {
				h[j] = (1-z[j])*n[j] + z[j]*hp[j]
			}
			continue
		}
		for j := range a {
			a[j] = x[j] + gh[j]
		}
		u, cc := a[:H], a[H:]
		sigmoids(u)
		tanhs(cc)
		for j := range h {
			h[j] = u[j]*cc[j] + (1-u[j])*hp[j]
		}
	}
}

// Backward: the pointwise part row by row (backwardRows), then the
// recurrence.
func (op *gruOp) Backward(out *nets.Tensor) {
	op.dgh, op.dgx = op.gradRows()
	op.dout, op.dhPrev = out.Grad, gradOf(op.hPrev)
	nets.Parallel(op.b, op.g, op.bwd)
	op.backRecurrent(op.dgh)
	op.dout, op.dgh, op.dgx, op.dhPrev = nil, nil, nil, nil
}

// backwardRows computes rows [lo, hi) of dG_h and dG_x and adds the direct
// part of dh:
//
//	GRU:        dn = dh' ⊙ (1-z), dG_n = dn ⊙ (1-n²) (of gx_n; of gh_n: ⊙ r)
//	            dG_r = dG_n ⊙ gh_n ⊙ r(1-r), dG_z = dh' ⊙ (h - n) ⊙ z(1-z)
//	            dh += dh' ⊙ z
//	simplified: dG_u = dh' ⊙ (c̃ - h) ⊙ u(1-u), dG_c = dh' ⊙ u ⊙ (1-c̃²)
//	            dh += dh' ⊙ (1-u)
//
// Padding rows pass dh' through.
func (op *gruOp) backwardRows(lo, hi int) {
	H, G := op.h, op.g
	for b := lo; b < hi; b++ {
		dout := op.dout[b*H : (b+1)*H]
		dgh := op.dgh[b*G : (b+1)*G]
		var dgx, dhPrev []float32
		if op.dgx != nil {
			dgx = op.dgx[b*G : (b+1)*G]
		}
		if op.dhPrev != nil {
			dhPrev = op.dhPrev[b*H : (b+1)*H]
		}
		if !op.rowValid(b) {
			clear(dgh)
			if dgx != nil {
				clear(dgx)
			}
			if dhPrev != nil {
				addTo(dhPrev, dout)
			}
			continue
		}
		a, hp := op.a[b*G:(b+1)*G], op.row(op.hPrev, b)
		if op.cell.Kind == GRU {
			ghn := op.gh[b*G+2*H : (b+1)*G]
			for j, d := range dout {
				r, z, n := a[j], a[H+j], a[2*H+j]
				dGn := d * (1 - z) * (1 - n*n)
				dGr := dGn * ghn[j] * r * (1 - r)
				dGz := d * (hp[j] - n) * z * (1 - z)
				dgh[j], dgh[H+j], dgh[2*H+j] = dGr, dGz, dGn*r
				if dgx != nil {
					dgx[j], dgx[H+j], dgx[2*H+j] = dGr, dGz, dGn
				}
				if dhPrev != nil {
					dhPrev[j] += d * z
				}
			}
			continue
		}
		for j, d := range dout {
			u, cc := a[j], a[H+j]
			dgh[j], dgh[H+j] = d*(cc-hp[j])*u*(1-u), d*u*(1-cc*cc)
			if dhPrev != nil {
				dhPrev[j] += d * (1 - u)
			}
		}
	}
}

// vanillaOp is one step of the Elman RNN, h' = tanh(gx + gh); its output
// is h' [B, H].
type vanillaOp struct {
	stepBase
	out               *nets.Tensor
	dout, dgh, dhPrev []float32
}

// vanillaStep records one step of the Elman RNN c.
func vanillaStep(tp *nets.Tape, c *Cell, first *recurrence, k, steps int, gx *nets.Tensor, t int, hPrev *nets.Tensor, lengths []int) (*nets.Tensor, *recurrence) {
	b := gx.Shape[gx.Rank()-2]
	var buf [6]*nets.Tensor
	op, out := nets.Record[vanillaOp](tp, []int{b, c.Hidden}, inputs(&buf, gx, hPrev, c.WHH, c.BHH)...)
	op.begin(c, first, k, steps, gx, t, hPrev, lengths, out)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.out = out
	op.recurrent(out.Data)
	nets.Parallel(b, op.g, op.fwd)
	return out, op.rec
}

// forwardRows computes rows [lo, hi): h' = tanh(gx + gh), the output
// holding gh; padding rows keep h.
func (op *vanillaOp) forwardRows(lo, hi int) {
	H := op.h
	gx := op.gxRows(lo, hi)
	for b := lo; b < hi; b++ {
		h := op.out.Data[b*H : (b+1)*H]
		if !op.rowValid(b) {
			copy(h, op.row(op.hPrev, b))
			continue
		}
		addTo(h, gx[(b-lo)*H:(b-lo+1)*H])
		tanhs(h)
	}
}

// Backward: dG = dh' ⊙ (1 - h'²) row by row (padding rows pass dh'
// through), then the recurrence.
func (op *vanillaOp) Backward(out *nets.Tensor) {
	op.dgh, _ = op.gradRows()
	op.dout, op.dhPrev = out.Grad, gradOf(op.hPrev)
	nets.Parallel(op.b, op.g, op.bwd)
	op.backRecurrent(op.dgh)
	op.dout, op.dgh, op.dhPrev = nil, nil, nil
}

func (op *vanillaOp) backwardRows(lo, hi int) {
	H := op.h
	for b := lo; b < hi; b++ {
		dout, dgh, h := op.dout[b*H:(b+1)*H], op.dgh[b*H:(b+1)*H], op.out.Data[b*H:(b+1)*H]
		if !op.rowValid(b) {
			clear(dgh)
			if op.dhPrev != nil {
				addTo(op.dhPrev[b*H:(b+1)*H], dout)
			}
		} else {
			for j, d := range dout {
				dgh[j] = d * (1 - h[j]*h[j])
			}
		}
	}
}
