package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/envs"
)

// Frames is N observations of an env turned into images of C channels, H
// rows and W columns with values in [0, 1], stored one after the other
// (NCHW): the data set of a VAE of game frames.
type Frames struct {
	Images  []float32 // N*C*H*W values
	N       int
	C, H, W int
}

// AsFrames returns the digits as one-channel frames (sharing their
// values), for the models that train on either.
func (d Digits) AsFrames() Frames {
	return Frames{Images: d.Images, N: d.N, C: 1, H: d.Rows, W: d.Cols}
}

// Actor chooses the action to take on an observation, drawing any
// randomness from rng: a uniformly random policy (RandomActor) or a
// trained agent (agents.Agent's Act with its evaluation epsilon).
type Actor func(obs envs.Obs, rng *rand.Rand) int

// RandomActor picks one of n actions uniformly.
func RandomActor(n int) Actor {
	return func(_ envs.Obs, rng *rand.Rand) int { return rng.IntN(n) }
}

// frameLayout says how an observation becomes an image.
type frameLayout struct {
	c, h, w int
	high    float32 // the largest value, mapped to 1
	src     int     // offset of the frame in the observation (the newest of a stack)
	hwc     bool    // the frame is [H, W, 3], turned into CHW
}

// layoutOf reads the frame layout of an env's observation space:
// [H, W] one channel; [C, H, W] of 0/1 (object layers) as C channels;
// [K, H, W] of pixels (a frame stack) as its newest frame; [H, W, 3] and
// [K, H, W, 3] (colour) as the newest frame in three channels.
func layoutOf(box envs.Box) (frameLayout, error) {
	s := box.Shape
	_, high := box.Bounds(0)
	if box.Dtype != envs.Uint8 || !(high >= 1) {
		return frameLayout{}, fmt.Errorf("observations %s are not images (want uint8 pixels or object layers)", box)
	}
	l := frameLayout{high: float32(high)}
	switch {
	case len(s) == 2:
		l.c, l.h, l.w = 1, s[0], s[1]
	case len(s) == 3 && high == 1:
		l.c, l.h, l.w = s[0], s[1], s[2]
	case len(s) == 3 && s[2] == 3:
		l.c, l.h, l.w, l.hwc = 3, s[0], s[1], true
	case len(s) == 3:
		l.c, l.h, l.w, l.src = 1, s[1], s[2], (s[0]-1)*s[1]*s[2]
	case len(s) == 4 && s[3] == 3:
		l.c, l.h, l.w, l.hwc, l.src = 3, s[1], s[2], true, (s[0]-1)*s[1]*s[2]*3
	default:
		return frameLayout{}, fmt.Errorf("observations %s are not images", box)
	}
	return l, nil
}

// maxFrameValues bounds N*C*H*W of a collection (4 GiB of float32).
const maxFrameValues = 1 << 30

// CollectFrames plays env with act from Seed(seed), resetting it at every
// episode's end, and keeps the observation of every every-th step until
// it has n frames (the first observation of each episode included). It
// checks the observation space first: a vector env or a collection over
// 4 GiB is an error naming the env.
func CollectFrames(name string, env envs.Env, n, every int, seed uint64, act Actor) (Frames, error) {
	if n < 1 || every < 1 {
		return Frames{}, fmt.Errorf("frames of %s: %d frames every %d steps (want 1 or more of each)", name, n, every)
	}
	l, err := layoutOf(env.ObservationSpace())
	if err != nil {
		return Frames{}, fmt.Errorf("frames of %s: %v", name, err)
	}
	size := l.c * l.h * l.w
	if int64(n)*int64(size) > maxFrameValues {
		return Frames{}, fmt.Errorf("frames of %s: %d frames of %dx%dx%d values exceed 4 GiB; collect fewer or smaller ones", name, n, l.c, l.h, l.w)
	}
	f := Frames{Images: make([]float32, n*size), N: n, C: l.c, H: l.h, W: l.w}
	rng := rand.New(rand.NewPCG(seed, 0x6672616d6573)) // "frames": the actor's stream
	env.Seed(seed)
	obs, _ := env.Reset()
	for i, t := 0, 0; i < n; t++ {
		if t%every == 0 {
			l.copy(f.Images[i*size:(i+1)*size], obs.U8)
			i++
		}
		var term, trunc bool
		obs, _, term, trunc, _ = env.Step(act(obs, rng))
		if term || trunc {
			obs, _ = env.Reset()
			t = -1 // keep the first observation of the next episode
		}
	}
	return f, nil
}

// copy writes the frame of the observation obs into dst, scaled to [0, 1].
func (l frameLayout) copy(dst []float32, obs []uint8) {
	src := obs[l.src:]
	if !l.hwc {
		for i := range dst {
			dst[i] = float32(src[i]) / l.high
		}
		return
	}
	plane := l.h * l.w
	for p := range plane {
		for c := range 3 {
			dst[c*plane+p] = float32(src[p*3+c]) / l.high
		}
	}
}
