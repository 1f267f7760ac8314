package envs

import (
	"encoding/binary"
	"image"
)

// paint is a colour with its ITU-R 601 gray level, for drawing the same
// scene in colour for people and in gray for agents.
type paint struct{ r, g, b, y uint8 }

func rgb(r, g, b uint8) paint { return paint{r, g, b, uint8(luma(r, g, b))} }

// canvas draws filled rectangles given in scene coordinates (a scene of
// sw x sh pixels) into a buffer of w x h pixels of bpp bytes: 1 (gray), 3
// (RGB) or 4 (RGBA). When the sizes differ, edges are scaled to the
// nearest pixel edge and every non-empty rectangle keeps at least one
// pixel, so that small objects (a ball) stay visible in an 84x84 frame.
type canvas struct {
	pix         []uint8
	stride, bpp int
	w, h        int // buffer size in pixels
	sw, sh      int // scene size
}

// rgbaCanvas draws a scene of the image's size at dst's top-left corner.
func rgbaCanvas(dst *image.RGBA, size image.Point) canvas {
	off := dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y)
	return canvas{pix: dst.Pix[off:], stride: dst.Stride, bpp: 4, w: size.X, h: size.Y, sw: size.X, sh: size.Y}
}

// fill paints [x0, x1) x [y0, y1), clipped to the scene.
func (c *canvas) fill(x0, y0, x1, y1 int, p paint) {
	x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, c.sw), min(y1, c.sh)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	if c.w != c.sw {
		x0, x1 = scaleEdges(x0, x1, c.w, c.sw)
	}
	if c.h != c.sh {
		y0, y1 = scaleEdges(y0, y1, c.h, c.sh)
	}
	first := c.pix[y0*c.stride+x0*c.bpp : y0*c.stride+x1*c.bpp]
	switch c.bpp {
	case 1:
		fillBytes(first, p.y)
	case 3:
		for i := 0; i < len(first); i += 3 {
			first[i], first[i+1], first[i+2] = p.r, p.g, p.b
		}
	default:
		for i := 0; i < len(first); i += 4 {
			first[i], first[i+1], first[i+2], first[i+3] = p.r, p.g, p.b, 255
		}
	}
	for y := y0 + 1; y < y1; y++ { // the other rows copy the first
		copy(c.pix[y*c.stride+x0*c.bpp:], first)
	}
}

// scaleEdges maps the span [a, b) of a scene axis of m pixels to an axis
// of n pixels: each edge to the nearest pixel edge, keeping at least one
// pixel (b > a).
func scaleEdges(a, b, n, m int) (int, int) {
	a, b = (a*n+m/2)/m, (b*n+m/2)/m
	if b == a {
		if a == n {
			a--
		}
		b = a + 1
	}
	return a, b
}

// fillBytes sets every byte of b to v, eight at a time.
func fillBytes(b []uint8, v uint8) {
	w := uint64(v) * 0x0101010101010101
	i := 0
	for ; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], w)
	}
	for ; i < len(b); i++ {
		b[i] = v
	}
}

// digitFont holds the digits 0-9 as 3x5 bitmaps, one row per entry, bit 2
// the leftmost pixel.
var digitFont = [10][5]uint8{
	{7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
	{7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
}

// number draws n >= 0 in the digit font with pixels of size px, its right
// edge at x and its top at y.
func (c *canvas) number(n, x, y, px int, p paint) {
	for {
		x -= 4 * px
		glyph := &digitFont[n%10]
		for row, bits := range glyph {
			for col := 0; col < 3; col++ { // one rectangle per run of set bits
				if bits&(4>>col) == 0 {
					continue
				}
				end := col + 1
				for end < 3 && bits&(4>>end) != 0 {
					end++
				}
				c.fill(x+col*px, y+row*px, x+end*px, y+(row+1)*px, p)
				col = end
			}
		}
		if n /= 10; n == 0 {
			return
		}
	}
}

// fillConvex paints the convex polygon pts (in order) into dst, offset by
// dst's origin: the pixels whose centres lie inside it.
func fillConvex(dst *image.RGBA, pts []vec2, p paint) {
	x0, y0, x1, y1 := pts[0].x, pts[0].y, pts[0].x, pts[0].y
	for _, q := range pts[1:] {
		x0, y0, x1, y1 = min(x0, q.x), min(y0, q.y), max(x1, q.x), max(y1, q.y)
	}
	c := rgbaCanvas(dst, dst.Rect.Size())
	for y := int(y0); y <= int(y1); y++ {
		for x := int(x0); x <= int(x1); x++ {
			if insideConvex(pts, vec2{float64(x) + 0.5, float64(y) + 0.5}) {
				c.fill(x, y, x+1, y+1, p)
			}
		}
	}
}

// vec2 is a point in pixels.
type vec2 struct{ x, y float64 }

// insideConvex reports whether q is inside the convex polygon pts, given
// in either winding order.
func insideConvex(pts []vec2, q vec2) bool {
	sign := 0.0
	for i, a := range pts {
		b := pts[(i+1)%len(pts)]
		cross := (b.x-a.x)*(q.y-a.y) - (b.y-a.y)*(q.x-a.x)
		if cross*sign < 0 {
			return false
		}
		if cross != 0 {
			sign = cross
		}
	}
	return true
}

// fillDisc paints the disc of radius r around (cx, cy) into dst.
func fillDisc(dst *image.RGBA, cx, cy, r float64, p paint) {
	c := rgbaCanvas(dst, dst.Rect.Size())
	for y := int(cy - r); y <= int(cy+r); y++ {
		for x := int(cx - r); x <= int(cx+r); x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			if dx*dx+dy*dy <= r*r {
				c.fill(x, y, x+1, y+1, p)
			}
		}
	}
}

// drawGrid paints a [C, rows, cols] 0/1 grid into dst, cell pixels per
// cell: the background, then the cells of each channel of layers in
// colours[channel], later layers on top, with a one-pixel gap between
// cells.
func drawGrid(dst *image.RGBA, cells []uint8, rows, cols, cell int, background paint, colours []paint, layers []int) {
	c := rgbaCanvas(dst, image.Pt(cols*cell, rows*cell))
	c.fill(0, 0, cols*cell, rows*cell, background)
	for _, ch := range layers {
		p := colours[ch]
		plane := cells[ch*rows*cols : (ch+1)*rows*cols]
		for i, v := range plane {
			if v != 0 {
				x, y := i%cols*cell, i/cols*cell
				c.fill(x+1, y+1, x+cell-1, y+cell-1, p)
			}
		}
	}
}
