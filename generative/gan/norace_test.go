//go:build !race

package gan

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
