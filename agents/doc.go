// Package agents holds the learners that play arcade's envs: tabular
// Q-learning and the DQN family, each a training loop that reads top to
// bottom, CleanRL-style, with a config struct that maps one to one onto the
// CLI's flags.
package agents
