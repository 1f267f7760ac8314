package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/arcadelab/arcade/internal/par"
)

// benchRow is one measurement, with DESIGN.md's --json keys.
type benchRow struct {
	Name               string   `json:"name"`
	Threads            int      `json:"threads"`
	MS                 float64  `json:"ms"`
	GFLOPS             *float64 `json:"gflops"`        // null where no FLOPs are counted
	PeakFraction       *float64 `json:"peak_fraction"` // of the FMA peak of Threads cores
	Peer               string   `json:"peer"`
	PeerMS             *float64 `json:"peer_ms"` // null when the peer could not run
	SpeedupVsPeer      *float64 `json:"speedup_vs_peer"`
	StepsPerSecond     *float64 `json:"steps_per_second,omitempty"`
	BytesPerTransition *float64 `json:"bytes_per_transition,omitempty"`
	Skipped            string   `json:"skipped,omitempty"` // why the peer did not run
}

// benchSuite is one argument of arcade bench.
type benchSuite struct {
	name    string
	summary string
	run     func(b *bencher) ([]benchRow, error) // nil while not built yet
}

// benchSuites lists arcade bench's suites; "all" runs every built one.
var benchSuites = []benchSuite{
	{"gemm", "SGEMM GFLOP/s against OpenBLAS (numpy)", benchGemm},
	{"conv", "DQN, small-grid and LeNet networks forward and backward against PyTorch", benchConv},
	{"envs", "env steps per second, alone and through the vector env", benchEnvs},
	{"replay", "replay memory: bytes per transition and sampling time", benchReplay},
	{"rnn", "LSTM forward and backward against PyTorch", benchRNN},
}

// bencher is what a suite gets: the thread counts to measure and a way to
// run its peer.
type bencher struct {
	*cli
	threads []int // thread counts to measure: --threads, or 1 and 2
	quiet   bool
}

func cmdBench(c *cli, args []string) error {
	var co common
	fs := c.flagSet("[gemm|conv|envs|replay|rnn|all] [flags]", &co, flagThreads|flagJSON|flagQuiet)
	noPeer := fs.Bool("no-peer", false, "skip the peers (PyTorch, OpenBLAS)")
	var b strings.Builder
	b.WriteString("Suites:\n")
	for _, s := range benchSuites {
		fmt.Fprintf(&b, "  %-7s %s\n", s.name, s.summary)
	}
	b.WriteString("\nWithout --threads each suite is measured at 1 and 2 threads. Peers run\n" +
		"through Debian's /usr/bin/python3 (python3-torch, python3-numpy).\n")
	c.extraHelp = b.String()
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"all"}
	}
	var suites []benchSuite
	for _, n := range names {
		found := false
		for _, s := range benchSuites {
			if n == s.name || n == "all" && s.run != nil {
				suites, found = append(suites, s), true
			}
		}
		if !found && n != "all" {
			return c.badInput("unknown suite %q; one of gemm, conv, envs, replay, rnn, all", n)
		}
	}
	bn := &bencher{cli: c, quiet: co.Quiet, threads: []int{1, 2}}
	if co.Threads > 0 {
		bn.threads = []int{co.Threads}
	}
	if *noPeer {
		peerDisabled = "--no-peer"
		defer func() { peerDisabled = "" }()
	}
	var rows []benchRow
	for _, s := range suites {
		if s.run == nil {
			return &usageError{msg: "bench " + s.name + ": not built yet in this version of arcade", hint: "arcade bench --help"}
		}
		r, err := s.run(bn)
		if err != nil {
			return fmt.Errorf("bench %s: %w", s.name, err)
		}
		rows = append(rows, r...)
	}
	par.SetThreads(co.Threads)
	if co.JSON {
		data, err := json.Marshal(struct {
			Rows []benchRow `json:"rows"`
		}{rows})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.stdout, "%s\n", data)
		return err
	}
	printBenchTable(c, rows)
	return nil
}

func printBenchTable(c *cli, rows []benchRow) {
	f := func(p *float64, format string) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf(format, *p)
	}
	fmt.Fprintf(c.stdout, "%-28s %7s %10s %8s %6s %-14s %10s %8s\n", "name", "threads", "ms", "GFLOP/s", "peak", "peer", "peer ms", "speedup")
	for _, r := range rows {
		extra := ""
		if r.StepsPerSecond != nil {
			extra = fmt.Sprintf("  %.0f steps/s", *r.StepsPerSecond)
		}
		if r.BytesPerTransition != nil {
			extra += fmt.Sprintf("  %.0f bytes/transition", *r.BytesPerTransition)
		}
		if r.Skipped != "" {
			extra += "  peer skipped: " + r.Skipped
		}
		fmt.Fprintf(c.stdout, "%-28s %7d %10.3f %8s %6s %-14s %10s %8s%s\n", r.Name, r.Threads, r.MS,
			f(r.GFLOPS, "%.1f"), pct(r.PeakFraction), r.Peer, f(r.PeerMS, "%.3f"), f(r.SpeedupVsPeer, "%.2fx"), extra)
	}
}

// pct formats a nullable fraction as a percentage.
func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100**p)
}

// ptr returns a pointer to v, for the nullable fields of benchRow.
func ptr(v float64) *float64 { return &v }

// withFLOPs fills the FLOP-derived fields of r from flops per call, given
// the FMA peak of one core in GFLOP/s (0: unknown).
func (r *benchRow) withFLOPs(flops, peakPerCore float64) {
	g := flops / (r.MS * 1e6)
	r.GFLOPS = ptr(g)
	if peakPerCore > 0 {
		r.PeakFraction = ptr(g / (peakPerCore * float64(r.Threads)))
	}
}

// withPeer fills the peer fields of r from the peer's time or the reason
// it could not run.
func (r *benchRow) withPeer(peer string, peerMS float64, err error) {
	r.Peer = peer
	if err != nil {
		r.Skipped = oneLine(err.Error())
		return
	}
	r.PeerMS = ptr(peerMS)
	r.SpeedupVsPeer = ptr(peerMS / r.MS)
}

// timeMS returns the median wall time of fn in milliseconds over at least
// runs calls and at least 0.2 s, after one warm-up call.
func timeMS(runs int, fn func()) float64 {
	fn()
	var times []float64
	start := time.Now()
	for len(times) < runs || time.Since(start) < 200*time.Millisecond && len(times) < 1000 {
		t0 := time.Now()
		fn()
		times = append(times, float64(time.Since(t0).Nanoseconds())/1e6)
	}
	sort.Float64s(times)
	return times[len(times)/2]
}

//go:embed peers/*.py
var peerScripts embed.FS

// peerDisabled, when set, is the reason every peer is skipped.
var peerDisabled string

// peerPython is Debian's interpreter with python3-torch and python3-numpy;
// the first python3 on PATH may be another one.
const peerPython = "/usr/bin/python3"

// runPeer runs peers/<script> with args through Debian's Python on the
// given number of threads and decodes the JSON object it prints. The
// OpenBLAS variables that force a slow kernel on AVX-512 machines are unset
// for the peer only.
func runPeer(script string, threads int, args []string, out any) error {
	if peerDisabled != "" {
		return fmt.Errorf("%s", peerDisabled)
	}
	if runtime.GOOS != "linux" {
		return fmt.Errorf("peers run on Linux only")
	}
	if _, err := os.Stat(peerPython); err != nil {
		return fmt.Errorf("%s not found (apt-get install python3-torch python3-numpy libopenblas0-pthread)", peerPython)
	}
	src, err := peerScripts.ReadFile("peers/" + script)
	if err != nil {
		return err
	}
	cmd := exec.Command(peerPython, append([]string{"-c", string(src)}, args...)...)
	t := fmt.Sprint(threads)
	env := []string{"OMP_NUM_THREADS=" + t, "OPENBLAS_NUM_THREADS=" + t, "MKL_NUM_THREADS=" + t}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") &&
			!strings.HasPrefix(kv, "OMP_NUM_THREADS=") && !strings.HasPrefix(kv, "OPENBLAS_NUM_THREADS=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		return fmt.Errorf("%s: %v: %s", script, err, msg)
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("%s printed %q: %w", script, stdout.String(), err)
	}
	return nil
}
