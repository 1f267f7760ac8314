// Package nets is arcade's neural-network package: float32 tensors in
// row-major order, reverse-mode automatic differentiation over coarse ops
// whose hand-written backward kernels sit beside their forwards, layers,
// losses, optimizers, schedules, initialisers, safetensors checkpoints and
// a gradient checker.
package nets
