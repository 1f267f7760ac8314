//go:build !amd64 || noasm

package kernels

// copyRowsAsm copies nothing: this build copies rows in Go.
func copyRowsAsm(_, _ *float32, _, _, _, _, _, _, _, _ int) bool { return false }

// addRowsAsm adds nothing: this build adds rows in Go.
func addRowsAsm(_, _ *float32, _, _, _, _, _, _, _, _ int) bool { return false }
