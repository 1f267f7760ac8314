//go:build !race

package seq2seq

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
