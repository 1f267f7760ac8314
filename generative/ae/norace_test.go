//go:build !race

package ae

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
