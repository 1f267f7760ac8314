package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// firstMax returns the index in x of the first maximum, in row order, of
// the 2x2 window of output (r, j): the first NaN if there is one, and +0
// above -0.
func firstMax(x []float32, w, r, j int) int {
	best := -1
	for _, i := range [4]int{2*r*w + 2*j, 2*r*w + 2*j + 1, (2*r+1)*w + 2*j, (2*r+1)*w + 2*j + 1} {
		v := x[i]
		if best < 0 {
			best = i
			continue
		}
		b := x[best]
		nanV, nanB := math.IsNaN(float64(v)), math.IsNaN(float64(b))
		if !nanB && (nanV || v > b || v == b && v == 0 && !math.Signbit(float64(v)) && math.Signbit(float64(b))) {
			best = i
		}
	}
	return best
}

// poolValues draws floats with many ties: signed zeros, infinities, NaNs
// of both signs and a few small integers.
func poolValues(rng *rand.Rand, n int) []float32 {
	pick := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 2, -2, float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.Float32frombits(0xffc00001)}
	x := make([]float32, n)
	for i := range x {
		if rng.IntN(3) == 0 {
			x[i] = pick[rng.IntN(len(pick))]
		} else {
			x[i] = float32(rng.NormFloat64())
		}
	}
	return x
}

func TestMaxPool2x2(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2))
	for rows := 1; rows <= 4; rows++ {
		for _, n := range []int{1, 2, 5, 7, 8, 9, 14, 15, 16, 17, 31, 32, 33, 40} {
			for _, w := range []int{2 * n, 2*n + 1, 2*n + 3} {
				x := poolValues(rng, (2*rows-1)*w+2*n)
				y := poolValues(rng, rows*n+1)
				MaxPool2x2(y[:rows*n], x, rows, w, n)
				for r := 0; r < rows; r++ {
					for j := 0; j < n; j++ {
						want, got := x[firstMax(x, w, r, j)], y[r*n+j]
						if math.IsNaN(float64(want)) {
							require.Equal(t, uint32(0x7fffffff), math.Float32bits(got), "rows %d, n %d, w %d: (%d, %d)", rows, n, w, r, j)
						} else {
							require.Equal(t, math.Float32bits(want), math.Float32bits(got), "rows %d, n %d, w %d: (%d, %d)", rows, n, w, r, j)
						}
					}
				}
				dx := poolValues(rng, len(x))
				dy := poolValues(rng, rows*n)
				want := append([]float32(nil), dx...)
				for r := 0; r < rows; r++ {
					for j := 0; j < n; j++ {
						want[firstMax(x, w, r, j)] += dy[r*n+j]
					}
				}
				MaxPool2x2Backward(dx, x, dy, rows, w, n)
				for i := range dx {
					if math.IsNaN(float64(want[i])) {
						require.True(t, math.IsNaN(float64(dx[i])), "rows %d, n %d, w %d: dx[%d]", rows, n, w, i)
					} else {
						require.Equal(t, math.Float32bits(want[i]), math.Float32bits(dx[i]), "rows %d, n %d, w %d: dx[%d]", rows, n, w, i)
					}
				}
			}
		}
	}
}

func TestMaxPool2x2Panics(t *testing.T) {
	x, y := make([]float32, 16), make([]float32, 4)
	require.PanicsWithValue(t, "kernels: MaxPool2x2 of 2 rows of 2 outputs from rows 3 wide, with 16 floats of x and 4 of the output",
		func() { MaxPool2x2(y, x, 2, 3, 2) })
	require.Panics(t, func() { MaxPool2x2(y, x[:11], 2, 4, 2) })
	require.Panics(t, func() { MaxPool2x2Backward(x[:15], x, y, 2, 4, 2) })
}

// BenchmarkMaxPool2x2 times the 2x2 max pooling of LeNet-5's two layers
// over a batch of 64 images, forward and backward.
func BenchmarkMaxPool2x2(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 3))
	for _, l := range []struct {
		name         string
		planes, size int
	}{{"lenet1", 64 * 6, 28}, {"lenet2", 64 * 16, 10}} {
		rows, w, n := l.planes*l.size/2, l.size, l.size/2
		x, dx := poolValues(rng, l.planes*l.size*l.size), make([]float32, l.planes*l.size*l.size)
		y := make([]float32, rows*n)
		b.Run(l.name+"/forward", func(b *testing.B) {
			for b.Loop() {
				MaxPool2x2(y, x, rows, w, n)
			}
		})
		b.Run(l.name+"/backward", func(b *testing.B) {
			for b.Loop() {
				MaxPool2x2Backward(dx, x, y, rows, w, n)
			}
		})
	}
}
