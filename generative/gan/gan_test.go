package gan

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func gaussian(mean []float64, cov ...float64) Gaussian {
	return Gaussian{Mean: mean, Cov: mat.NewSymDense(len(mean), cov)}
}

func TestFrechetDistanceClosedForms(t *testing.T) {
	// Identical Gaussians are at distance 0.
	a := gaussian([]float64{1, 2}, 2, 0.5, 0.5, 1)
	require.InDelta(t, 0, FrechetDistance(a, a), 1e-9)
	// In 1-D it is (μ₁-μ₂)² + (σ₁-σ₂)².
	require.InDelta(t, 9+1, FrechetDistance(gaussian([]float64{0}, 4), gaussian([]float64{3}, 1)), 1e-9)
	// Diagonal covariances: Σ (μ₁-μ₂)² + (√a - √b)² per axis.
	d := FrechetDistance(gaussian([]float64{0, 0}, 4, 0, 0, 9), gaussian([]float64{1, 0}, 1, 0, 0, 16))
	require.InDelta(t, 1+1+1, d, 1e-9)
	// Non-commuting 2x2 matrices: Tr √M = √(tr M + 2√det M) for a 2x2
	// M = Σ₁Σ₂ with positive eigenvalues.
	s1 := []float64{2, 1, 1, 2}
	s2 := []float64{1, 0.3, 0.3, 0.5}
	var m mat.Dense
	m.Mul(mat.NewDense(2, 2, s1), mat.NewDense(2, 2, s2))
	trSqrt := math.Sqrt(mat.Trace(&m) + 2*math.Sqrt(mat.Det(&m)))
	want := 2 + 2 + 1 + 0.5 - 2*trSqrt
	require.InDelta(t, want, FrechetDistance(gaussian([]float64{0, 0}, s1...), gaussian([]float64{0, 0}, s2...)), 1e-9)
}

func TestFitGaussian(t *testing.T) {
	g := FitGaussian([]float32{1, 0, 3, 2, 5, 4}, 3, 2)
	require.Equal(t, []float64{3, 2}, g.Mean)
	require.InDelta(t, 4, g.Cov.At(0, 0), 1e-12) // (4 + 0 + 4) / 2
	require.InDelta(t, 4, g.Cov.At(0, 1), 1e-12)
	require.InDelta(t, 4, g.Cov.At(1, 1), 1e-12)
}

func TestClassEntropy(t *testing.T) {
	pred := make([]int, 50)
	for i := range pred {
		pred[i] = i % 10
	}
	hist, h := ClassEntropy(pred, 10)
	require.Equal(t, []int{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, hist)
	require.InDelta(t, math.Log(10), h, 1e-12)
	_, h = ClassEntropy([]int{3, 3, 3}, 10)
	require.Equal(t, 0.0, h)
}

func TestBimodalInverseCDF(t *testing.T) {
	require.InDelta(t, 0.5, Target.CDF(0), 1e-12)
	for _, x := range []float64{-3, -2, -0.7, 0.1, 1.9, 2.8} {
		require.InDelta(t, x, Target.InverseCDF(Target.CDF(x)), 1e-9)
		require.InDelta(t, -x, Target.InverseCDF(1-Target.CDF(x)), 1e-9, "symmetric")
	}
	// The quantiles of the target itself are at distance 0.
	q := make([]float64, mapPoints)
	for i := range q {
		q[mapPoints-1-i] = Target.InverseCDF((float64(i) + 0.5) / mapPoints) // any order
	}
	require.InDelta(t, 0, wasserstein1(q), 1e-9)
}

func TestNetsShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, arch := range []string{MLP, DCGAN} {
		cfg := DefaultConfig(arch)
		cfg.Width = 4
		g, d := NewNets(cfg, 3)
		z := nets.New(5, cfg.Latent)
		fillNormal(rng, z.Data)
		x := Generate(g, z)
		require.Len(t, x, 5*784, arch)
		for _, v := range x {
			require.True(t, v >= 0 && v <= 1, arch)
		}
		logits := d.Forward(nets.NewTape(), nets.FromData(x, 5, 784))
		require.Equal(t, []int{5, 1}, logits.Shape, arch)
	}
	_, d := NewNets(Config{Arch: DCGAN, Latent: 8, Width: 4}, 1)
	require.Len(t, d.Buffers(), 2, "the discriminator's batch norm: running mean and variance")
}

// A short run of the 1-D GAN moves the noise most of the way to the
// bimodal target, and a run stopped and resumed gives the same map.
func TestTrain1DLearnsTheBimodalTarget(t *testing.T) {
	cfg := DefaultConfig1D()
	cfg.Steps, cfg.Batch, cfg.Hidden = 2000, 32, 16
	train := func(dir string, ctx context.Context, resume bool) (Result1D, error) {
		var r *run.Run
		var err error
		if resume {
			st, perr := trainloop.Peek(filepath.Join(dir, trainloop.CheckpointFile))
			require.NoError(t, perr)
			r, err = run.Open(dir, st.Step, st.Elapsed, nil)
		} else {
			r, err = run.Create(dir, run.Meta{Experiment: "gan", Seed: 7}, cfg, nil)
		}
		require.NoError(t, err)
		defer r.Close()
		return Train1D(trainloop.Job{Ctx: ctx, Run: r, Seed: 7, Resume: resume}, cfg)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	res, err := train(whole, context.Background(), false)
	require.NoError(t, err)
	require.Less(t, res.W1, res.W1Noise/3, "%+v", res)
	require.FileExists(t, filepath.Join(whole, "map.png"))
	require.FileExists(t, filepath.Join(whole, "map_k0001.png"))

	cut := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = train(cut, ctx, false)
	require.ErrorIs(t, err, run.ErrInterrupted)
	again, err := train(cut, context.Background(), true)
	require.NoError(t, err)
	require.Equal(t, res, again)
}
