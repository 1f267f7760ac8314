package ae

import (
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/nets"
)

// Scores are reconstruction errors averaged over images: BCE summed over
// the pixels in nats, with the reconstruction clamped to [1e-7, 1-1e-7],
// and the squared error averaged over the pixels.
type Scores struct {
	BCE, MSE float64
}

// clampEps keeps log(p) and log(1-p) finite in the BCE of a score.
const clampEps = 1e-7

// scorer accumulates Scores image by image, in float64.
type scorer struct {
	bce, se float64
	n, d    int
}

// add scores the images of recon against target (both n*d values).
func (s *scorer) add(recon, target []float32, d int) {
	s.d = d
	for i, p := range recon {
		q := min(max(float64(p), clampEps), 1-clampEps)
		t := float64(target[i])
		s.bce -= t*math.Log(q) + (1-t)*math.Log(1-q)
		e := float64(p) - t
		s.se += e * e
	}
	s.n += len(recon) / d
}

func (s *scorer) scores() Scores {
	if s.n == 0 {
		return Scores{}
	}
	return Scores{BCE: s.bce / float64(s.n), MSE: s.se / float64(s.n*s.d)}
}

// Noise is the corruption of a denoising autoencoder's inputs: Kind
// imgset.Masking or imgset.Gaussian ("" none) at Level.
type Noise struct {
	Kind  string  `json:"noise"`
	Level float64 `json:"noise_level"`
}

// Eval is an autoencoder's score on a test set.
type Eval struct {
	Scores
	// Noisy scores the corrupted inputs themselves as reconstructions of
	// the clean images (a denoising autoencoder's baseline); zero without
	// noise.
	Noisy Scores
	// Activity is the fraction of (image, unit) pairs where a ReLU code is
	// positive; NaN for other codes.
	Activity float64
	// CodeMean and CodeStd are each code unit's mean and standard
	// deviation over the test images.
	CodeMean, CodeStd []float64
}

// evalBatch is the images per evaluation pass.
const evalBatch = 1000

// Evaluate scores m on s: the reconstructions of the inputs, corrupted by
// noise drawn from the PCG stream (seed, stream) when noise.Kind is set,
// against the clean images. It runs on tp in evaluation mode.
func Evaluate(tp *nets.Tape, m Autoencoder, s imgset.Set, noise Noise, seed, stream uint64) Eval {
	d, z := s.Dim(), m.CodeSize()
	x := nets.New(evalBatch, d)
	clean := make([]float32, evalBatch*d)
	recon := make([]float32, evalBatch*d)
	rng := rand.New(rand.NewPCG(seed, stream))
	var sc, noisy scorer
	sum, sumSq := make([]float64, z), make([]float64, z)
	active := 0
	for lo := 0; lo < s.N; lo += evalBatch {
		hi := min(lo+evalBatch, s.N)
		s.Range(x, lo, hi)
		c := clean[:len(x.Data)]
		copy(c, x.Data)
		if noise.Kind != "" {
			imgset.Corrupt(x.Data, noise.Kind, noise.Level, rng)
			noisy.add(x.Data, c, d)
		}
		tp.Reset()
		h := m.Encode(tp, x)
		logits := m.Decode(tp, h)
		r := recon[:len(x.Data)]
		sigmoidInto(r, logits.Data)
		sc.add(r, c, d)
		for i, v := range h.Data {
			sum[i%z] += float64(v)
			sumSq[i%z] += float64(v) * float64(v)
			if v > 0 {
				active++
			}
		}
	}
	e := Eval{Scores: sc.scores(), Noisy: noisy.scores(), Activity: math.NaN(),
		CodeMean: make([]float64, z), CodeStd: make([]float64, z)}
	if m.CodeActivation() == ReLU && s.N > 0 {
		e.Activity = float64(active) / float64(s.N*z)
	}
	for i := range z {
		mu := sum[i] / float64(max(s.N, 1))
		e.CodeMean[i] = mu
		e.CodeStd[i] = math.Sqrt(max(sumSq[i]/float64(max(s.N, 1))-mu*mu, 0))
	}
	return e
}

// EvaluatePCA scores PCA's reconstructions of s's images, corrupted as
// Evaluate corrupts them (the same draws), against the clean images.
func EvaluatePCA(p *PCA, s imgset.Set, noise Noise, seed, stream uint64) Scores {
	d := s.Dim()
	rng := rand.New(rand.NewPCG(seed, stream))
	in := make([]float32, evalBatch*d)
	recon := make([]float32, evalBatch*d)
	var sc scorer
	for lo := 0; lo < s.N; lo += evalBatch {
		hi := min(lo+evalBatch, s.N)
		n := (hi - lo) * d
		copy(in[:n], s.Data[lo*d:hi*d])
		if noise.Kind != "" {
			imgset.Corrupt(in[:n], noise.Kind, noise.Level, rng)
		}
		p.Reconstruct(recon[:n], in[:n])
		sc.add(recon[:n], s.Data[lo*d:hi*d], d)
	}
	return sc.scores()
}

// sigmoidInto writes sigmoid(logits) into dst.
func sigmoidInto(dst, logits []float32) {
	for i, v := range logits {
		if v >= 0 {
			dst[i] = float32(1 / (1 + math.Exp(-float64(v))))
		} else {
			e := math.Exp(float64(v))
			dst[i] = float32(e / (1 + e))
		}
	}
}
