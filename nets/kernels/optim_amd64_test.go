//go:build !noasm

package kernels

// optimWays runs f with the vector kernels' tiny at its value, at 1 (every
// vector the fast way) and at +Inf's bits (every vector with a finite
// non-zero lane the slow way).
func optimWays(f func(way string)) {
	defer func(tiny uint32) { smallBits = tiny }(smallBits)
	for _, w := range []struct {
		name string
		tiny uint32
	}{{"mixed", smallBits}, {"fast", 1}, {"slow", 0x7f800000}} {
		smallBits = w.tiny
		f(w.name)
	}
}
