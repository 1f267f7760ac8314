package kernels

import "fmt"

// ConvGeom is the geometry of a 2-D convolution of one image (NCHW, the
// image [C, H, W]) by a kernel of KH x KW taps: the shapes that Im2col and
// Col2im need. The output position (oh, ow) and tap (ki, kj) read the
// input pixel (oh*SH - PH + ki*DH, ow*SW - PW + kj*DW); pixels outside the
// image are zeros. PH and PW are the zeros before the first row and column;
// the zeros after the last ones are whatever OH and OW need (PyTorch's
// padding="same" puts the odd one there).
type ConvGeom struct {
	C, H, W int // input channels, height, width
	KH, KW  int // kernel height and width
	SH, SW  int // strides, at least 1
	PH, PW  int // zeros before the first row and column
	DH, DW  int // dilations, at least 1
	OH, OW  int // output height and width
}

// K returns the rows of the patch matrix, C*KH*KW.
func (g *ConvGeom) K() int { return g.C * g.KH * g.KW }

// P returns the output positions, OH*OW: the columns of the patch matrix.
func (g *ConvGeom) P() int { return g.OH * g.OW }

// check panics unless the geometry is sane and the image and a patch
// matrix with leading dimension ld fit in nImg and nCol floats.
func (g *ConvGeom) check(nImg, nCol, ld int) {
	if g.C < 1 || g.H < 1 || g.W < 1 || g.KH < 1 || g.KW < 1 || g.SH < 1 || g.SW < 1 || g.DH < 1 || g.DW < 1 ||
		g.PH < 0 || g.PW < 0 || g.OH < 1 || g.OW < 1 {
		panic(fmt.Sprintf("kernels: convolution geometry %+v", *g))
	}
	if nImg < g.C*g.H*g.W {
		panic(fmt.Sprintf("kernels: an image of %d floats for %d x %d x %d", nImg, g.C, g.H, g.W))
	}
	if ld < g.P() || nCol < (g.K()-1)*ld+g.P() {
		panic(fmt.Sprintf("kernels: a patch matrix of %d floats with ld %d for %d x %d", nCol, ld, g.K(), g.P()))
	}
}

// span returns the output columns [lo, hi) whose input column
// ow*SW + off lies inside [0, W).
func span(off, stride, w, ow int) (lo, hi int) {
	lo = 0
	if off < 0 {
		lo = (-off + stride - 1) / stride
	}
	hi = 0
	if w-off > 0 {
		hi = (w - off + stride - 1) / stride
	}
	hi = min(hi, ow)
	return min(lo, hi), hi
}

// PhaseFloats returns the size of the scratch that Im2col and Col2im take
// for a strided convolution whose taps cover its input's columns more than
// once: a group of channels' columns split by phase (column mod SW), SW x
// H x ⌈W/SW⌉ floats a channel (see channelGroup); 0 when they go without.
func (g *ConvGeom) PhaseFloats() int {
	if !g.phased() {
		return 0
	}
	return g.channelGroup() * g.phaseChannel()
}

// phaseChannel returns the floats of one channel's phase planes.
func (g *ConvGeom) phaseChannel() int { return g.SW * g.H * ((g.W + g.SW - 1) / g.SW) }

// phaseGroupFloats bounds the phase planes of a group of channels (16 KiB,
// so that they stay in the L1 cache while the taps read them).
const phaseGroupFloats = 4096

// channelGroup returns how many channels Im2col and Col2im take at once:
// each tap's rows of a group of channels are one call of copyRows or
// addRows. All of them without phase planes; with them, as many as have
// their planes in phaseGroupFloats, at least one.
func (g *ConvGeom) channelGroup() int {
	if !g.phased() {
		return g.C
	}
	return max(1, min(g.C, phaseGroupFloats/g.phaseChannel()))
}

// phased reports whether the columns go through phase planes: when the
// horizontal stride is more than 1 and the taps read more pixels than a
// row has, so that gathering each pixel once and copying runs of them
// beats gathering every tap's pixels.
func (g *ConvGeom) phased() bool { return g.SW > 1 && g.KW*g.OW > g.W }

// tapPhase returns the phase plane b and the offset q in it of the
// columns that tap kj reads: input column ow*SW + kj*DW - PW is column
// ow + q of phase b.
func (g *ConvGeom) tapPhase(kj int) (b, q int) {
	t := kj*g.DW - g.PW
	q = t / g.SW
	if t < 0 && t%g.SW != 0 {
		q-- // floor
	}
	return t - q*g.SW, q
}

// Im2col writes the patches of img [C, H, W] into col, the patch matrix
// [C*KH*KW, OH*OW] whose rows are ld floats apart: row (c*KH + ki)*KW + kj
// holds, for every output position, the pixel that tap (ki, kj) of channel
// c reads (0 in the padding). A convolution is then W [Cout, C*KH*KW] times
// col (Chellapilla et al. 2006). phases is scratch of at least
// g.PhaseFloats() floats.
//
// Each row of col is a block of output rows, each a run of pixels of one
// input row, copied (stride 1) or gathered (strided) by copyRows, one call
// a tap for all the channels. A strided convolution whose taps overlap
// first splits the channels' columns by phase (gathering each pixel once),
// then copies its rows' runs from the phase planes.
func Im2col(g *ConvGeom, col []float32, ld int, img, phases []float32) {
	g.check(len(img), len(col), ld)
	g.checkPhases(len(phases))
	cg, taps, plane := g.channelGroup(), g.KH*g.KW, g.H*g.W
	for c := 0; c < g.C; c += cg {
		g.im2colChannels(col[c*taps*ld:], ld, img[c*plane:], phases, min(cg, g.C-c))
	}
}

// im2colChannels is Im2col of the first cn channels of img.
func (g *ConvGeom) im2colChannels(col []float32, ld int, img, phases []float32, cn int) {
	ow, p, plane, taps := g.OW, g.P(), g.H*g.W, g.KH*g.KW
	wp, pc := (g.W+g.SW-1)/g.SW, g.phaseChannel() // a phase plane's row, a channel's planes
	if g.phased() {
		for b := 0; b < g.SW && b < g.W; b++ {
			copyRows(phases[b*g.H*wp:], img[b:], &blockShape{blocks: cn, rows: g.H, n: (g.W - b + g.SW - 1) / g.SW,
				dstBlock: pc, srcBlock: plane, dstStride: wp, srcStride: g.W, step: g.SW})
		}
	}
	// The taps' shape: set field by field (a struct literal is built
	// aside and copied over, and the copy stalls on its fields' stores).
	b := blockShape{blocks: cn, dstBlock: taps * ld, dstStride: ow}
	for ki := 0; ki < g.KH; ki++ {
		// Output rows [r0, r1) read input rows inside the image.
		r0, r1 := span(ki*g.DH-g.PH, g.SH, g.H, g.OH)
		ih := r0*g.SH - g.PH + ki*g.DH // the first one's input row
		for kj := 0; kj < g.KW; kj++ {
			row := ki*g.KW + kj // channel c's row is c*taps + row
			// Output columns [lo, hi) read input columns inside it.
			off := kj*g.DW - g.PW
			lo, hi := span(off, g.SW, g.W, ow)
			switch {
			case lo > 0 || hi < ow || r0 == r1:
				for c := 0; c < cn; c++ {
					clear(col[(c*taps+row)*ld:][:p])
				}
			case r0 > 0 || r1 < g.OH:
				for c := 0; c < cn; c++ {
					dst := col[(c*taps+row)*ld:][:p]
					clear(dst[:r0*ow])
					clear(dst[r1*ow:])
				}
			}
			if lo == hi || r0 == r1 {
				continue
			}
			dst := col[row*ld+r0*ow+lo:]
			b.rows, b.n = r1-r0, hi-lo
			if g.phased() {
				ph, q := g.tapPhase(kj)
				b.srcBlock, b.srcStride, b.step = pc, g.SH*wp, 1
				copyRows(dst, phases[(ph*g.H+ih)*wp+q+lo:], &b)
				continue
			}
			b.srcBlock, b.srcStride, b.step = plane, g.SH*g.W, g.SW
			copyRows(dst, img[ih*g.W+off+lo*g.SW:], &b)
		}
	}
}

// Col2im adds the patch matrix col [C*KH*KW, OH*OW] (rows ld floats apart)
// back into img [C, H, W], each entry onto the pixel Im2col took it from
// (entries of the padding are dropped): the adjoint of Im2col, which turns
// the gradient of the patches into the gradient of the image. Each pixel
// takes its entries in the order of the taps. phases is scratch of at
// least g.PhaseFloats() floats: a strided convolution whose taps overlap
// adds the runs into phase planes, then the planes into the image.
func Col2im(g *ConvGeom, img []float32, col []float32, ld int, phases []float32) {
	g.check(len(img), len(col), ld)
	g.checkPhases(len(phases))
	cg, taps, plane := g.channelGroup(), g.KH*g.KW, g.H*g.W
	for c := 0; c < g.C; c += cg {
		g.col2imChannels(img[c*plane:], col[c*taps*ld:], ld, phases, min(cg, g.C-c))
	}
}

// col2imChannels is Col2im into the first cn channels of img.
func (g *ConvGeom) col2imChannels(img, col []float32, ld int, phases []float32, cn int) {
	ow, plane, taps := g.OW, g.H*g.W, g.KH*g.KW
	wp, pc := (g.W+g.SW-1)/g.SW, g.phaseChannel()
	if g.phased() {
		clear(phases[:cn*pc])
	}
	b := blockShape{blocks: cn, srcBlock: taps * ld, srcStride: ow} // set field by field, as in im2colChannels
	for ki := 0; ki < g.KH; ki++ {
		r0, r1 := span(ki*g.DH-g.PH, g.SH, g.H, g.OH)
		ih := r0*g.SH - g.PH + ki*g.DH
		for kj := 0; kj < g.KW; kj++ {
			row := ki*g.KW + kj
			off := kj*g.DW - g.PW
			lo, hi := span(off, g.SW, g.W, ow)
			if lo == hi || r0 == r1 {
				continue
			}
			src := col[row*ld+r0*ow+lo:]
			b.rows, b.n = r1-r0, hi-lo
			if g.phased() {
				ph, q := g.tapPhase(kj)
				b.dstBlock, b.dstStride, b.step = pc, g.SH*wp, 1
				addRows(phases[(ph*g.H+ih)*wp+q+lo:], src, &b)
				continue
			}
			b.dstBlock, b.dstStride, b.step = plane, g.SH*g.W, g.SW
			addRows(img[ih*g.W+off+lo*g.SW:], src, &b)
		}
	}
	if g.phased() {
		for b := 0; b < g.SW && b < g.W; b++ {
			addRows(img[b:], phases[b*g.H*wp:], &blockShape{blocks: cn, rows: g.H, n: (g.W - b + g.SW - 1) / g.SW,
				dstBlock: plane, srcBlock: pc, dstStride: g.W, srcStride: wp, step: g.SW})
		}
	}
}

// checkPhases panics when the phase scratch is too small.
func (g *ConvGeom) checkPhases(n int) {
	if n < g.PhaseFloats() {
		panic(fmt.Sprintf("kernels: %d floats of phase scratch, want %d", n, g.PhaseFloats()))
	}
}

// rowsInGo makes copyRows and addRows run their Go loops even where
// assembly exists (tests compare the two).
var rowsInGo bool

// blockShape is the shape of a copy or an addition of blocks of rows (a
// block a channel): element j of row r of block b is at b*block +
// r*stride + j on the side of the rows and at b*block + r*stride + j*step
// on the image's side (src for copyRows, dst for addRows). The row
// functions take it by pointer: a copy of the struct made right after its
// fields were set (16-byte loads of 8-byte stores) stalls.
type blockShape struct {
	blocks, rows, n      int
	dstBlock, srcBlock   int
	dstStride, srcStride int
	step                 int
}

// last returns the index of the last row's start on each side, and
// whether there are any elements.
func (b *blockShape) last() (dst, src int, ok bool) {
	if b.blocks <= 0 || b.rows <= 0 || b.n <= 0 {
		return 0, 0, false
	}
	return (b.blocks-1)*b.dstBlock + (b.rows-1)*b.dstStride, (b.blocks-1)*b.srcBlock + (b.rows-1)*b.srcStride, true
}

// copyRows sets dst[i*dstBlock+r*dstStride+j] =
// src[i*srcBlock+r*srcStride+j*step] for i < blocks, r < rows and j < n.
func copyRows(dst, src []float32, b *blockShape) {
	d, s, ok := b.last()
	if !ok {
		return
	}
	_, _ = dst[d+b.n-1], src[s+(b.n-1)*b.step] // in bounds
	if !rowsInGo && copyRowsAsm(&dst[0], &src[0], b.blocks, b.rows, b.n, b.dstBlock, b.srcBlock, b.dstStride, b.srcStride, b.step) {
		return
	}
	for i := 0; i < b.blocks; i++ {
		for r := 0; r < b.rows; r++ {
			d, s := dst[i*b.dstBlock+r*b.dstStride:][:b.n], src[i*b.srcBlock+r*b.srcStride:]
			if b.step == 1 {
				copy(d, s[:b.n])
				continue
			}
			s = s[:(b.n-1)*b.step+1]
			for j := range d {
				d[j] = s[j*b.step]
			}
		}
	}
}

// rowsAsmAdds runs addRows in assembly where there is some. A masked
// vector store counts as the whole vector's width when a later load asks
// whether it overlaps an earlier store, so when a row's last vector would
// reach into the next row, the rows go in several passes (every second
// row, or every third...): otherwise each row's loads would wait for the
// previous row's stores to reach the cache.
func rowsAsmAdds(dst, src []float32, b *blockShape) bool {
	span := (b.n*b.step + 15) &^ 15 // floats the vectors of a row may cover, strided rows conservatively
	passes := min(b.rows, max(1, (span+b.dstStride-1)/b.dstStride))
	ds, ss := b.dstStride, b.srcStride
	for p := 0; p < passes; p++ {
		rows := (b.rows - p + passes - 1) / passes
		if !addRowsAsm(&dst[p*ds], &src[p*ss], b.blocks, rows, b.n, b.dstBlock, b.srcBlock, passes*ds, passes*ss, b.step) {
			return false
		}
	}
	return true
}

// addRows adds dst[i*dstBlock+r*dstStride+j*step] +=
// src[i*srcBlock+r*srcStride+j] for i < blocks, r < rows and j < n.
func addRows(dst, src []float32, b *blockShape) {
	d, s, ok := b.last()
	if !ok {
		return
	}
	_, _ = dst[d+(b.n-1)*b.step], src[s+b.n-1] // in bounds
	if !rowsInGo && rowsAsmAdds(dst, src, b) {
		return
	}
	for i := 0; i < b.blocks; i++ {
		for r := 0; r < b.rows; r++ {
			d, s := dst[i*b.dstBlock+r*b.dstStride:], src[i*b.srcBlock+r*b.srcStride:][:b.n]
			if b.step == 1 {
				d = d[:b.n]
				for j, v := range s {
					d[j] += v
				}
				continue
			}
			d = d[:(b.n-1)*b.step+1]
			for j, v := range s {
				d[j*b.step] += v
			}
		}
	}
}
