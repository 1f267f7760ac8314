// Package replay is the experience replay memory of arcade's DQN agents:
// frames stored once as uint8 in a ring with stacks rebuilt at sampling
// time, uniform and prioritized (sum tree) sampling, and n-step returns.
package replay
