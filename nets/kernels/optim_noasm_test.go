//go:build !amd64 || noasm

package kernels

// optimWays runs f once: this build has no vector kernels.
func optimWays(f func(way string)) { f("go") }
