// Package nets is arcade's neural-network package: float32 tensors in
// row-major order, reverse-mode automatic differentiation over coarse ops
// whose hand-written backward kernels sit right below their forwards,
// layers, losses, optimizers, learning-rate schedules, initialisers,
// gradient clipping, training helpers and safetensors checkpoints. Its
// gradient checker is the sub-package nets/gradcheck.
//
// # Shapes
//
// Shapes follow PyTorch's conventions, so reference values compare one to
// one. The letters used in doc comments:
//
//	N   batch (rows of a mini-batch)
//	D   features of a dense layer's input or output (In, Out for a weight)
//	K   classes (logits [N, K])
//	A   actions (Q-values [N, A])
//	C   channels; H, W height and width (images are NCHW)
//	T   time steps; V vocabulary size; Z latent size
//
// A weight of a dense layer is [Out, In] (nn.Linear's layout); a scalar
// (a loss) has shape [].
//
// # Recording and differentiating
//
// Every op takes a *Tape first and records itself on it:
//
//	tp := nets.NewTape()                 // once; Train is true
//	for each step {
//		tp.Reset()                       // reuse last step's buffers
//		opt.ZeroGrad()
//		logits := model.Forward(tp, x)   // x: a leaf tensor you fill
//		loss := nets.CrossEntropy(tp, logits, labels, nets.ReduceMean)
//		loss.Backward()                  // fills every parameter's Grad
//		opt.Step()
//	}
//
// After the first step, the same sequence of ops reuses every output,
// gradient and scratch buffer, so the step allocates nothing. A nil tape
// evaluates without recording. Gradients accumulate (+=) into parameters
// until ZeroGrad, so two uses of one weight (tied or shared layers, several
// forwards of one net, BPTT over many steps on one tape) add up.
//
// New ops, in nets or in other packages, are small structs recorded with
// Record and implementing Op (see Record for a complete example).
//
// # Determinism
//
// Large elementwise and row-wise kernels run on the worker pool
// (internal/par) through Parallel, in fixed chunks; matrix products go
// through nets/kernels.Sgemm. Every sum is added in an order that does not
// depend on the number of threads, so results are the same bytes at any
// --threads. Random draws (initialisation, dropout, shuffling) come from a
// *rand.Rand the caller seeds.
package nets
