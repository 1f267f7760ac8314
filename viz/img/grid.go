package img

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// GridOptions says how Grid lays images out.
type GridOptions struct {
	Cols       int        // images per row; 0 picks a near-square layout
	Scale      int        // each pixel becomes Scale x Scale; 0 means 1
	Pad        int        // pixels of background between and around images
	Normalize  bool       // stretch each image to its own [min, max] (for weights)
	Background color.RGBA // colour between images; the zero value is black
}

// Grid lays out n images of c channels (1 = grey, 3 = RGB), h rows and w
// columns, stored NCHW in data, in a grid. Values outside [0, 1] are clipped
// unless opts.Normalize is set.
func Grid(data []float32, n, c, h, w int, opts GridOptions) *image.RGBA {
	if c != 1 && c != 3 {
		panic(fmt.Sprintf("img: Grid needs 1 or 3 channels, got %d", c))
	}
	if len(data) != n*c*h*w {
		panic(fmt.Sprintf("img: Grid data has %d values, want n*c*h*w = %d", len(data), n*c*h*w))
	}
	cols := opts.Cols
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(n))))
	}
	if cols > n && n > 0 {
		cols = n
	}
	cols = max(cols, 1)
	rows := (n + cols - 1) / cols
	s := max(opts.Scale, 1)
	cw, ch := w*s+opts.Pad, h*s+opts.Pad
	dst := image.NewRGBA(image.Rect(0, 0, cols*cw+opts.Pad, rows*ch+opts.Pad))
	fillRGBA(dst, opts.Background)
	plane := h * w
	for i := 0; i < n; i++ {
		im := data[i*c*plane : (i+1)*c*plane]
		lo, scale := float32(0), float32(1)
		if opts.Normalize {
			lo, scale = stretch(im)
		}
		x0 := opts.Pad + (i%cols)*cw
		y0 := opts.Pad + (i/cols)*ch
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var px color.RGBA
				if c == 1 {
					g := toByte((im[y*w+x] - lo) * scale)
					px = color.RGBA{g, g, g, 255}
				} else {
					px = color.RGBA{
						toByte((im[y*w+x] - lo) * scale),
						toByte((im[plane+y*w+x] - lo) * scale),
						toByte((im[2*plane+y*w+x] - lo) * scale),
						255,
					}
				}
				for dy := 0; dy < s; dy++ {
					for dx := 0; dx < s; dx++ {
						dst.SetRGBA(x0+x*s+dx, y0+y*s+dy, px)
					}
				}
			}
		}
	}
	return dst
}

// stretch returns the offset and factor that map v's range onto [0, 1].
func stretch(v []float32) (lo, scale float32) {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == lo {
		return lo, 0
	}
	return lo, 1 / (hi - lo)
}

// toByte maps [0, 1] to 0..255, clipping outside values and NaN to 0.
func toByte(v float32) uint8 {
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return 255
	}
	return uint8(v*255 + 0.5)
}

func fillRGBA(dst *image.RGBA, c color.RGBA) {
	for i := 0; i < len(dst.Pix); i += 4 {
		dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = c.R, c.G, c.B, 255
	}
}

// Scale returns src enlarged k times with nearest-neighbour sampling, so
// that game pixels stay sharp squares.
func Scale(src image.Image, k int) *image.RGBA {
	if k < 1 {
		panic(fmt.Sprintf("img: scale factor %d < 1", k))
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			px := color.RGBAModel.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.RGBA)
			for dy := 0; dy < k; dy++ {
				row := dst.Pix[(y*k+dy)*dst.Stride:]
				for dx := 0; dx < k; dx++ {
					o := (x*k + dx) * 4
					row[o], row[o+1], row[o+2], row[o+3] = px.R, px.G, px.B, px.A
				}
			}
		}
	}
	return dst
}
