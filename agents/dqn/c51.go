package dqn

import (
	"fmt"
	"math"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/nets"
)

// ProjectTargets writes into m [B, K] the target distributions of C51
// (Bellemare et al. 2017, Algorithm 1) over the K returns of support,
// evenly spaced:
//
//	each atom z_j of the next state's distribution moves to
//	Tz_j = R_i + Discounts_i z_j (R_i alone where Terminal_i),
//	clipped to [z_0, z_K-1], and its probability is split between the
//	two atoms around Tz_j, each getting the share of its closeness.
//
// R_i is the n-step return and Discounts_i = gamma^m from the replay
// buffer. pTarget [B, A, K] holds the target network's probabilities of
// s'_i. The next state's distribution is that of its greedy action a*_i:
// the action of the largest mean under the target network (C51), or, when
// qOnline [B, A] is given, of the online network's largest Q (Double DQN,
// as in Rainbow). With eps > 0 it is the epsilon-greedy policy's mixture
// (1-eps) p(s', a*) + eps mean_a p(s', a), as Targets does for values.
func ProjectTargets(m, returns, discounts []float32, terminal []bool, pTarget, qOnline, support []float32, actions int, eps float32) {
	B, K := len(returns), len(support)
	if len(m) != B*K || len(discounts) != B || len(terminal) != B || len(pTarget) != B*actions*K ||
		(qOnline != nil && len(qOnline) != B*actions) || K < 2 {
		panic(fmt.Sprintf("dqn: ProjectTargets of %d rows into %d values: %d discounts, %d terminal flags, %d target and %d online values for %d actions and %d atoms",
			B, len(m), len(discounts), len(terminal), len(pTarget), len(qOnline), actions, K))
	}
	vMin, vMax := support[0], support[K-1]
	dz := (vMax - vMin) / float32(K-1)
	clear(m)
	for i := range B {
		row := m[i*K : (i+1)*K]
		if terminal[i] {
			// every atom moves to R: all the mass goes to R's two neighbours
			lo, frac := atomBelow(returns[i], vMin, dz, K)
			row[lo] += 1 - frac
			row[lo+1] += frac
			continue
		}
		p := pTarget[i*actions*K : (i+1)*actions*K]
		var best int
		if qOnline != nil {
			best = rollout.Greedy(qOnline[i*actions : (i+1)*actions])
		} else {
			best = greedyMean(p, support, actions)
		}
		for j, z := range support {
			pj := p[best*K+j]
			if eps > 0 {
				var sum float32
				for a := range actions {
					sum += p[a*K+j]
				}
				pj = (1-eps)*pj + eps*sum/float32(actions)
			}
			lo, frac := atomBelow(returns[i]+discounts[i]*z, vMin, dz, K)
			row[lo] += pj * (1 - frac)
			row[lo+1] += pj * frac
		}
	}
}

// atomBelow returns the atom lo in [0, K-2] at or below the return v
// (clipped to the support) and where v lies between lo and lo+1, a
// fraction in [0, 1].
func atomBelow(v, vMin, dz float32, K int) (lo int, frac float32) {
	b := (v - vMin) / dz
	b = max(0, min(b, float32(K-1)))
	lo = min(int(b), K-2)
	return lo, min(b-float32(lo), 1)
}

// greedyMean returns the action whose distribution p[a*K : (a+1)*K] over
// support has the largest mean, the first of ties.
func greedyMean(p, support []float32, actions int) int {
	K := len(support)
	best, bestQ := 0, float32(math.Inf(-1))
	for a := range actions {
		var q float32
		for j, z := range support {
			q += p[a*K+j] * z
		}
		if q > bestQ {
			best, bestQ = a, q
		}
	}
	return best
}

// c51 holds what the distributional update adds to the learner: the
// support, the target distributions, and the per-atom action indices
// that pick log p(s, a) out of [B, A, K].
type c51 struct {
	support []float32
	m       []float32    // [B, K] target distributions
	negM    *nets.Tensor // [B, K] -m, the weights of the cross-entropy
	picks   []int        // [B*K] a_i for each atom of row i
}

func newC51(support []float32, batch int) *c51 {
	K := len(support)
	return &c51{support: support, m: make([]float32, batch*K), negM: nets.New(batch, K), picks: make([]int, batch*K)}
}

// updateDistributional is update's counterpart for a distributional
// head: C51's cross-entropy -Σ_j m_j log p_j(s, a) against the projected
// targets m, weighted by the importance weights. It returns the loss and
// the mean of Q(s, a); l.td gets each transition's KL divergence
// KL(m || p(s, a)), Rainbow's priority.
func (l *learner) updateDistributional() (loss, qMean float64) {
	b, d := l.batch, l.c51
	A, K := l.q.Actions, len(d.support)
	l.tgtTape.Reset()
	pNext := nets.Softmax(l.tgtTape, l.target.Logits(l.tgtTape, l.next))
	ProjectTargets(d.m, b.Returns, b.Discounts, b.Terminal, pNext.Data, l.onlineNext(), d.support, A, float32(l.cfg.BootstrapEps))
	for i, v := range d.m {
		d.negM.Data[i] = -v
	}
	for i, a := range b.Actions {
		for j := range K {
			d.picks[i*K+j] = a
		}
	}

	l.tp.Reset()
	l.opt.ZeroGrad()
	logp := nets.Gather(l.tp, nets.LogSoftmax(l.tp, l.q.Logits(l.tp, l.obs)), 1, d.picks) // [B, K]
	ce := nets.Sum(l.tp, nets.Mul(l.tp, logp, d.negM), 1)                                 // [B]
	lossT := nets.MeanAll(l.tp, nets.Mul(l.tp, ce, l.w))
	l.step(lossT)

	for i := range ce.Data {
		var entropy, q float64
		for j, z := range d.support {
			if mj := float64(d.m[i*K+j]); mj > 0 {
				entropy -= mj * math.Log(mj)
			}
			q += math.Exp(float64(logp.Data[i*K+j])) * float64(z)
		}
		l.td[i] = float32(max(float64(ce.Data[i])-entropy, 0))
		qMean += q
	}
	return float64(lossT.Item()), qMean / float64(len(ce.Data))
}
