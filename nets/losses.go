package nets

import (
	"fmt"
	"math"
)

// Reduction says how a loss combines its per-element (or per-row) values,
// with PyTorch's names.
type Reduction int

const (
	// ReduceMean averages (PyTorch's reduction='mean', the default).
	ReduceMean Reduction = iota
	// ReduceSum adds up (reduction='sum').
	ReduceSum
	// ReduceNone keeps every value (reduction='none'), e.g. to weight
	// each sample (prioritized replay) before averaging.
	ReduceNone
)

// lossReducer turns per-item losses into the output of a loss op: the
// items themselves (ReduceNone) or their sum or mean, added chunk by chunk
// in a fixed order.
type lossReducer struct {
	red     Reduction
	items   []float32 // the per-item losses (aliases the output for ReduceNone)
	partial []float64
}

// reducedShape returns the output shape of a loss over items shaped like
// itemShape: the same for ReduceNone, a scalar otherwise.
func reducedShape(red Reduction, itemShape []int) []int {
	if red == ReduceNone {
		return itemShape
	}
	return nil
}

// setup points items at the output (ReduceNone) or a scratch buffer of n.
func (lr *lossReducer) setup(red Reduction, y *Tensor, n int) {
	if red < ReduceMean || red > ReduceNone {
		panic(fmt.Sprintf("nets: unknown reduction %d", red))
	}
	lr.red = red
	if red == ReduceNone {
		lr.items = y.Data
	} else {
		lr.items = grow(lr.items, n)
	}
	lr.partial = grow(lr.partial, chunks(n, 1))
}

// addChunk records the sum of items [lo, hi) (call it from the forward's
// chunk after writing the items).
func (lr *lossReducer) addChunk(lo, hi int) {
	s := 0.0
	for _, v := range lr.items[lo:hi] {
		s += float64(v)
	}
	lr.partial[lo/Chunk(1)] = s
}

// finish writes the reduced loss into y.
func (lr *lossReducer) finish(y *Tensor) {
	if lr.red == ReduceNone {
		return
	}
	s := 0.0
	for _, p := range lr.partial {
		s += p
	}
	if lr.red == ReduceMean && len(lr.items) > 0 {
		s /= float64(len(lr.items))
	}
	y.Data[0] = float32(s)
}

// grad returns d loss / d item i given the output's gradient dy.
func (lr *lossReducer) grad(dy []float32, i int) float32 {
	switch lr.red {
	case ReduceNone:
		return dy[i]
	case ReduceMean:
		return dy[0] / float32(len(lr.items))
	}
	return dy[0]
}

// pointKind names a loss computed element by element from a prediction
// and a target of the same shape.
type pointKind int

const (
	lossMSE pointKind = iota
	lossL1
	lossHuber
	lossBCE
	lossBCEWithLogits
)

var pointNames = [...]string{"MSE", "L1", "Huber", "BCE", "BCEWithLogits"}

// pointLossOp is an elementwise loss ℓ(p, t) reduced over all elements.
type pointLossOp struct {
	kind     pointKind
	delta    float64 // Huber's threshold
	p, t     *Tensor
	lr       lossReducer
	fwd, bwd func(lo, hi int) // built once
	dy       []float32
}

// MSE is the mean squared error (p - t)², PyTorch's MSELoss.
func MSE(tp *Tape, p, t *Tensor, red Reduction) *Tensor {
	return pointLoss(tp, lossMSE, p, t, 0, red)
}

// L1 is the absolute error |p - t|, PyTorch's L1Loss.
func L1(tp *Tape, p, t *Tensor, red Reduction) *Tensor {
	return pointLoss(tp, lossL1, p, t, 0, red)
}

// Huber is PyTorch's HuberLoss: ½(p - t)² where |p - t| < delta, and
// delta·(|p - t| - ½delta) elsewhere. DQN clips its TD error this way with
// delta 1.
func Huber(tp *Tape, p, t *Tensor, delta float64, red Reduction) *Tensor {
	if !(delta > 0) {
		panic(fmt.Sprintf("nets: Huber delta %v, want > 0", delta))
	}
	return pointLoss(tp, lossHuber, p, t, delta, red)
}

// BCE is the binary cross-entropy -(t log p + (1-t) log(1-p)) of
// probabilities p, with each log clamped at -100 as PyTorch's BCELoss does.
func BCE(tp *Tape, p, t *Tensor, red Reduction) *Tensor {
	return pointLoss(tp, lossBCE, p, t, 0, red)
}

// BCEWithLogits is BCE of sigmoid(x) computed from the logits x without
// overflow: max(x, 0) - x t + log(1 + e^-|x|), PyTorch's BCEWithLogitsLoss.
func BCEWithLogits(tp *Tape, x, t *Tensor, red Reduction) *Tensor {
	return pointLoss(tp, lossBCEWithLogits, x, t, 0, red)
}

func pointLoss(tp *Tape, kind pointKind, p, t *Tensor, delta float64, red Reduction) *Tensor {
	if p.Size() != t.Size() {
		panic(fmt.Sprintf("nets: %s of prediction %v and target %v", pointNames[kind], p.Shape, t.Shape))
	}
	op, y := Record[pointLossOp](tp, reducedShape(red, p.Shape), p, t)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardChunk, op.backwardChunk
	}
	op.kind, op.delta, op.p, op.t = kind, delta, p, t
	op.lr.setup(red, y, p.Size())
	Parallel(p.Size(), 1, op.fwd)
	op.lr.finish(y)
	return y
}

func (op *pointLossOp) forwardChunk(lo, hi int) {
	l, p, t := op.lr.items[lo:hi], op.p.Data[lo:hi], op.t.Data[lo:hi]
	for i := range l {
		l[i] = float32(op.loss(float64(p[i]), float64(t[i])))
	}
	op.lr.addChunk(lo, hi)
}

// loss is ℓ(p, t) of one element.
func (op *pointLossOp) loss(p, t float64) float64 {
	switch op.kind {
	case lossMSE:
		return (p - t) * (p - t)
	case lossL1:
		return math.Abs(p - t)
	case lossHuber:
		if d := math.Abs(p - t); d < op.delta {
			return 0.5 * d * d
		} else {
			return op.delta * (d - 0.5*op.delta)
		}
	case lossBCE:
		return -(t*max(math.Log(p), -100) + (1-t)*max(math.Log(1-p), -100))
	default: // lossBCEWithLogits
		return max(p, 0) - p*t + math.Log1p(math.Exp(-math.Abs(p)))
	}
}

// grads returns dℓ/dp and dℓ/dt of one element, right below loss:
// MSE 2(p-t), -2(p-t); L1 sign(p-t), -sign(p-t); Huber (p-t) clipped to
// [-delta, delta] and its negative; BCE (p-t)/max(p(1-p), 1e-12) (as
// PyTorch) and log(1-p) - log p (each clamped at -100); BCE with logits
// σ(x) - t and -x.
func (op *pointLossOp) grads(p, t float64) (dp, dt float64) {
	switch op.kind {
	case lossMSE:
		return 2 * (p - t), -2 * (p - t)
	case lossL1:
		s := float64(sign(float32(p - t)))
		return s, -s
	case lossHuber:
		d := min(max(p-t, -op.delta), op.delta)
		return d, -d
	case lossBCE:
		return (p - t) / max(p*(1-p), 1e-12), max(math.Log(1-p), -100) - max(math.Log(p), -100)
	default: // lossBCEWithLogits
		return float64(sigmoid(float32(p))) - t, -p
	}
}

// Backward: dp += g·dℓ/dp and dt += g·dℓ/dt, g the gradient of the
// reduced loss with respect to each element.
func (op *pointLossOp) Backward(y *Tensor) {
	op.p.GradBuf()
	op.t.GradBuf()
	op.dy = y.Grad
	Parallel(op.p.Size(), 1, op.bwd)
}

func (op *pointLossOp) backwardChunk(lo, hi int) {
	dp, dt := op.p.Grad, op.t.Grad
	wantP, wantT := op.p.requiresGrad, op.t.requiresGrad
	for i := lo; i < hi; i++ {
		g := float64(op.lr.grad(op.dy, i))
		gp, gt := op.grads(float64(op.p.Data[i]), float64(op.t.Data[i]))
		if wantP {
			dp[i] += float32(g * gp)
		}
		if wantT {
			dt[i] += float32(g * gt)
		}
	}
}

// crossEntropyOp is -log softmax(x)[label] per row of logits.
type crossEntropyOp struct {
	x        *Tensor
	labels   []int32
	probs    []float32 // softmax(x), kept for the backward pass
	k        int       // classes
	lr       lossReducer
	fwd, bwd func(lo, hi int)
	dy       []float32
}

// CrossEntropy is the cross-entropy of logits x [N, K] (or [K] for one
// sample) against class indices labels (len N): -log softmax(x)[label]
// per row, PyTorch's CrossEntropyLoss. ReduceNone gives [N].
func CrossEntropy(tp *Tape, x *Tensor, labels []int, red Reduction) *Tensor {
	k := x.Dim(-1)
	rows := x.Size() / max(k, 1)
	if len(labels) != rows || k == 0 {
		panic(fmt.Sprintf("nets: CrossEntropy of logits %v with %d labels", x.Shape, len(labels)))
	}
	op, y := Record[crossEntropyOp](tp, reducedShape(red, x.Shape[:x.Rank()-1]), x)
	if op.fwd == nil {
		op.fwd, op.bwd = op.forwardRows, op.backwardRows
	}
	op.x, op.k = x, k
	op.labels = grow(op.labels, rows)
	for r, c := range labels {
		if c < 0 || c >= k {
			panic(fmt.Sprintf("nets: CrossEntropy label %d of row %d outside [0, %d)", c, r, k))
		}
		op.labels[r] = int32(c)
	}
	op.probs = grow(op.probs, x.Size())
	op.lr.setup(red, y, rows)
	Parallel(rows, 1, op.fwd)
	op.lr.finish(y)
	return y
}

// forwardRows computes the loss of rows [lo, hi); the chunks are in rows,
// so each chunk's partial sum covers its rows.
func (op *crossEntropyOp) forwardRows(lo, hi int) {
	k := op.k
	for r := lo; r < hi; r++ {
		x, p := op.x.Data[r*k:(r+1)*k], op.probs[r*k:(r+1)*k]
		softmaxRow(p, x, true) // log-probabilities first
		op.lr.items[r] = -p[op.labels[r]]
		for j, v := range p {
			p[j] = float32(math.Exp(float64(v)))
		}
	}
	op.lr.addChunk(lo, hi)
}

// Backward: dx[r] += g_r · (softmax(x[r]) - onehot(label[r])).
func (op *crossEntropyOp) Backward(y *Tensor) {
	if op.x.GradBuf() != nil {
		op.dy = y.Grad
		Parallel(len(op.labels), 1, op.bwd)
	}
}

func (op *crossEntropyOp) backwardRows(lo, hi int) {
	k := op.k
	for r := lo; r < hi; r++ {
		g := op.lr.grad(op.dy, r)
		dx, p := op.x.Grad[r*k:(r+1)*k], op.probs[r*k:(r+1)*k]
		for j, v := range p {
			dx[j] += g * v
		}
		dx[op.labels[r]] -= g
	}
}

// gaussianKLOp is KL(N(mu, e^logvar) || N(0, I)) per row.
type gaussianKLOp struct {
	mu, logvar *Tensor
	z          int // latent size
	lr         lossReducer
	dy         []float32
}

// GaussianKL is the KL divergence of the diagonal Gaussian N(mu,
// diag(e^logvar)) from N(0, I), summed over the last axis (the latent
// size Z) for each row: -½ Σ (1 + logvar - mu² - e^logvar) (Kingma and
// Welling 2014, appendix B). mu and logvar are [N, Z]; the rows are then
// reduced (ReduceMean: the mean over N; ReduceNone: [N]).
func GaussianKL(tp *Tape, mu, logvar *Tensor, red Reduction) *Tensor {
	if mu.Rank() == 0 || mu.Rank() != logvar.Rank() || mu.Size() != logvar.Size() {
		panic(fmt.Sprintf("nets: GaussianKL of mu %v and logvar %v", mu.Shape, logvar.Shape))
	}
	z := mu.Dim(-1)
	rows := mu.Size() / max(z, 1)
	op, y := Record[gaussianKLOp](tp, reducedShape(red, mu.Shape[:mu.Rank()-1]), mu, logvar)
	op.mu, op.logvar, op.z = mu, logvar, z
	op.lr.setup(red, y, rows)
	for r := 0; r < rows; r++ {
		s := 0.0
		for j := r * z; j < (r+1)*z; j++ {
			m, lv := float64(mu.Data[j]), float64(logvar.Data[j])
			s += 1 + lv - m*m - math.Exp(lv)
		}
		op.lr.items[r] = float32(-0.5 * s)
	}
	clear(op.lr.partial)
	if rows > 0 {
		op.lr.addChunkSerial(rows)
	}
	op.lr.finish(y)
	return y
}

// addChunkSerial fills the partial sums of n items computed serially.
func (lr *lossReducer) addChunkSerial(n int) {
	c := Chunk(1)
	for lo := 0; lo < n; lo += c {
		lr.addChunk(lo, min(lo+c, n))
	}
}

// Backward: dmu += g_r mu; dlogvar += g_r ½(e^logvar - 1).
func (op *gaussianKLOp) Backward(y *Tensor) {
	dmu, dlv := op.mu.GradBuf(), op.logvar.GradBuf()
	for j := range op.mu.Data {
		g := op.lr.grad(y.Grad, j/op.z)
		if dmu != nil {
			dmu[j] += g * op.mu.Data[j]
		}
		if dlv != nil {
			dlv[j] += g * 0.5 * float32(math.Expm1(float64(op.logvar.Data[j])))
		}
	}
}
