package vae

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/nets"
)

// evalBatch is the images per evaluation pass.
const evalBatch = 1000

// TestLoss returns the mean over s's images of -ELBO (NegELBO) with one
// z sample per image, the noise drawn from the PCG stream (seed, stream):
// what pytorch/examples prints as its test loss.
func TestLoss(m Model, s imgset.Set, seed, stream uint64) float64 {
	tp := &nets.Tape{NoGrad: true}
	rng := rand.New(rand.NewPCG(seed, stream))
	x := nets.New(evalBatch, s.Dim())
	eps := nets.New(evalBatch, m.Latent())
	sum := 0.0
	for lo := 0; lo < s.N; lo += evalBatch {
		hi := min(lo+evalBatch, s.N)
		s.Range(x, lo, hi)
		tp.Reset()
		mu, logvar := m.Encode(tp, x)
		fillNormal(rng, eps, hi-lo)
		logits := m.Decode(tp, Reparameterize(tp, mu, logvar, eps))
		loss, _, _ := NegELBO(tp, logits, x, mu, logvar)
		sum += float64(loss.Item())
	}
	return sum / float64(max(s.N, 1))
}

// fillNormal resizes t to n rows and fills it from N(0, 1).
func fillNormal(rng *rand.Rand, t *nets.Tensor, n int) {
	cols := t.Size() / t.Shape[0]
	t.Shape[0], t.Data = n, t.Data[:n*cols]
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
}

// IWNLL returns the importance-weighted estimate of the negative
// log-likelihood in nats, averaged over s's images, with k samples from
// q(z|x) per image (Burda et al. 2016, eq. 8):
//
//	-log p(x) ≈ -log (1/k) Σ_j exp(log p(x|z_j) + log p(z_j) - log q(z_j|x))
//
// with log p(x|z) = -BCE(decoder(z), x) summed over the values (the
// Bernoulli likelihood the model is trained with), p(z) = N(0, I) and
// q(z|x) = N(μ, σ²). Each term is computed in float64 from the float32
// network outputs; the log-sum-exp is shifted by its maximum.
func IWNLL(m Model, s imgset.Set, k int, seed, stream uint64) float64 {
	tp := &nets.Tape{NoGrad: true}
	rng := rand.New(rand.NewPCG(seed, stream))
	d, z := s.Dim(), m.Latent()
	per := max(1, min(evalBatch, 10000/k)) // images per pass: about 10,000 decoded rows
	x := nets.New(per, d)
	zs := nets.New(per*k, z)
	logw := make([]float64, per*k)
	rec := make([]float64, per*k)
	total := 0.0
	for lo := 0; lo < s.N; lo += per {
		hi := min(lo+per, s.N)
		n := hi - lo
		s.Range(x, lo, hi)
		tp.Reset()
		mu, logvar := m.Encode(tp, x)
		zs.Shape[0], zs.Data = n*k, zs.Data[:n*k*z]
		for r := range n * k {
			b := r / k
			lw := 0.0
			for i := range z {
				e := rng.NormFloat64()
				lv := float64(logvar.Data[b*z+i])
				v := float64(mu.Data[b*z+i]) + math.Exp(0.5*lv)*e
				zs.Data[r*z+i] = float32(v)
				// log p(z) - log q(z|x), the 2π terms cancelling
				lw += -0.5*v*v + 0.5*e*e + 0.5*lv
			}
			logw[r] = lw
		}
		logits := m.Decode(tp, zs)
		nets.Parallel(n*k, d, func(r0, r1 int) {
			for r := r0; r < r1; r++ {
				img, l := x.Data[(r/k)*d:(r/k+1)*d], logits.Data[r*d:(r+1)*d]
				s := 0.0
				for j, t := range img {
					v := float64(l[j])
					s += max(v, 0) - v*float64(t) + math.Log1p(math.Exp(-math.Abs(v)))
				}
				rec[r] = s
			}
		})
		for b := range n {
			w := logw[b*k : (b+1)*k]
			top := math.Inf(-1)
			for j := range w {
				w[j] -= rec[b*k+j]
				top = max(top, w[j])
			}
			sum := 0.0
			for _, v := range w {
				sum += math.Exp(v - top)
			}
			total -= top + math.Log(sum/float64(k))
		}
	}
	return total / float64(max(s.N, 1))
}
