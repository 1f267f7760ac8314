//go:build race

package envtest

// raceEnabled: the race detector's instrumentation changes allocation
// counts, so Check measures them only without it.
const raceEnabled = true
