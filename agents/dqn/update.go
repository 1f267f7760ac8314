package dqn

import (
	"fmt"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/arcadelab/arcade/replay"
)

// Targets writes the TD targets of a batch into y [B]:
//
//	y_i = R_i + Discounts_i * V'(s'_i)    (R_i alone where Terminal_i)
//	V'(s') = (1-eps) Q'(s', a*) + eps * mean_a Q'(s', a)
//
// with R_i the n-step return and Discounts_i = gamma^m from the replay
// buffer, qTarget [B, A] the target network's values of s'_i, and a*_i
// the greedy action of s'_i under the target network itself (DQN, Mnih et
// al. 2015) or, when qOnline [B, A] is given, under the online network
// (Double DQN, van Hasselt et al. 2016: the online net picks, the target
// net evaluates). With eps 0, V' is Q-learning's max; with eps > 0 it is
// the value of the epsilon-greedy policy (expected SARSA, van Seijen et
// al. 2009), which learns what the greedy action is worth when a share
// eps of the actions after it are random, as in an evaluation at eps.
func Targets(y, returns, discounts []float32, terminal []bool, qTarget, qOnline []float32, actions int, eps float32) {
	B := len(y)
	if len(returns) != B || len(discounts) != B || len(terminal) != B || len(qTarget) != B*actions ||
		(qOnline != nil && len(qOnline) != B*actions) {
		panic(fmt.Sprintf("dqn: Targets of %d rows: %d returns, %d discounts, %d terminal flags, %d target and %d online values for %d actions",
			B, len(returns), len(discounts), len(terminal), len(qTarget), len(qOnline), actions))
	}
	for i := range y {
		y[i] = returns[i]
		if terminal[i] {
			continue
		}
		row := qTarget[i*actions : (i+1)*actions]
		pick := row
		if qOnline != nil {
			pick = qOnline[i*actions : (i+1)*actions]
		}
		v := row[rollout.Greedy(pick)]
		if eps > 0 {
			var sum float32
			for _, q := range row {
				sum += q
			}
			v = (1-eps)*v + eps*sum/float32(actions)
		}
		y[i] += discounts[i] * v
	}
}

// learner makes DQN's update from a sampled batch: targets from the
// target network, the (importance-weighted) loss on Q(s, a), a gradient
// step. Its tapes and tensors are reused, so an update allocates nothing
// after the first.
type learner struct {
	cfg       Config
	q, target *models.QNet
	params    []nets.Param
	opt       nets.Optimizer
	batch     *replay.Batch

	tp       *nets.Tape   // the online net's forward and backward on s
	tgtTape  *nets.Tape   // the target net on s', no gradients
	sTape    *nets.Tape   // the target net on s (Munchausen), no gradients
	nextTape *nets.Tape   // the online net on s' (Double DQN), no gradients
	obs      *nets.Tensor // [B, ...] views of the batch's buffers
	next     *nets.Tensor
	y, w     *nets.Tensor // [B] targets and importance weights
	td       []float32    // [B] TD errors Q(s,a) - y (C51: KL divergences), for the priorities
	c51      *c51         // the distributional update's buffers, when the head is
}

func newLearner(cfg Config, q, target *models.QNet, opt nets.Optimizer, batch *replay.Batch, shape []int) *learner {
	B := cfg.Batch
	s := append([]int{B}, shape...)
	l := &learner{cfg: cfg, q: q, target: target, params: q.Params(), opt: opt, batch: batch,
		tp: nets.NewTape(), tgtTape: &nets.Tape{NoGrad: true}, sTape: &nets.Tape{NoGrad: true}, nextTape: &nets.Tape{NoGrad: true},
		obs: nets.FromData(batch.Obs, s...), next: nets.FromData(batch.NextObs, s...),
		y: nets.New(B), w: nets.FromData(batch.Weights, B), td: make([]float32, B)}
	if q.Atoms > 0 {
		l.c51 = newC51(q.Support(), B)
	}
	return l
}

// update makes one gradient step on the batch last sampled into
// l.batch, and returns the loss and the mean of Q(s, a) over the batch.
// The TD errors are left in l.td.
func (l *learner) update() (loss, qMean float64) {
	if l.c51 != nil {
		return l.updateDistributional()
	}
	b := l.batch
	l.tgtTape.Reset()
	qNext := l.target.Forward(l.tgtTape, l.next)
	if l.cfg.MunchausenAlpha > 0 {
		l.sTape.Reset()
		qS := l.target.Forward(l.sTape, l.obs)
		MunchausenTargets(l.y.Data, b.Returns, b.Discounts, b.Terminal, b.Actions, qS.Data, qNext.Data, l.q.Actions,
			l.cfg.MunchausenAlpha, l.cfg.MunchausenTau)
	} else {
		Targets(l.y.Data, b.Returns, b.Discounts, b.Terminal, qNext.Data, l.onlineNext(), l.q.Actions, float32(l.cfg.BootstrapEps))
	}

	l.tp.Reset()
	l.opt.ZeroGrad()
	qa := nets.Gather(l.tp, l.q.Forward(l.tp, l.obs), 1, b.Actions)
	var perItem *nets.Tensor
	if l.cfg.Loss == "mse" {
		perItem = nets.MSE(l.tp, qa, l.y, nets.ReduceNone)
	} else {
		perItem = nets.Huber(l.tp, qa, l.y, 1, nets.ReduceNone)
	}
	lossT := nets.MeanAll(l.tp, nets.Mul(l.tp, perItem, l.w))
	l.step(lossT)

	for i, v := range qa.Data {
		l.td[i] = v - l.y.Data[i]
		qMean += float64(v)
	}
	return float64(lossT.Item()), qMean / float64(len(qa.Data))
}

// onlineNext returns the online network's Q-values of the batch's next
// states, which pick a' in Double DQN, or nil without Double.
func (l *learner) onlineNext() []float32 {
	if !l.cfg.Double {
		return nil
	}
	l.nextTape.Reset()
	return l.q.Forward(l.nextTape, l.next).Data
}

// step backpropagates the loss and makes the optimizer's step, the
// gradients' norm clipped first.
func (l *learner) step(loss *nets.Tensor) {
	loss.Backward()
	if l.cfg.GradClip > 0 {
		clipGradNorm(l.params, l.cfg.GradClip)
	}
	l.opt.Step()
}
