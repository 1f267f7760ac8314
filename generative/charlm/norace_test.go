//go:build !race

package charlm

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
