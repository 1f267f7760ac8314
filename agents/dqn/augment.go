package dqn

import "math/rand/v2"

// shifter is DrQ's image augmentation (Kostrikov et al. 2020, "Image
// augmentation is all you need"): each sampled observation and each next
// observation [C, H, W] moves by its own random offset of up to pad
// pixels each way, the border pixels repeated into the space it leaves.
// That is their pad-by-replication and random crop back to H x W. The
// Q-network then learns values that do not hang on where exactly on
// the screen a thing is drawn, which regularizes learning from pixels.
type shifter struct {
	pad, c, h, w int
	tmp          []float32 // one observation, the source of a shift
}

func newShifter(pad int, shape []int) *shifter {
	c, h, w := shape[0], shape[1], shape[2]
	return &shifter{pad: pad, c: c, h: h, w: w, tmp: make([]float32, c*h*w)}
}

// apply shifts every observation in obs, a batch of [C, H, W] rows, by
// offsets drawn from rng two at a time (rows, then columns), one
// observation after another.
func (s *shifter) apply(obs []float32, rng *rand.Rand) {
	n := s.c * s.h * s.w
	for i := 0; i+n <= len(obs); i += n {
		dy := rng.IntN(2*s.pad+1) - s.pad
		dx := rng.IntN(2*s.pad+1) - s.pad
		copy(s.tmp, obs[i:i+n])
		shiftImage(obs[i:i+n], s.tmp, s.c, s.h, s.w, dy, dx)
	}
}

// shiftImage writes dst[k, y, x] = src[k, clamp(y+dy), clamp(x+dx)] for
// images [c, h, w], clamp keeping an index inside the image: the image
// moves by (-dy, -dx), its edge rows and columns repeated.
func shiftImage(dst, src []float32, c, h, w, dy, dx int) {
	for k := range c {
		plane := src[k*h*w : (k+1)*h*w]
		for y := range h {
			row := plane[clamp(y+dy, h)*w:][:w]
			out := dst[(k*h+y)*w:][:w]
			switch {
			case dx >= 0:
				n := copy(out, row[min(dx, w):])
				for x := n; x < w; x++ {
					out[x] = row[w-1]
				}
			default:
				n := min(-dx, w)
				for x := range n {
					out[x] = row[0]
				}
				copy(out[n:], row)
			}
		}
	}
}

// clamp returns i limited to [0, n).
func clamp(i, n int) int {
	return max(0, min(i, n-1))
}
