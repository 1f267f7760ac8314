package qlearn

import (
	"fmt"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/nets"
)

// Table is a tabular policy: Q [States, Actions] indexed by the
// observation's state, which is FrozenLake's index observation (uint8
// [1]) or its one-hot observation (float32 [States]).
type Table struct {
	Q *nets.Tensor // [States, Actions]; saved as "q"
}

// NewTable returns a zero table.
func NewTable(states, actions int) *Table { return &Table{Q: nets.New(states, actions)} }

// States is the number of states.
func (t *Table) States() int { return t.Q.Shape[0] }

// NumActions is the number of actions.
func (t *Table) NumActions() int { return t.Q.Shape[1] }

// Row returns the action values of state s (the table's own memory).
func (t *Table) Row(s int) []float32 {
	A := t.NumActions()
	return t.Q.Data[s*A : (s+1)*A]
}

// Update is Q-learning's update of Q(s, a) after reward and next state
// s2 (Watkins 1989; Sutton and Barto 2018, eq. 6.8):
//
//	Q(s,a) += alpha (reward + gamma max_a' Q(s2,a') - Q(s,a))
//
// without the bootstrap term when s2 is terminal.
func (t *Table) Update(s, a int, reward float64, s2 int, terminated bool, alpha, gamma float64) {
	target := reward
	if !terminated {
		next := t.Row(s2)
		best := next[0]
		for _, v := range next[1:] {
			best = max(best, v)
		}
		target += gamma * float64(best)
	}
	row := t.Row(s)
	row[a] += float32(alpha * (target - float64(row[a])))
}

// QValues copies the row of each observation's state into q.
func (t *Table) QValues(obs envs.Obs, q []float32) {
	A := t.NumActions()
	n := t.batch(obs)
	if len(q) != n*A {
		panic(fmt.Sprintf("qlearn: QValues of %d observations into %d values, want %d", n, len(q), n*A))
	}
	for i := range n {
		copy(q[i*A:(i+1)*A], t.Row(t.stateOf(obs, i)))
	}
}

// batch returns the number of observations in obs.
func (t *Table) batch(obs envs.Obs) int {
	if obs.U8 != nil {
		return len(obs.U8)
	}
	if len(obs.F32)%t.States() != 0 {
		panic(fmt.Sprintf("qlearn: a one-hot observation batch of %d values for %d states", len(obs.F32), t.States()))
	}
	return len(obs.F32) / t.States()
}

// stateOf returns the state of observation i of obs: its index, or where
// its one-hot vector holds its largest value.
func (t *Table) stateOf(obs envs.Obs, i int) int {
	s := 0
	if obs.U8 != nil {
		s = int(obs.U8[i])
	} else {
		S := t.States()
		s = rollout.Greedy(obs.F32[i*S : (i+1)*S])
	}
	if s >= t.States() {
		panic(fmt.Sprintf("qlearn: state %d of a table of %d states", s, t.States()))
	}
	return s
}

// tableName is the tensor's name in model.safetensors.
const tableName = "q"

// Params returns the table as a parameter named "q", for safetensors.
func (t *Table) Params() []nets.Param { return []nets.Param{{Name: tableName, Tensor: t.Q}} }

// LoadTable reads a table that Train saved (model.safetensors), checking
// its shape before allocating.
func LoadTable(path string) (*Table, error) {
	infos, _, err := nets.Inspect(path)
	if err != nil {
		return nil, err
	}
	if len(infos) != 1 || infos[0].Name != tableName || len(infos[0].Shape) != 2 || infos[0].DType != "F32" {
		return nil, fmt.Errorf("%s: want one float32 tensor %q [states, actions]", path, tableName)
	}
	s, a := infos[0].Shape[0], infos[0].Shape[1]
	if s < 1 || a < 1 || s > 1<<16 || a > 256 {
		return nil, fmt.Errorf("%s: a Q-table of %dx%d; want at most 65536 states and 256 actions", path, s, a)
	}
	t := NewTable(s, a)
	if _, err := nets.LoadTensors(path, t.Params()); err != nil {
		return nil, err
	}
	return t, nil
}

var _ rollout.Policy = (*Table)(nil)
