package dqn

import (
	"fmt"
	"math"
)

// munchausenClip is l_0 of Munchausen DQN: the log-policy bonus is
// clipped to [l_0, 0] so that an action of probability near 0 does not
// send its target to minus infinity (Vieillard et al. 2020 use -1).
const munchausenClip = -1

// MunchausenTargets writes the targets of Munchausen DQN (Vieillard,
// Pietquin and Geist 2020) into y [B]:
//
//	y_i = R_i + alpha * clip(tau ln pi(a_i|s_i), l_0, 0)
//	      + Discounts_i * sum_a' pi(a'|s'_i) (Q'(s'_i, a') - tau ln pi(a'|s'_i))
//
// with pi = softmax(Q' / tau), the target network's Boltzmann policy, and
// the last term left out where Terminal_i. R_i is the n-step return and
// Discounts_i = gamma^m from the replay buffer; the bonus is that of the
// first step's action a_i alone. qS and qNext [B, A] are the target
// network's values of s_i and s'_i. The bonus, nearly alpha times the
// action's advantage under Q' for a small tau, widens the gap between the
// best action's value and the others' (as advantage learning does,
// Bellemare et al. 2016), and the soft value in place of the max
// regularizes each policy towards the last.
func MunchausenTargets(y, returns, discounts []float32, terminal []bool, actions []int, qS, qNext []float32, A int, alpha, tau float64) {
	B := len(y)
	if len(returns) != B || len(discounts) != B || len(terminal) != B || len(actions) != B || len(qS) != B*A || len(qNext) != B*A {
		panic(fmt.Sprintf("dqn: MunchausenTargets of %d rows: %d returns, %d discounts, %d terminal flags, %d actions, %d and %d values for %d actions",
			B, len(returns), len(discounts), len(terminal), len(actions), len(qS), len(qNext), A))
	}
	for i := range y {
		row := qS[i*A : (i+1)*A]
		bonus := max(float64(row[actions[i]])-scaledLogSumExp(row, tau), munchausenClip)
		v := float64(returns[i]) + alpha*min(bonus, 0)
		if !terminal[i] {
			v += float64(discounts[i]) * softValue(qNext[i*A:(i+1)*A], tau)
		}
		y[i] = float32(v)
	}
}

// scaledLogSumExp returns tau ln sum_a exp(q_a / tau), computed from the
// largest q so that nothing overflows (nets.LogSoftmax is the tape's op
// on tensors; this is the plain number for one row): q_a minus it is tau
// ln pi(a) under the policy softmax(q / tau).
func scaledLogSumExp(q []float32, tau float64) float64 {
	m := float64(q[0])
	for _, v := range q[1:] {
		m = max(m, float64(v))
	}
	var sum float64
	for _, v := range q {
		sum += math.Exp((float64(v) - m) / tau)
	}
	return m + tau*math.Log(sum)
}

// softValue returns sum_a pi(a) (q_a - tau ln pi(a)) for pi = softmax(q /
// tau): the expected value plus tau times the policy's entropy.
func softValue(q []float32, tau float64) float64 {
	lse := scaledLogSumExp(q, tau)
	var v float64
	for _, qa := range q {
		logPi := (float64(qa) - lse) / tau
		v += math.Exp(logPi) * (float64(qa) - tau*logPi)
	}
	return v
}
