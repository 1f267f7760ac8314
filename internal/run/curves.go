package run

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/viz/plot"
)

// PlotCurves draws the learning curves of one or more run directories into
// a PNG at out: one panel per metric key, x the step. One run is drawn raw
// and smoothed; several runs of the same key are drawn as their mean with a
// min-max band. Sparse series (per-epoch validation figures) and schedules
// are drawn unsmoothed. Keys listed in only (if any) are drawn, in that order.
func PlotCurves(dirs []string, out string, only ...string) error {
	if len(dirs) == 0 {
		return fmt.Errorf("no run directories to plot")
	}
	byKey := map[string][]plot.Line{}
	for _, dir := range dirs {
		rows, err := ReadMetrics(filepath.Join(dir, "metrics.csv"))
		if err != nil {
			return err
		}
		lines := map[string]*plot.Line{}
		for _, r := range rows {
			l := lines[r.Key]
			if l == nil {
				l = &plot.Line{}
				lines[r.Key] = l
			}
			l.X = append(l.X, float64(r.Step))
			l.Y = append(l.Y, r.Value)
		}
		for k, l := range lines {
			sortLine(l)
			byKey[k] = append(byKey[k], *l)
		}
	}
	keys := only
	if len(keys) == 0 {
		keys = sortedKeys(byKey)
	}
	panels := curvePanels(byKey, keys)
	if len(panels) == 0 {
		return fmt.Errorf("%s: no metrics logged yet", strings.Join(dirs, ", "))
	}
	return atomicfile.WriteFunc(out, func(w io.Writer) error {
		return plot.Curves(w, panels, plot.Options{})
	})
}

// smoothMinPoints is the fewest points a run of a noisy series needs to be
// smoothed: an exponential moving average over a dozen per-epoch
// validation losses lags them by epochs and hides the figure people read.
const smoothMinPoints = 50

// curvePanels makes one panel per key that has data, in keys' order.
// Sparse series (every run under smoothMinPoints points) and schedules
// (learning rate, epsilon: functions of the step, not noisy measurements)
// are drawn as they are; the rest raw and smoothed.
func curvePanels(byKey map[string][]plot.Line, keys []string) []plot.Panel {
	var panels []plot.Panel
	for _, k := range keys {
		runs := byKey[k]
		if len(runs) == 0 {
			continue
		}
		name := k[strings.LastIndex(k, "/")+1:]
		sparse := true
		for _, r := range runs {
			if len(r.X) >= smoothMinPoints {
				sparse = false
			}
		}
		schedule := name == "learning_rate" || name == "lr" || name == "epsilon"
		panels = append(panels, plot.Panel{Title: k, XLabel: "step", YLabel: name,
			NoSmooth: sparse || schedule,
			Series:   []plot.Series{{Name: name, Runs: runs}}})
	}
	return panels
}

// sortedKeys orders metric keys with charts/ and eval/ first, then the
// rest alphabetically, so the figure opens on what people look at most.
func sortedKeys(m map[string][]plot.Line) []string {
	rank := func(k string) int {
		switch {
		case strings.HasPrefix(k, "charts/"):
			return 0
		case strings.HasPrefix(k, "eval/"), strings.HasPrefix(k, "val/"), strings.HasPrefix(k, "test/"):
			return 1
		case strings.HasPrefix(k, "losses/"):
			return 2
		}
		return 3
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// sortLine orders a line by step, keeping the later value of a repeated step.
func sortLine(l *plot.Line) {
	idx := make([]int, len(l.X))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return l.X[idx[a]] < l.X[idx[b]] })
	x, y := make([]float64, 0, len(idx)), make([]float64, 0, len(idx))
	for _, i := range idx {
		if n := len(x); n > 0 && x[n-1] == l.X[i] {
			y[n-1] = l.Y[i]
			continue
		}
		x, y = append(x, l.X[i]), append(y, l.Y[i])
	}
	l.X, l.Y = x, y
}
