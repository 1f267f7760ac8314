package nets

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradients. Every optimizer
// shares the same base (the parameters, the learning rate, the step count,
// ZeroGrad) and implements only its update kernel, whose formula is the
// comment above it.
//
// A training step: ZeroGrad, forward, Backward, (clip), Step. Step skips a
// parameter that has never had a gradient (Grad nil), as PyTorch skips
// parameters whose grad is None.
type Optimizer interface {
	// Step applies one update to every parameter.
	Step()
	// ZeroGrad clears every parameter's gradient.
	ZeroGrad()
	// LR returns the learning rate; SetLR changes it (a schedule).
	LR() float64
	SetLR(lr float64)
	// Steps returns the number of updates made (Adam's t); SetSteps
	// restores it from a checkpoint.
	Steps() int64
	SetSteps(n int64)
	// Params returns the parameters being optimized.
	Params() []Param
	// State returns the optimizer's state tensors (moment estimates,
	// momentum buffers), named "<slot>/<parameter>" with PyTorch's slot
	// names ("exp_avg/fc1.weight"), for checkpoints.
	State() []Param
}

// base is what every optimizer shares. An optimizer embeds it and gives it
// its kernel: update(i, lo, hi) updates elements [lo, hi) of parameter i.
type base struct {
	params  []Param
	lr      float64
	steps   int64
	state   []Param
	kernels []func(lo, hi int) // one per parameter, built once
}

// init checks and stores the parameters and builds one chunk kernel per
// parameter around update.
func (b *base) init(what string, params []Param, lr float64, update func(i, lo, hi int)) {
	if !(lr >= 0) || math.IsInf(lr, 0) {
		panic(fmt.Sprintf("nets: %s learning rate %v", what, lr))
	}
	checkUnique(what, params)
	b.params, b.lr = params, lr
	b.kernels = make([]func(lo, hi int), len(params))
	for i := range params {
		b.kernels[i] = func(lo, hi int) { update(i, lo, hi) }
	}
}

// slot returns a zero state tensor per parameter, named "<name>/<param>",
// and records it for State.
func (b *base) slot(name string) []*Tensor {
	ts := make([]*Tensor, len(b.params))
	for i, p := range b.params {
		ts[i] = New(p.Shape...)
		b.state = append(b.state, Param{name + "/" + p.Name, ts[i]})
	}
	return ts
}

// run counts the step and runs the kernel over every parameter that has a
// gradient, in parallel chunks.
func (b *base) run() {
	b.steps++
	for i, p := range b.params {
		if len(p.Grad) == p.Size() {
			Parallel(p.Size(), 1, b.kernels[i])
		}
	}
}

// ZeroGrad clears every parameter's gradient.
func (b *base) ZeroGrad() { ZeroGrads(b.params) }

// LR returns the learning rate.
func (b *base) LR() float64 { return b.lr }

// SetLR sets the learning rate.
func (b *base) SetLR(lr float64) { b.lr = lr }

// Steps returns the number of updates made.
func (b *base) Steps() int64 { return b.steps }

// SetSteps sets the number of updates made (from a checkpoint).
func (b *base) SetSteps(n int64) { b.steps = n }

// Params returns the parameters.
func (b *base) Params() []Param { return b.params }

// State returns the state tensors.
func (b *base) State() []Param { return b.state }

// checkRange panics unless lo <= v <= hi (and v is a number), naming the
// hyper-parameter.
func checkRange(what, name string, v, lo, hi float64) {
	if !(v >= lo && v <= hi) {
		panic(fmt.Sprintf("nets: %s %s %v outside [%v, %v]", what, name, v, lo, hi))
	}
}
