package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// naiveIm2col is the definition of the patch matrix, entry by entry.
func naiveIm2col(g *ConvGeom, col []float32, ld int, img []float32) {
	for c := 0; c < g.C; c++ {
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				row := (c*g.KH+ki)*g.KW + kj
				for oh := 0; oh < g.OH; oh++ {
					for ow := 0; ow < g.OW; ow++ {
						ih, iw := oh*g.SH-g.PH+ki*g.DH, ow*g.SW-g.PW+kj*g.DW
						v := float32(0)
						if ih >= 0 && ih < g.H && iw >= 0 && iw < g.W {
							v = img[(c*g.H+ih)*g.W+iw]
						}
						col[row*ld+oh*g.OW+ow] = v
					}
				}
			}
		}
	}
}

// randomGeom returns a geometry with odd sizes, strides, dilations and
// paddings up to the kernel's extent (asymmetric ones too: the output
// size is drawn, not derived).
func randomGeom(rng *rand.Rand) ConvGeom {
	g := ConvGeom{C: 1 + rng.IntN(3), H: 1 + rng.IntN(9), W: 1 + rng.IntN(9), KH: 1 + rng.IntN(4), KW: 1 + rng.IntN(4),
		SH: 1 + rng.IntN(3), SW: 1 + rng.IntN(3), DH: 1 + rng.IntN(2), DW: 1 + rng.IntN(2)}
	g.PH, g.PW = rng.IntN(g.KH+1), rng.IntN(g.KW+1)
	g.OH, g.OW = 1+rng.IntN(8), 1+rng.IntN(8)
	return g
}

func TestIm2colMatchesDefinition(t *testing.T) {
	defer func() { rowsInGo = false }()
	for _, inGo := range []bool{false, true} { // the assembly rows (where the CPU has them), the Go loops
		rowsInGo = inGo
		testIm2col(t)
	}
}

func testIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 500; it++ {
		g := randomGeom(rng)
		if it%5 == 0 { // long rows: whole vectors and a partial one
			g.W, g.OW = 20+rng.IntN(60), 17+rng.IntN(40)
		}
		checkIm2col(t, rng, g)
	}
	// Phase planes of several channels at once, in groups of 2, 2, 2 and
	// 1; of one channel at a time; and arcade bench conv's geometries.
	grouped := ConvGeom{C: 7, H: 40, W: 40, KH: 5, KW: 5, SH: 2, SW: 2, DH: 1, DW: 1, PH: 1, PW: 2, OH: 19, OW: 19}
	require.Equal(t, 2, grouped.channelGroup())
	single := ConvGeom{C: 3, H: 60, W: 70, KH: 4, KW: 4, SH: 3, SW: 3, DH: 1, DW: 1, OH: 19, OW: 23}
	require.Equal(t, 1, single.channelGroup())
	checkIm2col(t, rng, grouped)
	checkIm2col(t, rng, single)
	for _, c := range convBenchGeoms {
		checkIm2col(t, rng, c.g)
	}
}

// checkIm2col compares Im2col and Col2im of g with their definitions, on
// random small integers (sums are exact).
func checkIm2col(t *testing.T, rng *rand.Rand, g ConvGeom) {
	nan := float32(math.Float32frombits(guardBits))
	name := fmt.Sprintf("%+v go %v", g, rowsInGo)
	img := make([]float32, g.C*g.H*g.W)
	for i := range img {
		img[i] = float32(rng.IntN(17) - 8) // small integers: sums are exact
	}
	ld := g.P() + rng.IntN(3)
	want := make([]float32, (g.K()-1)*ld+g.P())
	got := make([]float32, len(want))
	for i := range want {
		want[i], got[i] = nan, nan
	}
	naiveIm2col(&g, want, ld, img)
	phases := make([]float32, g.PhaseFloats())
	for i := range phases {
		phases[i] = nan // stale scratch must not leak into the patches
	}
	Im2col(&g, got, ld, img, phases)
	for i := range want {
		require.Equal(t, math.Float32bits(want[i]), math.Float32bits(got[i]), "%s: element %d (guards between rows stay)", name, i)
	}

	// Col2im is the adjoint: it adds each entry where Im2col took it.
	cols := make([]float32, len(want))
	for i := range cols {
		cols[i] = nan
		if i%ld < g.P() {
			cols[i] = float32(rng.IntN(9) - 4)
		}
	}
	base := make([]float32, len(img))
	for i := range base {
		base[i] = float32(rng.IntN(5))
	}
	wantImg := append([]float32(nil), base...)
	for c := 0; c < g.C; c++ {
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				row := (c*g.KH+ki)*g.KW + kj
				for oh := 0; oh < g.OH; oh++ {
					for ow := 0; ow < g.OW; ow++ {
						ih, iw := oh*g.SH-g.PH+ki*g.DH, ow*g.SW-g.PW+kj*g.DW
						if ih >= 0 && ih < g.H && iw >= 0 && iw < g.W {
							wantImg[(c*g.H+ih)*g.W+iw] += cols[row*ld+oh*g.OW+ow]
						}
					}
				}
			}
		}
	}
	Col2im(&g, base, cols, ld, phases)
	require.Equal(t, wantImg, base, name)
}

// TestRowsAsmMatchesGo compares the assembly row copies and additions
// (vector moves, permutes for steps 2 and 4, gathers and scatters) with
// the Go loops, element for element, guards around the rows included.
func TestRowsAsmMatchesGo(t *testing.T) {
	defer func() { rowsInGo = false }()
	rng := rand.New(rand.NewPCG(3, 4))
	nan := float32(math.Float32frombits(guardBits))
	for it := 0; it < 400; it++ {
		step := 1 + rng.IntN(5)
		b := blockShape{blocks: 1 + rng.IntN(3), rows: 1 + rng.IntN(4), n: 1 + rng.IntN(70)}
		wide := (b.n-1)*step + 1 // a row's span on the image's side
		b.dstStride, b.srcStride = b.n+rng.IntN(20), wide+rng.IntN(20)
		b.dstBlock, b.srcBlock = b.rows*b.dstStride+rng.IntN(9), b.rows*b.srcStride+rng.IntN(9)
		b.step = step
		name := fmt.Sprintf("%+v", b)
		// The rows' side and the image's side, each with guards after it.
		rowsN, imgN := (b.blocks-1)*b.dstBlock+(b.rows-1)*b.dstStride+b.n, (b.blocks-1)*b.srcBlock+(b.rows-1)*b.srcStride+wide
		img, rows := make([]float32, imgN+40), make([]float32, rowsN+40)
		for i := range img {
			img[i] = float32(rng.IntN(100))
		}
		for i := range rows {
			rows[i] = nan
		}
		want, got := append([]float32(nil), rows...), append([]float32(nil), rows...)
		rowsInGo = true
		copyRows(want, img[:imgN], &b)
		rowsInGo = false
		copyRows(got[:rowsN], img[:imgN], &b)
		for i := range want {
			require.Equal(t, math.Float32bits(want[i]), math.Float32bits(got[i]), "copyRows %s: element %d", name, i)
		}
		// addRows takes the rows' side as its source, the image as its
		// destination.
		a := blockShape{blocks: b.blocks, rows: b.rows, n: b.n, dstBlock: b.srcBlock, srcBlock: b.dstBlock,
			dstStride: b.srcStride, srcStride: b.dstStride, step: step}
		src := make([]float32, rowsN)
		for i := range src {
			src[i] = float32(rng.IntN(9) - 4)
		}
		wantImg, gotImg := append([]float32(nil), img...), append([]float32(nil), img...)
		rowsInGo = true
		addRows(wantImg, src, &a)
		rowsInGo = false
		addRows(gotImg[:imgN], src, &a)
		require.Equal(t, wantImg, gotImg, "addRows %+v", a)
	}
}

func TestIm2colChecksSizes(t *testing.T) {
	g := ConvGeom{C: 2, H: 5, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 3, OW: 3}
	img, col := make([]float32, 50), make([]float32, 18*9)
	require.NotPanics(t, func() { Im2col(&g, col, 9, img, nil) })
	require.PanicsWithValue(t, "kernels: an image of 49 floats for 2 x 5 x 5", func() { Im2col(&g, col, 9, img[:49], nil) })
	require.Panics(t, func() { Col2im(&g, img, col[:100], 9, nil) })
	require.Panics(t, func() { Im2col(&g, col, 8, img, nil) })
	bad := g
	bad.SH = 0
	require.Panics(t, func() { Im2col(&bad, col, 9, img, nil) })
	strided := ConvGeom{C: 1, H: 9, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, DH: 1, DW: 1, OH: 4, OW: 4}
	require.Equal(t, 2*9*5, strided.PhaseFloats())
	require.PanicsWithValue(t, "kernels: 10 floats of phase scratch, want 90", func() { Im2col(&strided, col, 16, make([]float32, 81), make([]float32, 10)) })
}

// convBenchGeoms are the convolutions of arcade bench conv's networks: the
// DQN Nature network's three, the small-grid network's, LeNet-5's two.
var convBenchGeoms = []struct {
	name string
	g    ConvGeom
}{
	{"nature1", ConvGeom{C: 4, H: 84, W: 84, KH: 8, KW: 8, SH: 4, SW: 4, DH: 1, DW: 1, OH: 20, OW: 20}},
	{"nature2", ConvGeom{C: 32, H: 20, W: 20, KH: 4, KW: 4, SH: 2, SW: 2, DH: 1, DW: 1, OH: 9, OW: 9}},
	{"nature3", ConvGeom{C: 64, H: 9, W: 9, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 7, OW: 7}},
	{"smallgrid", ConvGeom{C: 4, H: 10, W: 10, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 8, OW: 8}},
	{"lenet1", ConvGeom{C: 1, H: 28, W: 28, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1, OH: 28, OW: 28}},
	{"lenet2", ConvGeom{C: 6, H: 14, W: 14, KH: 5, KW: 5, SH: 1, SW: 1, DH: 1, DW: 1, OH: 10, OW: 10}},
}

// BenchmarkIm2col times the patches of one image and their way back, per
// convolution of arcade bench conv; the rate is of patch-matrix floats.
func BenchmarkIm2col(b *testing.B) {
	for _, c := range convBenchGeoms {
		g := c.g
		img, col, phases := make([]float32, g.C*g.H*g.W), make([]float32, g.K()*g.P()), make([]float32, g.PhaseFloats())
		b.Run(c.name+"/im2col", func(b *testing.B) {
			b.SetBytes(int64(4 * len(col)))
			for b.Loop() {
				Im2col(&g, col, g.P(), img, phases)
			}
		})
		b.Run(c.name+"/col2im", func(b *testing.B) {
			b.SetBytes(int64(4 * len(col)))
			for b.Loop() {
				Col2im(&g, img, col, g.P(), phases)
			}
		})
	}
}
