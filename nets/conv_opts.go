package nets

import (
	"fmt"

	"github.com/arcadelab/arcade/nets/kernels"
)

// ConvOpts are a convolution's stride, padding and dilation, as PyTorch's
// nn.Conv2d and nn.ConvTranspose2d take them: each a pair [rows, columns].
// The zero value is stride 1, no padding ("valid"), dilation 1.
type ConvOpts struct {
	// Stride is the step between output positions; 0 means 1.
	Stride [2]int
	// Padding is the zeros added before the first and after the last row
	// (Padding[0]) and column (Padding[1]) of the input. For a transposed
	// convolution it is taken off the output, as in PyTorch.
	Padding [2]int
	// Dilation is the distance between kernel taps; 0 means 1.
	Dilation [2]int
	// Same pads so that the output has the input's size, PyTorch's
	// padding="same": stride 1 only, Padding ignored, dilation·(k-1) zeros
	// per axis split evenly, the odd one after the last row or column.
	// Conv2D only.
	Same bool
	// OutputPadding adds rows and columns at the end of a transposed
	// convolution's output (each less than the stride or the dilation),
	// to pick among the input sizes a strided convolution maps to one
	// size. ConvTranspose2D only.
	OutputPadding [2]int
}

// StridePad returns the options of a convolution with the same stride and
// padding on both axes: StridePad(4, 0) is nn.Conv2d's stride=4.
func StridePad(stride, padding int) ConvOpts {
	return ConvOpts{Stride: [2]int{stride, stride}, Padding: [2]int{padding, padding}}
}

// SamePad is padding="same" (stride 1).
var SamePad = ConvOpts{Same: true}

func orOne(v int) int {
	if v == 0 {
		return 1
	}
	return v
}

// geom resolves the options for a kernel of kh x kw taps on an image of
// c x h x w and returns the geometry of the convolution (its output size
// included); what names the op in panics.
func (o ConvOpts) geom(what string, c, h, w, kh, kw int) kernels.ConvGeom {
	g := kernels.ConvGeom{C: c, H: h, W: w, KH: kh, KW: kw,
		SH: orOne(o.Stride[0]), SW: orOne(o.Stride[1]), DH: orOne(o.Dilation[0]), DW: orOne(o.Dilation[1]),
		PH: o.Padding[0], PW: o.Padding[1]}
	if g.SH < 1 || g.SW < 1 || g.DH < 1 || g.DW < 1 || g.PH < 0 || g.PW < 0 {
		panic(fmt.Sprintf("nets: %s with stride %v, padding %v, dilation %v", what, o.Stride, o.Padding, o.Dilation))
	}
	if o.Same {
		if g.SH != 1 || g.SW != 1 {
			panic(fmt.Sprintf("nets: %s with padding \"same\" and stride %v: same padding wants stride 1", what, o.Stride))
		}
		g.PH, g.PW = g.DH*(kh-1)/2, g.DW*(kw-1)/2
		g.OH, g.OW = h, w
		return g
	}
	spanH, spanW := g.DH*(kh-1)+1, g.DW*(kw-1)+1
	if h+2*g.PH < spanH || w+2*g.PW < spanW {
		panic(fmt.Sprintf("nets: %s of a %dx%d input padded by %v with a %dx%d kernel of dilation %v: the kernel is larger than the padded input",
			what, h, w, o.Padding, kh, kw, o.Dilation))
	}
	g.OH, g.OW = (h+2*g.PH-spanH)/g.SH+1, (w+2*g.PW-spanW)/g.SW+1
	return g
}
