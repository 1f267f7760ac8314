package replay

import (
	"fmt"
	"math"
)

// DType is how observations are stored.
type DType uint8

const (
	// U8 stores uint8 observations: pixels (0..255) and grids (0/1).
	U8 DType = iota
	// F32 stores float32 observations: state vectors such as CartPole's.
	F32
)

// String returns "uint8" or "float32".
func (d DType) String() string {
	switch d {
	case U8:
		return "uint8"
	case F32:
		return "float32"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Config describes a buffer. Every field is checked by New.
type Config struct {
	// Capacity is the number of slots in the ring: one per transition,
	// plus one per episode for its last observation.
	Capacity int
	// ObsShape is one observation as the env gives it: [4,84,84] for a
	// pixel stack, [C,10,10] for a grid, [4] for CartPole.
	ObsShape []int
	// DType is U8 or F32; it must match the Add method the agent calls.
	DType DType
	// FrameStack is the number of frames stacked along ObsShape[0], of
	// which only the newest is stored; 1 when observations are not stacks.
	FrameStack int
	// Scale multiplies uint8 values in sampled batches: 1/255 for pixels,
	// 1 for 0/1 grids. Unused for F32.
	Scale float32
	// NStep is n of the n-step return; 1 gives the one-step DQN target.
	NStep int
	// Gamma is the discount of the n-step return, in [0, 1].
	Gamma float64
	// Prioritized selects proportional prioritized replay (Schaul et al.
	// 2016) instead of uniform sampling.
	Prioritized bool
	// Alpha is the priority exponent, p = (|delta| + Eps)^Alpha, in [0, 1]:
	// 0 is uniform, 1 full prioritization.
	Alpha float64
	// Eps keeps every priority above zero.
	Eps float64
}

// DefaultConfig returns a uniform, one-step buffer of 1,000,000 slots
// with unstacked uint8 observations (Mnih et al. 2015's buffer size and
// gamma), and Schaul et al. 2016's alpha 0.6 should Prioritized be set.
// ObsShape has to be filled in.
func DefaultConfig() Config {
	return Config{
		Capacity:   1_000_000,
		DType:      U8,
		FrameStack: 1,
		Scale:      1,
		NStep:      1,
		Gamma:      0.99,
		Alpha:      0.6,
		Eps:        1e-6,
	}
}

// Limits of a Config.
const (
	maxRank     = 4       // dimensions of ObsShape
	maxStack    = 64      // FrameStack; the per-slot step counter saturates at 255
	maxNStep    = 64      // NStep
	maxObsElems = 1 << 24 // values in one observation
	maxCapacity = 1 << 32 // slots
)

// validate returns a one-line error naming the first field that is wrong.
func (c Config) validate() error {
	if c.DType != U8 && c.DType != F32 {
		return fmt.Errorf("replay: dtype %v: want U8 or F32", c.DType)
	}
	if len(c.ObsShape) == 0 || len(c.ObsShape) > maxRank {
		return fmt.Errorf("replay: observation shape %v: want 1 to %d dimensions", c.ObsShape, maxRank)
	}
	elems := 1
	for _, d := range c.ObsShape {
		if d < 1 || d > maxObsElems {
			return fmt.Errorf("replay: observation shape %v: every dimension must be at least 1", c.ObsShape)
		}
		elems *= d
		if elems > maxObsElems {
			return fmt.Errorf("replay: observation shape %v: more than %d values", c.ObsShape, maxObsElems)
		}
	}
	if c.FrameStack < 1 || c.FrameStack > maxStack {
		return fmt.Errorf("replay: frame stack %d: want 1 to %d", c.FrameStack, maxStack)
	}
	if c.FrameStack > 1 && (len(c.ObsShape) < 2 || c.ObsShape[0] != c.FrameStack) {
		return fmt.Errorf("replay: frame stack %d: the observation shape %v must be [%d, frame...]", c.FrameStack, c.ObsShape, c.FrameStack)
	}
	if c.NStep < 1 || c.NStep > maxNStep {
		return fmt.Errorf("replay: n-step %d: want 1 to %d", c.NStep, maxNStep)
	}
	if need := c.NStep + c.FrameStack + 1; c.Capacity < need || c.Capacity > maxCapacity {
		return fmt.Errorf("replay: capacity %d: want %d (n-step + frame stack + 1) to %d", c.Capacity, need, maxCapacity)
	}
	if !(c.Gamma >= 0 && c.Gamma <= 1) {
		return fmt.Errorf("replay: gamma %v: want a value in [0, 1]", c.Gamma)
	}
	if !(c.Scale > 0) || math.IsInf(float64(c.Scale), 0) {
		return fmt.Errorf("replay: scale %v: want a finite value above 0", c.Scale)
	}
	if !(c.Alpha >= 0 && c.Alpha <= 1) {
		return fmt.Errorf("replay: alpha %v: want a value in [0, 1]", c.Alpha)
	}
	if !(c.Eps > 0) || math.IsInf(c.Eps, 0) {
		return fmt.Errorf("replay: eps %v: want a finite value above 0", c.Eps)
	}
	return nil
}

// obsLen returns the number of values in one observation.
func (c Config) obsLen() int {
	n := 1
	for _, d := range c.ObsShape {
		n *= d
	}
	return n
}
