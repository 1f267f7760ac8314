// Package replay is the experience replay memory of arcade's DQN agents: a
// fixed-capacity ring of transitions with uniform or prioritized sampling
// and n-step returns.
//
// Storage. Each slot of the ring holds one frame and the transition that
// leaves it (action, reward, terminated, episode end). For stacked pixel
// observations ([4,84,84] from the FrameStack wrapper) only the newest
// frame of each step is stored, as uint8; stacks are rebuilt at sampling
// time from the slots before, repeating the episode's first frame as
// FrameStack does after Reset, so a rebuilt stack is byte for byte the one
// the env gave and never mixes episodes or reaches past the ring's
// overwrite point. Grids ([C,10,10] of 0/1) are stored as one byte per
// value, vectors as float32. An episode of L steps takes L+1 slots: the
// last holds its final observation, which a truncated episode bootstraps
// from. A slot costs its frame plus 7 bytes (plus 32 for prioritized
// replay's trees): 1,000,000 slots of 84x84 frames take 7.06 GB (7.10 GB
// prioritized).
//
// Sampling. A transition can be sampled once its n-step window is
// complete and while its whole stack is in the ring; Len counts them.
// Sample draws a batch with a *rand.Rand that the caller owns (and saves
// with its checkpoint), into a Batch made once by NewBatch; it allocates
// nothing. Each row has the n-step return R = sum_{i<m} gamma^i r_{t+i},
// which stops early at an episode end, the observation s_{t+m} to
// bootstrap from, its discount gamma^m, and whether s_{t+m} is terminal.
//
// Prioritized replay is Schaul et al. 2016's proportional variant: a sum
// tree over priorities p = (|delta| + eps)^alpha, stratified sampling,
// new transitions at the largest priority seen so far, importance weights
// (N * P(i))^-beta divided by their largest value, and beta annealed by
// BetaAt.
//
// Typical use in a DQN loop (one env; Add every step in order):
//
//	cfg := replay.DefaultConfig()
//	cfg.ObsShape, cfg.FrameStack, cfg.Scale = []int{4, 84, 84}, 4, 1.0/255
//	cfg.NStep, cfg.Prioritized = 3, true
//	buf, err := replay.New(cfg)
//	batch := buf.NewBatch(32)
//	...
//	buf.AddU8(obs, action, reward, next, terminated, truncated)
//	if step >= learningStarts && buf.Len() > 0 {
//		buf.Sample(batch, rng, replay.BetaAt(0.4, step, totalSteps))
//		// target: batch.Returns[i] + batch.Discounts[i]*maxQ'(batch.NextObs[i]) unless batch.Terminal[i]
//		buf.UpdatePriorities(batch.Indices, tdErrors)
//	}
//
// Save and Load keep the buffer with a run's checkpoint; a loaded buffer
// samples the same batches as the one saved, given the same rng state.
package replay
