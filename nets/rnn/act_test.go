package rnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// actInputs are the values the activation tests sweep: a fine grid over
// [-20, 20], random values over [-100, 100], tiny ones, signed zeros and
// infinities, in a count that leaves a partial group of eight.
func actInputs() []float32 {
	var xs []float32
	for v := -20.0; v <= 20; v += 1.0 / 64 {
		xs = append(xs, float32(v))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		xs = append(xs, float32(rng.Float64()*200-100))
	}
	xs = append(xs, 1e-30, -1e-30, 1e-7, -1e-7, 3e-4, -3e-4, 0, float32(math.Copysign(0, -1)),
		float32(math.Inf(1)), float32(math.Inf(-1)), 85.9, -85.9, 86.1, -86.1, 8.99, -8.99, 9.01)
	return xs
}

func TestActivationsMatchFloat64(t *testing.T) {
	xs := actInputs()
	sig, th := append([]float32{}, xs...), append([]float32{}, xs...)
	sigmoidsGo(sig)
	tanhsGo(th)
	for i, x := range xs {
		v := float64(x)
		ws := 1 / (1 + math.Exp(-v))
		wt := math.Tanh(v)
		// 4 ulps relative; σ below e^-86 is clamped to about 4.4e-38.
		require.InDelta(t, ws, float64(sig[i]), 5e-7*ws+5e-38, "σ(%g)", x)
		require.InDelta(t, wt, float64(th[i]), 5e-7*math.Abs(wt)+1e-45, "tanh(%g)", x)
		require.Equal(t, math.Signbit(v), math.Signbit(float64(th[i])), "sign of tanh(%g)", x)
	}
}

func TestVectorActivationsMatchGoLoops(t *testing.T) {
	xs := actInputs()
	for _, n := range []int{len(xs), 7, 8, 9, 1} {
		in := xs[:n]
		want, got := append([]float32{}, in...), append([]float32{}, in...)
		sigmoidsGo(want)
		sigmoids(got)
		requireULPs(t, want, got, 2, "σ")
		want, got = append(want[:0], in...), append(got[:0], in...)
		tanhsGo(want)
		tanhs(got)
		requireULPs(t, want, got, 2, "tanh")
	}
}

// requireULPs checks that got and want are at most n float32 steps apart.
func requireULPs(t *testing.T, want, got []float32, n int, what string) {
	t.Helper()
	for i := range want {
		d := int64(math.Float32bits(want[i])) - int64(math.Float32bits(got[i]))
		require.True(t, d >= int64(-n) && d <= int64(n), "%s[%d]: %g and %g", what, i, want[i], got[i])
	}
}

func TestVectorLSTMBackwardMatchesGoLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, H := range []int{21, 8, 5, 64} {
		fill := func(n int, lo, hi float64) []float32 {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(lo + (hi-lo)*rng.Float64())
			}
			return x
		}
		a, tc, cp, dh, dc := fill(4*H, 0, 1), fill(H, -1, 1), fill(H, -2, 2), fill(H, -1, 1), fill(H, -1, 1)
		prev := fill(H, -1, 1)
		want, got := make([]float32, 4*H), make([]float32, 4*H)
		wantPrev, gotPrev := append([]float32{}, prev...), append([]float32{}, prev...)
		lstmBackwardGo(want, wantPrev, a, tc, cp, dh, dc, 0)
		lstmBackwardRow(got, gotPrev, a, tc, cp, dh, dc)
		require.Equal(t, want, got, "dG, H=%d", H)
		require.Equal(t, wantPrev, gotPrev, "dc, H=%d", H)
		lstmBackwardRow(got, nil, a, tc, cp, dh, dc)
		require.Equal(t, want, got, "dG without dc, H=%d", H)

		x := fill(H, -1, 1)
		sum := append([]float32{}, prev...)
		addTo(sum, x)
		for j := range sum {
			require.Equal(t, prev[j]+x[j], sum[j])
		}
	}
}

func TestVectorCellAndProductMatchGoLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, H := range []int{21, 8, 3} {
		a, cp := make([]float32, 4*H), make([]float32, H)
		for i := range a {
			a[i] = float32(rng.Float64()*2 - 1)
		}
		for i := range cp {
			cp[i] = float32(rng.Float64()*4 - 2)
		}
		c := make([]float32, H)
		lstmCell(c, a, cp)
		h := make([]float32, H)
		mul(h, a[3*H:], c)
		for j := range c {
			require.Equal(t, float32(a[H+j]*cp[j])+float32(a[j]*a[2*H+j]), c[j])
			require.Equal(t, a[3*H+j]*c[j], h[j])
		}
	}
}
