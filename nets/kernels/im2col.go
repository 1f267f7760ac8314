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
// once: its columns split by phase (column mod SW), SW x H x ⌈W/SW⌉
// floats; 0 when they go without.
func (g *ConvGeom) PhaseFloats() int {
	if !g.phased() {
		return 0
	}
	return g.SW * g.H * ((g.W + g.SW - 1) / g.SW)
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
// input row, copied (stride 1) or gathered (strided) by copyRows. A
// strided convolution whose taps overlap first splits each channel's
// columns by phase (gathering each pixel once), then copies its rows'
// runs from the phase planes.
func Im2col(g *ConvGeom, col []float32, ld int, img, phases []float32) {
	g.check(len(img), len(col), ld)
	g.checkPhases(len(phases))
	ow, p, plane := g.OW, g.P(), g.H*g.W
	wp := (g.W + g.SW - 1) / g.SW // a phase plane's row
	row := 0
	for c := 0; c < g.C; c++ {
		if g.phased() {
			for b := 0; b < g.SW && b < g.W; b++ {
				copyRows(phases[b*g.H*wp:], img[c*plane+b:], g.H, (g.W-b+g.SW-1)/g.SW, wp, g.W, g.SW)
			}
		}
		for ki := 0; ki < g.KH; ki++ {
			// Output rows [r0, r1) read input rows inside the image.
			r0, r1 := span(ki*g.DH-g.PH, g.SH, g.H, g.OH)
			ih := r0*g.SH - g.PH + ki*g.DH // the first one's input row
			for kj := 0; kj < g.KW; kj++ {
				dst := col[row*ld : row*ld+p]
				row++
				// Output columns [lo, hi) read input columns inside it.
				off := kj*g.DW - g.PW
				lo, hi := span(off, g.SW, g.W, ow)
				if lo > 0 || hi < ow || r0 == r1 {
					clear(dst)
				} else {
					clear(dst[:r0*ow])
					clear(dst[r1*ow:])
				}
				if lo == hi || r0 == r1 {
					continue
				}
				if g.phased() {
					b, q := g.tapPhase(kj)
					copyRows(dst[r0*ow+lo:], phases[(b*g.H+ih)*wp+q+lo:], r1-r0, hi-lo, ow, g.SH*wp, 1)
					continue
				}
				first := c*plane + ih*g.W + off + lo*g.SW
				copyRows(dst[r0*ow+lo:], img[first:], r1-r0, hi-lo, ow, g.SH*g.W, g.SW)
			}
		}
	}
}

// Col2im adds the patch matrix col [C*KH*KW, OH*OW] (rows ld floats apart)
// back into img [C, H, W], each entry onto the pixel Im2col took it from
// (entries of the padding are dropped): the adjoint of Im2col, which turns
// the gradient of the patches into the gradient of the image. phases is
// scratch of at least g.PhaseFloats() floats: a strided convolution whose
// taps overlap adds each channel's runs into phase planes, then the planes
// into the image.
func Col2im(g *ConvGeom, img []float32, col []float32, ld int, phases []float32) {
	g.check(len(img), len(col), ld)
	g.checkPhases(len(phases))
	ow, p, plane := g.OW, g.P(), g.H*g.W
	wp := (g.W + g.SW - 1) / g.SW
	row := 0
	for c := 0; c < g.C; c++ {
		if g.phased() {
			clear(phases[:g.PhaseFloats()])
		}
		for ki := 0; ki < g.KH; ki++ {
			r0, r1 := span(ki*g.DH-g.PH, g.SH, g.H, g.OH)
			ih := r0*g.SH - g.PH + ki*g.DH
			for kj := 0; kj < g.KW; kj++ {
				src := col[row*ld : row*ld+p]
				row++
				off := kj*g.DW - g.PW
				lo, hi := span(off, g.SW, g.W, ow)
				if lo == hi || r0 == r1 {
					continue
				}
				if g.phased() {
					b, q := g.tapPhase(kj)
					addRows(phases[(b*g.H+ih)*wp+q+lo:], src[r0*ow+lo:], r1-r0, hi-lo, g.SH*wp, ow, 1)
					continue
				}
				first := c*plane + ih*g.W + off + lo*g.SW
				addRows(img[first:], src[r0*ow+lo:], r1-r0, hi-lo, g.SH*g.W, ow, g.SW)
			}
		}
		if g.phased() {
			for b := 0; b < g.SW && b < g.W; b++ {
				addRows(img[c*plane+b:], phases[b*g.H*wp:], g.H, (g.W-b+g.SW-1)/g.SW, g.W, wp, g.SW)
			}
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

// copyRows sets dst[r*dstStride+j] = src[r*srcStride+j*step] for r < rows
// and j < n.
func copyRows(dst, src []float32, rows, n, dstStride, srcStride, step int) {
	_, _ = dst[(rows-1)*dstStride+n-1], src[(rows-1)*srcStride+(n-1)*step] // in bounds
	if !rowsInGo && copyRowsAsm(&dst[0], &src[0], rows, n, dstStride, srcStride, step) {
		return
	}
	for r := 0; r < rows; r++ {
		d, s := dst[r*dstStride:r*dstStride+n], src[r*srcStride:]
		if step == 1 {
			copy(d, s[:n])
			continue
		}
		s = s[:(n-1)*step+1]
		for j := range d {
			d[j] = s[j*step]
		}
	}
}

// rowsAsmAdds runs addRows in assembly where there is some. A masked
// vector store counts as the whole vector's width when a later load asks
// whether it overlaps an earlier store, so when a row's last vector would
// reach into the next row, the rows go in several passes (every second
// row, or every third...): otherwise each row's loads would wait for the
// previous row's stores to reach the cache.
func rowsAsmAdds(dst, src []float32, rows, n, dstStride, srcStride, step int) bool {
	span := (n*step + 15) &^ 15 // floats the vectors of a row may cover, strided rows conservatively
	passes := min(rows, max(1, (span+dstStride-1)/dstStride))
	for p := 0; p < passes; p++ {
		if !addRowsAsm(&dst[p*dstStride], &src[p*srcStride], (rows-p+passes-1)/passes, n, passes*dstStride, passes*srcStride, step) {
			return false
		}
	}
	return true
}

// addRows adds dst[r*dstStride+j*step] += src[r*srcStride+j] for r < rows
// and j < n.
func addRows(dst, src []float32, rows, n, dstStride, srcStride, step int) {
	_, _ = dst[(rows-1)*dstStride+(n-1)*step], src[(rows-1)*srcStride+n-1] // in bounds
	if !rowsInGo && rowsAsmAdds(dst, src, rows, n, dstStride, srcStride, step) {
		return
	}
	for r := 0; r < rows; r++ {
		d, s := dst[r*dstStride:], src[r*srcStride:r*srcStride+n]
		if step == 1 {
			d = d[:n]
			for j, v := range s {
				d[j] += v
			}
			continue
		}
		d = d[:(n-1)*step+1]
		for j, v := range s {
			d[j*step] += v
		}
	}
}
