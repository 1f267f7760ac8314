package nets

import (
	"fmt"
	"slices"
)

// Tensor is a float32 array of some shape, in row-major order, with the
// gradient of a loss with respect to it.
//
// A tensor is a leaf (made by New or FromData: inputs, parameters, states a
// model carries) or the output of an op recorded on a Tape. The tape owns
// its outputs and overwrites them when it replays (see Tape); copy a value
// you keep across Reset into a leaf of your own (CopyFrom).
type Tensor struct {
	// Shape lists the size of each axis; a scalar has an empty shape.
	Shape []int
	// Data holds the values, len(Data) == the product of Shape.
	Data []float32
	// Grad holds d(loss)/d(Data) once a backward pass has reached the
	// tensor; nil before, and for tensors that need no gradient. Leaves
	// accumulate over backward passes until ZeroGrad; op outputs are
	// cleared at the start of each pass.
	Grad []float32

	requiresGrad bool
	tape         *Tape  // the tape that recorded the tensor; nil for leaves
	node         int    // its index on that tape
	gradPass     uint64 // the tape's backward pass that last cleared Grad
}

// New returns a zero tensor of the given shape.
func New(shape ...int) *Tensor {
	return &Tensor{Shape: slices.Clone(shape), Data: make([]float32, sizeOf(shape))}
}

// FromData returns a tensor of the given shape that uses data as its values
// (no copy). It panics if len(data) does not fit the shape.
func FromData(data []float32, shape ...int) *Tensor {
	if n := sizeOf(shape); n != len(data) {
		panic(fmt.Sprintf("nets: %d values for shape %v of %d elements", len(data), shape, n))
	}
	return &Tensor{Shape: slices.Clone(shape), Data: data}
}

// Scalar returns a tensor of shape [] holding v.
func Scalar(v float32) *Tensor { return &Tensor{Shape: []int{}, Data: []float32{v}} }

// NewParam returns a zero tensor of the given shape that requires a
// gradient: a trainable parameter before its initialisation.
func NewParam(shape ...int) *Tensor {
	t := New(shape...)
	t.requiresGrad = true
	return t
}

// Size reports the number of elements.
func (t *Tensor) Size() int { return len(t.Data) }

// Rank reports the number of axes.
func (t *Tensor) Rank() int { return len(t.Shape) }

// Dim returns the size of axis i; a negative i counts from the end.
func (t *Tensor) Dim(i int) int {
	if i < 0 {
		i += len(t.Shape)
	}
	if i < 0 || i >= len(t.Shape) {
		panic(fmt.Sprintf("nets: axis %d of a tensor of shape %v", i, t.Shape))
	}
	return t.Shape[i]
}

// Item returns the value of a one-element tensor (a loss).
func (t *Tensor) Item() float32 {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("nets: Item of a tensor of shape %v", t.Shape))
	}
	return t.Data[0]
}

// RequiresGrad reports whether backward passes compute t's gradient.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// SetRequiresGrad marks a leaf as needing a gradient (an input whose
// gradient you want, a parameter) or not (a frozen parameter). It returns t.
// Op outputs need a gradient when any of their inputs does.
func (t *Tensor) SetRequiresGrad(on bool) *Tensor {
	if t.tape != nil {
		panic("nets: SetRequiresGrad on the output of an op; use Detach to cut the gradient")
	}
	t.requiresGrad = on
	return t
}

// GradBuf returns t's gradient buffer for an op's backward pass to add
// into, or nil when t needs no gradient. It allocates the buffer the first
// time; an op output's buffer is cleared the first time a backward pass
// reaches it, so every op adds (+=) its contribution.
func (t *Tensor) GradBuf() []float32 {
	if !t.requiresGrad {
		return nil
	}
	if cap(t.Grad) < len(t.Data) {
		t.Grad = make([]float32, len(t.Data))
	}
	t.Grad = t.Grad[:len(t.Data)]
	if tp := t.tape; tp != nil && t.gradPass != tp.pass {
		clear(t.Grad)
		t.gradPass = tp.pass
	}
	return t.Grad
}

// ZeroGrad clears t's gradient.
func (t *Tensor) ZeroGrad() { clear(t.Grad) }

// CopyFrom copies src's values into t; the shapes must have the same
// number of elements. It records nothing: use it to keep a value across a
// tape's Reset, or to load data into an input tensor.
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(t.Data) != len(src.Data) {
		panic(fmt.Sprintf("nets: CopyFrom of shape %v into shape %v", src.Shape, t.Shape))
	}
	copy(t.Data, src.Data)
}

// Clone returns a leaf copy of t's values and shape (no gradient).
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: slices.Clone(t.Shape), Data: slices.Clone(t.Data)}
}

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// String describes the tensor's shape, not its values.
func (t *Tensor) String() string { return fmt.Sprintf("Tensor%v", t.Shape) }

// resize gives t the shape, reusing its buffers when they are large enough.
func (t *Tensor) resize(shape []int) {
	n := sizeOf(shape)
	if cap(t.Data) < n {
		t.Data = make([]float32, n)
	}
	t.Data = t.Data[:n]
	if !slices.Equal(t.Shape, shape) {
		t.Shape = append(t.Shape[:0], shape...)
	}
}

// sizeOf returns the number of elements of a shape, panicking on a
// negative size.
func sizeOf(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			// A copy: formatting shape itself would make every caller's
			// shape escape to the heap.
			panic(fmt.Sprintf("nets: negative size in shape %v", slices.Clone(shape)))
		}
		n *= d
	}
	return n
}

// grow returns buf resized to n elements, reusing its memory when it can.
// Ops keep their scratch buffers with it so that a replayed tape allocates
// nothing.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}
