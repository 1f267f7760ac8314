package run

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arcadelab/arcade/viz/plot"
	"github.com/stretchr/testify/require"
)

type testConfig struct {
	LR    float64 `json:"lr"`
	Batch int     `json:"batch"`
}

func newRun(t *testing.T) (*Run, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dqn__cartpole__1__0")
	r, err := Create(dir, Meta{Experiment: "dqn", Subject: "cartpole", Seed: 1,
		Flags: map[string]string{"lr": "0.001"}}, testConfig{LR: 1e-3, Batch: 32}, nil)
	require.NoError(t, err)
	return r, dir
}

func TestCreateWritesConfigLogAndMetrics(t *testing.T) {
	r, dir := newRun(t)
	r.Metric(10, "charts/episodic_return", 21.5)
	r.Metric(20, "losses/td_loss", 0.125)
	r.Logf("hello %d", 7)
	require.NoError(t, r.Close())

	var cfg testConfig
	meta, err := LoadConfig(dir, "dqn", &cfg)
	require.NoError(t, err)
	require.Equal(t, testConfig{LR: 1e-3, Batch: 32}, cfg)
	require.Equal(t, "cartpole", meta.Subject)
	require.Equal(t, Version, meta.Version)
	require.Equal(t, "0.001", meta.Flags["lr"])

	rows, err := ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, Row{Step: 20, Wall: rows[1].Wall, Key: "losses/td_loss", Value: 0.125}, rows[1])
	raw, err := os.ReadFile(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(raw), "step,wall_s,key,value\n10,"))

	log, err := os.ReadFile(filepath.Join(dir, "log.txt"))
	require.NoError(t, err)
	require.Contains(t, string(log), "hello 7")

	_, err = Create(dir, Meta{Experiment: "dqn"}, nil, nil)
	require.ErrorContains(t, err, "already holds a run")
}

func TestLoadConfigRefusesOtherRuns(t *testing.T) {
	r, dir := newRun(t)
	require.NoError(t, r.Close())
	var cfg testConfig
	_, err := LoadConfig(dir, "vae", &cfg)
	require.EqualError(t, err, dir+" is a dqn run, not a vae run")

	_, err = LoadConfig(t.TempDir(), "dqn", &cfg)
	require.ErrorContains(t, err, "is not a run directory (no config.json)")

	path := filepath.Join(dir, "config.json")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, bytes.Replace(raw, []byte(`"`+Version+`"`), []byte(`"9.0.0"`), 1), 0o644))
	_, err = LoadConfig(dir, "dqn", &cfg)
	require.ErrorContains(t, err, `written by arcade "9.0.0"`)
}

func TestOpenDropsMetricsAfterTheCheckpoint(t *testing.T) {
	r, dir := newRun(t)
	for step := int64(1); step <= 5; step++ {
		r.Metric(step*100, "charts/episodic_return", float64(step))
	}
	require.NoError(t, r.Close())

	r, err := Open(dir, 300, 12.5, nil)
	require.NoError(t, err)
	require.GreaterOrEqual(t, r.Elapsed(), 12.5)
	r.Metric(400, "charts/episodic_return", 40)
	require.NoError(t, r.Close())

	rows, err := ReadMetrics(filepath.Join(dir, "metrics.csv"))
	require.NoError(t, err)
	var steps []int64
	var values []float64
	for _, row := range rows {
		steps, values = append(steps, row.Step), append(values, row.Value)
	}
	require.Equal(t, []int64{100, 200, 300, 400}, steps)
	require.Equal(t, []float64{1, 2, 3, 40}, values)
	require.GreaterOrEqual(t, rows[3].Wall, 12.5, "wall time continues")
}

func TestReadMetricsErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ text, err string }{
		{"", "empty file"},
		{"a,b\n", `m.csv:1: header is "a,b"`},
		{"step,wall_s,key,value\n1,0.5,k,2\nx,0,k,1\n", `m.csv:3: step "x" is not an integer`},
		{"step,wall_s,key,value\n1,0.5,k\n", "m.csv:2: 3 fields, want 4"},
		{"step,wall_s,key,value\n1,0.5,k,nope\n", `m.csv:2: value "nope" is not a number`},
	} {
		_, err := parseMetrics(strings.NewReader(tc.text), "m.csv")
		require.ErrorContains(t, err, tc.err)
	}
}

func FuzzParseMetrics(f *testing.F) {
	f.Add([]byte("step,wall_s,key,value\n1,0.5,charts/x,2\n"))
	f.Add([]byte("step,wall_s,key,value\n1,0.5,k\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseMetrics(bytes.NewReader(data), "fuzz")
		if err == nil {
			for _, r := range rows {
				require.NotEmpty(t, r.Key)
			}
		}
	})
}

func TestPlotCurvesOfOneAndSeveralRuns(t *testing.T) {
	var dirs []string
	for seed := uint64(1); seed <= 3; seed++ {
		dir := filepath.Join(t.TempDir(), "run")
		r, err := Create(dir, Meta{Experiment: "dqn", Subject: "catch", Seed: seed}, nil, nil)
		require.NoError(t, err)
		for step := int64(0); step < 50; step++ {
			r.Metric(step*10, "charts/episodic_return", float64(step)+float64(seed))
			r.Metric(step*10, "losses/td_loss", 1/float64(step+1))
		}
		require.NoError(t, r.Close())
		dirs = append(dirs, dir)
	}
	for _, set := range [][]string{dirs[:1], dirs} {
		out := filepath.Join(t.TempDir(), "curves.png")
		require.NoError(t, PlotCurves(set, out))
		f, err := os.Open(out)
		require.NoError(t, err)
		im, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		require.Equal(t, 2*560, im.Bounds().Dx(), "two panels side by side")
	}
	empty := filepath.Join(t.TempDir(), "empty")
	r, err := Create(empty, Meta{Experiment: "dqn"}, nil, nil)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.ErrorContains(t, PlotCurves([]string{empty}, filepath.Join(empty, "c.png")), "no metrics logged yet")
}

func TestCurvePanelsSmoothOnlyDenseNoisySeries(t *testing.T) {
	line := func(n int) plot.Line {
		l := plot.Line{X: make([]float64, n), Y: make([]float64, n)}
		for i := range n {
			l.X[i], l.Y[i] = float64(i), float64(i%3)
		}
		return l
	}
	byKey := map[string][]plot.Line{
		"losses/td_loss":       {line(smoothMinPoints)},
		"val/loss":             {line(12), line(15)},
		"charts/epsilon":       {line(500)},
		"charts/learning_rate": {line(500)},
		"eval/mean_return":     {line(smoothMinPoints - 1), line(smoothMinPoints)},
	}
	panels := curvePanels(byKey, []string{"losses/td_loss", "val/loss", "charts/epsilon", "charts/learning_rate", "eval/mean_return", "absent"})
	require.Len(t, panels, 5, "a key without data gets no panel")
	noSmooth := map[string]bool{}
	for _, p := range panels {
		noSmooth[p.Title] = p.NoSmooth
	}
	require.Equal(t, map[string]bool{
		"losses/td_loss":       false,
		"val/loss":             true,
		"charts/epsilon":       true,
		"charts/learning_rate": true,
		"eval/mean_return":     false, // one of its runs is dense enough
	}, noSmooth)
}

func TestProgressPlainLinesEveryFivePercent(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, "train", 100, false)
	for i := int64(1); i <= 100; i++ {
		p.Set(i, "loss 0.5")
	}
	p.Finish(100)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 20, "19 lines at 5%..95% and one at the end")
	require.True(t, strings.HasPrefix(lines[0], "train 5/100 (5%)"), lines[0])
	require.Contains(t, lines[19], "train 100/100 (100%)")
	require.Contains(t, lines[19], "loss 0.5")

	buf.Reset()
	q := NewProgress(&buf, "train", 100, true)
	q.Set(50, "")
	q.Finish(100)
	require.Empty(t, buf.String(), "quiet prints nothing")
}

func TestWithInterruptCancelsOnSIGTERM(t *testing.T) {
	ctx, cancel := WithInterrupt(context.Background())
	defer cancel()
	require.False(t, Interrupted(ctx))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	require.True(t, Interrupted(ctx))
}

func TestDefaultDirName(t *testing.T) {
	root := t.TempDir()
	now := time.Unix(1700000000, 0)
	dir := DefaultDir(root, "dqn", "cartpole", 3, now)
	require.Equal(t, filepath.Join(root, "dqn__cartpole__3__1700000000"), dir)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.Equal(t, dir+"-2", DefaultDir(root, "dqn", "cartpole", 3, now))
}
