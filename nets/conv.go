package nets

import (
	"fmt"

	"github.com/arcadelab/arcade/nets/kernels"
)

// convOp is a 2-D convolution (Conv2D) or its transpose (ConvTranspose2D)
// of a batch of images. Both are products of the weight, seen as a matrix
// A [F, K], with patch matrices: Conv2D maps the image side x to the flat
// side y, y_n = A·im2col(x_n); ConvTranspose2D is its adjoint, from the
// flat side x to the image side y, y_n = col2im(Aᵀ·x_n). F is the flat
// side's channels, K = C·kH·kW the patch rows of the image side's C
// channels, P the positions of the flat side (see kernels.ConvGeom).
type convOp struct {
	x, w, b, y *Tensor
	transposed bool
	g          kernels.ConvGeom // of the image side: x for Conv2D, y for ConvTranspose2D
	f          int              // F
	plan       convPlan
	scratch    scratchList
	// The backward pass's parts (see convPlan.parts) and, when there are
	// several, their partial gradients: dw [parts][F·K], db [parts][bias
	// channels].
	parts             int
	dw, db            []float32
	gx, gw, gb        []float32        // the gradients the current backward pass adds into (nil: not needed)
	fwd, bwd, reduceW func(lo, hi int) // built once
}

// Conv2D returns the cross-correlation of x [N, C, H, W] with the weight
// w [Cout, C, kH, kW], plus the bias b [Cout] (nil: none): PyTorch's
// F.conv2d, y [N, Cout, OH, OW] with OH = ⌊(H + 2·pad - dil·(kH-1) - 1) /
// stride⌋ + 1 (see ConvOpts for padding "same"). Any kernel size, stride,
// padding and dilation; 1x1 kernels too.
//
// How: for each group of images, the patches (kernels.Im2col) times the
// weight in one kernels.Sgemm; the backward pass recomputes the patches
// rather than keeping them, so a convolution holds no more than its
// output. Groups run on the worker pool (see convPlan).
func Conv2D(tp *Tape, x, w, b *Tensor, opts ConvOpts) *Tensor {
	if x.Rank() != 4 || w.Rank() != 4 || w.Shape[1] != x.Shape[1] {
		panic(fmt.Sprintf("nets: Conv2D of x %v with weight %v: want x [N, C, H, W] and weight [Cout, C, kH, kW]", x.Shape, w.Shape))
	}
	if opts.OutputPadding != [2]int{} {
		panic("nets: Conv2D with OutputPadding (ConvTranspose2D only)")
	}
	g := opts.geom("Conv2D", x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[2], w.Shape[3])
	shape := [4]int{x.Shape[0], w.Shape[0], g.OH, g.OW}
	op, y := recordConv(tp, shape[:], x, w, b, w.Shape[0])
	op.setup(x, w, b, y, false, g, w.Shape[0])
	op.plan.run(op.fwd)
	return y
}

// ConvTranspose2D returns the transposed convolution of x [N, Cin, H, W]
// with the weight w [Cin, Cout, kH, kW] (PyTorch's layout for
// nn.ConvTranspose2d), plus the bias b [Cout] (nil: none): the gradient of
// Conv2D with respect to its input, used to upsample in decoders and GAN
// generators. y is [N, Cout, OH, OW] with OH = (H-1)·stride - 2·pad +
// dil·(kH-1) + outputPadding + 1, as in PyTorch's F.conv_transpose2d.
func ConvTranspose2D(tp *Tape, x, w, b *Tensor, opts ConvOpts) *Tensor {
	if x.Rank() != 4 || w.Rank() != 4 || w.Shape[0] != x.Shape[1] {
		panic(fmt.Sprintf("nets: ConvTranspose2D of x %v with weight %v: want x [N, Cin, H, W] and weight [Cin, Cout, kH, kW]", x.Shape, w.Shape))
	}
	if opts.Same {
		panic("nets: ConvTranspose2D with padding \"same\" (Conv2D only)")
	}
	kh, kw := w.Shape[2], w.Shape[3]
	var size [2]int
	for a, k := range [2]int{kh, kw} {
		s, d, p, op := orOne(opts.Stride[a]), orOne(opts.Dilation[a]), opts.Padding[a], opts.OutputPadding[a]
		if op < 0 || op >= max(s, d) {
			panic(fmt.Sprintf("nets: ConvTranspose2D output padding %v: want each at least 0 and less than the stride %v or the dilation %v", opts.OutputPadding, opts.Stride, opts.Dilation))
		}
		size[a] = (x.Shape[2+a]-1)*s - 2*p + d*(k-1) + op + 1
		if size[a] < 1 || p < 0 {
			panic(fmt.Sprintf("nets: ConvTranspose2D of x %v with a %dx%d kernel, padding %v: output size %v", x.Shape, kh, kw, opts.Padding, size))
		}
	}
	// The geometry of the convolution that maps y back onto x.
	g := opts.geom("ConvTranspose2D", w.Shape[1], size[0], size[1], kh, kw)
	g.OH, g.OW = x.Shape[2], x.Shape[3]
	shape := [4]int{x.Shape[0], w.Shape[1], size[0], size[1]}
	op, y := recordConv(tp, shape[:], x, w, b, w.Shape[1])
	op.setup(x, w, b, y, true, g, w.Shape[0])
	op.plan.run(op.fwd)
	return y
}

// recordConv checks the bias (of c channels) and records a convOp.
func recordConv(tp *Tape, shape []int, x, w, b *Tensor, c int) (*convOp, *Tensor) {
	if b == nil {
		return Record[convOp](tp, shape, x, w)
	}
	if b.Rank() != 1 || b.Shape[0] != c {
		panic(fmt.Sprintf("nets: convolution bias of shape %v, want [%d]", b.Shape, c))
	}
	return Record[convOp](tp, shape, x, w, b)
}

// setup fills the op for this pass and sizes its scratch buffers.
func (op *convOp) setup(x, w, b, y *Tensor, transposed bool, g kernels.ConvGeom, f int) {
	if op.fwd == nil {
		op.fwd, op.bwd, op.reduceW = op.forwardChunk, op.backwardPart, op.reduceWeight
	}
	op.x, op.w, op.b, op.y, op.transposed, op.g, op.f = x, w, b, y, transposed, g, f
	n, k, p := x.Shape[0], g.K(), g.P()
	op.plan = newConvPlan(n, p, k*p, n*f*k*p)
	op.scratch.reserve(op.plan.threads(), k*op.plan.group*p, f*op.plan.group*p, g.PhaseFloats())
}

// Sizes of one image on each side.
func (op *convOp) imgSize() int  { return op.g.C * op.g.H * op.g.W }
func (op *convOp) flatSize() int { return op.f * op.g.P() }

func (op *convOp) forwardChunk(lo, hi int) {
	s := op.scratch.get()
	defer op.scratch.put(s)
	g, f, k, p := &op.g, op.f, op.g.K(), op.g.P()
	gp := (hi - lo) * p
	col, mat := s.col[:k*gp], s.mat[:f*gp]
	if !op.transposed {
		// mat [F, gP] = b + A [F, K] · col [K, gP] (the bias filled in
		// first, the product added to it); y_n = mat's block. One image's
		// product writes y_n itself.
		for i := lo; i < hi; i++ {
			kernels.Im2col(g, col[(i-lo)*p:], gp, op.x.Data[i*op.imgSize():], s.phases)
		}
		out := op.inPlace(op.y.Data, lo, hi)
		if out == nil {
			out = mat
		}
		beta := float32(0)
		if op.b != nil {
			for c, v := range op.b.Data {
				fill(out[c*gp:(c+1)*gp], v)
			}
			beta = 1
		}
		kernels.Sgemm(false, false, f, gp, k, 1, op.w.Data, k, col, gp, beta, out, gp)
		if hi-lo > 1 {
			op.flatMove(fromMat, mat, op.y.Data, lo, hi)
		}
		return
	}
	// col [K, gP] = Aᵀ [K, F] · x's block [F, gP]; y_n = b + col2im(col_n)
	xg := op.inPlace(op.x.Data, lo, hi)
	if xg == nil {
		xg = mat
		op.flatMove(toGroup, mat, op.x.Data, lo, hi)
	}
	kernels.Sgemm(true, false, k, gp, f, 1, op.w.Data, k, xg, gp, 0, col, gp)
	plane := g.H * g.W
	for i := lo; i < hi; i++ {
		yi := op.y.Data[i*op.imgSize() : (i+1)*op.imgSize()]
		if op.b == nil {
			clear(yi)
		} else {
			for c, v := range op.b.Data {
				fill(yi[c*plane:(c+1)*plane], v)
			}
		}
		kernels.Col2im(g, yi, col[(i-lo)*p:], gp, s.phases)
	}
}

// inPlace returns image lo's block of the flat side t [N, F, P], the
// chunk's group matrix itself, when the chunk is that one image; nil for a
// group of several.
func (op *convOp) inPlace(t []float32, lo, hi int) []float32 {
	if hi-lo != 1 {
		return nil
	}
	return t[lo*op.flatSize() : (lo+1)*op.flatSize()]
}

// Directions of flatMove.
const (
	toGroup  = iota // gather the images into the group matrix
	fromMat         // write the group matrix's blocks into the images
	addToImg        // add the group matrix's blocks into the images
)

// flatMove moves images [lo, hi) of the flat side t [N, F, P] to or from
// the group matrix mat [F, (hi-lo)·P], in the direction dir.
func (op *convOp) flatMove(dir int, mat, t []float32, lo, hi int) {
	p := op.g.P()
	gp := (hi - lo) * p
	for i := lo; i < hi; i++ {
		ti := t[i*op.flatSize():]
		for c := 0; c < op.f; c++ {
			m, v := mat[c*gp+(i-lo)*p:][:p], ti[c*p:(c+1)*p]
			switch dir {
			case toGroup:
				copy(m, v)
			case addToImg:
				addTo(v, m)
			default:
				copy(v, m)
			}
		}
	}
}

// fill sets every element of x to v: the first few one by one, then by
// doubling copies (copy moves whole vectors; a loop of stores does not).
func fill(x []float32, v float32) {
	n := min(len(x), 8)
	for i := range n {
		x[i] = v
	}
	for n < len(x) {
		n += copy(x[n:], x[:n])
	}
}

// Backward: with dY the output's gradient, the input's gradient is the
// other direction of the same product (Conv2D: dx_n = col2im(Aᵀ·dY_n);
// ConvTranspose2D: dx_n = A·im2col(dY_n)), the weight's is the sum over
// images of flat side · patchesᵀ (Conv2D: dY_n·im2col(x_n)ᵀ;
// ConvTranspose2D: x_n·im2col(dY_n)ᵀ), the bias's the sum of dY over
// images and positions. The chunks go in parts (see convPlan.parts); each
// part adds its chunks' weight and bias gradients, in chunk order, into
// its own partial (the gradients themselves for one part), and the
// partials are added up in part order.
func (op *convOp) Backward(y *Tensor) {
	op.gx, op.gw, op.gb = op.x.GradBuf(), op.w.GradBuf(), nil
	if op.b != nil {
		op.gb = op.b.GradBuf()
	}
	if op.gx == nil && op.gw == nil && op.gb == nil || op.plan.chunks == 0 {
		op.gx, op.gw, op.gb = nil, nil, nil
		return
	}
	op.parts = op.plan.parts()
	if op.parts > 1 {
		op.dw, op.db = grow(op.dw, op.parts*len(op.gw)), grow(op.db, op.parts*len(op.gb))
	}
	op.plan.runParts(op.parts, op.bwd)
	if op.parts > 1 {
		Parallel(len(op.gw), op.parts, op.reduceW)
		for c := range op.gb {
			s := op.db[c]
			for pt := 1; pt < op.parts; pt++ {
				s += op.db[pt*len(op.gb)+c]
			}
			op.gb[c] += s
		}
	}
	op.gx, op.gw, op.gb = nil, nil, nil
}

// reduceWeight adds the parts' partial weight gradients, elements
// [lo, hi), in part order into the gradient: the other parts into part
// 0's partial, then that into the gradient.
func (op *convOp) reduceWeight(lo, hi int) {
	n, d0 := len(op.gw), op.dw[lo:hi]
	for pt := 1; pt < op.parts; pt++ {
		addTo(d0, op.dw[pt*n+lo:pt*n+hi])
	}
	addTo(op.gw[lo:hi], d0)
}

// addTo sets d[i] += s[i] for each i.
func addTo(d, s []float32) {
	s = s[:len(d)]
	for i, v := range s {
		d[i] += v
	}
}

// backwardPart runs parts [lo, hi) of the backward pass, each its chunks
// in order.
func (op *convOp) backwardPart(lo, hi int) {
	for pt := lo; pt < hi; pt++ {
		c0, c1 := op.plan.partChunks(pt, op.parts)
		for c := c0; c < c1; c++ {
			op.backwardChunk(c*op.plan.group, min((c+1)*op.plan.group, op.plan.n), pt, c == c0)
		}
	}
}

// partials returns where part pt's weight and bias gradients go, and the
// beta of the weight's product: the gradients themselves (beta 1) when
// there is one part, the part's partials otherwise (beta 0 for its first
// chunk, overwriting what an earlier pass left, 1 after).
func (op *convOp) partials(pt int, first bool) (dw, db []float32, beta float32) {
	if op.parts == 1 {
		return op.gw, op.gb, 1
	}
	beta = 1
	if first {
		beta = 0
	}
	nw, nb := len(op.gw), len(op.gb)
	return op.dw[pt*nw : (pt+1)*nw], op.db[pt*nb : (pt+1)*nb], beta
}

func (op *convOp) backwardChunk(lo, hi, pt int, first bool) {
	s := op.scratch.get()
	defer op.scratch.put(s)
	g, f, k, p := &op.g, op.f, op.g.K(), op.g.P()
	gp := (hi - lo) * p
	col, mat := s.col[:k*gp], s.mat[:f*gp]
	dw, db, beta := op.partials(pt, first)
	dy := op.y.Grad
	if !op.transposed {
		dyg := op.inPlace(dy, lo, hi) // dY's block [F, gP]
		if dyg == nil {
			dyg = mat
			op.flatMove(toGroup, mat, dy, lo, hi)
		}
		if op.gb != nil {
			for c := range f {
				db[c] = float32(start(db[c], beta) + sum64(dyg[c*gp:(c+1)*gp]))
			}
		}
		if op.gw != nil { // dW [F, K] += dY [F, gP] · colᵀ
			for i := lo; i < hi; i++ {
				kernels.Im2col(g, col[(i-lo)*p:], gp, op.x.Data[i*op.imgSize():], s.phases)
			}
			kernels.Sgemm(false, true, f, k, gp, 1, dyg, gp, col, gp, beta, dw, k)
		}
		if op.gx != nil { // dcol [K, gP] = Aᵀ · dY; dx_n += col2im(dcol_n)
			kernels.Sgemm(true, false, k, gp, f, 1, op.w.Data, k, dyg, gp, 0, col, gp)
			for i := lo; i < hi; i++ {
				kernels.Col2im(g, op.gx[i*op.imgSize():], col[(i-lo)*p:], gp, s.phases)
			}
		}
		return
	}
	for i := lo; i < hi; i++ { // the patches of dY
		kernels.Im2col(g, col[(i-lo)*p:], gp, dy[i*op.imgSize():], s.phases)
	}
	if op.gb != nil {
		plane := g.H * g.W
		for c := range g.C {
			t := start(db[c], beta)
			for i := lo; i < hi; i++ {
				t += sum64(dy[i*op.imgSize()+c*plane:][:plane])
			}
			db[c] = float32(t)
		}
	}
	if op.gx != nil { // dx_n += A · col_n
		if dxi := op.inPlace(op.gx, lo, hi); dxi != nil {
			kernels.Sgemm(false, false, f, gp, k, 1, op.w.Data, k, col, gp, 1, dxi, gp)
		} else {
			kernels.Sgemm(false, false, f, gp, k, 1, op.w.Data, k, col, gp, 0, mat, gp)
			op.flatMove(addToImg, mat, op.gx, lo, hi)
		}
	}
	if op.gw != nil { // dW [F, K] += x's block [F, gP] · colᵀ
		xg := op.inPlace(op.x.Data, lo, hi)
		if xg == nil {
			xg = mat
			op.flatMove(toGroup, mat, op.x.Data, lo, hi)
		}
		kernels.Sgemm(false, true, f, k, gp, 1, xg, gp, col, gp, beta, dw, k)
	}
}

// start is where a partial sum begins: v when adding (beta 1), 0 when
// overwriting a stale partial (beta 0).
func start(v, beta float32) float64 {
	if beta == 0 {
		return 0
	}
	return float64(v)
}

// sum64 returns the sum of x in float64, in four interleaved partial sums
// (elements 4i, 4i+1, 4i+2, 4i+3) added at the end: a fixed order, and
// four additions in flight instead of one chain.
func sum64(x []float32) float64 {
	var s0, s1, s2, s3 float64
	n := len(x) &^ 3
	for i := 0; i < n; i += 4 {
		v := x[i : i+4 : i+4]
		s0 += float64(v[0])
		s1 += float64(v[1])
		s2 += float64(v[2])
		s3 += float64(v[3])
	}
	for _, v := range x[n:] {
		s0 += float64(v)
	}
	return (s0 + s1) + (s2 + s3)
}
