package rnn

import "github.com/arcadelab/arcade/nets"

// lstmOp is one LSTM step up to the new cell state c' [B, H], its output.
// It also computes the new hidden state, which lstmHOp hands out as a
// tensor of its own and whose gradient lstmHOp deposits back here.
type lstmOp struct {
	stepBase
	cPrev *nets.Tensor // [B, H]; nil: zero
	c     *nets.Tensor // the output c'
	a     []float32    // [B, G·H] the gates' activations (i, f, g, o; coupled: f, g, o), in gx
	tc    []float32    // [B, H] tanh(c')
	hOut  []float32    // [B, H] the new hidden state (the previous one in padding rows)
	dh    []float32    // [B, H] d loss / d h', deposited by lstmHOp
	hasDH bool
	// The backward pass's buffers: dc' (read), dG_h (written), dc and dh
	// of the previous state (added into; nil when not needed).
	dc, dgh, dcPrev, dhPrev []float32
}

// lstmHOp is the LSTM step's new hidden state h' = o ⊙ tanh(c'), computed
// by its lstmOp; its input is c'.
type lstmHOp struct{ cell *lstmOp }

// lstmStep records step t of an LSTM: c' through lstmOp, then h' through
// lstmHOp.
func lstmStep(tp *nets.Tape, c *Cell, seq *seqOp, gx *nets.Tensor, t int, s State, lengths []int) State {
	var buf [4]*nets.Tensor
	op, cNew := nets.Record[lstmOp](tp, []int{seq.b, c.Hidden}, inputs(&buf, gx, s.H, s.C, c.Peep)...)
	op.begin(c, seq, gx, t, s.H, lengths)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.cPrev, op.c, op.hasDH = s.C, cNew, false
	op.a = op.gates()
	op.tc, op.hOut = grow(op.tc, op.b*op.h), grow(op.hOut, op.b*op.h)
	op.recurrent(op.a)
	nets.Parallel(op.b, op.g, op.fwd)
	hop, hNew := nets.Record[lstmHOp](tp, []int{op.b, c.Hidden}, cNew)
	hop.cell = op
	copy(hNew.Data, op.hOut)
	return State{H: hNew, C: cNew}
}

// forwardRows computes rows [lo, hi) of the step from the
// pre-activations in a (once the biases are added):
//
//	standard: i, f, g = σ, σ, tanh (+ p_i ⊙ c on i, p_f ⊙ c on f)
//	          c' = f ⊙ c + i ⊙ g
//	coupled:  f, g = σ, tanh (+ p_f ⊙ c on f)
//	          c' = f ⊙ c + (1 - f) ⊙ g
//	then      o = σ (+ p_o ⊙ c'), h' = o ⊙ tanh(c')
//
// Padding rows keep c and h.
func (op *lstmOp) forwardRows(lo, hi int) {
	H, G := op.h, op.g
	plain := op.cell.Opts == Options{}
	for b := lo; b < hi; b++ {
		a, cp := op.a[b*G:(b+1)*G], op.row(op.cPrev, b)
		c, tc, h := op.c.Data[b*H:(b+1)*H], op.tc[b*H:(b+1)*H], op.hOut[b*H:(b+1)*H]
		if !op.rowValid(b) {
			copy(c, cp)
			copy(h, op.row(op.hPrev, b))
			continue
		}
		addTo(a, op.seq.bias)
		switch {
		case plain:
			sigmoids(a[:2*H])
			tanhs(a[2*H : 3*H])
			lstmCell(c, a, cp)
		default:
			op.variantCell(a, cp, c)
		}
		o := a[G-H:]
		sigmoids(o)
		copy(tc, c)
		tanhs(tc)
		mul(h, o, tc)
	}
}

// lstmCell sets c' = f ⊙ c + i ⊙ g from the activations a (blocks i, f,
// g, o of len(c) units) and the previous cell state cp.
func lstmCell(c, a, cp []float32) {
	H := len(c)
	n := lstmCellVector(c, a, cp)
	i, f, g, cp := a[:H], a[H:2*H], a[2*H:3*H], cp[:H]
	for j := n; j < H; j++ {
		c[j] = float32(f[j]*cp[j]) + float32(i[j]*g[j])
	}
}

// mul sets dst = x ⊙ y.
func mul(dst, x, y []float32) {
	n := mulVector(dst, x, y)
	x, y = x[:len(dst)], y[:len(dst)]
	for j := n; j < len(dst); j++ {
		dst[j] = x[j] * y[j]
	}
}

// variantCell computes c' of a peephole or coupled LSTM, and adds the
// output gate's peephole term p_o ⊙ c' to its pre-activation.
func (op *lstmOp) variantCell(a, cp, c []float32) {
	H := op.h
	var peep []float32
	if op.cell.Peep != nil {
		peep = op.cell.Peep.Data
	}
	o := a[len(a)-H:]
	if op.cell.Opts.Coupled {
		f, g := a[:H], a[H:2*H]
		if peep != nil {
			addMul(f, peep[:H], cp)
		}
		sigmoids(f)
		tanhs(g)
		for j := range c {
			c[j] = f[j]*cp[j] + (1-f[j])*g[j]
		}
		if peep != nil {
			addMul(o, peep[H:], c)
		}
		return
	}
	i, f, g := a[:H], a[H:2*H], a[2*H:3*H]
	addMul(i, peep[:H], cp)
	addMul(f, peep[H:2*H], cp)
	sigmoids(a[:2*H])
	tanhs(g)
	for j := range c {
		c[j] = f[j]*cp[j] + i[j]*g[j]
	}
	addMul(o, peep[2*H:], c)
}

// Backward of lstmHOp: hand dh' to the lstmOp, and make sure it runs.
func (op *lstmHOp) Backward(out *nets.Tensor) {
	c := op.cell
	c.dh = grow(c.dh, len(out.Grad))
	copy(c.dh, out.Grad)
	c.hasDH = true
	c.c.GradBuf()
}

// Backward: the pointwise part row by row (backwardRows), the peephole
// weights' gradients, then the recurrence.
func (op *lstmOp) Backward(out *nets.Tensor) {
	op.dgh, _ = op.gradRows()
	op.dc = out.Grad
	op.dcPrev, op.dhPrev = gradOf(op.cPrev), gradOf(op.hPrev)
	if !op.hasDH {
		op.dh = grow(op.dh, op.b*op.h)
		clear(op.dh)
	}
	nets.Parallel(op.b, op.g, op.bwd)
	if op.cell.Peep != nil {
		op.peepholeGrads()
	}
	op.hasDH = false
	op.backRecurrent(op.dgh)
	op.dc, op.dgh, op.dcPrev, op.dhPrev = nil, nil, nil, nil
}

// backwardRows computes rows [lo, hi) of dG_h and adds into dc and dh of
// the previous state, from dh' and dc' (dct is the whole gradient of c'):
//
//	dG_o = dh' ⊙ tanh(c') ⊙ o(1-o)
//	dct  = dc' + dh' ⊙ o ⊙ (1 - tanh²(c')) (+ dG_o ⊙ p_o)
//	standard: dG_i = dct ⊙ g ⊙ i(1-i), dG_f = dct ⊙ c ⊙ f(1-f),
//	          dG_g = dct ⊙ i ⊙ (1-g²), dc += dct ⊙ f (+ dG_i ⊙ p_i + dG_f ⊙ p_f)
//	coupled:  dG_f = dct ⊙ (c - g) ⊙ f(1-f), dG_g = dct ⊙ (1-f) ⊙ (1-g²),
//	          dc += dct ⊙ f (+ dG_f ⊙ p_f)
//
// Padding rows pass dh' and dc' through to the previous state.
func (op *lstmOp) backwardRows(lo, hi int) {
	H, G := op.h, op.g
	plain := op.cell.Opts == Options{}
	for b := lo; b < hi; b++ {
		dh, dc := op.dh[b*H:(b+1)*H], op.dc[b*H:(b+1)*H]
		dG := op.dgh[b*G : (b+1)*G]
		var dcPrev []float32
		if op.dcPrev != nil {
			dcPrev = op.dcPrev[b*H : (b+1)*H]
		}
		if !op.rowValid(b) {
			clear(dG)
			if dcPrev != nil {
				addTo(dcPrev, dc)
			}
			if op.dhPrev != nil {
				addTo(op.dhPrev[b*H:(b+1)*H], dh)
			}
			continue
		}
		a, tc, cp := op.a[b*G:(b+1)*G], op.tc[b*H:(b+1)*H], op.row(op.cPrev, b)
		if plain {
			lstmBackwardRow(dG, dcPrev, a, tc, cp, dh, dc)
		} else {
			op.variantBackwardRow(dG, dcPrev, a, tc, cp, dh, dc)
		}
	}
}

// lstmBackwardRow is one row of backwardRows for the standard LSTM; a
// nil dcPrev is not needed. The vector kernel (lstmBackwardAVX2) takes
// the groups of eight units, lstmBackwardGo the rest, with the same
// operations in the same order.
func lstmBackwardRow(dG, dcPrev, a, tc, cp, dh, dc []float32) {
	lstmBackwardGo(dG, dcPrev, a, tc, cp, dh, dc, lstmBackwardVector(dG, dcPrev, a, tc, cp, dh, dc))
}

// lstmBackwardGo computes units [from, H) of lstmBackwardRow:
//
//	dct  = dc' + (dh'·o)·(1 - tanh²c')
//	dG_o = (o(1-o)·tanh c')·dh'      dG_i = (i(1-i)·g)·dct
//	dG_f = (f(1-f)·c)·dct            dG_g = ((1-g²)·i)·dct
//	dc  += dct·f
//
// (the float32 conversions keep a compiler from fusing a product into the
// following sum, so that it rounds as the vector kernel does).
func lstmBackwardGo(dG, dcPrev, a, tc, cp, dh, dc []float32, from int) {
	H := len(dh)
	ai, af, ag, ao := a[:H], a[H:2*H], a[2*H:3*H], a[3*H:4*H]
	dGi, dGf, dGg, dGo := dG[:H], dG[H:2*H], dG[2*H:3*H], dG[3*H:4*H]
	tc, cp, dc = tc[:H], cp[:H], dc[:H]
	for j := from; j < H; j++ {
		d, o, t := dh[j], ao[j], tc[j]
		i, f, g := ai[j], af[j], ag[j]
		dct := dc[j] + float32(float32(d*o)*(1-float32(t*t)))
		dGo[j] = float32(o*(1-o)) * t * d
		dGi[j] = float32(i*(1-i)) * g * dct
		dGf[j] = float32(f*(1-f)) * cp[j] * dct
		dGg[j] = (1 - float32(g*g)) * i * dct
		if dcPrev != nil {
			dcPrev[j] += float32(dct * f)
		}
	}
}

// variantBackwardRow is one row of backwardRows for a peephole or coupled
// LSTM.
func (op *lstmOp) variantBackwardRow(dG, dcPrev, a, tc, cp, dh, dc []float32) {
	H, G := op.h, op.g
	coupled := op.cell.Opts.Coupled
	var pi, pf, po []float32
	if p := op.cell.Peep; p != nil {
		if coupled {
			pf, po = p.Data[:H], p.Data[H:]
		} else {
			pi, pf, po = p.Data[:H], p.Data[H:2*H], p.Data[2*H:]
		}
	}
	o, dGo := a[G-H:], dG[G-H:]
	for j := range dGo {
		dGo[j] = dh[j] * tc[j] * o[j] * (1 - o[j])
	}
	for j := range dc {
		dct := dc[j] + dh[j]*o[j]*(1-tc[j]*tc[j])
		if po != nil {
			dct += dGo[j] * po[j]
		}
		var f, dGf float32
		if coupled {
			g := a[H+j]
			f = a[j]
			dGf = dct * (cp[j] - g) * f * (1 - f)
			dG[j], dG[H+j] = dGf, dct*(1-f)*(1-g*g)
		} else {
			i, g := a[j], a[2*H+j]
			f = a[H+j]
			dGi := dct * g * i * (1 - i)
			dGf = dct * cp[j] * f * (1 - f)
			dG[j], dG[H+j], dG[2*H+j] = dGi, dGf, dct*i*(1-g*g)
			if pi != nil && dcPrev != nil {
				dcPrev[j] += dGi * pi[j]
			}
		}
		if dcPrev != nil {
			dcPrev[j] += dct * f
			if pf != nil {
				dcPrev[j] += dGf * pf[j]
			}
		}
	}
}

// peepholeGrads adds the peephole weights' gradients, summed over the rows
// in order: dp_i += Σ dG_i ⊙ c, dp_f += Σ dG_f ⊙ c, dp_o += Σ dG_o ⊙ c'.
func (op *lstmOp) peepholeGrads() {
	dp := op.cell.Peep.GradBuf()
	if dp == nil {
		return
	}
	H, G := op.h, op.g
	for b := 0; b < op.b; b++ {
		dG, cp, c := op.dgh[b*G:(b+1)*G], op.row(op.cPrev, b), op.c.Data[b*H:(b+1)*H]
		if op.cell.Opts.Coupled { // rows p_f, p_o; blocks f, g, o
			addMul(dp[:H], dG[:H], cp)
			addMul(dp[H:], dG[2*H:], c)
		} else { // rows p_i, p_f, p_o; blocks i, f, g, o
			addMul(dp[:H], dG[:H], cp)
			addMul(dp[H:2*H], dG[H:2*H], cp)
			addMul(dp[2*H:], dG[3*H:], c)
		}
	}
}
