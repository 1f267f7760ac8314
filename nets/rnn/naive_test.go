package rnn

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// naiveLayer is the float64 twin of Layer.Forward, written from the
// equations of each Kind one step and one unit at a time: xs [T][B][In],
// h0 and c0 [B][H] (nil: zero). It returns ys [T][B][H] and the final h
// and c.
func naiveLayer(c *Cell, reverse bool, xs [][][]float64, h0, c0 [][]float64, lengths []int) (ys [][][]float64, h, cs [][]float64) {
	T, B, H := len(xs), len(xs[0]), c.Hidden
	w := func(t *nets.Tensor, i, j, cols int) float64 { return float64(t.Data[i*cols+j]) }
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	h, cs = make([][]float64, B), make([][]float64, B)
	for b := range B {
		h[b], cs[b] = make([]float64, H), make([]float64, H)
		if h0 != nil {
			copy(h[b], h0[b])
		}
		if c0 != nil {
			copy(cs[b], c0[b])
		}
	}
	ys = make([][][]float64, T)
	for t := range T {
		ys[t] = make([][]float64, B)
		for b := range B {
			ys[t][b] = make([]float64, H)
		}
	}
	G := c.Gates()
	for k := range T {
		t := k
		if reverse {
			t = T - 1 - k
		}
		for b := range B {
			if lengths != nil && t >= lengths[b] {
				continue
			}
			// gi[q][j], gh[q][j]: gate block q, unit j.
			gi, gh := make([][]float64, G), make([][]float64, G)
			for q := range G {
				gi[q], gh[q] = make([]float64, H), make([]float64, H)
				for j := range H {
					row := q*H + j
					gi[q][j] = float64(c.BIH.Data[row])
					for i, x := range xs[t][b] {
						gi[q][j] += w(c.WIH, row, i, c.In) * x
					}
					gh[q][j] = float64(c.BHH.Data[row])
					for i, v := range h[b] {
						gh[q][j] += w(c.WHH, row, i, H) * v
					}
				}
			}
			hn, cn := make([]float64, H), make([]float64, H)
			for j := range H {
				hp, cp := h[b][j], cs[b][j]
				switch c.Kind {
				case Vanilla:
					hn[j] = math.Tanh(gi[0][j] + gh[0][j])
				case GRU:
					r, z := sig(gi[0][j]+gh[0][j]), sig(gi[1][j]+gh[1][j])
					n := math.Tanh(gi[2][j] + r*gh[2][j])
					hn[j] = (1-z)*n + z*hp
				case SimpleGRU:
					u, cc := sig(gi[0][j]+gh[0][j]), math.Tanh(gi[1][j]+gh[1][j])
					hn[j] = u*cc + (1-u)*hp
				case LSTM:
					peep := func(r int) float64 {
						if c.Peep == nil {
							return 0
						}
						return float64(c.Peep.Data[r*H+j])
					}
					if c.Opts.Coupled {
						f := sig(gi[0][j] + gh[0][j] + peep(0)*cp)
						g := math.Tanh(gi[1][j] + gh[1][j])
						cn[j] = f*cp + (1-f)*g
						o := sig(gi[2][j] + gh[2][j] + peep(1)*cn[j])
						hn[j] = o * math.Tanh(cn[j])
					} else {
						i := sig(gi[0][j] + gh[0][j] + peep(0)*cp)
						f := sig(gi[1][j] + gh[1][j] + peep(1)*cp)
						g := math.Tanh(gi[2][j] + gh[2][j])
						cn[j] = f*cp + i*g
						o := sig(gi[3][j] + gh[3][j] + peep(2)*cn[j])
						hn[j] = o * math.Tanh(cn[j])
					}
				}
			}
			h[b], cs[b] = hn, cn
			copy(ys[t][b], hn)
		}
	}
	return ys, h, cs
}

// randTensor returns a tensor of the shape with values from U(-s, s).
func randTensor(rng *rand.Rand, s float64, shape ...int) *nets.Tensor {
	t := nets.New(shape...)
	nets.Uniform(rng, t, -s, s)
	return t
}

// nested returns x [T, B, D] as [T][B][D] float64.
func nested3(x *nets.Tensor) [][][]float64 {
	T, B, D := x.Shape[0], x.Shape[1], x.Shape[2]
	out := make([][][]float64, T)
	for t := range T {
		out[t] = nested2(x.Data[t*B*D:(t+1)*B*D], B, D)
	}
	return out
}

// nested2 returns rows x cols values as [rows][cols] float64.
func nested2(x []float32, rows, cols int) [][]float64 {
	out := make([][]float64, rows)
	for r := range rows {
		out[r] = make([]float64, cols)
		for j := range cols {
			out[r][j] = float64(x[r*cols+j])
		}
	}
	return out
}
