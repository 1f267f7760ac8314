package qlearn

import (
	"fmt"
	"math"

	"github.com/arcadelab/arcade/envs"
)

// ValueIteration returns the optimal action values Q*(s, a) of a finite
// MDP given as Gymnasium's transition table p[s][a] (FrozenLake's P):
// V(s) <- max_a sum over outcomes of Prob*(Reward + gamma*V(Next)),
// without V(Next) for terminal outcomes, swept in place (Gauss-Seidel)
// until no value moves by more than tol (Sutton and Barto 2018, 4.4). It
// returns an error if that takes more than maxSweeps sweeps, which
// happens with gamma = 1 on an MDP that can loop forever.
func ValueIteration(p [][][]envs.Transition, gamma, tol float64) ([][]float64, error) {
	if !(gamma >= 0 && gamma <= 1) || !(tol > 0) {
		panic(fmt.Sprintf("qlearn: ValueIteration with gamma %v, tol %v", gamma, tol))
	}
	v := make([]float64, len(p))
	q := make([][]float64, len(p))
	for s := range q {
		q[s] = make([]float64, len(p[s]))
	}
	const maxSweeps = 1_000_000
	for range maxSweeps {
		delta := 0.0
		for s := range p {
			best := math.Inf(-1)
			for a, outcomes := range p[s] {
				q[s][a] = backup(outcomes, gamma, v)
				best = max(best, q[s][a])
			}
			delta = max(delta, math.Abs(best-v[s]))
			v[s] = best
		}
		if delta < tol {
			for s := range p { // the action values of the final V
				for a, outcomes := range p[s] {
					q[s][a] = backup(outcomes, gamma, v)
				}
			}
			return q, nil
		}
	}
	return nil, fmt.Errorf("value iteration did not converge to %g in %d sweeps (gamma %v)", tol, maxSweeps, gamma)
}

// backup is the expected return of one action: sum of Prob*(Reward +
// gamma*V(Next)), the bootstrap left out for terminal outcomes.
func backup(outcomes []envs.Transition, gamma float64, v []float64) float64 {
	sum := 0.0
	for _, o := range outcomes {
		ret := o.Reward
		if !o.Terminated {
			ret += gamma * v[o.Next]
		}
		sum += o.Prob * ret
	}
	return sum
}

// tableOf returns q as a float32 Table, for greedy play.
func tableOf(q [][]float64) *Table {
	t := NewTable(len(q), len(q[0]))
	for s, row := range q {
		for a, v := range row {
			t.Row(s)[a] = float32(v)
		}
	}
	return t
}
