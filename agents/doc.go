// Package agents holds the learners that play arcade's envs: tabular
// Q-learning (agents/qlearn) and the DQN family (agents/dqn), each a
// training loop that reads top to bottom, CleanRL-style, with a config
// struct that maps one to one onto the CLI's flags, and agents/rollout,
// which plays episodes: the Policy interface, greedy and epsilon-greedy
// choice, seeded evaluation, and the game streams that let a checkpoint
// restore an env by replaying its game.
//
// This package loads a trained agent back from its run directory, for
// arcade eval and for the viewer (arcade watch):
//
//	a, err := agents.Load(runDir, false)   // model.safetensors; true: best.safetensors
//	env, _ := a.NewEnv()                    // the env and options it was trained on
//	env.Seed(rollout.EvalSeed(a.Seed, 0))   // evaluation episode 0, apart from training games
//	obs, _ := env.Reset()
//	for {
//		q := a.QRow(obs)                    // one Q-value per action (a.ActionNames)
//		action := a.Act(obs, rng, a.EvalEpsilon) // or a.Greedy(obs)
//		obs, _, term, trunc, _ = env.Step(action)
//		...
//	}
//
// Both DQN and Q-learning runs load this way; a Q-learning agent's
// Q-values are its table's row for the state.
package agents
