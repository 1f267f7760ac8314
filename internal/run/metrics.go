package run

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

const metricsHeader = "step,wall_s,key,value"

// Row is one line of metrics.csv.
type Row struct {
	Step  int64
	Wall  float64
	Key   string
	Value float64
}

// ReadMetrics parses a metrics.csv file.
func ReadMetrics(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseMetrics(f, path)
}

// parseMetrics reads rows from r; name goes into error messages.
func parseMetrics(r io.Reader, name string) ([]Row, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<16)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, fmt.Errorf("%s: empty file, want the header %q", name, metricsHeader)
	}
	if strings.TrimSpace(sc.Text()) != metricsHeader {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", name, sc.Text(), metricsHeader)
	}
	var rows []Row
	for line := 2; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" {
			continue
		}
		row, err := parseRow(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rows, nil
}

func parseRow(text string) (Row, error) {
	f := strings.Split(text, ",")
	if len(f) != 4 {
		return Row{}, fmt.Errorf("%d fields, want 4 (step,wall_s,key,value)", len(f))
	}
	step, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return Row{}, fmt.Errorf("step %q is not an integer", f[0])
	}
	wall, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		return Row{}, fmt.Errorf("wall_s %q is not a number", f[1])
	}
	if f[2] == "" {
		return Row{}, errors.New("empty key")
	}
	value, err := strconv.ParseFloat(f[3], 64)
	if err != nil {
		return Row{}, fmt.Errorf("value %q is not a number", f[3])
	}
	return Row{Step: step, Wall: wall, Key: f[2], Value: value}, nil
}

// truncateMetrics keeps only the rows of path at or before step keepUpTo.
// A missing file is fine (nothing was logged yet).
func truncateMetrics(path string, keepUpTo int64) error {
	rows, err := ReadMetrics(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(metricsHeader + "\n")
		for _, r := range rows {
			if r.Step <= keepUpTo {
				fmt.Fprintf(bw, "%d,%.3f,%s,%s\n", r.Step, r.Wall, r.Key, strconv.FormatFloat(r.Value, 'g', -1, 64))
			}
		}
		return bw.Flush()
	})
}
