package ae

import (
	"fmt"
	"math"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/nets/kernels"
	"gonum.org/v1/gonum/mat"
)

// PCA is principal component analysis fitted on a set of images: the
// baseline an autoencoder with a code of K units must beat, since PCA's K
// components are the best linear code of that size in squared error.
type PCA struct {
	Mean       []float32 // [D], the mean image
	Components []float32 // [K, D], orthonormal rows, the largest variance first
	Variance   []float64 // [K], the variance along each component
	K, D       int
}

// pcaChunk is the rows per product when accumulating the scatter matrix.
const pcaChunk = 1024

// FitPCA returns the top k principal components of s's images (k capped
// at the dimension D, and at N-1 for fewer images than D), diagonalising
// the scatter matrix, or the Gram matrix when there are fewer images than
// pixels, with gonum.
func FitPCA(s imgset.Set, k int) *PCA {
	d := s.Dim()
	if k < 1 || s.N < 2 {
		panic(fmt.Sprintf("ae: PCA of %d components from %d images", k, s.N))
	}
	k = min(k, d)
	mean := make([]float64, d)
	for i := 0; i < s.N; i++ {
		for j, v := range s.Image(i) {
			mean[j] += float64(v)
		}
	}
	p := &PCA{Mean: make([]float32, d), K: k, D: d}
	for j := range mean {
		mean[j] /= float64(s.N)
		p.Mean[j] = float32(mean[j])
	}
	if s.N <= d {
		p.fitGram(p.centre(s, mean, 0, s.N), s.N)
	} else {
		p.fitScatter(s, mean)
	}
	return p
}

// centre returns images [lo, hi) of s minus the mean, as float32 rows.
func (p *PCA) centre(s imgset.Set, mean []float64, lo, hi int) []float32 {
	d := p.D
	out := make([]float32, (hi-lo)*d)
	for i := lo; i < hi; i++ {
		for j, v := range s.Image(i) {
			out[(i-lo)*d+j] = float32(float64(v) - mean[j])
		}
	}
	return out
}

// fitScatter diagonalises the D×D scatter matrix Σ (x-μ)(x-μ)ᵀ of s's
// images, accumulated in float64 from float32 products of chunks of
// centred rows (nets/kernels.Sgemm) in a fixed order.
func (p *PCA) fitScatter(s imgset.Set, mean []float64) {
	d, n := p.D, s.N
	scatter := make([]float64, d*d)
	prod := make([]float32, d*d)
	for lo := 0; lo < n; lo += pcaChunk {
		rows := min(pcaChunk, n-lo)
		centred := p.centre(s, mean, lo, lo+rows)
		kernels.Sgemm(true, false, d, d, rows, 1, centred, d, centred, d, 0, prod, d)
		for i, v := range prod {
			scatter[i] += float64(v)
		}
	}
	vals, vecs := topEigen(scatter, d, p.K)
	p.Components = make([]float32, p.K*d)
	p.Variance = make([]float64, p.K)
	for c := range p.K {
		p.Variance[c] = vals[c] / float64(n-1)
		for j := range d {
			p.Components[c*d+j] = float32(vecs[c][j])
		}
	}
}

// fitGram handles fewer images than pixels (a --limit run) through the
// n×n Gram matrix G = X Xᵀ of the centred rows X: if G u = λ u then
// Xᵀu / √λ is a unit eigenvector of XᵀX with the same eigenvalue. The
// centred rows span at most n-1 dimensions, so K is capped there.
func (p *PCA) fitGram(centred []float32, n int) {
	d := p.D
	p.K = min(p.K, n-1)
	prod := make([]float32, n*n)
	kernels.Sgemm(false, true, n, n, d, 1, centred, d, centred, d, 0, prod, n)
	gram := make([]float64, n*n)
	for i, v := range prod {
		gram[i] = float64(v)
	}
	vals, vecs := topEigen(gram, n, p.K)
	p.Components = make([]float32, p.K*d)
	p.Variance = make([]float64, p.K)
	for c := range p.K {
		p.Variance[c] = vals[c] / float64(n-1)
		scale := 1 / math.Sqrt(max(vals[c], 1e-30))
		for j := range d {
			s := 0.0
			for i := range n {
				s += vecs[c][i] * float64(centred[i*d+j])
			}
			p.Components[c*d+j] = float32(s * scale)
		}
	}
}

// topEigen returns the k largest eigenvalues of the symmetric n×n matrix a
// (made exactly symmetric first) and their unit eigenvectors, largest
// first.
func topEigen(a []float64, n, k int) ([]float64, [][]float64) {
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := (a[i*n+j] + a[j*n+i]) / 2
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(n, a), true) {
		panic("ae: PCA: the eigendecomposition did not converge")
	}
	values := eig.Values(nil) // ascending
	var q mat.Dense
	eig.VectorsTo(&q)
	vals, vecs := make([]float64, k), make([][]float64, k)
	for c := range k {
		col := n - 1 - c
		vals[c] = values[col]
		vecs[c] = make([]float64, n)
		for j := range n {
			vecs[c][j] = q.At(j, col)
		}
	}
	return vals, vecs
}

// Reconstruct writes into dst the projection of each row of x [n, D] on
// the components: μ + (x-μ)·Vᵀ·V. Both are n*D values.
func (p *PCA) Reconstruct(dst, x []float32) {
	d, k := p.D, p.K
	n := len(x) / d
	if len(x) != n*d || len(dst) != len(x) {
		panic(fmt.Sprintf("ae: PCA reconstruction of %d values into %d (dimension %d)", len(x), len(dst), d))
	}
	centred := make([]float32, len(x))
	for i := range n {
		for j := range d {
			centred[i*d+j] = x[i*d+j] - p.Mean[j]
		}
	}
	codes := make([]float32, n*k)
	kernels.Sgemm(false, true, n, k, d, 1, centred, d, p.Components, d, 0, codes, k)
	kernels.Sgemm(false, false, n, d, k, 1, codes, k, p.Components, d, 0, dst, d)
	for i := range n {
		for j := range d {
			dst[i*d+j] += p.Mean[j]
		}
	}
}
