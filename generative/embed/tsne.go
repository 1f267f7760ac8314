package embed

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/par"
	"gonum.org/v1/gonum/mat"
)

// TSNEConfig holds t-SNE's settings (van der Maaten and Hinton, 2008,
// with the early-exaggeration schedule scikit-learn uses).
type TSNEConfig struct {
	Perplexity        float64 // effective number of neighbours; capped at (n-1)/3
	Iterations        int     // gradient steps
	LearningRate      float64 // 0: max(n/Exaggeration/4, 50), scikit-learn's "auto"
	Exaggeration      float64 // P is multiplied by it during the first steps
	ExaggerationSteps int     // how many first steps, at momentum 0.5; then 0.8
}

// DefaultTSNE returns perplexity 30, 1000 steps, early exaggeration 12 for
// 250 steps.
func DefaultTSNE() TSNEConfig {
	return TSNEConfig{Perplexity: 30, Iterations: 1000, Exaggeration: 12, ExaggerationSteps: 250}
}

// TSNE maps the n points x (n x d, row-major) to two dimensions with
// t-distributed stochastic neighbour embedding and returns them (n x 2)
// and the final Kullback-Leibler divergence KL(P||Q).
//
//  1. Each point's Gaussian bandwidth is found by binary search so that
//     the entropy of p_{j|i} is log(perplexity).
//  2. p_ij = (p_{j|i} + p_{i|j}) / 2n.
//  3. Y starts as draws from N(0, 1e-4 I); q_ij ∝ (1 + |y_i - y_j|^2)^-1.
//  4. Gradient descent on KL(P||Q), dC/dy_i = 4 Σ_j (p_ij - q_ij)
//     (y_i - y_j) / (1 + |y_i - y_j|^2), with momentum, per-coordinate
//     adaptive gains (Jacobs, 1988) and early exaggeration of P.
func TSNE(x []float64, n, d int, cfg TSNEConfig, rng *rand.Rand) ([]float64, float64) {
	if len(x) != n*d || n < 2 || d < 1 {
		panic(fmt.Sprintf("embed: t-SNE of %d values as %d x %d points", len(x), n, d))
	}
	p := jointP(x, n, d, max(min(cfg.Perplexity, float64(n-1)/3), 1))
	lr := cfg.LearningRate
	if lr <= 0 {
		lr = max(float64(n)/cfg.Exaggeration/4, 50)
	}
	y := make([]float64, 2*n)
	for i := range y {
		y[i] = 1e-4 * rng.NormFloat64()
	}
	s := &tsneStep{n: n, p: p, y: y, num: make([]float64, n*n), grad: make([]float64, 2*n),
		partZ: make([]float64, par.Chunks(n, tsneGrain))}
	s.numFn, s.gradFn = s.numRows, s.gradRows
	update, gains := make([]float64, 2*n), make([]float64, 2*n)
	for i := range gains {
		gains[i] = 1
	}
	for it := range cfg.Iterations {
		momentum := 0.8
		s.exaggeration = 1
		if it < cfg.ExaggerationSteps {
			s.exaggeration, momentum = cfg.Exaggeration, 0.5
		}
		s.gradient()
		for k, g := range s.grad {
			if (g > 0) != (update[k] > 0) {
				gains[k] += 0.2
			} else {
				gains[k] = max(gains[k]*0.8, 0.01)
			}
			update[k] = momentum*update[k] - lr*gains[k]*g
			y[k] += update[k]
		}
		var mx, my float64
		for i := range n {
			mx += y[2*i]
			my += y[2*i+1]
		}
		for i := range n {
			y[2*i] -= mx / float64(n)
			y[2*i+1] -= my / float64(n)
		}
	}
	s.exaggeration = 1
	s.gradient()
	var kl float64
	for i := range n {
		for j := range n {
			if i != j {
				kl += p[i*n+j] * math.Log(p[i*n+j]/max(s.num[i*n+j]/s.z, 1e-300))
			}
		}
	}
	return y, kl
}

// tsneGrain is the rows per chunk of t-SNE's parallel loops.
const tsneGrain = 16

// tsneStep computes t-SNE's gradient with the rows split over the pool.
type tsneStep struct {
	n             int
	p, y, num     []float64 // n x n, n x 2, n x n
	grad, partZ   []float64 // n x 2, one sum per chunk
	z             float64   // Σ_{i≠j} num_ij
	exaggeration  float64
	numFn, gradFn func(lo, hi int)
}

// gradient fills num, z and grad for the current y.
func (s *tsneStep) gradient() {
	par.For(s.n, tsneGrain, s.numFn)
	s.z = 0
	for _, v := range s.partZ { // in chunk order, so any thread count sums alike
		s.z += v
	}
	par.For(s.n, tsneGrain, s.gradFn)
}

func (s *tsneStep) numRows(lo, hi int) {
	var z float64
	for i := lo; i < hi; i++ {
		for j := range s.n {
			if i == j {
				s.num[i*s.n+j] = 0
				continue
			}
			dx, dy := s.y[2*i]-s.y[2*j], s.y[2*i+1]-s.y[2*j+1]
			v := 1 / (1 + dx*dx + dy*dy)
			s.num[i*s.n+j] = v
			z += v
		}
	}
	s.partZ[lo/tsneGrain] = z
}

func (s *tsneStep) gradRows(lo, hi int) {
	for i := lo; i < hi; i++ {
		var gx, gy float64
		for j := range s.n {
			num := s.num[i*s.n+j]
			m := (s.exaggeration*s.p[i*s.n+j] - num/s.z) * num
			gx += m * (s.y[2*i] - s.y[2*j])
			gy += m * (s.y[2*i+1] - s.y[2*j+1])
		}
		s.grad[2*i], s.grad[2*i+1] = 4*gx, 4*gy
	}
}

// jointP returns the symmetric affinities p_ij (n x n, zero diagonal, at
// least 1e-12 elsewhere) of the points x at the given perplexity.
func jointP(x []float64, n, d int, perplexity float64) []float64 {
	xm := mat.NewDense(n, d, x)
	var gram mat.Dense
	gram.Mul(xm, xm.T())
	d2 := make([]float64, n*n)
	for i := range n {
		for j := range n {
			d2[i*n+j] = max(gram.At(i, i)+gram.At(j, j)-2*gram.At(i, j), 0)
		}
	}
	cond := make([]float64, n*n)
	par.For(n, tsneGrain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			calibrateRow(d2[i*n:(i+1)*n], cond[i*n:(i+1)*n], i, math.Log(perplexity))
		}
	})
	p := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i != j {
				p[i*n+j] = max((cond[i*n+j]+cond[j*n+i])/(2*float64(n)), 1e-12)
			}
		}
	}
	return p
}

// calibrateRow sets p[j] = p_{j|i} ∝ exp(-beta d2[j]) (p[i] = 0), with beta
// found by bisection so that the entropy of the row is logPerp nats, to
// 1e-5 or within 100 halvings, and returns beta.
func calibrateRow(d2, p []float64, i int, logPerp float64) float64 {
	dmin := math.Inf(1)
	for j, v := range d2 {
		if j != i {
			dmin = min(dmin, v)
		}
	}
	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	for range 100 {
		var sum, wsum float64
		for j, v := range d2 {
			if j == i {
				p[j] = 0
				continue
			}
			e := math.Exp(-beta * (v - dmin)) // shifted: the same row after normalizing
			p[j] = e
			sum += e
			wsum += e * (v - dmin)
		}
		h := math.Log(sum) + beta*wsum/sum
		for j := range p {
			p[j] /= sum
		}
		diff := h - logPerp
		if math.Abs(diff) < 1e-5 {
			break
		}
		if diff > 0 { // too flat: narrow the Gaussian
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			beta = (beta + lo) / 2
		}
	}
	return beta
}
