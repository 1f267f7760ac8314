package dqn

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/arcadelab/arcade/agents/internal/checkpoint"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/arcadelab/arcade/replay"
)

// state is the loop's position beyond the networks, the optimizer and the
// buffer: counters, running sums of the metrics, the best evaluation, and
// (filled in when saved) the generators and the env's game.
type state struct {
	checkpoint.Header
	Episodes int     `json:"episodes"` // games ended
	Updates  int64   `json:"updates"`  // gradient steps made
	LossSum  float64 `json:"loss_sum"` // TD losses since the last losses/ metric
	QSum     float64 `json:"q_sum"`
	WindowN  int     `json:"window_n"`
	Evals    int     `json:"evals"`     // evaluations made
	Best     float64 `json:"best"`      // the best evaluation so far, once Evals > 0
	LastEval float64 `json:"last_eval"` // the latest evaluation

	ActRNG    []byte              `json:"act_rng"`
	SampleRNG []byte              `json:"sample_rng"`
	Stream    rollout.StreamState `json:"stream"`
}

// The files of a DQN checkpoint.
const (
	onlineFile = "online.safetensors" // Q's weights and the optimizer's state
	targetFile = "target.safetensors" // Q''s weights
	replayFile = "replay.bin"         // the replay buffer
)

// checkpointer writes the checkpoints of a run.
type checkpointer struct {
	r                 *run.Run
	q, target         *models.QNet
	opt               nets.Optimizer
	buf               *replay.Buffer
	actPCG, samplePCG *rand.PCG
	stream            *rollout.Stream
}

// save writes checkpoint/ (as one unit) and curves.png.
func (c *checkpointer) save(st *state) error {
	st.Elapsed = c.r.Elapsed()
	st.ActRNG, st.SampleRNG, st.Stream = checkpoint.PCG(c.actPCG), checkpoint.PCG(c.samplePCG), c.stream.State()
	if err := c.r.Flush(); err != nil {
		return err
	}
	err := checkpoint.Save(c.r.Dir, func(dir string) error {
		if err := nets.SaveCheckpoint(filepath.Join(dir, onlineFile), c.q.Params(), c.opt, nil); err != nil {
			return err
		}
		if err := nets.SaveTensors(filepath.Join(dir, targetFile), c.target.Params(), nil); err != nil {
			return err
		}
		if err := c.buf.Save(filepath.Join(dir, replayFile)); err != nil {
			return err
		}
		return checkpoint.WriteJSON(filepath.Join(dir, checkpoint.StateFile), st)
	})
	if err != nil {
		return err
	}
	c.r.Logf("step %d: checkpoint saved", st.Step)
	return run.PlotCurves([]string{c.r.Dir}, c.r.Path("curves.png"))
}

// restore loads the checkpoint of the run in runDir into the networks, the
// optimizer, the generators and st, loads the buffer saved with it and
// replays the env's game to where it was. It returns the observation to
// act on and the buffer.
func restore(runDir string, cfg Config, rc replay.Config, q, target *models.QNet, opt nets.Optimizer,
	actPCG, samplePCG *rand.PCG, stream *rollout.Stream, st *state) (envs.Obs, *replay.Buffer, error) {
	dir, err := checkpoint.Find(runDir)
	if err != nil {
		return envs.Obs{}, nil, err
	}
	if _, err := nets.LoadCheckpoint(filepath.Join(dir, onlineFile), q.Params(), opt); err != nil {
		return envs.Obs{}, nil, err
	}
	if _, err := nets.LoadTensors(filepath.Join(dir, targetFile), target.Params()); err != nil {
		return envs.Obs{}, nil, err
	}
	if err := checkpoint.ReadJSON(filepath.Join(dir, checkpoint.StateFile), st); err != nil {
		return envs.Obs{}, nil, err
	}
	if st.Step < 0 || st.Step > int64(cfg.Steps) {
		return envs.Obs{}, nil, fmt.Errorf("%s: step %d outside the run's %d steps", dir, st.Step, cfg.Steps)
	}
	if err := checkpoint.SetPCG(actPCG, st.ActRNG, "act_rng"); err != nil {
		return envs.Obs{}, nil, err
	}
	if err := checkpoint.SetPCG(samplePCG, st.SampleRNG, "sample_rng"); err != nil {
		return envs.Obs{}, nil, err
	}
	buf, err := replay.Load(filepath.Join(dir, replayFile), rc)
	if err != nil {
		return envs.Obs{}, nil, err
	}
	obs, err := stream.Restore(st.Stream)
	if err != nil {
		return envs.Obs{}, nil, fmt.Errorf("%s: %w", dir, err)
	}
	return obs, buf, nil
}
