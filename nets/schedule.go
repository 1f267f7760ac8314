package nets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Schedule gives the learning rate at a point t of training counted in
// epochs; t may be fractional (epoch + batch/batches) for schedules that
// change every step. The trainer calls opt.SetLR(s.At(t)).
type Schedule interface {
	At(t float64) float64
}

// ConstantLR keeps the learning rate at LR0.
type ConstantLR struct{ LR0 float64 }

// At returns LR0.
func (s ConstantLR) At(float64) float64 { return s.LR0 }

// StepLR multiplies the learning rate by Gamma every Every epochs:
// LR0·Gamma^⌊t/Every⌋, PyTorch's StepLR.
type StepLR struct{ LR0, Every, Gamma float64 }

// At returns LR0·Gamma^⌊t/Every⌋.
func (s StepLR) At(t float64) float64 { return s.LR0 * math.Pow(s.Gamma, math.Floor(t/s.Every)) }

// ExponentialLR multiplies the learning rate by Gamma each epoch:
// LR0·Gamma^t, PyTorch's ExponentialLR.
type ExponentialLR struct{ LR0, Gamma float64 }

// At returns LR0·Gamma^t.
func (s ExponentialLR) At(t float64) float64 { return s.LR0 * math.Pow(s.Gamma, t) }

// InverseTimeLR decays the learning rate as LR0/(1 + K·t), the classic
// stochastic-approximation schedule.
type InverseTimeLR struct{ LR0, K float64 }

// At returns LR0/(1 + K·t).
func (s InverseTimeLR) At(t float64) float64 { return s.LR0 / (1 + s.K*t) }

// CosineLR anneals the learning rate from LR0 to Min over Span epochs
// along half a cosine and stays at Min after: Min + (LR0-Min)(1 +
// cos(π t/Span))/2, PyTorch's CosineAnnealingLR with T_max = Span
// (Loshchilov and Hutter 2017, without restarts).
type CosineLR struct{ LR0, Min, Span float64 }

// At returns the annealed rate.
func (s CosineLR) At(t float64) float64 {
	if t >= s.Span {
		return s.Min
	}
	return s.Min + (s.LR0-s.Min)*(1+math.Cos(math.Pi*t/s.Span))/2
}

// WarmupLR scales another schedule by a factor that grows linearly from
// Start to 1 over the first Span epochs (Goyal et al. 2017), as PyTorch's
// LinearLR(start_factor=Start, total_iters=Span) chained with it.
type WarmupLR struct {
	Span, Start float64
	Then        Schedule
}

// At returns Then.At(t) times the warm-up factor.
func (s WarmupLR) At(t float64) float64 {
	f := 1.0
	if t < s.Span {
		f = s.Start + (1-s.Start)*t/s.Span
	}
	return f * s.Then.At(t)
}

// ScheduleHelp describes the syntax ParseSchedule reads, for --help.
const ScheduleHelp = "constant | step[:EVERY[:GAMMA]] | exp[:GAMMA] | inverse[:K] | cosine, optionally after warmup:EPOCHS+ (e.g. warmup:1+cosine)"

// ParseSchedule reads a schedule from a flag value (see ScheduleHelp) for a
// run of the given epochs starting at lr0. Defaults: step every epochs/3
// (at least 1) by 0.1; exp 0.9; inverse K 1; cosine to 0 over all epochs;
// warm-up from 0.01 of the rate.
func ParseSchedule(spec string, lr0 float64, epochs int) (Schedule, error) {
	warm := 0.0
	if rest, ok := strings.CutPrefix(spec, "warmup:"); ok {
		w, main, ok := strings.Cut(rest, "+")
		if !ok {
			return nil, fmt.Errorf("schedule %q: want warmup:EPOCHS+SCHEDULE", spec)
		}
		v, err := strconv.ParseFloat(w, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("schedule %q: warm-up epochs %q must be a positive number", spec, w)
		}
		warm, spec = v, main
	}
	parts := strings.Split(spec, ":")
	name, args := parts[0], parts[1:]
	arg := func(i int, def, lo, hi float64) (float64, error) {
		if i >= len(args) {
			return def, nil
		}
		v, err := strconv.ParseFloat(args[i], 64)
		if err != nil || !(v >= lo && v <= hi) {
			return 0, fmt.Errorf("schedule %q: argument %q must be a number in [%g, %g]", spec, args[i], lo, hi)
		}
		return v, nil
	}
	maxArgs := map[string]int{"constant": 0, "step": 2, "exp": 1, "inverse": 1, "cosine": 0}
	n, known := maxArgs[name]
	if !known {
		return nil, fmt.Errorf("unknown schedule %q; want %s", name, ScheduleHelp)
	}
	if len(args) > n {
		return nil, fmt.Errorf("schedule %q: %s takes %d arguments", spec, name, n)
	}
	var s Schedule
	switch name {
	case "constant":
		s = ConstantLR{lr0}
	case "step":
		every, err := arg(0, float64(max(1, epochs/3)), 1e-9, math.MaxFloat64)
		if err != nil {
			return nil, err
		}
		gamma, err := arg(1, 0.1, 0, 1)
		if err != nil {
			return nil, err
		}
		s = StepLR{lr0, every, gamma}
	case "exp":
		gamma, err := arg(0, 0.9, 0, 1)
		if err != nil {
			return nil, err
		}
		s = ExponentialLR{lr0, gamma}
	case "inverse":
		k, err := arg(0, 1, 0, math.MaxFloat64)
		if err != nil {
			return nil, err
		}
		s = InverseTimeLR{lr0, k}
	case "cosine":
		s = CosineLR{LR0: lr0, Span: float64(max(epochs, 1))}
	}
	if warm > 0 {
		s = WarmupLR{Span: warm, Start: 0.01, Then: s}
	}
	return s, nil
}
