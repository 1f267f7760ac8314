package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Line is one run's curve: Y[i] measured at X[i], X ascending.
type Line struct {
	X, Y []float64
}

// Series is one named quantity. With one run it is drawn raw (faint) and
// smoothed; with several, as the mean of the smoothed runs over their common
// x range with a band from the lowest to the highest run.
type Series struct {
	Name string
	Runs []Line
}

// Panel is one chart of a figure.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	// NoSmooth draws the curves as they are (for functions, not noisy
	// training signals); several runs still as their mean and band.
	NoSmooth bool
}

// Options size a figure. Zero values pick the defaults.
type Options struct {
	Cols          int     // panels per row; default min(len(panels), 2)
	Width, Height int     // pixels per panel; default 560 x 360
	Smoothing     float64 // exponential-moving-average weight in [0, 1); default 0.9
}

func (o Options) withDefaults(panels int) Options {
	if o.Cols <= 0 {
		o.Cols = min(panels, 2)
	}
	if o.Width <= 0 {
		o.Width = 560
	}
	if o.Height <= 0 {
		o.Height = 360
	}
	if o.Smoothing <= 0 || o.Smoothing >= 1 {
		o.Smoothing = 0.9
	}
	return o
}

// palette is matplotlib's tab10.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
	{188, 189, 34, 255}, {23, 190, 207, 255},
}

// seriesColor returns the i-th colour of the palette with alpha a.
func seriesColor(i int, a uint8) color.NRGBA {
	c := palette[i%len(palette)]
	return color.NRGBA{c.R, c.G, c.B, a}
}

// Curves draws panels in a grid and writes the figure as PNG to w.
func Curves(w io.Writer, panels []Panel, opts Options) error {
	if len(panels) == 0 {
		return fmt.Errorf("plot: no curves to draw")
	}
	opts = opts.withDefaults(len(panels))
	rows := (len(panels) + opts.Cols - 1) / opts.Cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, opts.Cols)
	}
	for i, pn := range panels {
		p, err := drawPanel(pn, opts.Smoothing)
		if err != nil {
			return fmt.Errorf("plot: panel %q: %w", pn.Title, err)
		}
		grid[i/opts.Cols][i%opts.Cols] = p
	}
	return writeGrid(w, grid, opts.Width, opts.Height)
}

// writeGrid renders a grid of plots (nil cells stay blank) as one PNG.
func writeGrid(w io.Writer, grid [][]*plot.Plot, width, height int) error {
	rows, cols := len(grid), len(grid[0])
	const dpi = 96
	px := func(n int) vg.Length { return vg.Length(n) * vg.Inch / dpi }
	canvas := vgimg.NewWith(vgimg.UseWH(px(cols*width), px(rows*height)), vgimg.UseDPI(dpi),
		vgimg.UseBackgroundColor(color.White))
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 3, PadY: vg.Millimeter * 3,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	for r := range grid {
		for c := range grid[r] {
			if p := grid[r][c]; p != nil {
				p.Draw(tiles.At(dc, c, r))
			}
		}
	}
	_, err := vgimg.PngCanvas{Canvas: canvas}.WriteTo(w)
	return err
}

func drawPanel(pn Panel, smoothing float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	for i, s := range pn.Series {
		if err := addSeries(p, i, s, pn.NoSmooth, smoothing); err != nil {
			return nil, fmt.Errorf("series %q: %w", s.Name, err)
		}
	}
	padFlatRange(&p.Y.Min, &p.Y.Max)
	return p, nil
}

// padFlatRange widens an axis range that is flat to within rounding (a
// constant series, such as episode lengths all at the time limit) by 5%
// of its value each way, or by 1 around zero, so that its ticks read as
// distinct numbers instead of one value repeated.
func padFlatRange(lo, hi *float64) {
	size := math.Max(math.Abs(*lo), math.Abs(*hi))
	if *hi-*lo > 1e-9*math.Max(size, 1) {
		return
	}
	pad := math.Max(0.05*size, 1)
	*lo, *hi = *lo-pad, *hi+pad
}

func addSeries(p *plot.Plot, i int, s Series, noSmooth bool, smoothing float64) error {
	runs := make([]Line, 0, len(s.Runs))
	for _, r := range s.Runs {
		if len(r.X) != len(r.Y) {
			return fmt.Errorf("%d x values but %d y values", len(r.X), len(r.Y))
		}
		if len(r.X) > 0 {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return nil
	}
	if len(runs) == 1 {
		if noSmooth {
			return addLine(p, runs[0], seriesColor(i, 255), 1.5, s.Name)
		}
		if err := addLine(p, runs[0], seriesColor(i, 70), 1, ""); err != nil {
			return err
		}
		return addLine(p, Line{runs[0].X, Smooth(runs[0].Y, smoothing)}, seriesColor(i, 255), 1.5, s.Name)
	}
	curves := runs
	if !noSmooth {
		curves = make([]Line, len(runs))
		for k, r := range runs {
			curves[k] = Line{r.X, Smooth(r.Y, smoothing)}
		}
	}
	mean, lo, hi := Band(curves, 200)
	if len(mean.X) == 0 { // no common x range to average over: each run on its own
		for k, c := range curves {
			legend := ""
			if k == 0 {
				legend = fmt.Sprintf("%s (%d runs)", s.Name, len(curves))
			}
			if err := addLine(p, c, seriesColor(i, 255), 1.5, legend); err != nil {
				return err
			}
		}
		return nil
	}
	band := make(plotter.XYs, 0, 2*len(lo.X))
	for k := range lo.X {
		band = append(band, plotter.XY{X: lo.X[k], Y: lo.Y[k]})
	}
	for k := len(hi.X) - 1; k >= 0; k-- {
		band = append(band, plotter.XY{X: hi.X[k], Y: hi.Y[k]})
	}
	poly, err := plotter.NewPolygon(band)
	if err != nil {
		return err
	}
	poly.Color = seriesColor(i, 60)
	poly.LineStyle.Width = 0
	p.Add(poly)
	return addLine(p, mean, seriesColor(i, 255), 1.5, fmt.Sprintf("%s (mean of %d)", s.Name, len(runs)))
}

func addLine(p *plot.Plot, r Line, c color.Color, width vg.Length, legend string) error {
	xys := make(plotter.XYs, len(r.X))
	for k := range r.X {
		xys[k] = plotter.XY{X: r.X[k], Y: r.Y[k]}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = width
	p.Add(l)
	if legend != "" {
		p.Legend.Add(legend, l)
	}
	return nil
}

// Smooth is TensorBoard's debiased exponential moving average: with weight
// w, s_t = w*s_{t-1} + (1-w)*y_t, divided by 1 - w^t so that the first
// values are not pulled towards zero. Non-finite values are carried over
// without entering the average.
func Smooth(y []float64, w float64) []float64 {
	out := make([]float64, len(y))
	acc, n := 0.0, 0
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[i] = v
			continue
		}
		n++
		acc = w*acc + (1-w)*v
		out[i] = acc / (1 - math.Pow(w, float64(n)))
	}
	return out
}

// Band resamples runs at points evenly spaced over the x range they all
// cover and returns their mean, minimum and maximum there. Each run is
// linearly interpolated between its own samples.
func Band(runs []Line, points int) (mean, lo, hi Line) {
	x0, x1 := math.Inf(-1), math.Inf(1)
	for _, r := range runs {
		x0, x1 = math.Max(x0, r.X[0]), math.Min(x1, r.X[len(r.X)-1])
	}
	if !(x1 >= x0) {
		return
	}
	if x1 == x0 {
		points = 1
	}
	for k := 0; k < points; k++ {
		x := x0
		if points > 1 {
			x = x0 + (x1-x0)*float64(k)/float64(points-1)
		}
		sum, mn, mx := 0.0, math.Inf(1), math.Inf(-1)
		for _, r := range runs {
			v := interpolate(r, x)
			sum += v
			mn, mx = math.Min(mn, v), math.Max(mx, v)
		}
		mean.X, mean.Y = append(mean.X, x), append(mean.Y, sum/float64(len(runs)))
		lo.X, lo.Y = append(lo.X, x), append(lo.Y, mn)
		hi.X, hi.Y = append(hi.X, x), append(hi.Y, mx)
	}
	return
}

// interpolate returns r's value at x, which must lie within r's x range.
func interpolate(r Line, x float64) float64 {
	j := sort.SearchFloat64s(r.X, x) // first index with X[j] >= x
	if j < len(r.X) && r.X[j] == x || j == 0 {
		return r.Y[min(j, len(r.Y)-1)]
	}
	if j == len(r.X) {
		return r.Y[len(r.Y)-1]
	}
	t := (x - r.X[j-1]) / (r.X[j] - r.X[j-1])
	return r.Y[j-1] + t*(r.Y[j]-r.Y[j-1])
}
