package envs

import (
	"encoding/binary"
	"fmt"
)

// FrameSkip repeats each action for Skip game frames and sums their
// rewards (Mnih et al. 2015). The observation is the pixel-wise maximum of
// the last two frames (frames Skip-1 and Skip of the step), which removes
// the flicker of objects drawn on alternate frames; when the episode ends
// before the last frame, it is the last frame played. Info is the last
// frame's. The inner observation must be uint8 pixels.
type FrameSkip struct {
	Env
	Skip      int
	prev, max []uint8 // frame Skip-1, and the max that Step returns
}

// NewFrameSkip wraps env with skip frames per step (at least 1).
func NewFrameSkip(env Env, skip int) *FrameSkip {
	if skip < 1 {
		panic(fmt.Sprintf("envs: FrameSkip of %d frames; want at least 1", skip))
	}
	space := env.ObservationSpace()
	if space.Dtype != Uint8 {
		panic("envs: FrameSkip max-pools pixel frames; the observation must be uint8, not " + string(space.Dtype))
	}
	n := space.Size()
	return &FrameSkip{Env: env, Skip: skip, prev: make([]uint8, n), max: make([]uint8, n)}
}

// Inner returns the wrapped env.
func (w *FrameSkip) Inner() Env { return w.Env }

// Step plays action for Skip frames or until the episode ends.
func (w *FrameSkip) Step(action int) (obs Obs, reward float64, terminated, truncated bool, info Info) {
	last := 0
	for i := range w.Skip {
		var r float64
		obs, r, terminated, truncated, info = w.Env.Step(action)
		reward += r
		last = i
		if terminated || truncated {
			break
		}
		if i == w.Skip-2 {
			copy(w.prev, obs.U8)
		}
	}
	if w.Skip > 1 && last == w.Skip-1 {
		maxBytes(w.max, w.prev, obs.U8)
		obs.U8 = w.max
	}
	return obs, reward, terminated, truncated, info
}

// maxBytes sets dst[i] = max(a[i], b[i]), eight bytes at a time.
func maxBytes(dst, a, b []uint8) {
	const lo7, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	a, b = a[:len(dst)], b[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		x := binary.LittleEndian.Uint64(a[i : i+8])
		y := binary.LittleEndian.Uint64(b[i : i+8])
		// Per byte: the high bit of t is set when x's low 7 bits >= y's;
		// x >= y when x has the high bit and y not, or both agree on it
		// and t says so.
		t := (x | hi) - (y & lo7)
		ge := (x&^y | ^(x^y)&t) & hi
		mask := (ge >> 7) * 0xff
		binary.LittleEndian.PutUint64(dst[i:i+8], x&mask|y&^mask)
	}
	for ; i < len(dst); i++ {
		dst[i] = max(a[i], b[i])
	}
}

// FrameStack stacks the last K observations along a new first axis, oldest
// first: after Step t the observation is [o(t-K+1), ..., o(t)], shape
// [K, ...inner shape]. At Reset the first observation is repeated K times
// (as Gymnasium's FrameStackObservation with padding_type "reset"), so
// frame K-1 is always the newest. A replay memory that stores single frames
// rebuilds a stack from the last K frames of an episode, repeating its
// first frame where the episode is younger than K steps.
type FrameStack struct {
	Env
	K     int
	frame int // values per inner observation
	shape []int
	u8    []uint8
	f32   []float32
}

// NewFrameStack wraps env with a stack of k observations (at least 1).
func NewFrameStack(env Env, k int) *FrameStack {
	if k < 1 {
		panic(fmt.Sprintf("envs: FrameStack of %d frames; want at least 1", k))
	}
	space := env.ObservationSpace()
	w := &FrameStack{Env: env, K: k, frame: space.Size(), shape: append([]int{k}, space.Shape...)}
	if space.Dtype == Uint8 {
		w.u8 = make([]uint8, k*w.frame)
	} else {
		w.f32 = make([]float32, k*w.frame)
	}
	return w
}

// Inner returns the wrapped env.
func (w *FrameStack) Inner() Env { return w.Env }

// ObservationSpace is the inner space with a new first axis of K.
func (w *FrameStack) ObservationSpace() Box {
	s := w.Env.ObservationSpace()
	s.Shape = w.shape
	if len(s.Low) > 1 {
		low, high := make([]float64, 0, w.K*len(s.Low)), make([]float64, 0, w.K*len(s.High))
		for range w.K {
			low, high = append(low, s.Low...), append(high, s.High...)
		}
		s.Low, s.High = low, high
	}
	return s
}

// Reset fills the stack with K copies of the first observation.
func (w *FrameStack) Reset() (Obs, Info) {
	obs, info := w.Env.Reset()
	for j := range w.K {
		if w.u8 != nil {
			copy(w.u8[j*w.frame:], obs.U8)
		} else {
			copy(w.f32[j*w.frame:], obs.F32)
		}
	}
	return w.obs(), info
}

// Step drops the oldest observation and appends the new one.
func (w *FrameStack) Step(action int) (Obs, float64, bool, bool, Info) {
	obs, r, term, trunc, info := w.Env.Step(action)
	last := (w.K - 1) * w.frame
	if w.u8 != nil {
		copy(w.u8, w.u8[w.frame:])
		copy(w.u8[last:], obs.U8)
	} else {
		copy(w.f32, w.f32[w.frame:])
		copy(w.f32[last:], obs.F32)
	}
	return w.obs(), r, term, trunc, info
}

func (w *FrameStack) obs() Obs { return Obs{Shape: w.shape, U8: w.u8, F32: w.f32} }

// GrayObserver is an env that can draw its observation itself as a
// grayscale frame of any size; the pixel games do. GrayscaleResize asks it
// to, so that frames are drawn straight at 84x84 instead of being drawn in
// colour and resized (DESIGN.md: about 1 µs per frame).
type GrayObserver interface {
	// ObserveGray makes the observation a grayscale frame of shape
	// [height, width] from the next Reset or Step on.
	ObserveGray(width, height int)
}

// GrayscaleResize turns the observation into a grayscale frame of shape
// [H, W], uint8 0..255 with ITU-R 601 luma weights. An inner env that is a
// GrayObserver draws the frame itself at that size; any other inner
// observation of shape [h, w, 3] (RGB) or [h, w] (gray) is converted and
// resized by averaging the source pixels that fall in each target pixel.
type GrayscaleResize struct {
	Env
	W, H   int
	direct bool
	src    []int // the inner shape when converting
	shape  []int
	buf    []uint8
}

// NewGrayscaleResize wraps env with frames of width w and height h.
func NewGrayscaleResize(env Env, w, h int) *GrayscaleResize {
	if w < 1 || h < 1 {
		panic(fmt.Sprintf("envs: GrayscaleResize to %dx%d; want a positive size", w, h))
	}
	g := &GrayscaleResize{Env: env, W: w, H: h, shape: []int{h, w}}
	if o, ok := env.(GrayObserver); ok {
		o.ObserveGray(w, h)
		g.direct = true
		return g
	}
	s := env.ObservationSpace()
	if s.Dtype != Uint8 || !(len(s.Shape) == 2 || len(s.Shape) == 3 && s.Shape[2] == 3) {
		panic(fmt.Sprintf("envs: GrayscaleResize needs uint8 frames [h, w, 3] or [h, w], got %s %v", s.Dtype, s.Shape))
	}
	g.src, g.buf = s.Shape, make([]uint8, w*h)
	return g
}

// Inner returns the wrapped env.
func (w *GrayscaleResize) Inner() Env { return w.Env }

// ObservationSpace is a grayscale frame [H, W].
func (w *GrayscaleResize) ObservationSpace() Box { return uniformBox(Uint8, 0, 255, w.H, w.W) }

// Reset resets the inner env and converts its frame.
func (w *GrayscaleResize) Reset() (Obs, Info) {
	obs, info := w.Env.Reset()
	return w.convert(obs), info
}

// Step plays a step and converts its frame.
func (w *GrayscaleResize) Step(action int) (Obs, float64, bool, bool, Info) {
	obs, r, term, trunc, info := w.Env.Step(action)
	return w.convert(obs), r, term, trunc, info
}

func (w *GrayscaleResize) convert(obs Obs) Obs {
	if w.direct {
		return obs
	}
	sh, sw, ch := w.src[0], w.src[1], 1
	if len(w.src) == 3 {
		ch = 3
	}
	for y := range w.H {
		y0, y1 := span(y, w.H, sh)
		for x := range w.W {
			x0, x1 := span(x, w.W, sw)
			sum := 0
			for sy := y0; sy < y1; sy++ {
				row := obs.U8[(sy*sw+x0)*ch : (sy*sw+x1)*ch]
				for i := 0; i < len(row); i += ch {
					if ch == 3 {
						sum += luma(row[i], row[i+1], row[i+2])
					} else {
						sum += int(row[i])
					}
				}
			}
			n := (y1 - y0) * (x1 - x0)
			w.buf[y*w.W+x] = uint8((sum + n/2) / n)
		}
	}
	return Obs{Shape: w.shape, U8: w.buf}
}

// span returns the source pixels [lo, hi) of target pixel i of n, when the
// source has m pixels: at least one.
func span(i, n, m int) (lo, hi int) {
	lo, hi = i*m/n, (i+1)*m/n
	return lo, max(hi, lo+1)
}

// luma is the ITU-R 601 gray level of a colour, rounded.
func luma(r, g, b uint8) int {
	return (299*int(r) + 587*int(g) + 114*int(b) + 500) / 1000
}
