package agents

import "github.com/arcadelab/arcade/agents/internal/checkpoint"

// CheckpointAt returns the step and the wall seconds at which the latest
// checkpoint of the Q-learning or DQN run in runDir was taken: what
// run.Open needs to continue the run's metrics and clock on --resume.
func CheckpointAt(runDir string) (step int64, elapsed float64, err error) {
	h, err := checkpoint.ReadHeader(runDir)
	return h.Step, h.Elapsed, err
}
