package rollout

import (
	"fmt"

	"github.com/arcadelab/arcade/envs"
)

// Stream is a training env that can be checkpointed without saving the
// env's internals. Game g (counted from 0) is played on the env seeded
// TrainSeed(seed, g), and the Stream logs the actions of the game in
// progress; Restore reseeds the env and replays them, which leaves every
// layer of the env (game state, generators, frame stacks, time limits,
// Monitor's sums) as it was. A game is what Monitor counts as an episode,
// so with EpisodicLife the log spans the agent's episodes of one game.
//
// Use: obs := s.Reset(), then Step; after a step that ends the agent's
// episode, Reset again.
type Stream struct {
	env     envs.Env
	seed    uint64
	game    int    // the game in progress
	actions []byte // its actions so far
	over    bool   // the last step ended the game: the next Reset starts the next one
	started bool
}

// NewStream returns a Stream over env (an env made by envs.Make, with a
// Monitor, and at most 256 actions) for a run seeded with seed.
func NewStream(env envs.Env, seed uint64) *Stream {
	if n := env.ActionSpace().N; n > 256 {
		panic(fmt.Sprintf("rollout: Stream over an env of %d actions; at most 256", n))
	}
	if !monitored(env) {
		panic("rollout: Stream over an env without a Monitor: games cannot be told apart")
	}
	return &Stream{env: env, seed: seed}
}

// Env returns the env.
func (s *Stream) Env() envs.Env { return s.env }

// Game returns the index of the game in progress.
func (s *Stream) Game() int { return s.game }

// Reset starts the agent's next episode: the next game (reseeding the env)
// after the first call or a game's end, the same game after a lost life.
func (s *Stream) Reset() envs.Obs {
	if !s.started || s.over {
		if s.started {
			s.game++
		}
		s.started, s.over = true, false
		s.actions = s.actions[:0]
		s.env.Seed(TrainSeed(s.seed, s.game))
	}
	obs, _ := s.env.Reset()
	return obs
}

// Step plays action a, logging it, and returns what the env returned.
func (s *Stream) Step(a int) (envs.Obs, float64, bool, bool, envs.Info) {
	obs, r, term, trunc, info := s.env.Step(a)
	s.actions = append(s.actions, byte(a))
	if _, ok := info[envs.InfoEpisodeReturn]; ok {
		s.over = true
	}
	return obs, r, term, trunc, info
}

// StreamState is what a checkpoint keeps of a Stream: taken between the
// Reset that follows an episode's end and the next Step, it restores the
// env exactly.
type StreamState struct {
	Game    int    `json:"game"`
	Actions []byte `json:"actions"` // the game's actions so far
}

// State returns the Stream's state. Take it only where the loop would
// Step next (after the Reset that follows an ended episode).
func (s *Stream) State() StreamState {
	return StreamState{Game: s.game, Actions: append([]byte(nil), s.actions...)}
}

// Restore puts the env back where State was taken, by reseeding it for the
// game and replaying the logged actions, and returns the observation the
// loop acts on next.
func (s *Stream) Restore(st StreamState) (envs.Obs, error) {
	if st.Game < 0 {
		return envs.Obs{}, fmt.Errorf("stream state: game %d", st.Game)
	}
	n := s.env.ActionSpace().N
	s.game, s.started, s.over = st.Game, true, false
	s.actions = s.actions[:0]
	s.env.Seed(TrainSeed(s.seed, s.game))
	obs, _ := s.env.Reset()
	for i, a := range st.Actions {
		if int(a) >= n {
			return envs.Obs{}, fmt.Errorf("stream state: action %d at %d of game %d, the env has %d", a, i, st.Game, n)
		}
		if s.over {
			return envs.Obs{}, fmt.Errorf("stream state: game %d ended at action %d of %d", st.Game, i, len(st.Actions))
		}
		var term, trunc bool
		obs, _, term, trunc, _ = s.Step(int(a))
		if (term || trunc) && !s.over {
			obs, _ = s.env.Reset()
		}
	}
	if s.over {
		return envs.Obs{}, fmt.Errorf("stream state: game %d ends with its last action; a checkpoint is taken after the next game starts", st.Game)
	}
	return obs, nil
}
