package imgset

import (
	"bytes"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func TestGatherRangeSelect(t *testing.T) {
	s := Set{Data: []float32{0, 1, 2, 3, 4, 5}, Labels: []int{7, 8, 9}, N: 3, C: 1, H: 1, W: 2}
	x := nets.New(4, 2)
	s.Gather(x, []int{2, 0})
	require.Equal(t, []int{2, 2}, x.Shape)
	require.Equal(t, []float32{4, 5, 0, 1}, x.Data)
	s.Range(x, 1, 3)
	require.Equal(t, []float32{2, 3, 4, 5}, x.Data)
	sel := s.Select([]int{1, 1})
	require.Equal(t, []float32{2, 3, 2, 3}, sel.Data)
	require.Equal(t, []int{8, 8}, sel.Labels)
	require.Equal(t, 2, s.First(2).N)
	require.Panics(t, func() { s.Gather(nets.New(1, 2), []int{0, 1}) })
}

func TestCorrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float32, 20000)
	for i := range v {
		v[i] = 0.5
	}
	Corrupt(v, Masking, 0.3, rng)
	zeros := 0
	for _, x := range v {
		if x == 0 {
			zeros++
		}
	}
	require.InDelta(t, 0.3, float64(zeros)/float64(len(v)), 0.02)
	for i := range v {
		v[i] = 0.9
	}
	Corrupt(v, Gaussian, 0.3, rng)
	mean := 0.0
	for _, x := range v {
		require.True(t, x >= 0 && x <= 1, "clipped")
		mean += float64(x)
	}
	require.Less(t, mean/float64(len(v)), 0.9, "clipping at 1 pulls the mean down")
	require.Panics(t, func() { Corrupt(v, "salt", 0.1, rng) })
}

func TestBlur(t *testing.T) {
	// A constant image stays constant (the kernel renormalised at the
	// borders); a point spreads symmetrically and keeps its mass inside.
	s := Set{Data: make([]float32, 2*9*9), N: 2, C: 1, H: 9, W: 9}
	for i := range 81 {
		s.Data[i] = 0.4
	}
	s.Data[81+4*9+4] = 1
	b := Blur(s, 1)
	for i := range 81 {
		require.InDelta(t, 0.4, b.Data[i], 1e-6)
	}
	p := b.Data[81:]
	sum := 0.0
	for _, v := range p {
		sum += float64(v)
	}
	require.InDelta(t, 1, sum, 5e-3, "up to the renormalised borders")
	require.InDelta(t, p[4*9+3], p[4*9+5], 1e-7)
	require.InDelta(t, p[3*9+4], p[4*9+3], 1e-7)
	require.Less(t, p[4*9+3], p[4*9+4])
}

func TestWriteGridComposesChannels(t *testing.T) {
	// Two images of 4 object layers on a 2x2 grid: drawn in colour.
	data := make([]float32, 2*4*4)
	data[0], data[4+1] = 1, 1 // layer 0 at pixel 0, layer 1 at pixel 1 of image 0
	rgb := Composite(data, 2, 4, 2, 2)
	require.Len(t, rgb, 2*3*4)
	require.Equal(t, []float32{palette[0][0], palette[1][0], 0, 0}, rgb[:4])
	var buf bytes.Buffer
	require.NoError(t, WriteGrid(&buf, data, 2, 4, 2, 2, 2, false))
	im, err := png.Decode(&buf)
	require.NoError(t, err)
	require.Equal(t, 2*2*28+3*2, im.Bounds().Dx(), "two images of 2 pixels drawn 28 times, padded")
}
