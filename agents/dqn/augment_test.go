package dqn

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A 3x3 image read one row down and one column left (each pixel takes
// the value below and to its left), then one row up and two columns
// right; the edge rows and columns are repeated where a read falls off
// the image.
func TestShiftImageByHand(t *testing.T) {
	src := []float32{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	dst := make([]float32, 9)
	shiftImage(dst, src, 1, 3, 3, 1, -1)
	require.Equal(t, []float32{
		4, 4, 5,
		7, 7, 8,
		7, 7, 8,
	}, dst)
	shiftImage(dst, src, 1, 3, 3, -1, 2)
	require.Equal(t, []float32{
		3, 3, 3,
		3, 3, 3,
		6, 6, 6,
	}, dst)
}

// Every offset, those past the image's size included, against the
// definition dst[k, y, x] = src[k, clamp(y+dy), clamp(x+dx)].
func TestShiftImageMatchesItsDefinition(t *testing.T) {
	const c, h, w = 2, 5, 4
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float32, c*h*w)
	for i := range src {
		src[i] = rng.Float32()
	}
	dst := make([]float32, len(src))
	for dy := -7; dy <= 7; dy++ {
		for dx := -7; dx <= 7; dx++ {
			shiftImage(dst, src, c, h, w, dy, dx)
			for k := range c {
				for y := range h {
					for x := range w {
						want := src[(k*h+clamp(y+dy, h))*w+clamp(x+dx, w)]
						require.Equal(t, want, dst[(k*h+y)*w+x], "dy %d dx %d at %d,%d,%d", dy, dx, k, y, x)
					}
				}
			}
		}
	}
}

// The shifter moves each observation of a batch on its own, all of its
// channels alike, by offsets spread evenly over [-pad, pad] each way,
// and the same generator state gives the same shifts.
func TestShifterDrawsEachOffsetEvenly(t *testing.T) {
	const pad, c, h, w, n = 2, 2, 9, 9, 5000
	obs := make([]float32, n*c*h*w)
	for i := range n {
		for k := range c {
			for p := range h * w {
				obs[(i*c+k)*h*w+p] = float32(p + 1000*k) // pixel (y, x) holds y*w + x, plus 1000 per channel
			}
		}
	}
	again := append([]float32(nil), obs...)
	s := newShifter(pad, []int{c, h, w})
	s.apply(obs, rand.New(rand.NewPCG(3, 4)))
	s.apply(again, rand.New(rand.NewPCG(3, 4)))
	require.Equal(t, obs, again)

	counts := map[[2]int]int{}
	for i := range n {
		img := obs[i*c*h*w:]
		centre := int(img[4*w+4]) // the image's centre now holds the pixel (4+dy, 4+dx)
		dy, dx := centre/w-4, centre%w-4
		require.Equal(t, float32(centre+1000), img[h*w+4*w+4], "observation %d: the second channel moved apart from the first", i)
		require.True(t, dy >= -pad && dy <= pad && dx >= -pad && dx <= pad, "offset %d,%d", dy, dx)
		counts[[2]int{dy, dx}]++
	}
	require.Len(t, counts, (2*pad+1)*(2*pad+1))
	for off, k := range counts {
		require.InDelta(t, n/25, k, 60, "offset %v drawn %d times in %d", off, k, n) // expected 200, sd 14
	}
}
