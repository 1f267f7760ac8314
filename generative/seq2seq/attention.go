package seq2seq

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/arcadelab/arcade/nets"
)

// Shapes in this file: N rows (sources, or beam hypotheses), S source
// positions, D encoder state size (the values attended over), Q decoder
// state size (the query), A attention size. Sequences are time first, as
// in nets/rnn: encoder states h [S, N, D], keys [S, N, A]; the weights α
// are [N, S], one row per output row.

// Attention is additive attention (Bahdanau, Cho and Bengio, "Neural
// Machine Translation by Jointly Learning to Align and Translate", 2015):
// for the decoder's state q_n and the encoder states h_{n,s},
//
//	e_{n,s}  = vᵀ tanh(W_k h_{s,n} + b + W_q q_n)
//	α_{n,s}  = softmax over s < length_n of e_{n,s}   (0 at padded positions)
//	c_n      = Σ_s α_{n,s} h_{s,n}
//
// α says how much attention each input position gets for this output; c
// is the context the decoder reads. The keys W_k h + b depend only on the
// source, so a decoder computes them once per sequence (Keys) and then
// calls Weights and Context at every output step.
//
// Parameters: "key.weight" W_k [A, D], "key.bias" b [A], "query.weight"
// W_q [A, Q], "v" [A]. Init: nn.Linear's for W_k, b and W_q, v from
// U(-1/√A, 1/√A).
type Attention struct {
	Key   *nets.Linear // W_k, b
	Query *nets.Linear // W_q, no bias (b already shifts every key)
	V     *nets.Tensor // v
}

// NewAttention returns additive attention over encoder states of size d
// for decoder states of size q, with a hidden attention size a.
func NewAttention(rng *rand.Rand, d, q, a int) *Attention {
	at := &Attention{Key: nets.NewLinear(rng, d, a), Query: &nets.Linear{W: nets.NewParam(a, q)}, V: nets.NewParam(a)}
	nets.DefaultInit(rng, at.Query.W, nil)
	bound := 1 / math.Sqrt(float64(a))
	nets.Uniform(rng, at.V, -bound, bound)
	return at
}

// Params lists the parameters in a fixed order.
func (at *Attention) Params() []nets.Param {
	ps := nets.Prefix("key.", at.Key.Params())
	ps = append(ps, nets.Prefix("query.", at.Query.Params())...)
	return append(ps, nets.Param{Name: "v", Tensor: at.V})
}

// Keys returns W_k h + b for encoder states h [S, N, D]: [S, N, A].
func (at *Attention) Keys(tp *nets.Tape, h *nets.Tensor) *nets.Tensor { return at.Key.Forward(tp, h) }

// Forward returns the context c [N, D] and the weights α [N, S] for the
// decoder states q [N, Q], given the keys of Keys and the encoder states
// h [S, N, D]; lengths[n] (1..S) is source n's length.
func (at *Attention) Forward(tp *nets.Tape, keys, h, q *nets.Tensor, lengths []int) (context, alpha *nets.Tensor) {
	alpha = Weights(tp, keys, at.Query.Forward(tp, q), at.V, lengths)
	return Context(tp, alpha, h), alpha
}

// weightsOp is Weights: the scores and their masked softmax in one op.
type weightsOp struct {
	keys, query, v, alpha *nets.Tensor
	lengths               []int
	n, s, a               int
	t                     []float32 // tanh(keys + query) [N, S, A] (row first), kept for the backward pass
	de                    []float32 // dL/de [N, S], from the backward pass
	fwd, bwd              func(lo, hi int)
}

// Weights returns the attention weights α [N, S] of additive attention for
// keys [S, N, A], projected queries [N, A] (W_q q) and v [A]: the softmax
// over s < lengths[n] of vᵀ tanh(keys[n,s] + query[n]), and 0 for s >=
// lengths[n]. Every lengths[n] must be in 1..S.
func Weights(tp *nets.Tape, keys, query, v *nets.Tensor, lengths []int) *nets.Tensor {
	if keys.Rank() != 3 || query.Rank() != 2 || v.Rank() != 1 || query.Shape[0] != keys.Shape[1] ||
		query.Shape[1] != keys.Shape[2] || v.Shape[0] != keys.Shape[2] {
		panic(fmt.Sprintf("seq2seq: attention weights of keys %v, query %v and v %v; want [S, N, A], [N, A], [A]", keys.Shape, query.Shape, v.Shape))
	}
	s, n, a := keys.Shape[0], keys.Shape[1], keys.Shape[2]
	checkLengths(lengths, n, s)
	op, alpha := nets.Record[weightsOp](tp, []int{n, s}, keys, query, v)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.keys, op.query, op.v, op.alpha = keys, query, v, alpha
	op.lengths = append(op.lengths[:0], lengths...)
	op.n, op.s, op.a = n, s, a
	op.t = slices.Grow(op.t[:0], n*s*a)[:n*s*a]
	nets.Parallel(n, s*a, op.fwd)
	return alpha
}

func checkLengths(lengths []int, n, s int) {
	if len(lengths) != n {
		panic(fmt.Sprintf("seq2seq: %d lengths for %d rows", len(lengths), n))
	}
	for i, l := range lengths {
		if l < 1 || l > s {
			panic(fmt.Sprintf("seq2seq: length %d of row %d outside 1..%d", l, i, s))
		}
	}
}

func (op *weightsOp) forwardRows(lo, hi int) {
	s, a, rows := op.s, op.a, op.n
	v := op.v.Data
	for n := lo; n < hi; n++ {
		q := op.query.Data[n*a : (n+1)*a]
		e := op.alpha.Data[n*s : (n+1)*s]
		l := op.lengths[n]
		m := float32(math.Inf(-1))
		for j := range l {
			k := op.keys.Data[(j*rows+n)*a:][:a]
			t := op.t[(n*s+j)*a:][:a]
			for i := range t {
				t[i] = tanh32(k[i] + q[i])
			}
			e[j] = dot(v, t)
			m = max(m, e[j])
		}
		sum := 0.0
		for j := range l {
			x := math.Exp(float64(e[j] - m))
			sum += x
			e[j] = float32(x)
		}
		inv := 1 / sum
		for j := range l {
			e[j] = float32(float64(e[j]) * inv)
		}
		clear(e[l:])
	}
}

// Backward: de = α ⊙ (dα - Σ dα⊙α) over the unmasked positions; with
// t = tanh(k + q), g = de·v⊙(1 - t²) goes to dkeys[n,s] and dquery[n], and
// dv += Σ de·t (summed after the parallel pass, in row order).
func (op *weightsOp) Backward(alpha *nets.Tensor) {
	dk, dq, dv := op.keys.GradBuf(), op.query.GradBuf(), op.v.GradBuf()
	if dk == nil && dq == nil && dv == nil {
		return
	}
	op.de = slices.Grow(op.de[:0], op.n*op.s)[:op.n*op.s]
	nets.Parallel(op.n, op.s*op.a, op.bwd)
	if dv == nil {
		return
	}
	for n := range op.n {
		for j := range op.lengths[n] {
			g := op.de[n*op.s+j]
			t := op.t[(n*op.s+j)*op.a:][:op.a]
			for i, x := range t {
				dv[i] += g * x
			}
		}
	}
}

func (op *weightsOp) backwardRows(lo, hi int) {
	s, a, rows := op.s, op.a, op.n
	v := op.v.Data
	dk, dq := op.keys.Grad, op.query.Grad
	if !op.keys.RequiresGrad() {
		dk = nil
	}
	if !op.query.RequiresGrad() {
		dq = nil
	}
	for n := lo; n < hi; n++ {
		l := op.lengths[n]
		al := op.alpha.Data[n*s:][:l]
		da := op.alpha.Grad[n*s:][:l]
		de := op.de[n*s:][:s]
		var dot float32
		for j, x := range al {
			dot += x * da[j]
		}
		for j, x := range al {
			de[j] = x * (da[j] - dot)
		}
		clear(de[l:])
		for j := range l {
			t := op.t[(n*s+j)*a:][:a]
			for i, x := range t {
				g := de[j] * v[i] * (1 - x*x)
				if dk != nil {
					dk[(j*rows+n)*a+i] += g
				}
				if dq != nil {
					dq[n*a+i] += g
				}
			}
		}
	}
}

// contextOp is Context.
type contextOp struct {
	alpha, h *nets.Tensor
	n, s, d  int
	fwd, bwd func(lo, hi int)
	ctx      *nets.Tensor
}

// Context returns c [N, D], c_n = Σ_s α_{n,s} h_{s,n}, the average of the
// encoder states h [S, N, D] under the weights α [N, S].
func Context(tp *nets.Tape, alpha, h *nets.Tensor) *nets.Tensor {
	if alpha.Rank() != 2 || h.Rank() != 3 || alpha.Shape[0] != h.Shape[1] || alpha.Shape[1] != h.Shape[0] {
		panic(fmt.Sprintf("seq2seq: context of weights %v and states %v; want [N, S] and [S, N, D]", alpha.Shape, h.Shape))
	}
	s, n, d := h.Shape[0], h.Shape[1], h.Shape[2]
	op, ctx := nets.Record[contextOp](tp, []int{n, d}, alpha, h)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.alpha, op.h, op.ctx, op.n, op.s, op.d = alpha, h, ctx, n, s, d
	nets.Parallel(n, s*d, op.fwd)
	return ctx
}

func (op *contextOp) forwardRows(lo, hi int) {
	s, d, rows := op.s, op.d, op.n
	for n := lo; n < hi; n++ {
		c := op.ctx.Data[n*d : (n+1)*d]
		clear(c)
		for j, w := range op.alpha.Data[n*s : (n+1)*s] {
			if w == 0 {
				continue
			}
			for i, x := range op.h.Data[(j*rows+n)*d:][:d] {
				c[i] += w * x
			}
		}
	}
}

// Backward: dα_{n,s} += dc_n · h_{s,n}; dh_{s,n} += α_{n,s} dc_n.
func (op *contextOp) Backward(ctx *nets.Tensor) {
	da, dh := op.alpha.GradBuf(), op.h.GradBuf()
	if da != nil || dh != nil {
		nets.Parallel(op.n, op.s*op.d, op.bwd)
	}
}

func (op *contextOp) backwardRows(lo, hi int) {
	s, d, rows := op.s, op.d, op.n
	da, dh := op.alpha.Grad, op.h.Grad
	if !op.alpha.RequiresGrad() {
		da = nil
	}
	if !op.h.RequiresGrad() {
		dh = nil
	}
	for n := lo; n < hi; n++ {
		dc := op.ctx.Grad[n*d : (n+1)*d]
		for j := range s {
			h := op.h.Data[(j*rows+n)*d:][:d]
			if da != nil {
				da[n*s+j] += dot(dc, h)
			}
			if w := op.alpha.Data[n*s+j]; dh != nil && w != 0 {
				g := dh[(j*rows+n)*d:][:d]
				for i, x := range dc {
					g[i] += w * x
				}
			}
		}
	}
}

// dot returns Σ a[i]·b[i] (len(b) >= len(a)), summed in four interleaved
// partial sums, so that the additions do not wait on each other.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}
