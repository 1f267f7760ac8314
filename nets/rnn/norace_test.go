//go:build !race

package rnn

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
