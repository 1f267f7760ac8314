package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEveryKernelMatchesNaiveLoop(t *testing.T) {
	defer SetKernel(Kernel())
	require.Equal(t, "go", Kernels()[len(Kernels())-1], "the pure-Go kernel is always there")
	for _, name := range Kernels() {
		t.Run(name, func(t *testing.T) {
			_, err := SetKernel(name)
			require.NoError(t, err)
			require.Equal(t, name, Kernel())
			rng := rand.New(rand.NewPCG(21, 22))
			others, big := 70, deterministicShapes[:2]
			if raceEnabled { // the reference loop is ten times slower
				others, big = 20, nil
			}
			for _, tc := range sweepCases(rng, others) {
				checkCase(t, rng, Sgemm, tc)
			}
			for _, tc := range big {
				checkCase(t, rng, Sgemm, tc)
			}
			checkCase(t, rng, withBlocking(blocking{kc: 7, ncPanels: 1, maxPacked: 100, passFloats: 500}),
				gemmCase{transA: true, m: 40, n: 50, k: 30, alpha: 2, beta: 1})
		})
	}
}

func TestSetKernelRejectsUnknownNames(t *testing.T) {
	before := Kernel()
	_, err := SetKernel("sse9")
	require.ErrorContains(t, err, `kernels: micro-kernel "sse9" not supported on this machine; one of`)
	require.Equal(t, before, Kernel())
	prev, err := SetKernel("go")
	require.NoError(t, err)
	require.Equal(t, before, prev)
	_, err = SetKernel(prev)
	require.NoError(t, err)
}

// The assembly packing routines (AVX-512 builds) must give the same bytes
// as the Go ones, which are the reference.
func TestPackingRoutinesMatchGo(t *testing.T) {
	if !packAsm(kernelAVX512, make([]float32, 16), 16, make([]float32, 16), 16, 1, 1, true, 1) {
		t.Skip("no assembly packing routines in this build or on this CPU")
	}
	rng := rand.New(rand.NewPCG(23, 24))
	src := make([]float32, 40*700)
	for i := range src {
		src[i] = rng.Float32()*2 - 1
	}
	for trial := 0; trial < 200; trial++ {
		width := []int{12, 32}[trial%2]
		rows := 1 + rng.IntN(width)
		kc := 1 + rng.IntN(70)
		if trial%10 == 0 {
			kc = 1 + rng.IntN(600)
		}
		contiguous := trial/2%2 == 0
		ld := rows + rng.IntN(5) // a k step of rows floats, ld apart
		if !contiguous {
			ld = kc + rng.IntN(5) // rows of kc floats, ld apart
		}
		alpha := []float32{1, -0.5, 3}[trial%3]
		want, got := make([]float32, kc*width+5), make([]float32, kc*width+5)
		for i := range want {
			want[i] = float32(math.NaN())
			got[i] = want[i]
		}
		goPack(want[:kc*width], width, src, ld, rows, kc, contiguous, alpha)
		require.True(t, packAsm(kernelAVX512, got[:kc*width], width, src, ld, rows, kc, contiguous, alpha))
		require.Equal(t, bitsOf(want), bitsOf(got), "width %d rows %d kc %d ld %d contiguous %v", width, rows, kc, ld, contiguous)
	}
}

// goPack is what packA and packB do in Go: copy or transpose rows into a
// zero-padded panel.
func goPack(dst []float32, width int, src []float32, ld, rows, kc int, contiguous bool, alpha float32) {
	clear(dst)
	if !contiguous {
		interleave(dst, width, src, ld, rows, kc, alpha)
		return
	}
	for p := 0; p < kc; p++ {
		for r := 0; r < rows; r++ {
			dst[p*width+r] = alpha * src[p*ld+r]
		}
	}
}

func TestPeakGFLOPS(t *testing.T) {
	loop, _ := peakLoop()
	if loop == nil {
		require.Zero(t, PeakGFLOPS(), "no assembly: the peak is unknown")
		return
	}
	// A core of 2024 runs 16 to 64 float32 FMAs a cycle at 1 to 6 GHz.
	require.InDelta(t, 1000, PeakGFLOPS(), 990)
}
