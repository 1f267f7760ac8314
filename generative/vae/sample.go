package vae

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/data"
)

// WriteSamples draws n samples from the prior (the means of p(x|z) for
// z ~ N(0, I) drawn with rng) as a PNG grid of c×h×w images.
func WriteSamples(w io.Writer, m Model, n int, rng *rand.Rand, c, h, wd int) error {
	return imgset.WriteGrid(w, Samples(m, n, rng), n, c, h, wd, 8, false)
}

// WriteInterpolations draws, for pairs of images of f chosen with rng,
// steps images decoded along the segment between their codes μ, one row
// per pair, as a PNG.
func WriteInterpolations(w io.Writer, m Model, f data.Frames, pairs, steps int, rng *rand.Rand) error {
	if f.N < 2 {
		return fmt.Errorf("vae: interpolations need 2 images or more, not %d", f.N)
	}
	ps := make([][2]int, pairs)
	for i := range ps {
		a := rng.IntN(f.N)
		b := (a + 1 + rng.IntN(f.N-1)) % f.N // another image
		ps[i] = [2]int{a, b}
	}
	s := imgset.FromFrames(f)
	return imgset.WriteGrid(w, Interpolate(m, s, ps, steps), pairs*steps, s.C, s.H, s.W, steps, false)
}

// WriteManifold draws the side×side latent manifold of a 2-D VAE
// (Manifold) as a PNG.
func WriteManifold(w io.Writer, m Model, side, c, h, wd int) error {
	return imgset.WriteGrid(w, Manifold(m, side), side*side, c, h, wd, side, false)
}
