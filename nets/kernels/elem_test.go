package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// elemValues returns n floats: mostly normal values of both signs, with
// zeros of both signs, subnormals, infinities and NaNs of both signs
// (quiet and signaling) among them.
func elemValues(rng *rand.Rand, n int) []float32 {
	specials := []uint32{0, 0x80000000, 1, 0x80000001, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345}
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		if rng.IntN(8) == 0 {
			x[i] = math.Float32frombits(specials[rng.IntN(len(specials))])
		}
	}
	return x
}

func TestElementwiseKernelsMatchGoLoops(t *testing.T) {
	defer SetKernel(Kernel())
	lengths := []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1029}
	for _, kernel := range Kernels() {
		_, err := SetKernel(kernel)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(51, 52))
		for _, n := range lengths {
			x, dy, dx := elemValues(rng, n), elemValues(rng, n), elemValues(rng, n)

			want := make([]float32, n)
			reluGo(want, x)
			bufs, views := guarded([][]float32{make([]float32, n)})
			Relu(views[0], x)
			require.Equal(t, bitsOf(want), bitsOf(views[0]), "%s Relu n %d", kernel, n)
			requireGuards(t, bufs[0], n, "%s Relu n %d", kernel, n)

			want = append([]float32{}, dx...)
			reluBackwardGo(want, dy, x)
			bufs, views = guarded([][]float32{dx})
			ReluBackward(views[0], dy, x)
			for i, w := range want { // the sum of two NaNs carries either one's payload
				if g := views[0][i]; !(w != w && g != g) {
					require.Equal(t, math.Float32bits(w), math.Float32bits(g), "%s ReluBackward n %d element %d", kernel, n, i)
				}
			}
			requireGuards(t, bufs[0], n, "%s ReluBackward n %d", kernel, n)
		}
	}
}

// Relu is Go's max(x, 0), bit for bit, on the special values: NaNs lose
// their sign, -0 becomes +0 (elem.go).
func TestReluOnSpecialValues(t *testing.T) {
	defer SetKernel(Kernel())
	in := []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x80000000, 0, 0x80000001, 1, 0xbf800000, 0x3f800000, 0xff800000, 0x7f800000}
	want := []uint32{0x7fc00000, 0x7fc00000, 0x7f800001, 0x7f800001, 0, 0, 0, 1, 0, 0x3f800000, 0, 0x7f800000}
	for _, kernel := range Kernels() {
		_, err := SetKernel(kernel)
		require.NoError(t, err)
		x := make([]float32, 16*len(in)) // each value in every lane position
		for i := range x {
			x[i] = math.Float32frombits(in[(i+i/len(in))%len(in)])
		}
		y := make([]float32, len(x))
		Relu(y, x)
		for i := range y {
			require.Equal(t, want[(i+i/len(in))%len(in)], math.Float32bits(y[i]), "%s: relu of %08x", kernel, math.Float32bits(x[i]))
		}
	}
}

// SumSquares gives the same bits with every kernel, within len(x)·2⁻⁵³ of
// the exact sum.
func TestSumSquares(t *testing.T) {
	defer SetKernel(Kernel())
	rng := rand.New(rand.NewPCG(53, 54))
	for _, n := range []int{0, 1, 31, 32, 33, 64, 95, 1000, 4099} {
		x := make([]float32, n)
		exact := new(big.Float).SetPrec(2000)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
			sq := new(big.Float).SetPrec(2000).SetFloat64(float64(x[i]))
			exact.Add(exact, sq.Mul(sq, sq))
		}
		want, _ := exact.Float64()
		var first float64
		for i, kernel := range Kernels() {
			_, err := SetKernel(kernel)
			require.NoError(t, err)
			got := SumSquares(x)
			if i == 0 {
				first = got
			}
			require.Equal(t, math.Float64bits(first), math.Float64bits(got), "%s n %d", kernel, n)
			require.InDelta(t, want, got, float64(n)*0x1p-53*want, "%s n %d", kernel, n)
		}
	}
	require.True(t, math.IsNaN(SumSquares([]float32{1, float32(math.NaN())})))
	require.Zero(t, SumSquares(nil))
}

func TestElementwiseKernelsCheckLengths(t *testing.T) {
	x, y := make([]float32, 4), make([]float32, 5)
	require.PanicsWithValue(t, "kernels: Relu of 4 parameters with a slice of 5", func() { Relu(x, y) })
	require.PanicsWithValue(t, "kernels: ReluBackward of 4 parameters with a slice of 5", func() { ReluBackward(x, x, y) })
}

// requireGuards checks that the NaNs around the n floats in the middle of
// buf are still there.
func requireGuards(t *testing.T, buf []float32, n int, msg string, args ...any) {
	t.Helper()
	for _, g := range append(buf[:guard:guard], buf[guard+n:]...) {
		require.True(t, math.IsNaN(float64(g)), append([]any{msg + ": written outside"}, args...)...)
	}
}

func BenchmarkElementwise(b *testing.B) {
	defer SetKernel(Kernel())
	const n = 51_200 // a batch of 32 MinAtar-rule conv outputs, 16x10x10
	rng := rand.New(rand.NewPCG(55, 56))
	x, dy, y := elemValues(rng, n), elemValues(rng, n), make([]float32, n)
	for _, kernel := range Kernels() {
		_, err := SetKernel(kernel)
		require.NoError(b, err)
		b.Run("relu/"+kernel, func(b *testing.B) {
			for b.Loop() {
				Relu(y, x)
			}
		})
		b.Run("relu-backward/"+kernel, func(b *testing.B) {
			for b.Loop() {
				ReluBackward(y, dy, x)
			}
		})
		b.Run("sum-squares/"+kernel, func(b *testing.B) {
			for b.Loop() {
				SumSquares(x)
			}
		})
	}
}
