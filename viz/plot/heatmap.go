package plot

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// matrix adapts a row-major matrix to gonum's GridXYZ, row 0 drawn at the top.
type matrix struct {
	rows, cols int
	v          []float64
}

func (m matrix) Dims() (c, r int)   { return m.cols, m.rows }
func (m matrix) Z(c, r int) float64 { return m.v[(m.rows-1-r)*m.cols+c] }
func (m matrix) X(c int) float64    { return float64(c) }
func (m matrix) Y(r int) float64    { return float64(r) }

// Heatmap writes a labelled heatmap of a rows x cols matrix (row-major) as
// PNG: rowLabels down the left, top to bottom, and colLabels along the
// bottom. Empty label slices leave the axis numbered. It suits attention
// maps (output tokens by input tokens) and confusion matrices.
func Heatmap(w io.Writer, values []float64, rows, cols int, rowLabels, colLabels []string, title string) error {
	if len(values) != rows*cols || rows == 0 || cols == 0 {
		return fmt.Errorf("plot: heatmap has %d values for %d x %d", len(values), rows, cols)
	}
	if len(rowLabels) != 0 && len(rowLabels) != rows || len(colLabels) != 0 && len(colLabels) != cols {
		return fmt.Errorf("plot: heatmap has %d row and %d column labels for %d x %d", len(rowLabels), len(colLabels), rows, cols)
	}
	p := plot.New()
	p.Title.Text = title
	p.Add(plotter.NewHeatMap(matrix{rows, cols, values}, moreland.ExtendedBlackBody().Palette(255)))
	if len(colLabels) > 0 {
		ticks := make([]plot.Tick, cols)
		for c := range ticks {
			ticks[c] = plot.Tick{Value: float64(c), Label: colLabels[c]}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	if len(rowLabels) > 0 {
		ticks := make([]plot.Tick, rows)
		for r := range ticks {
			ticks[r] = plot.Tick{Value: float64(rows - 1 - r), Label: rowLabels[r]}
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	}
	cell := 28
	return writeGrid(w, [][]*plot.Plot{{p}}, max(240, cols*cell+120), max(200, rows*cell+100))
}

// Scatter writes points (x, y) with a text label beside each as PNG, for
// embeddings projected to two dimensions.
func Scatter(w io.Writer, x, y []float64, labels []string, title string) error {
	if len(x) != len(y) || len(x) != len(labels) {
		return fmt.Errorf("plot: scatter has %d x, %d y and %d labels", len(x), len(y), len(labels))
	}
	xys := make(plotter.XYs, len(x))
	for i := range x {
		xys[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	p := plot.New()
	p.Title.Text = title
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return fmt.Errorf("plot: scatter: %w", err)
	}
	sc.Color = seriesColor(0, 255)
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return fmt.Errorf("plot: scatter labels: %w", err)
	}
	p.Add(sc, lb)
	return writeGrid(w, [][]*plot.Plot{{p}}, 720, 560)
}
