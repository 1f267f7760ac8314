package envs

import (
	"fmt"
	"image"
	"math/rand/v2"
)

// FrozenLakeMaps are Gymnasium's two maps, row by row: S start, F frozen,
// H hole, G goal.
var FrozenLakeMaps = map[string][]string{
	"4x4": {"SFFF", "FHFH", "FFFH", "HFFG"},
	"8x8": {"SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"},
}

// frozenLakeTimeLimits are the episode limits Gymnasium registers with
// FrozenLake-v1 (4x4) and FrozenLake8x8-v1.
var frozenLakeTimeLimits = map[string]int{"4x4": 100, "8x8": 200}

// FrozenLake's actions, in Gymnasium's order.
const (
	lakeLeft = iota
	lakeDown
	lakeRight
	lakeUp
)

// Transition is one outcome of an action, as an entry of Gymnasium's
// P[s][a]: with probability Prob the agent lands in state Next, receives
// Reward and the episode terminates if Terminated.
type Transition struct {
	Prob       float64
	Next       int
	Reward     float64
	Terminated bool
}

// FrozenLake is Gymnasium's FrozenLake-v1.
//
// # Description
//
// The agent crosses a frozen lake from the start (top left) to the goal
// (bottom right) without falling into a hole. On slippery ice it may
// move perpendicular to the intended direction.
//
// # Action Space
//
// Discrete(4): 0 LEFT, 1 DOWN, 2 RIGHT, 3 UP.
//
// # Observation Space
//
// The agent's cell s = row*cols + col, of NumStates() cells: one-hot
// float32 [NumStates()] (for a DQN's MLP; the default), or with obs=index
// uint8 [1] holding s (for a tabular agent).
//
// # Rewards
//
// 1 for reaching the goal, 0 otherwise.
//
// # Starting State
//
// The start cell, state 0.
//
// # Episode End
//
// Terminated in a hole or at the goal. Truncated by the standard stack's
// TimeLimit after 100 steps (4x4) or 200 steps (8x8), as Gymnasium
// registers them.
//
// # Arguments
//
// map=4x4|8x8, slippery=true|false (default true: the move goes the
// intended way or either perpendicular way, probability 1/3 each; moves
// into the edge stay put), obs=onehot|index, max_steps (default 100 or 200).
//
// The full transition table, for value iteration, is P.
type FrozenLake struct {
	ep         episode
	rng        *rand.Rand
	mapName    string
	desc       []string
	rows, cols int
	slippery   bool
	p          [][][]Transition
	s          int
	onehot     bool
	f32        []float32
	u8         [1]uint8
	shape      []int
	info       Info
}

// NewFrozenLake returns an unseeded FrozenLake on map "4x4" or "8x8"
// without a time limit; Make adds the standard TimeLimit and Monitor.
// onehot chooses the one-hot observation over the index.
func NewFrozenLake(mapName string, slippery, onehot bool) *FrozenLake {
	desc, ok := FrozenLakeMaps[mapName]
	if !ok {
		panic(fmt.Sprintf("envs: frozenlake: unknown map %q", mapName))
	}
	f := &FrozenLake{ep: episode{name: "frozenlake", actions: 4}, mapName: mapName, desc: desc,
		rows: len(desc), cols: len(desc[0]), slippery: slippery, onehot: onehot, info: newInfo()}
	f.p = f.table()
	if onehot {
		f.f32 = make([]float32, f.NumStates())
		f.shape = []int{f.NumStates()}
	} else {
		f.shape = []int{1}
	}
	return f
}

// NumStates is rows*cols: 16 or 64.
func (f *FrozenLake) NumStates() int { return f.rows * f.cols }

// TimeLimit is the episode limit Gymnasium registers for the map: 100 for
// 4x4, 200 for 8x8.
func (f *FrozenLake) TimeLimit() int { return frozenLakeTimeLimits[f.mapName] }

// P is Gymnasium's transition table: P()[s][a] lists the outcomes of
// action a in state s, their probabilities summing to 1 (three entries of
// 1/3 when slippery, even when two lead to the same cell; one otherwise).
// In a hole or at the goal every action stays put with reward 0 and
// terminated true. The table is shared: do not modify it.
func (f *FrozenLake) P() [][][]Transition { return f.p }

// State is the agent's cell, row*cols + col.
func (f *FrozenLake) State() int { return f.s }

func (f *FrozenLake) table() [][][]Transition {
	p := make([][][]Transition, f.NumStates())
	for s := range p {
		p[s] = make([][]Transition, 4)
		row, col := s/f.cols, s%f.cols
		letter := f.desc[row][col]
		for a := range 4 {
			if letter == 'G' || letter == 'H' {
				p[s][a] = []Transition{{Prob: 1, Next: s, Reward: 0, Terminated: true}}
				continue
			}
			dirs := []int{a}
			if f.slippery {
				dirs = []int{(a + 3) % 4, a, (a + 1) % 4}
			}
			for _, d := range dirs {
				next := f.move(row, col, d)
				nl := f.desc[next/f.cols][next%f.cols]
				reward := 0.0
				if nl == 'G' {
					reward = 1
				}
				p[s][a] = append(p[s][a], Transition{Prob: 1 / float64(len(dirs)), Next: next,
					Reward: reward, Terminated: nl == 'G' || nl == 'H'})
			}
		}
	}
	return p
}

// move returns the cell reached from (row, col) in direction d, staying put
// at the edges.
func (f *FrozenLake) move(row, col, d int) int {
	switch d {
	case lakeLeft:
		col = max(col-1, 0)
	case lakeDown:
		row = min(row+1, f.rows-1)
	case lakeRight:
		col = min(col+1, f.cols-1)
	case lakeUp:
		row = max(row-1, 0)
	}
	return row*f.cols + col
}

// Seed reseeds the env's generator.
func (f *FrozenLake) Seed(seed uint64) { f.rng = newRNG(seed, streamGame); f.ep.seed() }

// ActionSpace is LEFT, DOWN, RIGHT, UP.
func (f *FrozenLake) ActionSpace() Discrete {
	return Discrete{N: 4, Names: frozenLakeActions}
}

var frozenLakeActions = []string{"LEFT", "DOWN", "RIGHT", "UP"}

// ObservationSpace is one-hot float32 [NumStates()] or uint8 [1].
func (f *FrozenLake) ObservationSpace() Box {
	if f.onehot {
		return uniformBox(Float32, 0, 1, f.NumStates())
	}
	return uniformBox(Uint8, 0, float64(f.NumStates()-1), 1)
}

// Reset puts the agent on the start cell.
func (f *FrozenLake) Reset() (Obs, Info) {
	f.ep.reset()
	f.s = 0
	clear(f.info)
	return f.observe(), f.info
}

// Step draws the outcome of action from P.
func (f *FrozenLake) Step(action int) (Obs, float64, bool, bool, Info) {
	f.ep.step(action)
	outcomes := f.p[f.s][action]
	t := outcomes[0]
	if len(outcomes) > 1 {
		t = outcomes[f.rng.IntN(len(outcomes))] // equally likely outcomes
	}
	f.s = t.Next
	f.ep.end(t.Terminated)
	clear(f.info)
	return f.observe(), t.Reward, t.Terminated, false, f.info
}

func (f *FrozenLake) observe() Obs {
	if !f.onehot {
		f.u8[0] = uint8(f.s)
		return Obs{Shape: f.shape, U8: f.u8[:]}
	}
	clear(f.f32)
	f.f32[f.s] = 1
	return Obs{Shape: f.shape, F32: f.f32}
}

const lakeCell = 48 // pixels per cell in pictures

// RenderSize is 48 pixels per cell: 192x192 or 384x384.
func (f *FrozenLake) RenderSize() image.Point { return image.Pt(f.cols*lakeCell, f.rows*lakeCell) }

// Render draws the lake: ice, holes, the goal and the agent.
func (f *FrozenLake) Render(dst *image.RGBA) {
	checkRenderTarget("frozenlake", dst, f.RenderSize())
	c := rgbaCanvas(dst, f.RenderSize())
	tiles := map[byte]paint{'S': rgb(204, 230, 245), 'F': rgb(204, 230, 245), 'H': rgb(30, 50, 80), 'G': rgb(240, 200, 60)}
	for row, line := range f.desc {
		for col := range line {
			x, y := col*lakeCell, row*lakeCell
			c.fill(x, y, x+lakeCell, y+lakeCell, rgb(150, 190, 220))
			c.fill(x+1, y+1, x+lakeCell-1, y+lakeCell-1, tiles[line[col]])
		}
	}
	x, y := f.s%f.cols*lakeCell, f.s/f.cols*lakeCell
	fillDisc(dst, float64(x)+lakeCell/2, float64(y)+lakeCell/2, lakeCell/3, rgb(200, 60, 40))
}
