// Package gradcheck compares the gradients that nets' backward kernels
// compute with central finite differences. Every op and layer of arcade is
// tested with it: nets itself, the conv core, the recurrent cells and the
// generative models' custom ops.
//
// The ops compute in float32, so the differences are float32 function
// values accumulated in float64: keep inputs away from kinks (ReLU at 0,
// Abs at 0, Clamp's bounds, Max's ties) by more than Eps, and expect
// agreement to about 1e-3 relative.
package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/arcadelab/arcade/nets"
)

// Options tunes Check. The zero value means the defaults.
type Options struct {
	Eps    float64 // half the finite-difference step (default 1e-2)
	RelTol float64 // relative tolerance (default 1e-3)
	AbsTol float64 // absolute tolerance for gradients near 0 (default 1e-4)
	Seed   uint64  // seed of the random projection of the output
}

func (o *Options) defaults() {
	if o.Eps == 0 {
		o.Eps = 1e-2
	}
	if o.RelTol == 0 {
		o.RelTol = 1e-3
	}
	if o.AbsTol == 0 {
		o.AbsTol = 1e-4
	}
}

// Check differentiates L = Σ r·f(inputs), r a fixed random projection of
// the output, with respect to every element of every input, analytically
// (one backward pass) and by central differences (two forward passes per
// element), and returns an error describing the first element where they
// disagree: |analytic - numeric| > AbsTol + RelTol·max(|analytic|, |numeric|).
//
// f builds the output from inputs on the tape it is given; it must be a
// deterministic function of the inputs (reseed any random source inside
// f). Check marks inputs as requiring gradients and leaves their values as
// they were. It also checks that f does not change its inputs and that a
// second pass on the reset tape (the buffers reused) gives the same
// gradients, bit for bit.
func Check(f func(tp *nets.Tape) *nets.Tensor, inputs []*nets.Tensor, opt Options) error {
	opt.defaults()
	for _, x := range inputs {
		x.SetRequiresGrad(true)
	}
	tp := nets.NewTape()
	analytic, r, err := backward(tp, f, inputs, opt.Seed, nil)
	if err != nil {
		return err
	}
	again, _, err := backward(tp, f, inputs, opt.Seed, r)
	if err != nil {
		return err
	}
	for k := range analytic {
		for i := range analytic[k] {
			if math.Float32bits(analytic[k][i]) != math.Float32bits(again[k][i]) {
				return fmt.Errorf("input %d element %d: the gradient changed on the replayed tape: %g then %g", k, i, analytic[k][i], again[k][i])
			}
		}
	}
	loss := func() float64 {
		tp.Reset()
		out := f(tp)
		s := 0.0
		for i, v := range out.Data {
			s += float64(r[i]) * float64(v)
		}
		return s
	}
	for k, x := range inputs {
		for i, v := range x.Data {
			hi, lo := float32(float64(v)+opt.Eps), float32(float64(v)-opt.Eps)
			x.Data[i] = hi
			lHi := loss()
			x.Data[i] = lo
			lLo := loss()
			x.Data[i] = v
			num := (lHi - lLo) / (float64(hi) - float64(lo))
			a := float64(analytic[k][i])
			if math.IsNaN(a) || math.IsNaN(num) || math.Abs(a-num) > opt.AbsTol+opt.RelTol*max(math.Abs(a), math.Abs(num)) {
				return fmt.Errorf("input %d %v element %d (value %g): analytic gradient %g, numeric %g", k, x.Shape, i, v, a, num)
			}
		}
	}
	return nil
}

// backward runs f on the reset tape and back-propagates r (drawn from seed
// when nil) from its output; it returns copies of the inputs' gradients
// and r.
func backward(tp *nets.Tape, f func(tp *nets.Tape) *nets.Tensor, inputs []*nets.Tensor, seed uint64, r []float32) ([][]float32, []float32, error) {
	before := make([][]float32, len(inputs))
	for k, x := range inputs {
		before[k] = slices.Clone(x.Data)
		x.ZeroGrad()
	}
	tp.Reset()
	out := f(tp)
	for k, x := range inputs {
		if !slices.Equal(before[k], x.Data) {
			return nil, nil, fmt.Errorf("input %d %v: f changed its values", k, x.Shape)
		}
	}
	if !out.RequiresGrad() {
		return nil, nil, fmt.Errorf("the output %v does not depend on any input", out.Shape)
	}
	if r == nil {
		rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		r = make([]float32, out.Size())
		for i := range r {
			r[i] = float32(rng.Float64()*2 - 1)
		}
	}
	tp.BackwardFrom(out, r)
	grads := make([][]float32, len(inputs))
	for k, x := range inputs {
		grads[k] = make([]float32, x.Size())
		if x.Grad != nil {
			copy(grads[k], x.Grad)
		}
	}
	return grads, r, nil
}
