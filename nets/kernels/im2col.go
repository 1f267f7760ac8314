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

// Im2col writes the patches of img [C, H, W] into col, the patch matrix
// [C*KH*KW, OH*OW] whose rows are ld floats apart: row (c*KH + ki)*KW + kj
// holds, for every output position, the pixel that tap (ki, kj) of channel
// c reads (0 in the padding). A convolution is then W [Cout, C*KH*KW] times
// col (Chellapilla et al. 2006).
func Im2col(g *ConvGeom, col []float32, ld int, img []float32) {
	g.check(len(img), len(col), ld)
	ow := g.OW
	row := 0
	for c := 0; c < g.C; c++ {
		plane := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				dst := col[row*ld : row*ld+g.P()]
				row++
				off := kj*g.DW - g.PW
				lo, hi := span(off, g.SW, g.W, ow)
				for oh := 0; oh < g.OH; oh++ {
					d := dst[oh*ow : (oh+1)*ow]
					ih := oh*g.SH - g.PH + ki*g.DH
					if ih < 0 || ih >= g.H || lo == hi {
						clear(d)
						continue
					}
					clear(d[:lo])
					clear(d[hi:])
					s := plane[ih*g.W+off+lo*g.SW:]
					if g.SW == 1 {
						copy(d[lo:hi], s)
						continue
					}
					d = d[lo:hi]
					for j := range d {
						d[j] = s[j*g.SW]
					}
				}
			}
		}
	}
}

// Col2im adds the patch matrix col [C*KH*KW, OH*OW] (rows ld floats apart)
// back into img [C, H, W], each entry onto the pixel Im2col took it from
// (entries of the padding are dropped): the adjoint of Im2col, which turns
// the gradient of the patches into the gradient of the image.
func Col2im(g *ConvGeom, img []float32, col []float32, ld int) {
	g.check(len(img), len(col), ld)
	ow := g.OW
	row := 0
	for c := 0; c < g.C; c++ {
		plane := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				src := col[row*ld : row*ld+g.P()]
				row++
				off := kj*g.DW - g.PW
				lo, hi := span(off, g.SW, g.W, ow)
				if lo == hi {
					continue
				}
				for oh := 0; oh < g.OH; oh++ {
					ih := oh*g.SH - g.PH + ki*g.DH
					if ih < 0 || ih >= g.H {
						continue
					}
					s := src[oh*ow+lo : oh*ow+hi]
					d := plane[ih*g.W+off+lo*g.SW:]
					if g.SW == 1 {
						d = d[:len(s)]
						for j, v := range s {
							d[j] += v
						}
						continue
					}
					for j, v := range s {
						d[j*g.SW] += v
					}
				}
			}
		}
	}
}
