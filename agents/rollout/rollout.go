// Package rollout plays episodes of an env with a policy: the Policy
// interface every trained agent implements (Q-values per action), greedy
// and epsilon-greedy action choice, evaluation over many seeded episodes,
// and the seeds that keep training and evaluation episodes apart.
package rollout

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/envs"
)

// Policy gives action values: a DQN's network, a Q-learning table.
type Policy interface {
	// NumActions is the number of actions, the env's ActionSpace().N.
	NumActions() int
	// QValues writes Q(s, a) of each observation of obs into q, row after
	// row: obs is one observation as the env gives it, or a batch
	// [N, ...] of them, and q holds N*NumActions() values. It may reuse
	// buffers between calls, so a Policy is not safe for concurrent use.
	QValues(obs envs.Obs, q []float32)
}

// Greedy returns the action of the largest value in q (the first one on
// ties).
func Greedy(q []float32) int {
	best := 0
	for a, v := range q {
		if v > q[best] {
			best = a
		}
	}
	return best
}

// EpsilonGreedy returns a uniformly random action with probability
// epsilon and the greedy action of q otherwise. It draws one Float64 from
// rng, and one IntN more when it explores.
func EpsilonGreedy(rng *rand.Rand, epsilon float64, q []float32) int {
	if rng.Float64() < epsilon {
		return rng.IntN(len(q))
	}
	return Greedy(q)
}

// Training and evaluation episodes are seeded from one --seed through
// envs.DeriveSeed, a bijection of its index argument: even indices for
// training games, odd ones for evaluation episodes, so that for the same
// seed the two sets never meet.

// TrainSeed returns the seed of training game g (counted from 0) of a run
// seeded with seed.
func TrainSeed(seed uint64, g int) uint64 { return envs.DeriveSeed(seed, 2*g) }

// EvalSeed returns the seed of evaluation episode i of evaluations seeded
// with seed.
func EvalSeed(seed uint64, i int) uint64 { return envs.DeriveSeed(seed, 2*i+1) }

// epsilonStream is the stream of an evaluation episode's exploration draws.
const epsilonStream = 0x65707369 // "epsi"

// EvalRNG returns the generator of evaluation episode i's exploration
// draws (EpsilonGreedy), for a player that replays Evaluate's episodes
// step for step as Play does.
func EvalRNG(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(EvalSeed(seed, i), epsilonStream))
}

// Config describes an evaluation.
type Config struct {
	Env      string            // the env's registry name
	EnvOpts  map[string]string // its options, as the run was trained with
	Episodes int               // the number of episodes (whole games)
	Seed     uint64            // episode i is seeded EvalSeed(Seed, i)
	Epsilon  float64           // exploration rate while playing
}

// Result holds each episode's return (the game's own rewards, before any
// reward clipping, over whole games) and length in agent steps, in
// episode order.
type Result struct {
	Returns []float64
	Lengths []int
}

// Mean returns the mean return.
func (r Result) Mean() float64 {
	s := 0.0
	for _, v := range r.Returns {
		s += v
	}
	return s / float64(len(r.Returns))
}

// Std returns the population standard deviation of the returns.
func (r Result) Std() float64 {
	m, s := r.Mean(), 0.0
	for _, v := range r.Returns {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(r.Returns)))
}

// Min returns the smallest return.
func (r Result) Min() float64 {
	m := math.Inf(1)
	for _, v := range r.Returns {
		m = min(m, v)
	}
	return m
}

// Max returns the largest return.
func (r Result) Max() float64 {
	m := math.Inf(-1)
	for _, v := range r.Returns {
		m = max(m, v)
	}
	return m
}

// maxCopies is how many episodes Evaluate plays side by side, their
// observations batched into one QValues call.
const maxCopies = 16

// Evaluate plays cfg.Episodes episodes of the env with p, epsilon-greedy,
// and returns their returns and lengths. Episode i runs on its own env
// seeded EvalSeed(cfg.Seed, i), with exploration draws from its own
// generator, so its outcome does not depend on the other episodes. Up to
// 16 episodes run side by side and their observations go to p as one
// batch. An episode is a whole game: where the env ends the agent's
// episode at a lost life (EpisodicLife), play resets and goes on until the
// Monitor reports the game's end.
func Evaluate(p Policy, cfg Config) (Result, error) {
	if cfg.Episodes < 1 {
		return Result{}, fmt.Errorf("evaluation of %d episodes; want 1 or more", cfg.Episodes)
	}
	if !(cfg.Epsilon >= 0 && cfg.Epsilon <= 1) {
		return Result{}, fmt.Errorf("evaluation epsilon %v; want a probability in [0, 1]", cfg.Epsilon)
	}
	copies := min(cfg.Episodes, maxCopies)
	players := make([]*player, copies)
	for i := range players {
		env, err := envs.Make(cfg.Env, cfg.EnvOpts)
		if err != nil {
			return Result{}, err
		}
		if env.ActionSpace().N != p.NumActions() {
			return Result{}, fmt.Errorf("%s has %d actions; the policy has %d", cfg.Env, env.ActionSpace().N, p.NumActions())
		}
		players[i] = &player{env: env, monitored: monitored(env)}
	}
	res := Result{Returns: make([]float64, cfg.Episodes), Lengths: make([]int, cfg.Episodes)}
	next := 0 // the next episode to start
	for _, pl := range players {
		pl.start(next, cfg.Seed)
		next++
	}
	space := players[0].env.ObservationSpace()
	size, A := space.Size(), p.NumActions()
	var u8 []uint8
	var f32 []float32
	if space.Dtype == envs.Uint8 {
		u8 = make([]uint8, copies*size)
	} else {
		f32 = make([]float32, copies*size)
	}
	q := make([]float32, copies*A)
	active := make([]*player, 0, copies)
	for {
		active = active[:0]
		for _, pl := range players {
			if pl.episode >= 0 {
				active = append(active, pl)
			}
		}
		if len(active) == 0 {
			return res, nil
		}
		n := len(active)
		for k, pl := range active {
			if pl.obs.Len() != size {
				panic(fmt.Sprintf("rollout: %s gave an observation of %d values; its space says %d", cfg.Env, pl.obs.Len(), size))
			}
			if u8 != nil {
				copy(u8[k*size:], pl.obs.U8)
			} else {
				copy(f32[k*size:], pl.obs.F32)
			}
		}
		batch := envs.Obs{Shape: append([]int{n}, space.Shape...)}
		if u8 != nil {
			batch.U8 = u8[:n*size]
		} else {
			batch.F32 = f32[:n*size]
		}
		p.QValues(batch, q[:n*A])
		for k, pl := range active {
			a := EpsilonGreedy(pl.rng, cfg.Epsilon, q[k*A:(k+1)*A])
			if pl.step(a) {
				res.Returns[pl.episode], res.Lengths[pl.episode] = pl.ret, pl.length
				pl.episode = -1
				if next < cfg.Episodes {
					pl.start(next, cfg.Seed)
					next++
				}
			}
		}
	}
}

// player runs one episode at a time on its own env copy.
type player struct {
	env       envs.Env
	monitored bool
	rng       *rand.Rand
	episode   int // the episode being played; -1 when idle
	obs       envs.Obs
	ret       float64
	length    int
}

// start seeds the env and the exploration generator for episode i and
// resets.
func (pl *player) start(i int, seed uint64) {
	pl.env.Seed(EvalSeed(seed, i))
	pl.rng = EvalRNG(seed, i)
	pl.episode, pl.ret, pl.length = i, 0, 0
	pl.obs, _ = pl.env.Reset()
}

// step plays action a and reports whether the game ended.
func (pl *player) step(a int) bool {
	obs, r, term, trunc, info := pl.env.Step(a)
	pl.obs = obs
	pl.length++
	if !pl.monitored {
		pl.ret += r
		return term || trunc
	}
	if ret, ok := info[envs.InfoEpisodeReturn]; ok {
		pl.ret = ret
		return true
	}
	if term || trunc { // a lost life: the game goes on
		pl.obs, _ = pl.env.Reset()
	}
	return false
}

// monitored reports whether a Monitor wraps some layer of env.
func monitored(env envs.Env) bool {
	for {
		if _, ok := env.(*envs.Monitor); ok {
			return true
		}
		w, ok := env.(envs.Wrapper)
		if !ok {
			return false
		}
		env = w.Inner()
	}
}

// Linear is a linear schedule, CleanRL's linear_schedule: start at t = 0,
// moving in a straight line to end at t = duration and staying there
// (end from the start when duration <= 0). DQN's epsilon, Q-learning's
// epsilon and alpha follow it.
func Linear(start, end float64, duration, t int) float64 {
	if duration <= 0 || t >= duration {
		return end
	}
	return start + (end-start)*float64(t)/float64(duration)
}

// Play plays evaluation episode i of evaluations seeded with seed on env
// (a fresh copy of the env) exactly as Evaluate would, calling frame
// before every step and once after the last, and returns the episode's
// return and length. With a frame that renders env, it records the
// episode that Evaluate scores as its i-th.
func Play(p Policy, env envs.Env, seed uint64, i int, epsilon float64, frame func()) (float64, int) {
	pl := &player{env: env, monitored: monitored(env)}
	pl.start(i, seed)
	q := make([]float32, p.NumActions())
	for {
		frame()
		p.QValues(pl.obs, q)
		if pl.step(EpsilonGreedy(pl.rng, epsilon, q)) {
			frame()
			return pl.ret, pl.length
		}
	}
}
