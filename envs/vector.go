package envs

import (
	"fmt"

	"github.com/arcadelab/arcade/internal/par"
)

// Vector steps N copies of an env in parallel on the default worker pool
// (internal/par, sized by --threads). Every copy writes only its own rows,
// so results are the same bytes for any number of threads. A copy whose
// episode ends is reset at once, in the same Step (Gymnasium's "same-step"
// autoreset): its row of Obs is the new episode's first observation, and
// its row of FinalObs keeps the ended episode's last observation, so that
// a truncated episode can bootstrap from its real last state.
type Vector struct {
	envs  []Env
	frame int // values per observation
	step  VectorStep
	acts  []int
	run   func(lo, hi int) // built once: Step allocates nothing
}

// VectorStep is the result of Vector.Step: one row per copy. It is the
// Vector's own buffer, valid until the next Step or Reset.
type VectorStep struct {
	// Obs holds the observations to act on next, shape [N, ...]: after an
	// episode's end, the first observation of the copy's next episode.
	Obs Obs
	// FinalObs holds the observation each copy's Step returned, shape
	// [N, ...]: where Terminated or Truncated, the ended episode's last
	// observation; elsewhere the same as Obs. It is the next observation
	// of every transition of this step.
	FinalObs   Obs
	Reward     []float64
	Terminated []bool
	Truncated  []bool
	// Info holds each copy's Info of this step (for an ended episode, its
	// last step's, with Monitor's episode_return and episode_length).
	Info []Info
}

// NewVector returns n copies made by newEnv, each of which must be a fresh
// env with the same spaces.
func NewVector(n int, newEnv func() Env) *Vector {
	if n < 1 {
		panic(fmt.Sprintf("envs: Vector of %d copies; want at least 1", n))
	}
	v := &Vector{envs: make([]Env, n), acts: make([]int, n)}
	for i := range v.envs {
		v.envs[i] = newEnv()
	}
	space := v.envs[0].ObservationSpace()
	v.frame = space.Size()
	shape := append([]int{n}, space.Shape...)
	s := &v.step
	if space.Dtype == Uint8 {
		s.Obs = Obs{Shape: shape, U8: make([]uint8, n*v.frame)}
		s.FinalObs = Obs{Shape: shape, U8: make([]uint8, n*v.frame)}
	} else {
		s.Obs = Obs{Shape: shape, F32: make([]float32, n*v.frame)}
		s.FinalObs = Obs{Shape: shape, F32: make([]float32, n*v.frame)}
	}
	s.Reward, s.Terminated, s.Truncated = make([]float64, n), make([]bool, n), make([]bool, n)
	s.Info = make([]Info, n)
	for i := range s.Info {
		s.Info[i] = newInfo()
	}
	v.run = v.stepRange
	return v
}

// MakeVector builds n copies of the env Make builds for name and opts.
func MakeVector(name string, opts map[string]string, n int) (*Vector, error) {
	if _, err := Make(name, opts); err != nil {
		return nil, err
	}
	return NewVector(n, func() Env {
		env, _ := Make(name, opts)
		return env
	}), nil
}

// N is the number of copies.
func (v *Vector) N() int { return len(v.envs) }

// Env returns copy i, e.g. to Render it.
func (v *Vector) Env(i int) Env { return v.envs[i] }

// ActionSpace is the action space of one copy.
func (v *Vector) ActionSpace() Discrete { return v.envs[0].ActionSpace() }

// ObservationSpace is the observation space of one copy.
func (v *Vector) ObservationSpace() Box { return v.envs[0].ObservationSpace() }

// Seed seeds copy i with DeriveSeed(seed, i).
func (v *Vector) Seed(seed uint64) {
	for i, env := range v.envs {
		env.Seed(DeriveSeed(seed, i))
	}
}

// Reset resets every copy and returns their observations, shape [N, ...]
// (the Vector's own buffer, as VectorStep.Obs).
func (v *Vector) Reset() Obs {
	for i, env := range v.envs {
		obs, _ := env.Reset()
		v.put(v.step.Obs, i, obs)
	}
	return v.step.Obs
}

// Step plays actions[i] in copy i, in parallel, resetting the copies whose
// episode ended.
func (v *Vector) Step(actions []int) *VectorStep {
	if len(actions) != len(v.envs) {
		panic(fmt.Sprintf("envs: Vector.Step with %d actions for %d copies", len(actions), len(v.envs)))
	}
	copy(v.acts, actions)
	// One copy per chunk, so that a helper thread that wakes late still
	// takes a share; the copies are independent, so the bytes are the same
	// however they are split.
	par.For(len(v.envs), 1, v.run)
	return &v.step
}

// stepRange steps copies [lo, hi).
func (v *Vector) stepRange(lo, hi int) {
	s := &v.step
	for i := lo; i < hi; i++ {
		env := v.envs[i]
		obs, r, term, trunc, info := env.Step(v.acts[i])
		s.Reward[i], s.Terminated[i], s.Truncated[i] = r, term, trunc
		clear(s.Info[i])
		if len(info) > 0 {
			for k, x := range info {
				s.Info[i][k] = x
			}
		}
		v.put(s.FinalObs, i, obs)
		if term || trunc {
			obs, _ = env.Reset()
		}
		v.put(s.Obs, i, obs)
	}
}

// put copies obs into row i of dst.
func (v *Vector) put(dst Obs, i int, obs Obs) {
	if dst.U8 != nil {
		copy(dst.U8[i*v.frame:(i+1)*v.frame], obs.U8)
	} else {
		copy(dst.F32[i*v.frame:(i+1)*v.frame], obs.F32)
	}
}
