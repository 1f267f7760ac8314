package gan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/run"
)

// Classifier is the MNIST classifier whose penultimate-layer features the
// Frechet distance compares and whose predictions give the class
// histogram: arcade's LeNet.
type Classifier interface {
	// Classify returns the features [n, F] of n images of 784 values in
	// [0, 1], F, and the predicted digit of each.
	Classify(images []float32, n int) (feats []float32, f int, pred []int)
}

// Report is the evaluation of a generator (DESIGN.md's --json keys of
// arcade train gan) with the class histogram of its samples.
type Report struct {
	FD           float64 `json:"fd"`            // generated samples vs test images
	FDFloor      float64 `json:"fd_floor"`      // training images vs test images
	FDNoised     float64 `json:"fd_noised"`     // test + N(0, 0.3²), clipped, vs test
	FDBlurred    float64 `json:"fd_blurred"`    // test blurred (σ = 1 pixel) vs test
	FDOneDigit   float64 `json:"fd_one_digit"`  // the test images of the digit 1 vs test
	ClassEntropy float64 `json:"class_entropy"` // of the samples' predicted classes, nats
	Histogram    []int   `json:"-"`             // samples per predicted class
	Samples      int     `json:"-"`             // n
}

// Baselines of the evaluation.
const (
	noiseStd  = 0.3 // fd_noised
	blurSigma = 1.0 // fd_blurred, pixels
	oneDigit  = 1   // fd_one_digit
)

// Evaluator scores generators against the first n test images. It fits
// the test images' features once and computes the baselines of Report
// once: the first n training images (the floor), the test images with
// N(0, 0.3²) noise (drawn from the seed's stream streamNoise), blurred,
// and the test images of the digit 1 (at most n of them).
type Evaluator struct {
	c    Classifier
	ref  Gaussian
	base Report
	n    int
	seed uint64
}

// NewEvaluator returns the evaluator of n samples (n capped at the sizes
// of train and test) with the classifier c.
func NewEvaluator(c Classifier, train, test imgset.Set, n int, seed uint64) (*Evaluator, error) {
	n = min(n, test.N, train.N)
	if n < 2 {
		return nil, fmt.Errorf("gan: an evaluation needs 2 images or more, not %d", n)
	}
	var ones []int
	for i, l := range test.Labels {
		if l == oneDigit && len(ones) < n {
			ones = append(ones, i)
		}
	}
	if len(ones) < 2 {
		return nil, fmt.Errorf("gan: the test set has %d images of the digit %d; the evaluation needs 2 or more", len(ones), oneDigit)
	}
	e := &Evaluator{c: c, n: n, seed: seed}
	test = test.First(n)
	e.ref = e.stats(test.Data, n)
	e.base.FDFloor = FrechetDistance(e.stats(train.First(n).Data, n), e.ref)
	noisy := append([]float32(nil), test.Data...)
	imgset.Corrupt(noisy, imgset.Gaussian, noiseStd, rand.New(rand.NewPCG(seed, streamNoise)))
	e.base.FDNoised = FrechetDistance(e.stats(noisy, n), e.ref)
	e.base.FDBlurred = FrechetDistance(e.stats(imgset.Blur(test, blurSigma).Data, n), e.ref)
	one := test.Select(ones)
	e.base.FDOneDigit = FrechetDistance(e.stats(one.Data, one.N), e.ref)
	return e, nil
}

// stats fits a Gaussian to the classifier's features of m images.
func (e *Evaluator) stats(images []float32, m int) Gaussian {
	feats, f, _ := e.c.Classify(images, m)
	return FitGaussian(feats, m, f)
}

// Score returns the Report of samples (images in [0, 1]): their Frechet
// distance to the test images and their class histogram, beside the
// baselines.
func (e *Evaluator) Score(samples []float32) Report {
	m := len(samples) / 784
	feats, f, pred := e.c.Classify(samples, m)
	rep := e.base
	rep.Samples = m
	rep.FD = FrechetDistance(FitGaussian(feats, m, f), e.ref)
	rep.Histogram, rep.ClassEntropy = ClassEntropy(pred, 10)
	return rep
}

// Generator scores n samples of g, generated in batches of batch from
// noise drawn from the seed's stream streamEval: the same noise at every
// call, so that scores of successive epochs compare.
func (e *Evaluator) Generator(g Net, latent, batch int) Report {
	return e.Score(Sample(g, latent, e.n, batch, rand.New(rand.NewPCG(e.seed, streamEval))))
}

// Log writes the report to the run's log.
func (rep Report) Log(r *run.Run) {
	r.Logf("Frechet distance of LeNet features on %d images: samples %.3f; training images (floor) %.3f, test + N(0, %.1f²) %.3f, test blurred (sigma %g) %.3f, the test images of digit %d %.3f",
		rep.Samples, rep.FD, rep.FDFloor, noiseStd, rep.FDNoised, blurSigma, rep.FDBlurred, oneDigit, rep.FDOneDigit)
	r.Logf("predicted classes of the samples %v: entropy %.4f nats (uniform: ln 10 = %.4f)", rep.Histogram, rep.ClassEntropy, math.Log(10))
}

// Metrics writes the samples' scores and the baselines to the metrics at
// step: the baselines at every evaluation, so that curves.png draws each
// as a line rather than a lone point.
func (rep Report) Metrics(r *run.Run, step int64) {
	for _, m := range []struct {
		key string
		v   float64
	}{{"eval/fd", rep.FD}, {"eval/class_entropy", rep.ClassEntropy}, {"eval/fd_floor", rep.FDFloor},
		{"eval/fd_noised", rep.FDNoised}, {"eval/fd_blurred", rep.FDBlurred}, {"eval/fd_one_digit", rep.FDOneDigit}} {
		r.Metric(step, m.key, m.v)
	}
}
