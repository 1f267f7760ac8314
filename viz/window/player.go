package window

import (
	"math/rand/v2"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
)

// agentPlayer plays an agent's games one step at a time, exactly as
// rollout.Play does, so that watch's game i is the evaluation episode i
// that arcade eval scores and records: game i on the env seeded
// rollout.EvalSeed(seed, i), exploration drawn from rollout.EvalRNG, a
// lost life (the agent's episode ends, the game's does not) followed by a
// Reset that goes on. It decides each action as soon as the observation
// arrives, so that the window can show the Q-values and the choice before
// the step is played.
type agentPlayer struct {
	policy    agents.Policy
	env       envs.Env
	monitored bool // a Monitor reports the games' ends
	clipped   bool // the agent's rewards are clipped (pixel games)
	seed      uint64
	epsilon   float64

	rng     *rand.Rand
	game    int      // the game being played, from 0
	obs     envs.Obs // what the agent acts on next (the env's buffer)
	q       []float32
	action  int     // the action it chose for obs
	greedy  int     // the action of the largest Q-value
	ret     float64 // the game's rewards so far, as the agent receives them
	steps   int     // agent steps in this game
	over    bool    // the game ended; the next step starts the next one
	last    float64 // the last finished game's return (Monitor's, unclipped)
	played  int     // games finished
	actions int     // agent steps since the start
}

func newAgentPlayer(p agents.Policy, env envs.Env, seed uint64, epsilon float64) *agentPlayer {
	pl := &agentPlayer{policy: p, env: env, seed: seed, epsilon: epsilon, q: make([]float32, p.NumActions())}
	for e := env; ; {
		switch e.(type) {
		case *envs.Monitor:
			pl.monitored = true
		case *envs.ClipReward:
			pl.clipped = true
		}
		w, ok := e.(envs.Wrapper)
		if !ok {
			break
		}
		e = w.Inner()
	}
	pl.start(0)
	return pl
}

// start seeds and resets game i.
func (pl *agentPlayer) start(i int) {
	pl.env.Seed(rollout.EvalSeed(pl.seed, i))
	pl.rng = rollout.EvalRNG(pl.seed, i)
	pl.game, pl.ret, pl.steps, pl.over = i, 0, 0, false
	pl.obs, _ = pl.env.Reset()
	pl.decide()
}

// decide asks the policy about obs and draws the action.
func (pl *agentPlayer) decide() {
	pl.policy.QValues(pl.obs, pl.q)
	pl.greedy = rollout.Greedy(pl.q)
	pl.action = rollout.EpsilonGreedy(pl.rng, pl.epsilon, pl.q)
}

// step plays the chosen action; after a game's end it starts the next
// game instead.
func (pl *agentPlayer) step() {
	if pl.over {
		pl.start(pl.game + 1)
		return
	}
	obs, r, term, trunc, info := pl.env.Step(pl.action)
	pl.obs = obs
	pl.ret += r
	pl.steps++
	pl.actions++
	ended := term || trunc
	if pl.monitored {
		ret, ok := info[envs.InfoEpisodeReturn]
		if ok {
			pl.last = ret
		} else if ended { // a lost life: the game goes on
			pl.obs, _ = pl.env.Reset()
		}
		ended = ok
	} else if ended {
		pl.last = pl.ret
	}
	if ended {
		pl.over = true
		pl.played++
		return
	}
	pl.decide()
}
