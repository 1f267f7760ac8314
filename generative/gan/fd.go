package gan

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Gaussian is the mean and covariance of a set of feature vectors: what
// the Frechet distance compares.
type Gaussian struct {
	Mean []float64
	Cov  *mat.SymDense
}

// FitGaussian returns the mean and the unbiased covariance of the n rows
// of feats [n, f], accumulated in float64 in row order.
func FitGaussian(feats []float32, n, f int) Gaussian {
	if n < 2 || len(feats) != n*f {
		panic(fmt.Sprintf("gan: Gaussian of %d values as %d rows of %d", len(feats), n, f))
	}
	mean := make([]float64, f)
	for r := range n {
		for j, v := range feats[r*f : (r+1)*f] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	cov := make([]float64, f*f)
	d := make([]float64, f)
	for r := range n {
		for j, v := range feats[r*f : (r+1)*f] {
			d[j] = float64(v) - mean[j]
		}
		for i := range f {
			row := cov[i*f : (i+1)*f]
			for j := i; j < f; j++ {
				row[j] += d[i] * d[j]
			}
		}
	}
	for i := range f {
		for j := i; j < f; j++ {
			cov[i*f+j] /= float64(n - 1)
			cov[j*f+i] = cov[i*f+j]
		}
	}
	return Gaussian{Mean: mean, Cov: mat.NewSymDense(f, cov)}
}

// FrechetDistance returns the Fréchet (2-Wasserstein) distance between
// two Gaussians (Dowson and Landau 1982; Heusel et al. 2017's FID on
// other features):
//
//	‖μ₁ - μ₂‖² + Tr(Σ₁ + Σ₂ - 2 (Σ₁ Σ₂)^½)
//
// Tr (Σ₁Σ₂)^½ is computed as Tr (Σ₁^½ Σ₂ Σ₁^½)^½, the trace of the square
// root of a symmetric positive semi-definite matrix: the sum of the square
// roots of its eigenvalues (negative ones from rounding count as 0).
func FrechetDistance(a, b Gaussian) float64 {
	f := len(a.Mean)
	if len(b.Mean) != f {
		panic(fmt.Sprintf("gan: Frechet distance of %d and %d features", f, len(b.Mean)))
	}
	d := 0.0
	for j := range f {
		e := a.Mean[j] - b.Mean[j]
		d += e * e
	}
	root := sqrtSym(a.Cov)
	var m mat.Dense
	m.Mul(root, b.Cov)
	m.Mul(&m, root)
	sym := mat.NewSymDense(f, nil)
	for i := range f {
		for j := i; j < f; j++ {
			sym.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		panic("gan: Frechet distance: the eigendecomposition did not converge")
	}
	tr := 0.0
	for _, v := range eig.Values(nil) {
		tr += math.Sqrt(max(v, 0))
	}
	for i := range f {
		d += a.Cov.At(i, i) + b.Cov.At(i, i)
	}
	return d - 2*tr
}

// sqrtSym returns the symmetric square root of a positive semi-definite
// matrix, Q diag(√max(λ, 0)) Qᵀ.
func sqrtSym(s *mat.SymDense) *mat.Dense {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		panic("gan: Frechet distance: the eigendecomposition did not converge")
	}
	vals := eig.Values(nil)
	var q mat.Dense
	eig.VectorsTo(&q)
	n := len(vals)
	scaled := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			scaled.Set(i, j, q.At(i, j)*math.Sqrt(max(vals[j], 0)))
		}
	}
	var out mat.Dense
	out.Mul(scaled, q.T())
	return &out
}

// ClassEntropy returns the histogram of the predicted classes (counts per
// class of k) and its entropy in nats: ln k when every class is predicted
// equally often, 0 when one class takes everything.
func ClassEntropy(pred []int, k int) ([]int, float64) {
	hist := make([]int, k)
	for _, c := range pred {
		hist[c]++
	}
	h := 0.0
	for _, c := range hist {
		if c > 0 {
			p := float64(c) / float64(len(pred))
			h -= p * math.Log(p)
		}
	}
	return hist, h
}
