package run

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress reports how far long work has come: a bar that redraws in place
// when its writer is a terminal, a plain line at every 5% otherwise (log
// files and CI), and nothing when quiet.
type Progress struct {
	w        io.Writer
	label    string
	total    int64
	bar      *progressbar.ProgressBar
	start    time.Time
	nextLine int64 // the count at which the next plain line is due
	status   string
	quiet    bool
}

// NewProgress starts reporting on w (usually os.Stderr) work of total units
// (steps, batches) named by label.
func NewProgress(w io.Writer, label string, total int64, quiet bool) *Progress {
	p := &Progress{w: w, label: label, total: max(total, 1), start: time.Now(), quiet: quiet}
	if quiet {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(p.total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
		return p
	}
	p.nextLine = p.total / 20
	return p
}

// Set records that done units are finished; status (e.g. "return 21.3")
// is shown beside the count.
func (p *Progress) Set(done int64, status string) {
	if p.quiet {
		return
	}
	p.status = status
	if p.bar != nil {
		if status != "" {
			p.bar.Describe(p.label + " " + status)
		}
		p.bar.Set64(done)
		return
	}
	if done >= p.nextLine && done < p.total {
		p.line(done)
		for p.nextLine <= done {
			p.nextLine += max(p.total/20, 1)
		}
	}
}

// Finish ends the report with a last line.
func (p *Progress) Finish(done int64) {
	if p.quiet {
		return
	}
	if p.bar != nil {
		p.bar.Set64(done)
		p.bar.Finish()
		p.bar.Clear()
	}
	p.line(done)
}

func (p *Progress) line(done int64) {
	el := time.Since(p.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	msg := fmt.Sprintf("%s %d/%d (%.0f%%) %.1f/s %.0fs", p.label, done, p.total, 100*float64(done)/float64(p.total), rate, el)
	if p.status != "" {
		msg += " " + p.status
	}
	fmt.Fprintln(p.w, msg)
}
