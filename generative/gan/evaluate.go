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

// EvaluateGenerator scores n samples of g (noise drawn from the seed's
// evaluation stream, generated in batches of batch) against the first n
// test images, beside the baselines of Report computed from the same test
// images (and the first n training images).
func EvaluateGenerator(c Classifier, g Net, latent, batch int, train, test imgset.Set, n int, seed uint64) (Report, error) {
	n = min(n, test.N, train.N)
	if n < 2 {
		return Report{}, fmt.Errorf("gan: an evaluation needs 2 images or more, not %d", n)
	}
	rng := rand.New(rand.NewPCG(seed, streamEval))
	samples := Sample(g, latent, n, batch, rng)
	var ones []int
	for i, l := range test.Labels {
		if l == oneDigit && len(ones) < n {
			ones = append(ones, i)
		}
	}
	return Evaluate(c, samples, train.First(n), test.First(n), test.Select(ones), rng), nil
}

// Evaluate compares samples (images in [0, 1]) with test's images by the
// Frechet distance of c's features, beside the baselines of Report: train
// for the floor, ones (images of one digit, 2 or more) for the distance of
// a generator that draws a single digit; rng draws the noise of fd_noised.
func Evaluate(c Classifier, samples []float32, train, test, ones imgset.Set, rng *rand.Rand) Report {
	n := test.N
	stats := func(images []float32, m int) (Gaussian, []int) {
		feats, f, pred := c.Classify(images, m)
		return FitGaussian(feats, m, f), pred
	}
	ref, _ := stats(test.Data, n)
	gen, pred := stats(samples, len(samples)/784)
	rep := Report{Samples: len(samples) / 784}
	rep.FD = FrechetDistance(gen, ref)
	floor, _ := stats(train.Data, train.N)
	rep.FDFloor = FrechetDistance(floor, ref)
	noisy := append([]float32(nil), test.Data...)
	imgset.Corrupt(noisy, imgset.Gaussian, noiseStd, rng)
	g, _ := stats(noisy, n)
	rep.FDNoised = FrechetDistance(g, ref)
	g, _ = stats(imgset.Blur(test, blurSigma).Data, n)
	rep.FDBlurred = FrechetDistance(g, ref)
	g, _ = stats(ones.Data, ones.N)
	rep.FDOneDigit = FrechetDistance(g, ref)
	rep.Histogram, rep.ClassEntropy = ClassEntropy(pred, 10)
	return rep
}

// Log writes the report to the run's log and to its metrics at step.
func (rep Report) Log(r *run.Run, step int64) {
	r.Logf("Frechet distance of LeNet features on %d images: samples %.3f; training images (floor) %.3f, test + N(0, %.1f²) %.3f, test blurred (sigma %g) %.3f, the test images of digit %d %.3f",
		rep.Samples, rep.FD, rep.FDFloor, noiseStd, rep.FDNoised, blurSigma, rep.FDBlurred, oneDigit, rep.FDOneDigit)
	r.Logf("predicted classes of the samples %v: entropy %.4f nats (uniform: ln 10 = %.4f)", rep.Histogram, rep.ClassEntropy, math.Log(10))
	for _, m := range []struct {
		key string
		v   float64
	}{{"eval/fd", rep.FD}, {"eval/fd_floor", rep.FDFloor}, {"eval/fd_noised", rep.FDNoised},
		{"eval/fd_blurred", rep.FDBlurred}, {"eval/fd_one_digit", rep.FDOneDigit}, {"eval/class_entropy", rep.ClassEntropy}} {
		r.Metric(step, m.key, m.v)
	}
}
