// Package dqn is the DQN family (Mnih et al. 2015): a Q-network trained
// from experience replay against a target network, with Double DQN,
// Dueling heads, prioritized replay and n-step returns as options. Train
// is the whole algorithm in one loop that reads top to bottom, as
// CleanRL's dqn.py does; Config maps one to one onto arcade train dqn's
// flags.
package dqn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/arcadelab/arcade/replay"
)

// Result is what arcade train dqn prints (DESIGN.md's --json keys).
type Result struct {
	Steps          int     `json:"steps"`
	Seconds        float64 `json:"seconds"`          // wall time of the run, earlier sessions included
	StepsPerSecond float64 `json:"steps_per_second"` // of this session
	EvalMeanReturn float64 `json:"eval_mean_return"` // the final evaluation
}

// Options are how a run is driven, beside its Config.
type Options struct {
	Seed     uint64        // --seed
	Resume   bool          // continue from the run directory's checkpoint
	Progress *run.Progress // nil: none
	// OnStep, if set, is called after every step with the number of steps
	// taken (tests stop a run at a fixed step by cancelling the context).
	OnStep func(step int)
}

// Random streams, all derived from the seed: the weights, the
// exploration draws, the replay sampling. Env games are seeded by
// rollout.TrainSeed, evaluation episodes by rollout.EvalSeed.
const (
	streamInit   = 1
	streamAct    = 2
	streamSample = 3
)

// Train runs DQN as cfg says in the run r and returns the result. On
// ctx's cancellation it saves a checkpoint and returns run.ErrInterrupted;
// with opt.Resume it first restores the run's checkpoint.
func Train(ctx context.Context, cfg Config, r *run.Run, opt Options) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	// Env: one copy, its games seeded from the run's seed; Monitor reports
	// each game's return and length.
	env, _ := envs.Make(cfg.Env, cfg.EnvOpts)
	space, A := env.ObservationSpace(), env.ActionSpace().N
	stream := rollout.NewStream(env, opt.Seed)

	// Q-network and target network Q', a copy of it.
	q := newQNet(cfg, space.Shape, A, rand.New(rand.NewPCG(opt.Seed, streamInit)))
	target := newQNet(cfg, space.Shape, A, rand.New(rand.NewPCG(opt.Seed, streamInit)))
	nets.CopyParams(target.Params(), q.Params())
	optim := newOptimizer(cfg, q.Params())
	actor := NewPolicy(q, space)

	// Generators: exploration and replay sampling.
	actPCG, samplePCG := rand.NewPCG(opt.Seed, streamAct), rand.NewPCG(opt.Seed, streamSample)
	actRNG, sampleRNG := rand.New(actPCG), rand.New(samplePCG)

	// Replay memory: empty, or the checkpoint's with everything else.
	rc, _ := bufferConfig(cfg, env)
	var st state
	var buf *replay.Buffer
	var err error
	var obs envs.Obs
	if opt.Resume {
		if obs, buf, err = restore(r.Dir, cfg, rc, q, target, optim, actPCG, samplePCG, stream, &st); err != nil {
			return Result{}, err
		}
		r.Logf("resuming at step %d", st.Step)
	} else {
		if buf, err = replay.New(rc); err != nil {
			return Result{}, err
		}
		obs = stream.Reset()
		r.Logf("DQN (%s) on %s %v: %s net of %d parameters, %d actions, %d steps",
			cfg.Preset, cfg.Env, cfg.EnvOpts, cfg.Net, nets.Count(q.Params()), A, cfg.Steps)
	}
	batch := buf.NewBatch(cfg.Batch)
	var aug *shifter
	if cfg.Augment > 0 {
		aug = newShifter(cfg.Augment, space.Shape)
	}
	l := newLearner(cfg, q, target, optim, batch, space.Shape)
	ck := &checkpointer{r: r, q: q, target: target, opt: optim, buf: buf, actPCG: actPCG, samplePCG: samplePCG, stream: stream}

	cur := newObsCopy(space) // the observation acted on: the env's view is overwritten by Step
	cur.set(obs)
	qRow := make([]float32, A)
	epsSteps := int(cfg.EpsFraction * float64(cfg.Steps))
	startStep, start := st.Step, time.Now()
	for st.Step < int64(cfg.Steps) {
		if run.Interrupted(ctx) {
			if err := ck.save(&st); err != nil {
				return Result{}, err
			}
			r.Logf("interrupted at step %d; checkpoint saved", st.Step)
			return Result{}, run.ErrInterrupted
		}
		t := int(st.Step)

		// Act epsilon-greedily on the current observation.
		eps := rollout.Linear(cfg.EpsStart, cfg.EpsEnd, epsSteps, t)
		var a int
		if actRNG.Float64() < eps {
			a = actRNG.IntN(A)
		} else {
			actor.QValues(cur.obs, qRow)
			a = rollout.Greedy(qRow)
		}

		// Step the env and store the transition. A truncated episode keeps
		// its real last observation as next: the buffer bootstraps from it.
		next, reward, terminated, truncated, info := stream.Step(a)
		cur.add(buf, a, reward, next, terminated, truncated)
		st.Step++
		if terminated || truncated {
			if ret, ok := info[envs.InfoEpisodeReturn]; ok {
				st.Episodes++
				r.Metric(st.Step, "charts/episodic_return", ret)
				r.Metric(st.Step, "charts/episodic_length", info[envs.InfoEpisodeLength])
			}
			next = stream.Reset()
		}
		cur.set(next)

		// Learn: every TrainFreq steps after LearningStarts, GradientSteps updates
		// from sampled batches; the target network follows every
		// TargetUpdate steps.
		if st.Step > int64(cfg.LearningStarts) {
			if cfg.LRDecay {
				optim.SetLR(rollout.Linear(cfg.LR, 0, cfg.Steps, t))
			}
			for k := 0; st.Step%int64(cfg.TrainFreq) == 0 && k < cfg.GradientSteps && buf.Len() > 0; k++ {
				buf.Sample(batch, sampleRNG, replay.BetaAt(cfg.PrioBeta, t, cfg.Steps))
				if aug != nil {
					aug.apply(batch.Obs, sampleRNG)
					aug.apply(batch.NextObs, sampleRNG)
				}
				loss, qMean := l.update()
				buf.UpdatePriorities(batch.Indices, l.td)
				st.Updates++
				st.LossSum += loss
				st.QSum += qMean
				st.WindowN++
			}
			if st.Step%int64(cfg.TargetUpdate) == 0 {
				nets.Polyak(target.Params(), q.Params(), float32(cfg.Tau))
			}
		}
		if st.Step%100 == 0 {
			if st.WindowN > 0 {
				r.Metric(st.Step, "losses/td_loss", st.LossSum/float64(st.WindowN))
				r.Metric(st.Step, "losses/q_values", st.QSum/float64(st.WindowN))
				st.LossSum, st.QSum, st.WindowN = 0, 0, 0
			}
			r.Metric(st.Step, "charts/epsilon", eps)
			r.Metric(st.Step, "charts/SPS", float64(st.Step-startStep)/time.Since(start).Seconds())
		}
		if st.Step%10_000 == 0 { // let long runs be watched from metrics.csv
			if err := r.Flush(); err != nil {
				return Result{}, err
			}
		}

		// Evaluate on separate env copies; keep the best weights.
		if (cfg.EvalEvery > 0 && st.Step%int64(cfg.EvalEvery) == 0) || st.Step == int64(cfg.Steps) {
			if err := evaluate(r, cfg, opt.Seed, q, space, &st); err != nil {
				return Result{}, err
			}
		}
		if cfg.CheckpointEvery > 0 && st.Step%int64(cfg.CheckpointEvery) == 0 {
			if err := ck.save(&st); err != nil {
				return Result{}, err
			}
		}
		if opt.Progress != nil && (st.Step%100 == 0 || st.Step == int64(cfg.Steps)) {
			opt.Progress.Set(st.Step, fmt.Sprintf("episodes %d, eval %.3g", st.Episodes, st.LastEval))
		}
		if opt.OnStep != nil {
			opt.OnStep(int(st.Step))
		}
	}
	if opt.Progress != nil {
		opt.Progress.Finish(st.Step)
	}
	elapsed := time.Since(start).Seconds()
	if err := nets.SaveTensors(r.Path("model.safetensors"), q.Params(), modelMeta(cfg, st.Step)); err != nil {
		return Result{}, err
	}
	if err := r.Flush(); err != nil {
		return Result{}, err
	}
	if err := run.PlotCurves([]string{r.Dir}, r.Path("curves.png")); err != nil {
		return Result{}, err
	}
	res := Result{Steps: int(st.Step), Seconds: r.Elapsed(), EvalMeanReturn: st.LastEval}
	if elapsed > 0 {
		res.StepsPerSecond = float64(st.Step-startStep) / elapsed
	}
	r.Logf("done: %d steps, %d episodes, %d updates, final evaluation %.4g (best %.4g), %.0f steps/s",
		st.Step, st.Episodes, st.Updates, st.LastEval, st.Best, res.StepsPerSecond)
	return res, nil
}

// newOptimizer returns cfg.Optimizer over params: Adam (epsilon
// cfg.AdamEps, or 1e-8); rmsprop, the DQN paper's centered RMSProp with
// its epsilon 0.01 inside the root (the nature preset); or torch-rmsprop,
// PyTorch's centered RMSprop with alpha 0.95 and eps 0.01 outside the
// root, the optimizer of MinAtar's DQN (the minatar preset). At equal
// epsilon the two RMSProps differ ten times in their largest step:
// sqrt(0.01) = 0.1 bounds the first's denominator from below, 0.01 the
// second's.
func newOptimizer(cfg Config, params []nets.Param) nets.Optimizer {
	switch cfg.Optimizer {
	case "rmsprop":
		c := nets.DefaultDQNRMSPropConfig()
		c.LR = cfg.LR
		return nets.NewDQNRMSProp(params, c)
	case "torch-rmsprop":
		return nets.NewRMSProp(params, nets.RMSPropConfig{LR: cfg.LR, Alpha: 0.95, Eps: 0.01, Centered: true})
	}
	c := nets.DefaultAdamConfig()
	c.LR = cfg.LR
	if cfg.AdamEps > 0 {
		c.Eps = cfg.AdamEps
	}
	return nets.NewAdam(params, c)
}

// evaluate plays cfg.EvalEpisodes episodes with the greedy network (the
// env's evaluation epsilon) on separate env copies seeded apart from the
// training games, logs eval/mean_return and saves best.safetensors on a
// new best.
func evaluate(r *run.Run, cfg Config, seed uint64, q *models.QNet, space envs.Box, st *state) error {
	spec, _ := envs.Lookup(cfg.Env)
	res, err := rollout.Evaluate(NewPolicy(q, space), rollout.Config{Env: cfg.Env, EnvOpts: cfg.EnvOpts,
		Episodes: cfg.EvalEpisodes, Seed: seed, Epsilon: spec.EvalEpsilon})
	if err != nil {
		return err
	}
	st.LastEval = res.Mean()
	r.Metric(st.Step, "eval/mean_return", st.LastEval)
	st.Evals++
	if st.Evals == 1 || st.LastEval > st.Best {
		st.Best = st.LastEval
		r.Logf("step %d: evaluation %.4g, the best so far", st.Step, st.LastEval)
		return nets.SaveTensors(r.Path("best.safetensors"), q.Params(), modelMeta(cfg, st.Step))
	}
	r.Logf("step %d: evaluation %.4g (best %.4g)", st.Step, st.LastEval, st.Best)
	return nil
}

// modelMeta is the metadata of a saved network.
func modelMeta(cfg Config, step int64) map[string]string {
	return map[string]string{"arcade.experiment": "dqn", "arcade.env": cfg.Env, "arcade.net": cfg.Net, "arcade.step": fmt.Sprint(step)}
}

// obsCopy is the agent's own copy of the observation it acts on.
type obsCopy struct {
	obs envs.Obs
}

func newObsCopy(space envs.Box) *obsCopy {
	c := &obsCopy{obs: envs.Obs{Shape: space.Shape}}
	if space.Dtype == envs.Uint8 {
		c.obs.U8 = make([]uint8, space.Size())
	} else {
		c.obs.F32 = make([]float32, space.Size())
	}
	return c
}

// set copies o.
func (c *obsCopy) set(o envs.Obs) {
	if c.obs.U8 != nil {
		copy(c.obs.U8, o.U8)
	} else {
		copy(c.obs.F32, o.F32)
	}
}

// add stores the transition from the copied observation into buf.
func (c *obsCopy) add(buf *replay.Buffer, a int, reward float64, next envs.Obs, terminated, truncated bool) {
	if c.obs.U8 != nil {
		buf.AddU8(c.obs.U8, a, reward, next.U8, terminated, truncated)
	} else {
		buf.AddF32(c.obs.F32, a, reward, next.F32, terminated, truncated)
	}
}
