package envs

import (
	"fmt"
	"math"
	"strings"
)

// Discrete is an action space: the actions 0..N-1, each with a name for
// people (the keyboard player, the Q-value bars).
type Discrete struct {
	N     int
	Names []string // len N: "NOOP", "LEFT", "RIGHT", "UP", "DOWN", "FIRE", ...; shared, do not modify
}

// Index returns the action called name, or -1.
func (d Discrete) Index(name string) int {
	for i, n := range d.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Dtype is the element type of an observation.
type Dtype string

// The element types of observations: Obs.U8 or Obs.F32.
const (
	Uint8   Dtype = "uint8"
	Float32 Dtype = "float32"
)

// Box is an observation space: a shape, an element type and bounds. Low and
// High hold either one value that bounds every element or one value per
// element (CartPole bounds each of its four numbers differently).
type Box struct {
	Shape     []int
	Dtype     Dtype
	Low, High []float64
}

// uniformBox is a Box with the same bounds for every element.
func uniformBox(dtype Dtype, low, high float64, shape ...int) Box {
	return Box{Shape: shape, Dtype: dtype, Low: []float64{low}, High: []float64{high}}
}

// Size is the number of elements: the product of Shape.
func (b Box) Size() int {
	n := 1
	for _, d := range b.Shape {
		n *= d
	}
	return n
}

// Bounds returns the bounds of element i.
func (b Box) Bounds(i int) (low, high float64) {
	if len(b.Low) == 1 {
		return b.Low[0], b.High[0]
	}
	return b.Low[i], b.High[i]
}

// Check returns nil when o lies in the space, or an error saying where it
// does not: wrong shape, wrong element type, or an element out of bounds.
func (b Box) Check(o Obs) error {
	if len(o.Shape) != len(b.Shape) {
		return fmt.Errorf("shape %v, want %v", o.Shape, b.Shape)
	}
	for i := range b.Shape {
		if o.Shape[i] != b.Shape[i] {
			return fmt.Errorf("shape %v, want %v", o.Shape, b.Shape)
		}
	}
	n := b.Size()
	switch b.Dtype {
	case Uint8:
		if o.F32 != nil || len(o.U8) != n {
			return fmt.Errorf("want %d uint8 values only, got %d uint8 and %d float32", n, len(o.U8), len(o.F32))
		}
		for i, v := range o.U8 {
			if lo, hi := b.Bounds(i); float64(v) < lo || float64(v) > hi {
				return fmt.Errorf("element %d = %d outside [%g, %g]", i, v, lo, hi)
			}
		}
	case Float32:
		if o.U8 != nil || len(o.F32) != n {
			return fmt.Errorf("want %d float32 values only, got %d float32 and %d uint8", n, len(o.F32), len(o.U8))
		}
		for i, v := range o.F32 {
			if lo, hi := b.Bounds(i); math.IsNaN(float64(v)) || float64(v) < lo || float64(v) > hi {
				return fmt.Errorf("element %d = %g outside [%g, %g]", i, v, lo, hi)
			}
		}
	default:
		return fmt.Errorf("unknown dtype %q", b.Dtype)
	}
	return nil
}

// String describes the space in one line, e.g. "uint8 [4 84 84] in [0, 255]".
func (b Box) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s %v in ", b.Dtype, b.Shape)
	if len(b.Low) == 1 {
		fmt.Fprintf(&s, "[%g, %g]", b.Low[0], b.High[0])
		return s.String()
	}
	for i := range b.Low {
		if i > 0 {
			s.WriteString(" x ")
		}
		fmt.Fprintf(&s, "[%.4g, %.4g]", b.Low[i], b.High[i])
	}
	return s.String()
}
