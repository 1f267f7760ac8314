// Package imgset holds the image data the generative models train on (MNIST
// digits, frames collected from envs) as one float32 block in NCHW order,
// and the chores every model shares: copying a mini-batch into a tensor,
// corrupting inputs with noise, and writing a grid of images as a PNG.
package imgset

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/viz/img"
)

// Set is N images of C channels, H rows and W columns with values in
// [0, 1], stored one after the other (NCHW), and their labels when known.
type Set struct {
	Data    []float32 // N*C*H*W values
	Labels  []int     // N labels, or nil
	N       int
	C, H, W int
}

// FromDigits returns MNIST digits as a Set of one channel.
func FromDigits(d data.Digits) Set {
	return Set{Data: d.Images, Labels: d.Labels, N: d.N, C: 1, H: d.Rows, W: d.Cols}
}

// FromFrames returns frames collected from an env as a Set (no labels).
func FromFrames(f data.Frames) Set {
	return Set{Data: f.Images, N: f.N, C: f.C, H: f.H, W: f.W}
}

// Dim returns the values per image, C*H*W.
func (s Set) Dim() int { return s.C * s.H * s.W }

// Image returns image i.
func (s Set) Image(i int) []float32 {
	d := s.Dim()
	return s.Data[i*d : (i+1)*d]
}

// First returns the first n images (all when n <= 0 or n >= N).
func (s Set) First(n int) Set {
	if n <= 0 || n >= s.N {
		return s
	}
	s.Data = s.Data[:n*s.Dim()]
	if s.Labels != nil {
		s.Labels = s.Labels[:n]
	}
	s.N = n
	return s
}

// Select returns a new Set holding the images idx, in that order.
func (s Set) Select(idx []int) Set {
	out := Set{Data: make([]float32, len(idx)*s.Dim()), N: len(idx), C: s.C, H: s.H, W: s.W}
	if s.Labels != nil {
		out.Labels = make([]int, len(idx))
	}
	for i, k := range idx {
		copy(out.Image(i), s.Image(k))
		if s.Labels != nil {
			out.Labels[i] = s.Labels[k]
		}
	}
	return out
}

// Gather copies the images idx into x, resizing its first axis to
// len(idx) within its capacity; x keeps its other axes ([N, D] for dense
// models, [N, C, H, W] for conv ones).
func (s Set) Gather(x *nets.Tensor, idx []int) {
	d := s.Dim()
	if x.Rank() < 2 || x.Size()/x.Shape[0] != d || cap(x.Data) < len(idx)*d {
		panic(fmt.Sprintf("imgset: Gather of %d images of %d values into %v", len(idx), d, x.Shape))
	}
	x.Shape[0] = len(idx)
	x.Data = x.Data[:len(idx)*d]
	for i, k := range idx {
		copy(x.Data[i*d:(i+1)*d], s.Image(k))
	}
}

// Range copies images [lo, hi) into x as Gather does.
func (s Set) Range(x *nets.Tensor, lo, hi int) {
	d := s.Dim()
	if x.Rank() < 2 || x.Size()/x.Shape[0] != d || cap(x.Data) < (hi-lo)*d {
		panic(fmt.Sprintf("imgset: Range of images [%d, %d) of %d values into %v", lo, hi, d, x.Shape))
	}
	x.Shape[0] = hi - lo
	x.Data = x.Data[:(hi-lo)*d]
	copy(x.Data, s.Data[lo*d:hi*d])
}

// Noise kinds for denoising: Masking sets each value to 0 with probability
// Level; Gaussian adds N(0, Level²) and clips to [0, 1] (Vincent et al.
// 2008, 2010).
const (
	Masking  = "masking"
	Gaussian = "gaussian"
)

// Corrupt applies noise of the kind and level to v in place, drawing from
// rng in order (one draw per value).
func Corrupt(v []float32, kind string, level float64, rng *rand.Rand) {
	switch kind {
	case Masking:
		for i := range v {
			if rng.Float64() < level {
				v[i] = 0
			}
		}
	case Gaussian:
		for i, x := range v {
			v[i] = float32(min(max(float64(x)+level*rng.NormFloat64(), 0), 1))
		}
	default:
		panic(fmt.Sprintf("imgset: unknown noise %q", kind))
	}
}

// Blur convolves each channel of every image of s with a Gaussian of
// standard deviation sigma pixels (a kernel of radius ceil(3 sigma),
// normalised to sum 1 over the pixels inside the image, so that borders
// keep their brightness) and returns the result as a new Set.
func Blur(s Set, sigma float64) Set {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
	}
	out := s
	out.Data = make([]float32, len(s.Data))
	tmp := make([]float64, s.H*s.W)
	plane := s.H * s.W
	for p := 0; p < s.N*s.C; p++ {
		src, dst := s.Data[p*plane:(p+1)*plane], out.Data[p*plane:(p+1)*plane]
		for y := 0; y < s.H; y++ { // rows
			for x := 0; x < s.W; x++ {
				sum, wsum := 0.0, 0.0
				for j := max(0, x-r); j <= min(s.W-1, x+r); j++ {
					sum += k[j-x+r] * float64(src[y*s.W+j])
					wsum += k[j-x+r]
				}
				tmp[y*s.W+x] = sum / wsum
			}
		}
		for y := 0; y < s.H; y++ { // columns
			for x := 0; x < s.W; x++ {
				sum, wsum := 0.0, 0.0
				for i := max(0, y-r); i <= min(s.H-1, y+r); i++ {
					sum += k[i-y+r] * tmp[i*s.W+x]
					wsum += k[i-y+r]
				}
				dst[y*s.W+x] = float32(sum / wsum)
			}
		}
	}
	return out
}

// SaveGrid writes n images of c channels, h×w, from data (NCHW, values in
// [0, 1]) as a PNG grid of cols columns (0: near square), each pixel drawn
// as a square of side 56/max(h, w) (at least 1: MNIST's 28×28 doubled, a
// 10×10 grid game's ×5), through a temporary file. Images of other than 1 or 3 channels are
// drawn as colour composites (see Composite).
func SaveGrid(path string, data []float32, n, c, h, w, cols int) error {
	return atomicfile.WriteFunc(path, func(wr io.Writer) error { return WriteGrid(wr, data, n, c, h, w, cols, false) })
}

// WriteGrid encodes the grid of SaveGrid as PNG to wr; normalize stretches
// each image to its own range (for weights).
func WriteGrid(wr io.Writer, data []float32, n, c, h, w, cols int, normalize bool) error {
	if c != 1 && c != 3 {
		data, c = Composite(data, n, c, h, w), 3
	}
	g := img.Grid(data, n, c, h, w, img.GridOptions{Cols: cols, Scale: max(1, 56/max(h, w)), Pad: 2, Normalize: normalize,
		Background: colorGrey})
	return png.Encode(wr, g)
}

// colorGrey separates the images of a grid.
var colorGrey = color.RGBA{96, 96, 96, 255}

// palette colours the channels of a composite (matplotlib's tab10).
var palette = [][3]float32{
	{0.12, 0.47, 0.71}, {1.00, 0.50, 0.05}, {0.17, 0.63, 0.17}, {0.84, 0.15, 0.16}, {0.58, 0.40, 0.74},
	{0.55, 0.34, 0.29}, {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}, {0.74, 0.74, 0.13}, {0.09, 0.75, 0.81},
}

// Composite turns n images of c channels (0/1 object layers, as MinAtar's
// observations) into RGB images: channel k is painted in the k-th colour
// of a ten-colour palette with its value as the opacity, later channels
// over earlier ones, on black.
func Composite(data []float32, n, c, h, w int) []float32 {
	plane := h * w
	out := make([]float32, n*3*plane)
	for i := 0; i < n; i++ {
		src, dst := data[i*c*plane:(i+1)*c*plane], out[i*3*plane:(i+1)*3*plane]
		for k := 0; k < c; k++ {
			col := palette[k%len(palette)]
			for p := 0; p < plane; p++ {
				a := min(max(src[k*plane+p], 0), 1)
				for ch := 0; ch < 3; ch++ {
					dst[ch*plane+p] = (1-a)*dst[ch*plane+p] + a*col[ch]
				}
			}
		}
	}
	return out
}
