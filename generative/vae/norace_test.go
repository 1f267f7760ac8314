//go:build !race

package vae

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
