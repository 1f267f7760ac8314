package nets_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// convCase is one convolution to check: x's shape, the weight's (Conv2D:
// [Cout, C, kH, kW]; ConvTranspose2D: [Cin, Cout, kH, kW]), options, bias.
type convCase struct {
	x, w       []int
	opts       nets.ConvOpts
	bias       bool
	transposed bool
}

func (c convCase) String() string {
	return fmt.Sprintf("x %v w %v %+v bias %v transposed %v", c.x, c.w, c.opts, c.bias, c.transposed)
}

// axis is one spatial axis of a convolution as the naive kernels see it:
// input position = out·stride - before + tap·dil.
type axis struct{ in, out, k, stride, before, dil int }

// axes resolves a case's two spatial axes from first principles
// (PyTorch's formulas), independently of nets' own resolution.
func (c convCase) axes() [2]axis {
	var a [2]axis
	for i := 0; i < 2; i++ {
		k := c.w[2+i]
		s, d := max(1, c.opts.Stride[i]), max(1, c.opts.Dilation[i])
		p := c.opts.Padding[i]
		if c.transposed { // the image side is the output
			out := (c.x[2+i]-1)*s - 2*p + d*(k-1) + c.opts.OutputPadding[i] + 1
			a[i] = axis{in: out, out: c.x[2+i], k: k, stride: s, before: p, dil: d}
			continue
		}
		if c.opts.Same {
			p = d * (k - 1) / 2 // the odd zero goes after
			a[i] = axis{in: c.x[2+i], out: c.x[2+i], k: k, stride: 1, before: p, dil: d}
			continue
		}
		out := 0 // the kernel does not fit
		if num := c.x[2+i] + 2*p - d*(k-1) - 1; num >= 0 {
			out = num/s + 1
		}
		a[i] = axis{in: c.x[2+i], out: out, k: k, stride: s, before: p, dil: d}
	}
	return a
}

// naiveConv computes a case in float64 by its definition, loop by loop:
// the output, and the gradients of x, w and b for an upstream gradient dy.
// For Conv2D the image side is x; for ConvTranspose2D it is y, each
// (image, flat) pair of positions linked by the same weight.
func naiveConv(c convCase, x, w, b, dy []float32) (y, dx, dw, db []float64) {
	a := c.axes()
	n := c.x[0]
	// Channels of the flat side and of the image side: the weight is
	// [flat, image, kH, kW] either way (Conv2D [Cout, C, ...],
	// ConvTranspose2D [Cin, Cout, ...]).
	cflat, cimg := c.w[0], c.w[1]
	img := func(nn, ch, i, j int) int { return ((nn*cimg+ch)*a[0].in+i)*a[1].in + j }
	flat := func(nn, ch, i, j int) int { return ((nn*cflat+ch)*a[0].out+i)*a[1].out + j }
	wi := func(fc, ic, ki, kj int) int { return ((fc*cimg+ic)*a[0].k+ki)*a[1].k + kj }
	ysize, imgSize := n*cflat*a[0].out*a[1].out, n*cimg*a[0].in*a[1].in
	if c.transposed {
		ysize = imgSize
	}
	y, dx, dw, db = make([]float64, ysize), make([]float64, len(x)), make([]float64, len(w)), make([]float64, len(b))
	for nn := 0; nn < n; nn++ {
		for fc := 0; fc < cflat; fc++ {
			for ic := 0; ic < cimg; ic++ {
				for oi := 0; oi < a[0].out; oi++ {
					for oj := 0; oj < a[1].out; oj++ {
						for ki := 0; ki < a[0].k; ki++ {
							for kj := 0; kj < a[1].k; kj++ {
								ii, ij := oi*a[0].stride-a[0].before+ki*a[0].dil, oj*a[1].stride-a[1].before+kj*a[1].dil
								if ii < 0 || ii >= a[0].in || ij < 0 || ij >= a[1].in {
									continue
								}
								im, fl, wk := img(nn, ic, ii, ij), flat(nn, fc, oi, oj), wi(fc, ic, ki, kj)
								if c.transposed { // y (image) += x (flat) · w
									y[im] += float64(x[fl]) * float64(w[wk])
									dx[fl] += float64(dy[im]) * float64(w[wk])
									dw[wk] += float64(dy[im]) * float64(x[fl])
								} else { // y (flat) += x (image) · w
									y[fl] += float64(x[im]) * float64(w[wk])
									dx[im] += float64(dy[fl]) * float64(w[wk])
									dw[wk] += float64(dy[fl]) * float64(x[im])
								}
							}
						}
					}
				}
			}
		}
	}
	if len(b) > 0 {
		for i := range y {
			var ch int
			if c.transposed {
				ch = (i / (a[0].in * a[1].in)) % cimg
			} else {
				ch = (i / (a[0].out * a[1].out)) % cflat
			}
			y[i] += float64(b[ch])
			db[ch] += float64(dy[i])
		}
	}
	return y, dx, dw, db
}

// runConv runs a case through nets on a tape and back-propagates dy; it
// returns the output and the gradients of x, w and b (nil without bias).
func runConv(c convCase, x, w, b *nets.Tensor, dy []float32) (y, dx, dw, db []float32) {
	tp := nets.NewTape()
	x.SetRequiresGrad(true)
	w.SetRequiresGrad(true)
	x.ZeroGrad()
	w.ZeroGrad()
	if b != nil {
		b.SetRequiresGrad(true)
		b.ZeroGrad()
	}
	var out *nets.Tensor
	if c.transposed {
		out = nets.ConvTranspose2D(tp, x, w, b, c.opts)
	} else {
		out = nets.Conv2D(tp, x, w, b, c.opts)
	}
	tp.BackwardFrom(out, dy)
	if b != nil {
		db = b.Grad
	}
	return out.Data, x.Grad, w.Grad, db
}

// requireNear compares with the float64 reference: |got - want| within
// 1e-4 of the largest magnitude in want (float32 sums of up to a few
// hundred terms round to about that).
func requireNear(t *testing.T, want []float64, got []float32, what string) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	scale := 1e-6
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	for i := range want {
		require.InDelta(t, want[i], float64(got[i]), 1e-4*scale, "%s[%d]", what, i)
	}
}

func checkConvCase(t *testing.T, rng *rand.Rand, c convCase) {
	t.Helper()
	x, w := randTensor(rng, -1, 1, c.x...), randTensor(rng, -1, 1, c.w...)
	var b *nets.Tensor
	var bdata []float32
	if c.bias {
		ch := c.w[0]
		if c.transposed {
			ch = c.w[1]
		}
		b = randTensor(rng, -1, 1, ch)
		bdata = b.Data
	}
	a := c.axes()
	cout := c.w[0]
	if c.transposed {
		cout = c.w[1]
	}
	ysize := c.x[0] * cout * a[0].out * a[1].out
	if c.transposed {
		ysize = c.x[0] * cout * a[0].in * a[1].in
	}
	dy := randTensor(rng, -1, 1, ysize).Data
	wy, wdx, wdw, wdb := naiveConv(c, x.Data, w.Data, bdata, dy)
	y, dx, dw, db := runConv(c, x, w, b, dy)
	name := c.String()
	requireNear(t, wy, y, name+" y")
	requireNear(t, wdx, dx, name+" dx")
	requireNear(t, wdw, dw, name+" dw")
	if c.bias {
		requireNear(t, wdb, db, name+" db")
	}
}

func TestConvMatchesNaiveOnRandomShapes(t *testing.T) {
	rng := newRNG(20)
	for it := 0; it < 300; it++ {
		c := convCase{transposed: it%3 == 2, bias: rng.IntN(2) == 0}
		kh, kw := 1+rng.IntN(5), 1+rng.IntN(5)
		c.x = []int{1 + rng.IntN(3), 1 + rng.IntN(4), 1 + rng.IntN(11), 1 + rng.IntN(11)}
		c.w = []int{1 + rng.IntN(5), c.x[1], kh, kw}
		if c.transposed {
			c.w = []int{c.x[1], 1 + rng.IntN(5), kh, kw}
		}
		for a := 0; a < 2; a++ {
			c.opts.Stride[a] = rng.IntN(4) // 0 means 1
			c.opts.Dilation[a] = rng.IntN(3)
			c.opts.Padding[a] = rng.IntN(c.w[2+a])
			c.opts.OutputPadding[a] = 0
			if c.transposed {
				c.opts.OutputPadding[a] = rng.IntN(max(1, c.opts.Stride[a], c.opts.Dilation[a]))
			}
		}
		if !c.transposed && c.opts.Stride == [2]int{} && rng.IntN(3) == 0 {
			c.opts.Same = true
		}
		a := c.axes()
		if a[0].out < 1 || a[1].out < 1 || a[0].in < 1 || a[1].in < 1 {
			continue // the kernel does not fit
		}
		checkConvCase(t, rng, c)
	}
}

func TestConvMatchesNaiveOnBatchesOfSeveralChunks(t *testing.T) {
	rng := newRNG(21)
	for _, c := range []convCase{
		{x: []int{9, 3, 17, 15}, w: []int{5, 3, 3, 3}, opts: nets.StridePad(1, 1), bias: true},
		{x: []int{7, 4, 21, 21}, w: []int{6, 4, 8, 8}, opts: nets.StridePad(4, 0), bias: true},
		{x: []int{6, 8, 7, 7}, w: []int{8, 4, 4, 4}, opts: nets.ConvOpts{Stride: [2]int{2, 2}, Padding: [2]int{1, 1}, OutputPadding: [2]int{1, 0}}, bias: true, transposed: true},
		{x: []int{5, 6, 9, 9}, w: []int{7, 6, 1, 1}},
		// Images of 128 positions or more are chunks of their own, written in place.
		{x: []int{3, 4, 12, 12}, w: []int{4, 2, 3, 3}, opts: nets.StridePad(2, 1), bias: true, transposed: true},
		{x: []int{3, 2, 14, 14}, w: []int{3, 2, 3, 3}, opts: nets.StridePad(1, 1), bias: true},
	} {
		checkConvCase(t, rng, c)
	}
}

func TestConvGradients(t *testing.T) {
	rng := newRNG(22)
	x := randTensor(rng, -1, 1, 2, 3, 5, 6)
	w := randTensor(rng, -1, 1, 4, 3, 3, 2)
	b := randTensor(rng, -1, 1, 4)
	for _, o := range []nets.ConvOpts{
		{},
		nets.StridePad(2, 1),
		{Stride: [2]int{2, 1}, Padding: [2]int{1, 0}, Dilation: [2]int{1, 2}},
		nets.SamePad,
		{Same: true, Dilation: [2]int{2, 1}},
	} {
		check(t, fmt.Sprintf("Conv2D %+v", o), func(tp *nets.Tape) *nets.Tensor { return nets.Conv2D(tp, x, w, b, o) }, x, w, b)
	}
	check(t, "Conv2D no bias", func(tp *nets.Tape) *nets.Tensor { return nets.Conv2D(tp, x, w, nil, nets.ConvOpts{}) }, x, w)
	wt := randTensor(rng, -1, 1, 3, 2, 3, 3)
	bt := randTensor(rng, -1, 1, 2)
	for _, o := range []nets.ConvOpts{
		{},
		{Stride: [2]int{2, 2}, Padding: [2]int{1, 1}, OutputPadding: [2]int{1, 1}},
		{Stride: [2]int{3, 1}, Padding: [2]int{0, 1}, Dilation: [2]int{1, 2}, OutputPadding: [2]int{2, 1}},
	} {
		check(t, fmt.Sprintf("ConvTranspose2D %+v", o), func(tp *nets.Tape) *nets.Tensor { return nets.ConvTranspose2D(tp, x, wt, bt, o) }, x, wt, bt)
	}
}

func TestConvOutputShapes(t *testing.T) {
	x := nets.New(2, 4, 84, 84)
	y := nets.Conv2D(nil, x, nets.New(32, 4, 8, 8), nil, nets.StridePad(4, 0))
	require.Equal(t, []int{2, 32, 20, 20}, y.Shape)
	y = nets.Conv2D(nil, y, nets.New(64, 32, 4, 4), nil, nets.StridePad(2, 0))
	require.Equal(t, []int{2, 64, 9, 9}, y.Shape)
	even := nets.Conv2D(nil, nets.New(1, 1, 5, 6), nets.New(1, 1, 4, 2), nil, nets.SamePad)
	require.Equal(t, []int{1, 1, 5, 6}, even.Shape, "same padding keeps the size with even kernels")
	up := nets.ConvTranspose2D(nil, nets.New(1, 8, 7, 7), nets.New(8, 1, 4, 4), nil, nets.StridePad(2, 1))
	require.Equal(t, []int{1, 1, 14, 14}, up.Shape, "DCGAN's doubling")
	require.PanicsWithValue(t, `nets: Conv2D with padding "same" and stride [2 2]: same padding wants stride 1`, func() {
		nets.Conv2D(nil, x, nets.New(1, 4, 3, 3), nil, nets.ConvOpts{Same: true, Stride: [2]int{2, 2}})
	})
	require.Panics(t, func() { nets.Conv2D(nil, x, nets.New(1, 3, 3, 3), nil, nets.ConvOpts{}) }, "channels differ")
	require.Panics(t, func() { nets.Conv2D(nil, nets.New(1, 1, 2, 2), nets.New(1, 1, 3, 3), nil, nets.ConvOpts{}) }, "kernel too large")
	require.Panics(t, func() { nets.Conv2D(nil, x, nets.New(1, 4, 3, 3), nets.New(2), nets.ConvOpts{}) }, "bias size")
	require.Panics(t, func() {
		nets.ConvTranspose2D(nil, nets.New(1, 8, 7, 7), nets.New(8, 1, 4, 4), nil, nets.ConvOpts{OutputPadding: [2]int{1, 1}})
	}, "output padding not below stride or dilation")
}
