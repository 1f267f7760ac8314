package nets

import (
	"fmt"
	"maps"
	"strconv"
)

// Checkpoint metadata keys written by SaveCheckpoint.
const (
	MetaOptimizerSteps = "optimizer.steps"
	MetaOptimizerLR    = "optimizer.lr"
)

// optimizerPrefix names the optimizer's state tensors in a checkpoint.
const optimizerPrefix = "optimizer/"

// SaveCheckpoint writes what resuming training needs to path
// (safetensors): the parameters under their names, the optimizer's state
// tensors under "optimizer/<slot>/<parameter>", and in the metadata the
// optimizer's step count and learning rate plus the caller's meta (the
// trainer's counters: epoch, batch, best score...).
func SaveCheckpoint(path string, params []Param, opt Optimizer, meta map[string]string) error {
	m := maps.Clone(meta)
	if m == nil {
		m = map[string]string{}
	}
	m[MetaOptimizerSteps] = strconv.FormatInt(opt.Steps(), 10)
	m[MetaOptimizerLR] = strconv.FormatFloat(opt.LR(), 'g', -1, 64)
	return SaveTensors(path, checkpointTensors(params, opt), m)
}

// LoadCheckpoint restores what SaveCheckpoint wrote into params and opt,
// and returns the metadata (the caller's keys and the optimizer's).
func LoadCheckpoint(path string, params []Param, opt Optimizer) (map[string]string, error) {
	meta, err := LoadTensors(path, checkpointTensors(params, opt))
	if err != nil {
		return nil, err
	}
	steps, err := strconv.ParseInt(meta[MetaOptimizerSteps], 10, 64)
	if err != nil || steps < 0 {
		return nil, fmt.Errorf("%s: metadata %s is %q, want a count", path, MetaOptimizerSteps, meta[MetaOptimizerSteps])
	}
	lr, err := strconv.ParseFloat(meta[MetaOptimizerLR], 64)
	if err != nil || !(lr >= 0) {
		return nil, fmt.Errorf("%s: metadata %s is %q, want a learning rate", path, MetaOptimizerLR, meta[MetaOptimizerLR])
	}
	opt.SetSteps(steps)
	opt.SetLR(lr)
	return meta, nil
}

func checkpointTensors(params []Param, opt Optimizer) []Param {
	ts := append([]Param{}, params...)
	return append(ts, Prefix(optimizerPrefix, opt.State())...)
}
