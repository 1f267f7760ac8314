package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// optimCase is one optimizer update with its options: step runs it through
// the exported function, ref through the Go loop, on the same arrays
// (arrays[0] is p, arrays[1] the gradient, the rest the state; a nil state
// array is an option turned off).
type optimCase struct {
	name    string
	arrays  []bool // which of the arrays are used
	sq, avg int    // the indexes of the square average and the gradient average; 0: none
	step    func(a [][]float32)
	ref     func(a [][]float32)
}

// optimCases returns every optimizer with every combination of options,
// with the coefficients of PyTorch's defaults or of the DQN paper.
func optimCases() []optimCase {
	var cases []optimCase
	for _, wd := range []bool{false, true} {
		c := AdamCoeffs{B1: 0.9, C1: 0.1, B2: 0.999, C2: float32(1 - 0.999), Alpha: 0.0012, Eps: 3e-9}
		if wd {
			c.WeightDecay, c.Decay, c.WD = true, 0.99999, 0.01
		}
		cases = append(cases, optimCase{fmt.Sprintf("adam/wd=%v", wd), []bool{true, true, true, true}, 3, 0,
			func(a [][]float32) { AdamStep(a[0], a[1], a[2], a[3], c) },
			func(a [][]float32) { adamGo(a[0], a[1], a[2], a[3], &c) }})
	}
	for f := 0; f < 8; f++ {
		c := RMSPropCoeffs{Alpha: 0.99, C: float32(1 - 0.99), Eps: 1e-8, Mu: 0.9, LR: 0.01}
		if f&1 != 0 {
			c.WD = 0.05
		}
		used := []bool{true, true, true, f&2 != 0, f&4 != 0}
		cases = append(cases, optimCase{fmt.Sprintf("rmsprop/wd=%v,centered=%v,momentum=%v", f&1 != 0, f&2 != 0, f&4 != 0), used, 2, 3,
			func(a [][]float32) { RMSPropStep(a[0], a[1], a[2], a[3], a[4], c) },
			func(a [][]float32) { rmspropGo(a[0], a[1], a[2], a[3], a[4], &c) }})
	}
	for _, mom := range []bool{false, true} {
		c := DQNRMSPropCoeffs{Rho: 0.95, C: float32(1 - 0.95), Eps: 0.01, LR: 0.00025}
		if mom {
			c.Mu = 0.9
		}
		cases = append(cases, optimCase{fmt.Sprintf("dqnrmsprop/momentum=%v", mom), []bool{true, true, true, true, mom}, 2, 3,
			func(a [][]float32) { DQNRMSPropStep(a[0], a[1], a[2], a[3], a[4], c) },
			func(a [][]float32) { dqnRMSPropGo(a[0], a[1], a[2], a[3], a[4], &c) }})
	}
	for f := 0; f < 16; f++ {
		if f&2 == 0 && f&(4|8) != 0 { // the first step and Nesterov need momentum
			continue
		}
		c := SGDCoeffs{LR: 0.01, Mu: 0.9, Damp: 0.75, First: f&4 != 0, Nesterov: f&8 != 0}
		if f&1 != 0 {
			c.WD = 0.001
		}
		if c.Nesterov {
			c.Damp = 1
		}
		cases = append(cases, optimCase{fmt.Sprintf("sgd/wd=%v,momentum=%v,first=%v,nesterov=%v", f&1 != 0, f&2 != 0, c.First, c.Nesterov),
			[]bool{true, true, f&2 != 0}, 0, 0,
			func(a [][]float32) { SGDStep(a[0], a[1], a[2], c) },
			func(a [][]float32) { sgdGo(a[0], a[1], a[2], &c) }})
	}
	return cases
}

// optimArrays returns random arrays of n floats for c: normal values of
// the sizes of parameters, gradients and moments, with square averages
// positive and, where there is a gradient average, above its square. With
// dead set, about one element in ten is a dead unit's: a zero gradient and
// state decayed to tiny or subnormal values.
func optimArrays(rng *rand.Rand, c optimCase, n int, dead bool) [][]float32 {
	a := make([][]float32, len(c.arrays))
	for i, used := range c.arrays {
		if !used {
			continue
		}
		a[i] = make([]float32, n)
		for j := range a[i] {
			a[i][j] = float32(rng.NormFloat64()) * []float32{1, 0.1, 0.01, 0.01, 0.01}[i]
		}
	}
	if c.sq != 0 {
		for j := range a[c.sq] {
			a[c.sq][j] = float32(rng.ExpFloat64()) * 1e-4
			if c.avg != 0 && a[c.avg] != nil {
				a[c.sq][j] += a[c.avg][j] * a[c.avg][j]
			}
		}
	}
	for j := 0; dead && j < n; j++ {
		if rng.IntN(10) != 0 {
			continue
		}
		a[1][j] = 0
		for i := 2; i < len(a); i++ {
			if a[i] != nil {
				a[i][j] = []float32{math.Float32frombits(rng.Uint32N(8)), // a few ulps of the subnormals
					math.Float32frombits(rng.Uint32N(1 << 23)), 1e-39, 3e-30, 1e-18}[rng.IntN(5)]
			}
		}
		if c.sq != 0 {
			a[c.sq][j] = float32(math.Abs(float64(a[c.sq][j])))
		}
	}
	return a
}

// guard is the number of NaNs on each side of every array.
const guard = 19

// guarded copies a into the middle of NaN-filled buffers and returns the
// buffers and the views of the copies.
func guarded(a [][]float32) (bufs, views [][]float32) {
	bufs, views = make([][]float32, len(a)), make([][]float32, len(a))
	for i, x := range a {
		if x == nil {
			continue
		}
		bufs[i] = make([]float32, len(x)+2*guard)
		for j := range bufs[i] {
			bufs[i][j] = float32(math.NaN())
		}
		views[i] = bufs[i][guard : guard+len(x) : guard+len(x)]
		copy(views[i], x)
	}
	return bufs, views
}

func cloneArrays(a [][]float32) [][]float32 {
	b := make([][]float32, len(a))
	for i, x := range a {
		if x != nil {
			b[i] = append([]float32{}, x...)
		}
	}
	return b
}

// Every kernel, either way (optimWays), gives the bits of the Go loop, on
// every optimizer and option, at lengths around the vector widths, with and
// without dead units, without writing outside its arrays or into the
// gradient.
func TestOptimizerKernelsMatchGoLoops(t *testing.T) {
	defer SetKernel(Kernel())
	lengths := []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 47, 64, 100, 255, 1029}
	if raceEnabled { // the race detector makes the loops ten times slower
		lengths = []int{0, 7, 17, 100}
	}
	for _, kernel := range Kernels() {
		_, err := SetKernel(kernel)
		require.NoError(t, err)
		optimWays(func(way string) {
			for _, c := range optimCases() {
				rng := rand.New(rand.NewPCG(31, 32))
				for _, n := range lengths {
					for _, dead := range []bool{false, true} {
						a := optimArrays(rng, c, n, dead)
						want := cloneArrays(a)
						c.ref(want)
						bufs, got := guarded(a)
						c.step(got)
						for i, x := range got {
							if x == nil {
								continue
							}
							require.Equal(t, bitsOf(want[i]), bitsOf(x), "%s %s %s n %d dead %v array %d", kernel, way, c.name, n, dead, i)
							for _, g := range append(bufs[i][:guard:guard], bufs[i][guard+n:]...) {
								require.True(t, math.IsNaN(float64(g)), "%s %s %s n %d: array %d written outside", kernel, way, c.name, n, i)
							}
						}
						require.Equal(t, bitsOf(a[1]), bitsOf(got[1]), "%s %s %s: the gradient changed", kernel, way, c.name)
					}
				}
			}
		})
	}
}

// Special values (infinities, NaNs, zeros of both signs, subnormals, the
// largest floats) go through the vector kernels as through the Go loop:
// the same bits, where a NaN may carry another NaN's payload.
func TestOptimizerKernelsMatchGoLoopsOnSpecialValues(t *testing.T) {
	defer SetKernel(Kernel())
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1e-39, math.MaxFloat32, -math.MaxFloat32,
		1e-20, 1e25, -3, 2}
	for _, kernel := range Kernels() {
		_, err := SetKernel(kernel)
		require.NoError(t, err)
		optimWays(func(way string) {
			for _, c := range optimCases() {
				rng := rand.New(rand.NewPCG(33, 34))
				a := optimArrays(rng, c, 400, false)
				for _, x := range a {
					for j := range x {
						if rng.IntN(4) == 0 {
							x[j] = specials[rng.IntN(len(specials))]
						}
					}
				}
				want := cloneArrays(a)
				c.ref(want)
				c.step(a)
				for i := range a {
					for j := range a[i] {
						w, g := want[i][j], a[i][j]
						if !(w != w && g != g) {
							require.Equal(t, math.Float32bits(w), math.Float32bits(g), "%s %s %s array %d element %d", kernel, way, c.name, i, j)
						}
					}
				}
			}
		})
	}
}

func TestOptimizerKernelsCheckLengths(t *testing.T) {
	x, y := make([]float32, 4), make([]float32, 5)
	require.PanicsWithValue(t, "kernels: AdamStep of 4 parameters with a slice of 5", func() { AdamStep(x, x, y, x, AdamCoeffs{}) })
	require.PanicsWithValue(t, "kernels: RMSPropStep of 4 parameters with a slice of 5", func() { RMSPropStep(x, x, x, nil, y, RMSPropCoeffs{}) })
	require.PanicsWithValue(t, "kernels: DQNRMSPropStep of 4 parameters with a slice of 5", func() { DQNRMSPropStep(x, y, x, x, nil, DQNRMSPropCoeffs{}) })
	require.PanicsWithValue(t, "kernels: SGDStep of 4 parameters with a slice of 5", func() { SGDStep(x, x, y, SGDCoeffs{}) })
}

// BenchmarkOptimizers times each update with each kernel on the 264,262
// parameters of the MinAtar-rule DQN (whose arrays, 1 MiB each, stay in
// L2 with Adam's four), reporting nanoseconds per parameter; "dead" has
// one parameter in ten with a zero gradient and subnormal or tiny moments.
func BenchmarkOptimizers(b *testing.B) {
	defer SetKernel(Kernel())
	const n = 264_262
	for _, c := range optimCases() {
		switch c.name {
		case "adam/wd=false", "adam/wd=true", "rmsprop/wd=false,centered=true,momentum=false",
			"dqnrmsprop/momentum=false", "sgd/wd=false,momentum=true,first=false,nesterov=true":
		default:
			continue
		}
		for _, dead := range []bool{false, true} {
			for _, kernel := range Kernels() {
				b.Run(fmt.Sprintf("%s/dead=%v/%s", c.name, dead, kernel), func(b *testing.B) {
					_, err := SetKernel(kernel)
					require.NoError(b, err)
					a := optimArrays(rand.New(rand.NewPCG(35, 36)), c, n, dead)
					for b.Loop() {
						c.step(a)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/param")
				})
			}
		}
	}
}
