package vae

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Sizes of the pictures.
const (
	sampleImages = 64 // a grid of samples from the prior
	reconImages  = 32 // test images and their reconstructions
	manifoldSide = 20 // the 2-D latent manifold is manifoldSide² images
)

// pictures draws a run's grids.
type pictures struct {
	m    Model
	test imgset.Set
	seed uint64
}

// epoch writes the grids of one epoch, named after tag: samples from the
// prior (the same z every epoch), the first test images above their
// reconstructions, and the manifold for a 2-D latent space.
func (p *pictures) epoch(r *run.Run, tag string) error {
	s := p.test
	samples := Samples(p.m, sampleImages, rand.New(rand.NewPCG(p.seed, streamSample)))
	if err := imgset.SaveGrid(r.Path("samples_"+tag+".png"), samples, sampleImages, s.C, s.H, s.W, 8); err != nil {
		return err
	}
	n := min(reconImages, s.N)
	recon := Reconstruct(p.m, s.First(n))
	var rows []float32
	for lo := 0; lo < n; lo += 8 {
		hi := min(lo+8, n)
		rows = append(rows, s.Data[lo*s.Dim():hi*s.Dim()]...)
		rows = append(rows, make([]float32, (8-(hi-lo))*s.Dim())...)
		rows = append(rows, recon[lo*s.Dim():hi*s.Dim()]...)
		rows = append(rows, make([]float32, (8-(hi-lo))*s.Dim())...)
	}
	if err := imgset.SaveGrid(r.Path("reconstructions_"+tag+".png"), rows, len(rows)/s.Dim(), s.C, s.H, s.W, 8); err != nil {
		return err
	}
	if p.m.Latent() == 2 {
		return imgset.SaveGrid(r.Path("manifold_"+tag+".png"), Manifold(p.m, manifoldSide), manifoldSide*manifoldSide, s.C, s.H, s.W, manifoldSide)
	}
	return nil
}

// decode returns the means sigmoid(decoder(z)) of p(x|z) for the rows of z.
func decode(m Model, z *nets.Tensor) []float32 {
	logits := m.Decode(nil, z)
	out := make([]float32, len(logits.Data))
	for i, v := range logits.Data {
		out[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
	return out
}

// Samples returns the means of p(x|z) for n codes z drawn from the prior
// N(0, I) with rng.
func Samples(m Model, n int, rng *rand.Rand) []float32 {
	z := nets.New(n, m.Latent())
	fillNormal(rng, z, n)
	return decode(m, z)
}

// Reconstruct returns the means of p(x|z) at z = μ(x) for s's images.
func Reconstruct(m Model, s imgset.Set) []float32 {
	x := nets.New(s.N, s.Dim())
	s.Range(x, 0, s.N)
	mu, _ := m.Encode(nil, x)
	return decode(m, mu)
}

// Interpolate returns, for each pair (a, b) of s's images, steps images
// decoded along the segment from μ(a) to μ(b), ends included: a row per
// pair.
func Interpolate(m Model, s imgset.Set, pairs [][2]int, steps int) []float32 {
	var ends []int
	for _, p := range pairs {
		ends = append(ends, p[0], p[1])
	}
	mu, _ := m.Encode(nil, withImages(s, ends))
	zd := m.Latent()
	z := nets.New(len(pairs)*steps, zd)
	for i := range pairs {
		a, b := mu.Data[2*i*zd:(2*i+1)*zd], mu.Data[(2*i+1)*zd:(2*i+2)*zd]
		for k := range steps {
			t := float32(k) / float32(max(steps-1, 1))
			row := z.Data[(i*steps+k)*zd:]
			for j := range zd {
				row[j] = (1-t)*a[j] + t*b[j]
			}
		}
	}
	return decode(m, z)
}

// withImages returns the images idx of s as a batch [len(idx), D].
func withImages(s imgset.Set, idx []int) *nets.Tensor {
	x := nets.New(len(idx), s.Dim())
	s.Gather(x, idx)
	return x
}

// Manifold decodes a side×side grid of codes of a 2-D latent space placed
// at the quantiles (i+½)/side of N(0, 1) on each axis, so that each cell
// covers the same prior mass (Kingma and Welling 2014, figure 4): z₁ grows
// to the right, z₂ upwards.
func Manifold(m Model, side int) []float32 {
	if m.Latent() != 2 {
		panic("vae: Manifold of a latent space that is not 2-D")
	}
	z := nets.New(side*side, 2)
	for row := range side {
		for col := range side {
			i := row*side + col
			z.Data[2*i] = float32(normalQuantile((float64(col) + 0.5) / float64(side)))
			z.Data[2*i+1] = float32(normalQuantile((float64(side-1-row) + 0.5) / float64(side)))
		}
	}
	return decode(m, z)
}

// normalQuantile is the inverse CDF of N(0, 1).
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }
