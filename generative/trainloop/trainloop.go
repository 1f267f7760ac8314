// Package trainloop is the epoch loop the generative models share:
// shuffled mini-batches drawn from a seed, a check for Ctrl-C before every
// batch, a checkpoint at the end of every epoch and on interruption, and
// checkpoints that hold several parameter groups, each with its optimizer
// (a GAN's generator and discriminator), so that a resumed run gives the
// bytes of an uninterrupted one.
package trainloop

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Job is what a training function gets from the CLI: the interrupt
// context, the open run directory, the seed, whether to restore the run's
// checkpoint, and where to report progress (nil: nowhere).
type Job struct {
	Ctx      context.Context
	Run      *run.Run
	Seed     uint64
	Resume   bool
	Progress func(done, total int64, status string)
}

// CheckpointFile is the checkpoint inside a run directory.
const CheckpointFile = "checkpoint/state.safetensors"

// State is where training is: the next batch to train is batch Batch of
// epoch Epoch of phase Phase (the stacked autoencoder's pretraining
// layers; 0 for the others). Step counts optimizer steps over the run and
// Elapsed its wall seconds at the last checkpoint.
type State struct {
	Phase, Epoch, Batch int
	Step                int64
	Elapsed             float64
}

// Loop runs Epochs passes over N examples in mini-batches of Batch (the
// last one smaller), each epoch in the order of a permutation drawn from
// the PCG stream (Seed, Stream+epoch).
type Loop struct {
	Seed, Stream     uint64
	N, Batch, Epochs int
	// Step trains one mini-batch of example indices; State.Step is the
	// number of steps before it. Its status goes to Progress.
	Step func(idx []int) (status string, err error)
	// EndEpoch runs after the last batch of an epoch, before the
	// checkpoint (State.Epoch is the epoch just trained).
	EndEpoch func() error
	// Save writes a checkpoint of the State it is given.
	Save func() error
	// Progress, if not nil, is told the batches done out of all of them.
	Progress func(done, total int64, status string)
}

// Batches returns the number of mini-batches per epoch.
func (l *Loop) Batches() int { return nets.NumBatches(l.N, l.Batch) }

// Run trains from st to the end of the last epoch, updating st. When ctx
// is cancelled (Ctrl-C) it saves a checkpoint and returns
// run.ErrInterrupted.
func (l *Loop) Run(ctx context.Context, st *State) error {
	nb := l.Batches()
	perm := make([]int, l.N)
	total := int64(l.Epochs * nb)
	for st.Epoch < l.Epochs {
		nets.Permutation(rand.New(rand.NewPCG(l.Seed, l.Stream+uint64(st.Epoch))), perm)
		for ; st.Batch < nb; st.Batch++ {
			if run.Interrupted(ctx) {
				if err := l.Save(); err != nil {
					return err
				}
				return run.ErrInterrupted
			}
			status, err := l.Step(nets.Batch(perm, st.Batch, l.Batch))
			if err != nil {
				return err
			}
			st.Step++
			if l.Progress != nil {
				l.Progress(int64(st.Epoch*nb+st.Batch+1), total, fmt.Sprintf("epoch %d %s", st.Epoch+1, status))
			}
		}
		if err := l.EndEpoch(); err != nil {
			return err
		}
		st.Epoch++
		st.Batch = 0
		if err := l.Save(); err != nil {
			return err
		}
	}
	return nil
}

// Part is one group of parameters trained by one optimizer, saved under
// Name + "/" in a checkpoint; Opt may be nil for parameters no optimizer
// trains at the moment (a stacked autoencoder's other layers).
type Part struct {
	Name   string
	Params []nets.Param
	Opt    nets.Optimizer
}

// Metadata keys of a checkpoint.
const (
	metaPhase   = "phase"
	metaEpoch   = "epoch"
	metaBatch   = "batch"
	metaStep    = "step"
	metaElapsed = "elapsed"
)

// Save writes parts and st to path (safetensors): each part's parameters
// as "<name>/<param>", its optimizer's state as "<name>/optimizer/<slot>/
// <param>" with its step count and learning rate in the metadata, and
// extra metadata of the caller's.
func Save(path string, parts []Part, st State, extra map[string]string) error {
	meta := map[string]string{
		metaPhase: strconv.Itoa(st.Phase), metaEpoch: strconv.Itoa(st.Epoch), metaBatch: strconv.Itoa(st.Batch),
		metaStep: strconv.FormatInt(st.Step, 10), metaElapsed: strconv.FormatFloat(st.Elapsed, 'g', -1, 64),
	}
	for k, v := range extra {
		meta[k] = v
	}
	for _, p := range parts {
		if p.Opt != nil {
			meta[p.Name+"/"+nets.MetaOptimizerSteps] = strconv.FormatInt(p.Opt.Steps(), 10)
			meta[p.Name+"/"+nets.MetaOptimizerLR] = strconv.FormatFloat(p.Opt.LR(), 'g', -1, 64)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return nets.SaveTensors(path, tensors(parts), meta)
}

// Load restores what Save wrote into parts (which must be the same
// groups, with optimizers where Save had them) and returns the state and
// the whole metadata.
func Load(path string, parts []Part) (State, map[string]string, error) {
	meta, err := nets.LoadTensors(path, tensors(parts))
	if err != nil {
		return State{}, nil, err
	}
	st, err := parseState(path, meta)
	if err != nil {
		return st, nil, err
	}
	for _, p := range parts {
		if p.Opt == nil {
			continue
		}
		steps, err1 := strconv.ParseInt(meta[p.Name+"/"+nets.MetaOptimizerSteps], 10, 64)
		lr, err2 := strconv.ParseFloat(meta[p.Name+"/"+nets.MetaOptimizerLR], 64)
		if err1 != nil || err2 != nil || steps < 0 || !(lr >= 0) {
			return st, nil, fmt.Errorf("%s: the optimizer of %s has no valid step count and learning rate in the metadata", path, p.Name)
		}
		p.Opt.SetSteps(steps)
		p.Opt.SetLR(lr)
	}
	return st, meta, nil
}

// Peek returns the state recorded in the checkpoint at path without
// loading its tensors (to reopen the run before building the model).
func Peek(path string) (State, error) {
	_, meta, err := nets.Inspect(path)
	if err != nil {
		return State{}, err
	}
	return parseState(path, meta)
}

func parseState(path string, meta map[string]string) (State, error) {
	var bad string
	num := func(key string) int64 {
		v, err := strconv.ParseInt(meta[key], 10, 64)
		if err != nil || v < 0 {
			bad = key
		}
		return v
	}
	st := State{Phase: int(num(metaPhase)), Epoch: int(num(metaEpoch)), Batch: int(num(metaBatch)), Step: num(metaStep)}
	el, err := strconv.ParseFloat(meta[metaElapsed], 64)
	if err != nil || !(el >= 0) {
		bad = metaElapsed
	}
	st.Elapsed = el
	if bad != "" {
		return st, fmt.Errorf("%s: metadata %s missing or not a count", path, bad)
	}
	return st, nil
}

func tensors(parts []Part) []nets.Param {
	var ts []nets.Param
	for _, p := range parts {
		ts = append(ts, nets.Prefix(p.Name+"/", p.Params)...)
		if p.Opt != nil {
			ts = append(ts, nets.Prefix(p.Name+"/optimizer/", p.Opt.State())...)
		}
	}
	return ts
}
