//go:build !amd64 || noasm

package kernels

// maxPoolAsm pools nothing: this build pools in Go.
func maxPoolAsm(_, _ *float32, _, _, _ int) bool { return false }

// maxPoolBackwardAsm routes nothing: this build routes in Go.
func maxPoolBackwardAsm(_, _, _ *float32, _, _, _ int) bool { return false }
