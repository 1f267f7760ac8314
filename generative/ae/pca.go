package ae

import (
	"fmt"

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

// FitPCA returns the top k principal components of s's images. The
// scatter matrix Σ (x-μ)(x-μ)ᵀ is accumulated in float64 from float32
// products of chunks of rows (nets/kernels.Sgemm) in a fixed order, and
// diagonalised by gonum; k is capped at the dimension.
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
	scatter := make([]float64, d*d)
	centred := make([]float32, pcaChunk*d)
	prod := make([]float32, d*d)
	for lo := 0; lo < s.N; lo += pcaChunk {
		n := min(pcaChunk, s.N-lo)
		for i := range n {
			for j, v := range s.Image(lo + i) {
				centred[i*d+j] = float32(float64(v) - mean[j])
			}
		}
		kernels.Sgemm(true, false, d, d, n, 1, centred, d, centred, d, 0, prod, d)
		for i, v := range prod {
			scatter[i] += float64(v)
		}
	}
	for i := range d { // symmetric to the last bit
		for j := i + 1; j < d; j++ {
			v := (scatter[i*d+j] + scatter[j*d+i]) / 2
			scatter[i*d+j], scatter[j*d+i] = v, v
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(d, scatter), true) {
		panic("ae: PCA: the eigendecomposition did not converge")
	}
	values := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	p.Components = make([]float32, k*d)
	p.Variance = make([]float64, k)
	for c := range k {
		col := d - 1 - c
		p.Variance[c] = values[col] / float64(s.N-1)
		for j := range d {
			p.Components[c*d+j] = float32(vecs.At(j, col))
		}
	}
	return p
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
