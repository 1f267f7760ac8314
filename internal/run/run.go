package run

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

// Version is arcade's version, written into every config.json. A run
// directory written by another major version is refused on --resume.
const Version = "0.1.0"

// Meta is what config.json records about a run.
type Meta struct {
	Experiment string            `json:"experiment"`        // mnist, dqn, vae, ...
	Subject    string            `json:"subject"`           // the env or data set
	Seed       uint64            `json:"seed"`              // --seed
	Version    string            `json:"arcade_version"`    // Version when written
	Command    []string          `json:"command,omitempty"` // the command line
	Flags      map[string]string `json:"flags"`             // every flag and its value
	Config     json.RawMessage   `json:"config"`            // the experiment's config struct
	Created    time.Time         `json:"created"`
}

// Run is an open run directory.
type Run struct {
	Dir     string
	Meta    Meta
	start   time.Time
	offset  float64 // wall seconds of earlier sessions of a resumed run
	log     *os.File
	metrics *os.File
	mw      *bufio.Writer
	out     io.Writer // where log lines are echoed; io.Discard when quiet
}

// DefaultDir returns runs/<experiment>__<subject>__<seed>__<unixtime> under
// root, with a numeric suffix if that name is taken.
func DefaultDir(root, experiment, subject string, seed uint64, now time.Time) string {
	base := filepath.Join(root, fmt.Sprintf("%s__%s__%d__%d", experiment, subject, seed, now.Unix()))
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// Create makes the run directory dir (which must not hold a run already),
// writes config.json with meta and config, and opens log.txt and
// metrics.csv. Log lines are echoed to echo (nil: not echoed).
func Create(dir string, meta Meta, config any, echo io.Writer) (*Run, error) {
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err == nil {
		return nil, fmt.Errorf("%s already holds a run; pick another --out or --resume it", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("config of %s: %w", dir, err)
	}
	meta.Config = raw
	meta.Version = Version
	if meta.Created.IsZero() {
		meta.Created = time.Now().UTC()
	}
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, "config.json"), append(data, '\n')); err != nil {
		return nil, err
	}
	r := &Run{Dir: dir, Meta: meta}
	if err := r.open(echo, true); err != nil {
		return nil, err
	}
	return r, nil
}

// Open reopens an existing run directory to continue it (--resume). Metrics
// logged after keepUpTo (the step of the checkpoint being resumed) are
// dropped, so that the resumed run's curves have no duplicate steps, and
// wall time continues from elapsed seconds.
func Open(dir string, keepUpTo int64, elapsed float64, echo io.Writer) (*Run, error) {
	meta, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	if err := truncateMetrics(filepath.Join(dir, "metrics.csv"), keepUpTo); err != nil {
		return nil, err
	}
	r := &Run{Dir: dir, Meta: meta, offset: elapsed}
	if err := r.open(echo, false); err != nil {
		return nil, err
	}
	return r, nil
}

// ReadMeta reads a run directory's config.json, checking that it was
// written by a compatible version of arcade.
func ReadMeta(dir string) (Meta, error) {
	var m Meta
	path := filepath.Join(dir, "config.json")
	data, err := readLimited(path, 1<<20)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return m, fmt.Errorf("%s is not a run directory (no config.json)", dir)
		}
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if major(m.Version) != major(Version) {
		return m, fmt.Errorf("%s was written by arcade %q, which this arcade %s cannot read", dir, m.Version, Version)
	}
	return m, nil
}

// LoadConfig reads a run's config.json and decodes the experiment's config
// struct into config, after checking that the run is of experiment kind.
func LoadConfig(dir, experiment string, config any) (Meta, error) {
	m, err := ReadMeta(dir)
	if err != nil {
		return m, err
	}
	if m.Experiment != experiment {
		return m, fmt.Errorf("%s is a %s run, not a %s run", dir, m.Experiment, experiment)
	}
	if err := json.Unmarshal(m.Config, config); err != nil {
		return m, fmt.Errorf("%s/config.json: %w", dir, err)
	}
	return m, nil
}

func major(v string) string {
	v, _, _ = strings.Cut(v, ".")
	return v
}

// readLimited reads a whole file after checking it is at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d expected", path, st.Size(), limit)
	}
	return os.ReadFile(path)
}

func (r *Run) open(echo io.Writer, fresh bool) error {
	var err error
	if r.log, err = os.OpenFile(filepath.Join(r.Dir, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
		return err
	}
	path := filepath.Join(r.Dir, "metrics.csv")
	if r.metrics, err = os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
		r.log.Close()
		return err
	}
	r.mw = bufio.NewWriterSize(r.metrics, 64<<10)
	if st, err := r.metrics.Stat(); err == nil && st.Size() == 0 {
		r.mw.WriteString(metricsHeader + "\n")
	}
	r.out = echo
	if r.out == nil {
		r.out = io.Discard
	}
	r.start = time.Now()
	if fresh {
		r.Logf("run %s: %s on %s, seed %d, arcade %s", r.Dir, r.Meta.Experiment, r.Meta.Subject, r.Meta.Seed, Version)
	} else {
		r.Logf("resumed %s at %.0fs", r.Dir, r.offset)
	}
	return nil
}

// Elapsed reports the run's wall seconds, earlier sessions included.
func (r *Run) Elapsed() float64 { return r.offset + time.Since(r.start).Seconds() }

// Logf writes a line to log.txt, prefixed with the elapsed time, and echoes
// it unless the run is quiet.
func (r *Run) Logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Fprintf(r.log, "%8.1fs %s\n", r.Elapsed(), line)
	fmt.Fprintln(r.out, line)
}

// Metric appends one row step,wall_s,key,value to metrics.csv. Rows are
// buffered; Flush (called by Close and by checkpoints) writes them out.
func (r *Run) Metric(step int64, key string, value float64) {
	if strings.ContainsAny(key, ",\n\"") {
		panic(fmt.Sprintf("run: metric key %q has a comma, quote or newline", key))
	}
	var buf [96]byte
	b := strconv.AppendInt(buf[:0], step, 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, r.Elapsed(), 'f', 3, 64)
	b = append(b, ',')
	r.mw.Write(b)
	r.mw.WriteString(key)
	b = append(buf[:0], ',')
	b = strconv.AppendFloat(b, value, 'g', -1, 64)
	b = append(b, '\n')
	r.mw.Write(b)
}

// Flush writes buffered metric rows to metrics.csv.
func (r *Run) Flush() error {
	if err := r.mw.Flush(); err != nil {
		return fmt.Errorf("%s/metrics.csv: %w", r.Dir, err)
	}
	return nil
}

// Path returns name inside the run directory.
func (r *Run) Path(name string) string { return filepath.Join(r.Dir, name) }

// Close flushes the metrics and closes the run's files.
func (r *Run) Close() error {
	err := r.Flush()
	if e := r.metrics.Close(); err == nil {
		err = e
	}
	if e := r.log.Close(); err == nil {
		err = e
	}
	return err
}
