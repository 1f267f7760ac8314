// Package envs holds arcade's game environments and their wrappers: pure
// Go state machines, deterministic from a seed, that draw their own pixels.
// The contract follows Gymnasium and DESIGN.md: an Env is seeded once
// (Seed), then Reset at the start of every episode and stepped until Step
// reports terminated (the game ended) or truncated (a time limit cut it).
// Observations are views into the env's own buffers, filled directly (no
// image/draw), and Step allocates nothing after warm-up. Programmer errors
// (an action out of range, Step after the end without Reset, Reset before
// Seed) panic with an "envs: ..." message. Every env draws its RNG from
// math/rand/v2 seeded by Seed, its wrappers each from their own stream of
// the same seed.
//
// # Making envs
//
// Make(name, opts) builds an env with its standard wrapper stack; opts are
// the CLI's --env-opt key=value pairs, and an unknown name, key or value is
// a one-line error. Specs lists the registry (name, one-line description,
// options with defaults and help, EvalEpsilon: 0 for cartpole and
// frozenlake, 0.05 for the grid and pixel games); `arcade envs` prints it.
// Unwrap(env) returns the innermost env, e.g. *CartPole (State, SetState)
// or *FrozenLake (P, NumStates, TimeLimit, State).
//
// The envs and their standard stacks, innermost first:
//
//	cartpole      CartPole → TimeLimit(500) → Monitor; float32 [4]
//	frozenlake    FrozenLake → TimeLimit(100 for 4x4, 200 for 8x8) → Monitor;
//	              one-hot float32 [16|64], or uint8 [1] (the state) with obs=index
//	catch         Catch → Monitor; uint8 [10, 5] of 0/1
//	min-breakout, min-asterix, min-freeway, min-seaquest, min-invaders
//	              game → StickyActions(0.1) → Monitor; uint8 [C, 10, 10] of 0/1,
//	              all 6 actions, no frame stacking
//	snake         Snake → Monitor; uint8 [3, 10, 10] of 0/1
//	pong, breakout
//	              game → GrayscaleResize(84, 84) → NoopReset(30) → FrameSkip(4)
//	              → TimeLimit(27000) → Monitor → ClipReward → FrameStack(4);
//	              uint8 [4, 84, 84] (StickyActions after GrayscaleResize with
//	              sticky > 0, EpisodicLife after Monitor with episodic_life=true)
//
// Options turn pieces on or off: max_steps (every env; 0 removes the
// TimeLimit), sticky and ramping (MinAtar-rule games), map, slippery and
// obs (frozenlake), size (snake's grid; the pixel games' frame side, 0 for
// the raw colour frame [210, 160, 3]), frame_skip, stack, noop_max,
// clip_reward, episodic_life and sticky (pixel games).
//
// # Info
//
// Info is the innermost env's own map, cleared at every Step and Reset;
// wrappers add keys. Monitor sets "episode_return" (the sum of the game's
// rewards, below ClipReward, so unclipped) and "episode_length" (agent
// steps) on the last step of every episode, and on no other step.
// Breakout sets "lives". Read them before the next Step.
//
// # Frames
//
// FrameStack's observation is [K, ...frame], oldest first: after step t it
// holds frames t-K+1 .. t, and at Reset the first frame K times (as
// Gymnasium's FrameStackObservation with padding_type "reset"). A replay
// memory that stores single frames rebuilds a stack from the last K frames
// of the episode, repeating the episode's first frame where it is younger
// than K steps. FrameSkip's frame is the pixel-wise max of the step's last
// two game frames (the last frame alone when the episode ends earlier).
// The pixel games draw their gray frames straight at 84x84 (GrayObserver);
// GrayscaleResize converts and resizes any other [h, w, 3] or [h, w]
// frame.
//
// # Vector envs
//
// NewVector(n, newEnv) or MakeVector(name, opts, n) holds n copies, seeded
// by Seed(seed) with DeriveSeed(seed, i), stepped in parallel on
// internal/par by Step(actions): the same bytes for any --threads. A copy
// whose episode ends is reset in the same Step: VectorStep.Obs holds what
// to act on next, VectorStep.FinalObs the observation each Step returned
// (the ended episode's last one, for bootstrapping a truncated episode),
// and Reward, Terminated, Truncated and Info (copied, with Monitor's keys)
// the rest, one row per copy.
//
// # Pictures
//
// Render(dst) draws a picture for people at dst's top-left corner; it is
// deterministic and changes no state. Every env implements RenderSizer;
// RenderSize(env) finds the natural size through wrappers (CartPole
// 600x400, FrozenLake 48 pixels per cell, Catch 120x240, MinAtar-rule games
// 160x160, Snake 16 pixels per cell, Pong and Breakout Atari's 160x210).
//
// # Checking envs
//
// The envtest sub-package holds the conformance checker that every env
// passes: same seed same trajectory, different seeds different ones,
// observations in their space, terminated and truncated semantics and the
// panics, Render deterministic and state-preserving, Step allocation-free.
package envs
