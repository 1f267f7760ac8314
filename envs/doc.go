// Package envs holds arcade's game environments and their wrappers: pure
// Go state machines, deterministic from a seed, that draw their own pixels.
// The contract follows Gymnasium (Seed once, Reset many, Step returning
// terminated and truncated separately); ../DESIGN.md states it in full.
package envs
