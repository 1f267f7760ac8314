package nets

import (
	"fmt"
	"math"
)

// BatchNorm is batch normalization (Ioffe and Szegedy 2015) over the
// channels of x [N, C, ...]: PyTorch's nn.BatchNorm1d on features [N, C]
// (or [N, C, L]) and nn.BatchNorm2d on images [N, C, H, W]. Each channel
// is normalized by its mean and variance and then scaled and shifted:
// y = (x - mean) / √(var + Eps) · γ + β.
//
// In training mode (Tape.Train) the mean and the biased variance are the
// batch's, over N and the positions, and the running statistics move
// towards them with PyTorch's momentum convention:
//
//	running_mean = (1 - Momentum)·running_mean + Momentum·mean
//	running_var  = (1 - Momentum)·running_var  + Momentum·var·M/(M-1)
//
// (the unbiased variance of the M values per channel). In evaluation mode
// (Train false, a nil tape) the running statistics normalize instead, and
// nothing changes.
//
// Parameters: "weight" γ [C] (init 1), "bias" β [C] (init 0). Buffers
// (see Buffered): "running_mean" [C] (init 0), "running_var" [C] (init 1).
type BatchNorm struct {
	Gamma, Beta             *Tensor
	RunningMean, RunningVar *Tensor
	Momentum                float64 // PyTorch's default 0.1
	Eps                     float64 // PyTorch's default 1e-5
}

// Buffered is a layer that holds state besides its parameters: values a
// checkpoint keeps but no optimizer steps (PyTorch's buffers), such as
// batch normalization's running statistics. Containers list their
// children's buffers with the children's parameter prefixes.
type Buffered interface {
	Buffers() []Param
}

// State returns l's parameters followed by its buffers when it has any:
// everything a checkpoint of the model holds (SaveTensors, LoadTensors).
func State(l Layer) []Param {
	ps := l.Params()
	if b, ok := l.(Buffered); ok {
		ps = append(ps, b.Buffers()...)
	}
	return ps
}

// NewBatchNorm returns batch normalization over c channels with γ = 1,
// β = 0, running mean 0, running variance 1, momentum 0.1 and eps 1e-5,
// as PyTorch initialises it.
func NewBatchNorm(c int) *BatchNorm {
	if c < 1 {
		panic(fmt.Sprintf("nets: BatchNorm of %d channels", c))
	}
	bn := &BatchNorm{Gamma: NewParam(c), Beta: NewParam(c), RunningMean: New(c), RunningVar: New(c), Momentum: 0.1, Eps: 1e-5}
	bn.Gamma.Fill(1)
	bn.RunningVar.Fill(1)
	return bn
}

// Params returns "weight" (γ) and "bias" (β).
func (bn *BatchNorm) Params() []Param { return []Param{{"weight", bn.Gamma}, {"bias", bn.Beta}} }

// Buffers returns "running_mean" and "running_var".
func (bn *BatchNorm) Buffers() []Param {
	return []Param{{"running_mean", bn.RunningMean}, {"running_var", bn.RunningVar}}
}

// batchNormOp normalizes x seen as [N, C, S].
type batchNormOp struct {
	bn          *BatchNorm
	x, y        *Tensor
	train       bool
	n, c, s     int
	mean, inv   []float64 // per channel: the mean used and 1/√(var + eps)
	fwd, bwd    func(lo, hi int)
	dgamma, dbe []float32 // the gradients of γ and β in this pass (nil: not needed)
}

// Forward normalizes x [N, C, ...] (see BatchNorm).
func (bn *BatchNorm) Forward(tp *Tape, x *Tensor) *Tensor {
	c := bn.Gamma.Size()
	if x.Rank() < 2 || x.Shape[1] != c {
		panic(fmt.Sprintf("nets: BatchNorm of %d channels on x %v: want [N, %d, ...]", c, x.Shape, c))
	}
	op, y := Record[batchNormOp](tp, x.Shape, x, bn.Gamma, bn.Beta)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardChannels, op.backwardChannels
	}
	op.bn, op.x, op.y, op.train = bn, x, y, tp.Training()
	op.n, op.c, op.s = x.Shape[0], c, x.Size()/max(1, x.Shape[0]*c)
	if op.train && op.n*op.s < 2 {
		panic(fmt.Sprintf("nets: BatchNorm in training mode on x %v: a channel needs more than one value", x.Shape))
	}
	op.mean, op.inv = grow(op.mean, c), grow(op.inv, c)
	Parallel(c, op.n*op.s, op.fwd)
	return y
}

func (op *batchNormOp) forwardChannels(lo, hi int) {
	bn, x, m := op.bn, op.x.Data, float64(op.n*op.s)
	for ch := lo; ch < hi; ch++ {
		mean, v := float64(bn.RunningMean.Data[ch]), float64(bn.RunningVar.Data[ch])
		if op.train {
			mean = 0
			for i := 0; i < op.n; i++ {
				mean += sum64(x[(i*op.c+ch)*op.s : (i*op.c+ch+1)*op.s])
			}
			mean /= m
			v = 0
			for i := 0; i < op.n; i++ {
				v += sumSq64(x[(i*op.c+ch)*op.s:(i*op.c+ch+1)*op.s], mean)
			}
			v /= m
			mom := bn.Momentum
			bn.RunningMean.Data[ch] = float32((1-mom)*float64(bn.RunningMean.Data[ch]) + mom*mean)
			bn.RunningVar.Data[ch] = float32((1-mom)*float64(bn.RunningVar.Data[ch]) + mom*v*m/(m-1))
		}
		inv := 1 / math.Sqrt(v+bn.Eps)
		op.mean[ch], op.inv[ch] = mean, inv
		// y = x·a + b with a = γ·inv, b = β - mean·a
		a := float64(bn.Gamma.Data[ch]) * inv
		a32, b32 := float32(a), float32(float64(bn.Beta.Data[ch])-mean*a)
		for i := 0; i < op.n; i++ {
			off := (i*op.c + ch) * op.s
			y := op.y.Data[off : off+op.s]
			for j, u := range x[off : off+op.s] {
				y[j] = u*a32 + b32
			}
		}
	}
}

// Backward: with x̂ = (x - mean)·inv, dβ = Σ dy and dγ = Σ dy·x̂ over N
// and the positions. In training mode the batch statistics depend on x:
// dx = γ·inv/M · (M·dy - dβ - x̂·dγ); in evaluation mode dx = γ·inv·dy.
func (op *batchNormOp) Backward(y *Tensor) {
	op.dgamma, op.dbe = op.bn.Gamma.GradBuf(), op.bn.Beta.GradBuf()
	if op.x.GradBuf() != nil || op.dgamma != nil || op.dbe != nil {
		Parallel(op.c, op.n*op.s, op.bwd)
	}
	op.dgamma, op.dbe = nil, nil
}

func (op *batchNormOp) backwardChannels(lo, hi int) {
	x, dy, dx := op.x.Data, op.y.Grad, op.x.Grad
	m := float64(op.n * op.s)
	for ch := lo; ch < hi; ch++ {
		mean, inv := op.mean[ch], op.inv[ch]
		sdy, sdyx := 0.0, 0.0 // Σ dy and Σ dy·x̂
		for i := 0; i < op.n; i++ {
			off := (i*op.c + ch) * op.s
			g := dy[off : off+op.s]
			sdy += sum64(g)
			sdyx += dotCentered64(g, x[off:off+op.s], mean)
		}
		sdyx *= inv
		if op.dgamma != nil {
			op.dgamma[ch] += float32(sdyx)
		}
		if op.dbe != nil {
			op.dbe[ch] += float32(sdy)
		}
		if dx == nil {
			continue
		}
		k := float64(op.bn.Gamma.Data[ch]) * inv
		// dx = k·dy - k/M·(dβ + x̂·dγ) = k·dy + c0 + c1·x (train)
		var c0, c1 float64
		if op.train {
			c1 = -k / m * sdyx * inv
			c0 = -k/m*sdy - c1*mean
		}
		k32, c032, c132 := float32(k), float32(c0), float32(c1)
		for i := 0; i < op.n; i++ {
			off := (i*op.c + ch) * op.s
			g, d := dy[off:off+op.s], dx[off:off+op.s]
			for j, u := range x[off : off+op.s] {
				d[j] += k32*g[j] + c032 + c132*u
			}
		}
	}
}

// sumSq64 returns Σ (x - mean)² in float64, in four interleaved partial
// sums (see sum64).
func sumSq64(x []float32, mean float64) float64 {
	var s0, s1, s2, s3 float64
	n := len(x) &^ 3
	for i := 0; i < n; i += 4 {
		v := x[i : i+4 : i+4]
		d0, d1, d2, d3 := float64(v[0])-mean, float64(v[1])-mean, float64(v[2])-mean, float64(v[3])-mean
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for _, v := range x[n:] {
		d := float64(v) - mean
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// dotCentered64 returns Σ g·(x - mean) in float64, in four interleaved
// partial sums (see sum64).
func dotCentered64(g, x []float32, mean float64) float64 {
	var s0, s1, s2, s3 float64
	n := len(x) &^ 3
	g = g[:len(x)]
	for i := 0; i < n; i += 4 {
		v, h := x[i:i+4:i+4], g[i:i+4:i+4]
		s0 += float64(h[0]) * (float64(v[0]) - mean)
		s1 += float64(h[1]) * (float64(v[1]) - mean)
		s2 += float64(h[2]) * (float64(v[2]) - mean)
		s3 += float64(h[3]) * (float64(v[3]) - mean)
	}
	for i := n; i < len(x); i++ {
		s0 += float64(g[i]) * (float64(x[i]) - mean)
	}
	return (s0 + s1) + (s2 + s3)
}

var _ Layer = (*BatchNorm)(nil)
