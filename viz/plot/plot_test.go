package plot

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestSmoothIsDebiased(t *testing.T) {
	// A constant signal stays constant from the first point on.
	require.InDeltaSlice(t, []float64{3, 3, 3}, Smooth([]float64{3, 3, 3}, 0.9), 1e-12)
	// By hand with w = 0.5: acc 0.5, 0.5*0.5+0.5*3 = 1.75; debiased 0.5/0.5 = 1, 1.75/0.75.
	got := Smooth([]float64{1, 3}, 0.5)
	require.InDelta(t, 1.0, got[0], 1e-12)
	require.InDelta(t, 1.75/0.75, got[1], 1e-12)
	// NaN is carried over and does not poison later values.
	got = Smooth([]float64{1, math.NaN(), 1}, 0.5)
	require.True(t, math.IsNaN(got[1]))
	require.InDelta(t, 1.0, got[2], 1e-12)
}

func TestBandOverTheCommonRange(t *testing.T) {
	a := Line{X: []float64{0, 10}, Y: []float64{0, 10}}
	b := Line{X: []float64{5, 20}, Y: []float64{1, 1}}
	mean, lo, hi := Band([]Line{a, b}, 3) // x = 5, 7.5, 10
	require.Equal(t, []float64{5, 7.5, 10}, mean.X)
	require.InDeltaSlice(t, []float64{3, 4.25, 5.5}, mean.Y, 1e-12)
	require.InDeltaSlice(t, []float64{1, 1, 1}, lo.Y, 1e-12)
	require.InDeltaSlice(t, []float64{5, 7.5, 10}, hi.Y, 1e-12)
	none, _, _ := Band([]Line{{X: []float64{0, 1}, Y: []float64{0, 0}}, {X: []float64{2, 3}, Y: []float64{0, 0}}}, 10)
	require.Empty(t, none.X, "disjoint runs share no range")
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	im, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return im
}

// inked counts pixels that are not white.
func inked(im image.Image) int {
	n := 0
	b := im.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := im.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n
}

func TestCurvesDrawsAGridOfPanels(t *testing.T) {
	run := func(shift float64) Line {
		l := Line{}
		for i := 0; i < 50; i++ {
			l.X = append(l.X, float64(i*100))
			l.Y = append(l.Y, math.Sin(float64(i)/5)+shift)
		}
		return l
	}
	panels := []Panel{
		{Title: "charts/episodic_return", XLabel: "step", Series: []Series{{Name: "return", Runs: []Line{run(0)}}}},
		{Title: "losses/td_loss", XLabel: "step", Series: []Series{{Name: "loss", Runs: []Line{run(0), run(1), run(2)}}}},
		{Title: "function", NoSmooth: true, Series: []Series{{Name: "f", Runs: []Line{run(0)}}}},
	}
	var buf bytes.Buffer
	require.NoError(t, Curves(&buf, panels, Options{Width: 300, Height: 200}))
	im := decodePNG(t, buf.Bytes())
	require.Equal(t, image.Rect(0, 0, 600, 400), im.Bounds(), "two columns, two rows")
	require.Greater(t, inked(im), 5000, "lines, axes and labels are drawn")

	require.ErrorContains(t, Curves(&buf, nil, Options{}), "no curves")
	bad := []Panel{{Title: "bad", Series: []Series{{Name: "s", Runs: []Line{{X: []float64{1}, Y: nil}}}}}}
	require.ErrorContains(t, Curves(&buf, bad, Options{}), `panel "bad": series "s": 1 x values but 0 y values`)
}

func TestHeatmapAndScatter(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Heatmap(&buf, []float64{0, 1, 0.5, 0.2, 0.9, 0.1}, 2, 3,
		[]string{"1", "9"}, []string{"m", "a", "r"}, "attention"))
	require.Greater(t, inked(decodePNG(t, buf.Bytes())), 1000)
	require.Error(t, Heatmap(&buf, []float64{1}, 2, 3, nil, nil, ""))
	require.Error(t, Heatmap(&buf, make([]float64, 6), 2, 3, []string{"x"}, nil, ""))

	buf.Reset()
	require.NoError(t, Scatter(&buf, []float64{0, 1}, []float64{1, 0}, []string{"king", "queen"}, "t-SNE"))
	require.Greater(t, inked(decodePNG(t, buf.Bytes())), 500)
	require.Error(t, Scatter(&buf, []float64{0}, []float64{1, 0}, []string{"a"}, ""))
}

func TestFlatRangesArePadded(t *testing.T) {
	for _, tc := range []struct{ lo, hi, wantLo, wantHi float64 }{
		{2500 - 1e-10, 2500 + 1e-10, 2375 - 1e-10, 2625 + 1e-10}, // 5% each way
		{0, 0, -1, 1},         // around zero: 1 each way
		{0.3, 0.3, -0.7, 1.3}, // small values: at least 1
		{0, 50, 0, 50},        // a real range is kept
	} {
		lo, hi := tc.lo, tc.hi
		padFlatRange(&lo, &hi)
		require.InDelta(t, tc.wantLo, lo, 1e-9)
		require.InDelta(t, tc.wantHi, hi, 1e-9)
	}
}

// Several runs of an unsmoothed panel are drawn as one mean line and a
// band, with one legend entry, not as one entry per run.
func TestUnsmoothedRunsShareOneLegendEntry(t *testing.T) {
	runs := []Line{{X: []float64{0, 1, 2}, Y: []float64{1, 2, 3}}, {X: []float64{0, 1, 2}, Y: []float64{3, 4, 5}}}
	legendHeight := func(runs []Line) vg.Length {
		p, err := drawPanel(Panel{Title: "eval", NoSmooth: true, Series: []Series{{Name: "mean_return", Runs: runs}}}, 0.9)
		require.NoError(t, err)
		require.Equal(t, 1.0, p.Y.Min)
		require.Equal(t, float64(len(runs)*2+1), p.Y.Max)
		c := draw.New(vgimg.New(300, 200))
		return p.Legend.Rectangle(c).Size().Y
	}
	require.Equal(t, legendHeight(runs[:1]), legendHeight(runs))
}

// Runs that share no x range (one evaluation each, at different steps)
// cannot be averaged; they are drawn each on its own, not refused.
func TestRunsWithoutACommonRangeAreDrawnApart(t *testing.T) {
	runs := []Line{{X: []float64{10}, Y: []float64{1}}, {X: []float64{20}, Y: []float64{3}}}
	for _, noSmooth := range []bool{true, false} {
		p, err := drawPanel(Panel{Title: "eval", NoSmooth: noSmooth, Series: []Series{{Name: "mean_return", Runs: runs}}}, 0.9)
		require.NoError(t, err)
		require.Equal(t, 10.0, p.X.Min)
		require.Equal(t, 20.0, p.X.Max)
	}
}
