package envs

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
)

// CartPole's physical constants, those of Gymnasium's CartPole-v1 (Barto,
// Sutton and Anderson 1983).
const (
	cartPoleGravity   = 9.8  // m/s²
	cartPoleMassCart  = 1.0  // kg
	cartPoleMassPole  = 0.1  // kg
	cartPoleLength    = 0.5  // m, half the pole's length
	cartPoleForceMag  = 10.0 // N, the push of each action
	cartPoleTau       = 0.02 // s between state updates (Euler)
	cartPoleXLimit    = 2.4  // m, the cart's position that ends an episode
	cartPoleTotalMass = cartPoleMassPole + cartPoleMassCart
	// cartPolePoleMassLength is the pole's mass times its half length, kg·m.
	cartPolePoleMassLength = cartPoleMassPole * cartPoleLength
	// CartPoleTimeLimit is CartPole-v1's episode limit in steps.
	CartPoleTimeLimit = 500
)

// cartPoleThetaLimit is the pole angle that ends an episode: 12 degrees,
// in radians, rounded step by step in float64 as Gymnasium computes it
// (12 * 2 * math.pi / 360), not as an exact Go constant.
var cartPoleThetaLimit = func() float64 {
	pi := float64(math.Pi)
	return 12 * 2 * pi / 360
}()

// CartPole is Gymnasium's CartPole-v1, step for step.
//
// # Description
//
// A pole is attached by an un-actuated joint to a cart that moves along a
// frictionless track. The pole starts upright; the goal is to keep it
// balanced by pushing the cart left or right.
//
// # Action Space
//
// Discrete(2): 0 LEFT pushes the cart with -10 N, 1 RIGHT with +10 N.
//
// # Observation Space
//
// float32 [4]: cart position x (m, bounds ±4.8), cart velocity (m/s,
// unbounded), pole angle θ (rad, bounds ±0.418, 24°) and pole angular
// velocity (rad/s, unbounded); "unbounded" is float32's largest value, as
// in Gymnasium. The state is kept in float64; the observation is its
// float32 copy.
//
// # Rewards
//
// +1 for every step taken, the last one included.
//
// # Starting State
//
// Each of the four state values uniform in [-0.05, 0.05].
//
// # Episode End
//
// Terminated when x < -2.4 or x > 2.4, or θ outside ±12° (checked on the
// float64 state after the step). Truncated at 500 steps by the TimeLimit
// wrapper of the standard stack.
//
// # Arguments
//
// max_steps: the time limit in steps (default 500; 0 turns it off).
//
// The dynamics, semi-implicit only in name, are Gymnasium's explicit Euler
// step: with F = ±10 N,
//
//	temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
//	θ̈ = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / (m_c + m_p)))
//	ẍ = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
//	x += τ·ẋ; ẋ += τ·ẍ; θ += τ·θ̇; θ̇ += τ·θ̈   (each from the old values)
type CartPole struct {
	ep    episode
	rng   *rand.Rand
	state [4]float64 // x, ẋ, θ, θ̇
	obs   [4]float32
	shape []int
	info  Info
}

// NewCartPole returns an unseeded CartPole without a time limit; Make adds
// the standard TimeLimit and Monitor.
func NewCartPole() *CartPole {
	return &CartPole{ep: episode{name: "cartpole", actions: 2}, shape: []int{4}, info: newInfo()}
}

// Seed reseeds the env's generator.
func (c *CartPole) Seed(seed uint64) { c.rng = newRNG(seed, streamGame); c.ep.seed() }

// ActionSpace is LEFT, RIGHT.
func (c *CartPole) ActionSpace() Discrete { return Discrete{N: 2, Names: cartPoleActions} }

var cartPoleActions = []string{"LEFT", "RIGHT"}

// ObservationSpace is float32 [4] with Gymnasium's bounds.
func (c *CartPole) ObservationSpace() Box {
	inf := float64(math.MaxFloat32)
	high := []float64{2 * cartPoleXLimit, inf, 2 * cartPoleThetaLimit, inf}
	low := []float64{-high[0], -inf, -high[2], -inf}
	return Box{Shape: c.shape, Dtype: Float32, Low: low, High: high}
}

// Reset draws a starting state.
func (c *CartPole) Reset() (Obs, Info) {
	c.ep.reset()
	for i := range c.state {
		c.state[i] = -0.05 + 0.1*c.rng.Float64()
	}
	clear(c.info)
	return c.observe(), c.info
}

// Step pushes the cart and advances the physics by τ.
func (c *CartPole) Step(action int) (Obs, float64, bool, bool, Info) {
	c.ep.step(action)
	x, xDot, theta, thetaDot := c.state[0], c.state[1], c.state[2], c.state[3]
	force := -cartPoleForceMag
	if action == 1 {
		force = cartPoleForceMag
	}
	cos, sin := math.Cos(theta), math.Sin(theta)
	temp := (force + cartPolePoleMassLength*(thetaDot*thetaDot)*sin) / cartPoleTotalMass
	thetaAcc := (cartPoleGravity*sin - cos*temp) /
		(cartPoleLength * (4.0/3.0 - cartPoleMassPole*(cos*cos)/cartPoleTotalMass))
	xAcc := temp - cartPolePoleMassLength*thetaAcc*cos/cartPoleTotalMass
	c.state = [4]float64{x + cartPoleTau*xDot, xDot + cartPoleTau*xAcc, theta + cartPoleTau*thetaDot, thetaDot + cartPoleTau*thetaAcc}
	x, theta = c.state[0], c.state[2]
	terminated := x < -cartPoleXLimit || x > cartPoleXLimit || theta < -cartPoleThetaLimit || theta > cartPoleThetaLimit
	c.ep.end(terminated)
	clear(c.info)
	return c.observe(), 1, terminated, false, c.info
}

func (c *CartPole) observe() Obs {
	for i, v := range c.state {
		c.obs[i] = float32(v)
	}
	return Obs{Shape: c.shape, F32: c.obs[:]}
}

// State returns a copy of the float64 state x, ẋ, θ, θ̇ (Gymnasium's
// env.unwrapped.state).
func (c *CartPole) State() []float64 { return append([]float64(nil), c.state[:]...) }

// SetState sets the state, e.g. to start a test from an exact state; the
// next Step starts from it. Call it after Reset.
func (c *CartPole) SetState(s []float64) {
	if len(s) != 4 {
		panic(fmt.Sprintf("envs: cartpole: SetState of %d values; want 4", len(s)))
	}
	copy(c.state[:], s)
}

// CartPole's picture: Gymnasium's 600x400 layout.
const (
	cartPoleScreenW = 600
	cartPoleScreenH = 400
)

// RenderSize is 600x400, Gymnasium's.
func (c *CartPole) RenderSize() image.Point { return image.Pt(cartPoleScreenW, cartPoleScreenH) }

// Render draws the track, the cart and the pole as Gymnasium does.
func (c *CartPole) Render(dst *image.RGBA) {
	checkRenderTarget("cartpole", dst, c.RenderSize())
	cv := rgbaCanvas(dst, c.RenderSize())
	cv.fill(0, 0, cartPoleScreenW, cartPoleScreenH, rgb(255, 255, 255))
	scale := cartPoleScreenW / (2 * cartPoleXLimit) // pixels per metre
	const cartW, cartH, poleW, groundY = 50.0, 30.0, 10.0, 300.0
	poleLen := scale * 2 * cartPoleLength
	cv.fill(0, int(groundY), cartPoleScreenW, int(groundY)+1, rgb(0, 0, 0))
	cx := c.state[0]*scale + cartPoleScreenW/2
	cv.fill(int(cx-cartW/2), int(groundY-cartH/2), int(cx+cartW/2), int(groundY+cartH/2), rgb(0, 0, 0))
	axleY := groundY - cartH/4
	// The pole: a rectangle rotated by θ from the vertical, clockwise.
	sin, cos := math.Sin(c.state[2]), math.Cos(c.state[2])
	corner := func(u, v float64) vec2 { // u across the pole, v along it
		return vec2{cx + u*cos + v*sin, axleY + u*sin - v*cos}
	}
	pole := []vec2{corner(-poleW/2, -poleW/2), corner(poleW/2, -poleW/2), corner(poleW/2, poleLen-poleW/2), corner(-poleW/2, poleLen-poleW/2)}
	fillConvex(dst, pole, rgb(202, 152, 101))
	fillDisc(dst, cx, axleY, poleW/2, rgb(129, 132, 203))
}
