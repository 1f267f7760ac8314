package gan

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/viz/plot"
)

// The 1-D GAN illustrates the sampling idea behind GANs (the syllabus's
// inverse-transform method): if U ~ U(0, 1) and F is a distribution's CDF,
// F⁻¹(U) follows that distribution, so a network G that maps uniform
// noise to data learns a map that pushes U(0, 1) onto the data. The data
// is a mixture of two Gaussians; the run draws the learned map beside
// F⁻¹ (map.png), which is one of the maps that work (the increasing one).

// Bimodal is the target distribution: ½ N(-Mode, Std²) + ½ N(Mode, Std²).
type Bimodal struct{ Mode, Std float64 }

// Target is the 1-D GAN's data distribution.
var Target = Bimodal{Mode: 2, Std: 0.5}

// Sample draws from the mixture.
func (b Bimodal) Sample(rng *rand.Rand) float64 {
	m := b.Mode
	if rng.IntN(2) == 0 {
		m = -m
	}
	return m + b.Std*rng.NormFloat64()
}

// PDF is the mixture's density.
func (b Bimodal) PDF(x float64) float64 {
	g := func(m float64) float64 {
		d := (x - m) / b.Std
		return math.Exp(-d*d/2) / (b.Std * math.Sqrt(2*math.Pi))
	}
	return (g(-b.Mode) + g(b.Mode)) / 2
}

// CDF is the mixture's distribution function.
func (b Bimodal) CDF(x float64) float64 {
	phi := func(m float64) float64 { return 0.5 * math.Erfc(-(x-m)/(b.Std*math.Sqrt2)) }
	return (phi(-b.Mode) + phi(b.Mode)) / 2
}

// InverseCDF is F⁻¹(u) for u in (0, 1), by bisection to 1e-12.
func (b Bimodal) InverseCDF(u float64) float64 {
	lo, hi := -b.Mode-20*b.Std, b.Mode+20*b.Std
	for hi-lo > 1e-12 {
		mid := (lo + hi) / 2
		if b.CDF(mid) < u {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Config1D is the 1-D GAN's schedule; each field is a flag of arcade
// train gan --arch 1d.
type Config1D struct {
	Hidden int     `json:"hidden"` // units of the two hidden layers of G and D
	Steps  int     `json:"steps"`  // training steps, a multiple of 1000
	Batch  int     `json:"batch"`  // samples per step
	LR     float64 `json:"lr"`     // Adam's rate, both nets
	Beta1  float64 `json:"beta1"`  // Adam's β1
	Loss   string  `json:"loss"`   // NonSaturating or Saturating
}

// DefaultConfig1D returns 32 hidden units, 5000 steps of 256 samples,
// Adam 1e-3 with β1 0.5, the non-saturating loss.
func DefaultConfig1D() Config1D {
	return Config1D{Hidden: 32, Steps: 5000, Batch: 256, LR: 1e-3, Beta1: 0.5, Loss: NonSaturating}
}

// Check returns an error naming the first bad setting.
func (c Config1D) Check() error {
	switch {
	case c.Hidden < 1:
		return fmt.Errorf("hidden %d: want 1 or more", c.Hidden)
	case c.Steps < 1000 || c.Steps%1000 != 0:
		return fmt.Errorf("steps %d: want a multiple of 1000", c.Steps)
	case c.Batch < 2:
		return fmt.Errorf("batch %d: want 2 or more", c.Batch)
	case !(c.LR > 0) || c.LR > 10 || !(c.Beta1 >= 0 && c.Beta1 < 1):
		return fmt.Errorf("lr %v, beta1 %v: want a positive rate and beta1 in [0, 1)", c.LR, c.Beta1)
	case c.Loss != NonSaturating && c.Loss != Saturating:
		return fmt.Errorf("loss %q: want nonsaturating or saturating", c.Loss)
	}
	return nil
}

// Result1D is what arcade train gan --arch 1d reports: the 1-Wasserstein
// distance to the target of the learned distribution, and of the uniform
// noise itself (the distance before any learning maps it).
type Result1D struct {
	W1      float64 `json:"w1"`
	W1Noise float64 `json:"w1_noise"`
}

// mapPoints is the number of u values the map is drawn and measured at.
const mapPoints = 1000

// Train1D trains the 1-D GAN, writing the map and density picture after
// every 1000 steps (map_kNNNN.png) with a checkpoint, and at the end
// map.png, model.safetensors and curves.png.
func Train1D(job trainloop.Job, cfg Config1D) (Result1D, error) {
	if err := cfg.Check(); err != nil {
		panic("gan: " + err.Error())
	}
	g, d := new1D(cfg, job.Seed)
	h := cfg.Hidden
	ac := nets.DefaultAdamConfig()
	ac.LR, ac.Beta1 = cfg.LR, cfg.Beta1
	optG, optD := nets.NewAdam(g.Params(), ac), nets.NewAdam(d.Params(), ac)
	r := job.Run
	r.Logf("1-D GAN: U(0, 1) -> G (1-%d-%d-1) -> x, data ½N(-%g, %g²) + ½N(%g, %g²); %s loss, Adam lr %g beta1 %g, %d steps of %d",
		h, h, Target.Mode, Target.Std, Target.Mode, Target.Std, cfg.Loss, cfg.LR, cfg.Beta1, cfg.Steps, cfg.Batch)
	parts := []trainloop.Part{{Name: "generator", Params: g.Params(), Opt: optG}, {Name: "discriminator", Params: d.Params(), Opt: optD}}
	var st trainloop.State
	if job.Resume {
		var err error
		if st, _, err = trainloop.Load(r.Path(trainloop.CheckpointFile), parts); err != nil {
			return Result1D{}, err
		}
		r.Logf("resuming at step %d", st.Step)
	}
	s := &stepper{cfg: Config{Latent: 1, Loss: cfg.Loss}, g: g, d: d, optG: optG, optD: optD, tp: nets.NewTape(),
		real: nets.New(cfg.Batch, 1), z: nets.New(cfg.Batch, 1), ones: nets.New(cfg.Batch, 1), zeros: nets.New(cfg.Batch, 1)}
	s.ones.Fill(1)
	stepPCG := rand.NewPCG(job.Seed, streamStep)
	stepRNG := rand.New(stepPCG)
	loop := &trainloop.Loop{Seed: job.Seed, Stream: streamShuffle, N: 1000 * cfg.Batch, Batch: cfg.Batch, Epochs: cfg.Steps / 1000,
		Progress: job.Progress,
		Step: func(idx []int) (string, error) {
			stepPCG.Seed(job.Seed, streamStep+uint64(st.Step))
			m := s.step1D(cfg.Batch, stepRNG)
			if (st.Step+1)%10 == 0 {
				r.Metric(st.Step+1, "losses/d_loss", m.lossD)
				r.Metric(st.Step+1, "losses/g_loss", m.lossG)
				r.Metric(st.Step+1, "charts/d_real", m.dReal)
				r.Metric(st.Step+1, "charts/d_fake", m.dFake)
			}
			return fmt.Sprintf("loss_D %.3f loss_G %.3f", m.lossD, m.lossG), nil
		},
		EndEpoch: func() error {
			u, x := learnedMap(g)
			w1 := wasserstein1(x)
			r.Metric(st.Step, "eval/w1", w1)
			r.Logf("step %d: W1 to the target %.4f", st.Step, w1)
			return writeMap(r.Path(fmt.Sprintf("map_k%04d.png", st.Step/1000)), u, x, st.Step)
		},
		Save: func() error {
			st.Elapsed = r.Elapsed()
			if err := r.Flush(); err != nil {
				return err
			}
			return trainloop.Save(r.Path(trainloop.CheckpointFile), parts, st, nil)
		},
	}
	if err := loop.Run(job.Ctx, &st); err != nil {
		return Result1D{}, err
	}
	u, x := learnedMap(g)
	res := Result1D{W1: wasserstein1(x), W1Noise: wasserstein1(u)}
	r.Logf("W1 to the target: learned %.4f, the uniform noise itself %.4f", res.W1, res.W1Noise)
	if err := writeMap(r.Path("map.png"), u, x, st.Step); err != nil {
		return res, err
	}
	state := append(nets.Prefix("generator.", g.Params()), nets.Prefix("discriminator.", d.Params())...)
	if err := nets.SaveTensors(r.Path("model.safetensors"), state, map[string]string{"arcade.experiment": "gan", "arcade.arch": "1d"}); err != nil {
		return res, err
	}
	if err := r.Flush(); err != nil {
		return res, err
	}
	return res, run.PlotCurves([]string{r.Dir}, r.Path("curves.png"))
}

// step1D is step on a batch of the target's samples and uniform noise.
func (s *stepper) step1D(n int, rng *rand.Rand) stepMetrics {
	for i := range s.real.Data {
		s.real.Data[i] = float32(Target.Sample(rng))
	}
	for i := range s.z.Data {
		s.z.Data[i] = float32(rng.Float64())
	}
	return s.update()
}

// learnedMap returns the grid u_i = (i+½)/mapPoints and G(u_i).
func learnedMap(g Net) ([]float64, []float64) {
	z := nets.New(mapPoints, 1)
	u := make([]float64, mapPoints)
	for i := range u {
		u[i] = (float64(i) + 0.5) / mapPoints
		z.Data[i] = float32(u[i])
	}
	out := g.Forward(nil, z)
	x := make([]float64, mapPoints)
	for i, v := range out.Data {
		x[i] = float64(v)
	}
	return u, x
}

// wasserstein1 returns ∫|Q(p) - F⁻¹(p)| dp on the grid of learnedMap, Q
// the quantile function of the values x (sorted), each equally likely.
func wasserstein1(x []float64) float64 {
	q := append([]float64(nil), x...)
	sort.Float64s(q)
	s := 0.0
	for i, v := range q {
		s += math.Abs(v - Target.InverseCDF((float64(i)+0.5)/float64(len(q))))
	}
	return s / float64(len(q))
}

// Load1D builds the 1-D GAN's generator of cfg and loads it from path (a
// run's model.safetensors, which also holds the discriminator).
func Load1D(path string, cfg Config1D) (Net, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	g, d := new1D(cfg, 0)
	state := append(nets.Prefix("generator.", g.Params()), nets.Prefix("discriminator.", d.Params())...)
	if _, err := nets.LoadTensors(path, state); err != nil {
		return nil, err
	}
	return g, nil
}

// new1D returns the 1-D GAN's generator and discriminator, from the
// seed's init streams.
func new1D(cfg Config1D, seed uint64) (g, d Net) {
	rg, rd := rand.New(rand.NewPCG(seed, streamInitG)), rand.New(rand.NewPCG(seed, streamInitD))
	h := cfg.Hidden
	g = seq{nets.NewSequential(nets.NewLinear(rg, 1, h), leaky, nets.NewLinear(rg, h, h), leaky, nets.NewLinear(rg, h, 1))}
	d = seq{nets.NewSequential(nets.NewLinear(rd, 1, h), leaky, nets.NewLinear(rd, h, h), leaky, nets.NewLinear(rd, h, 1))}
	return g, d
}

// WriteMap draws g's map from noise to data beside the true inverse CDF,
// and its density beside the target's, as a PNG (see writeMap).
func WriteMap(w io.Writer, g Net) error {
	u, x := learnedMap(g)
	return drawMap(w, u, x, -1)
}

// writeMap draws two panels: G(u), the sorted G(u) (the learned quantile
// function) and F⁻¹(u) against u; and the density of G(U) (a histogram of
// the grid's values) against the target's.
func writeMap(path string, u, x []float64, step int64) error {
	return atomicfile.WriteFunc(path, func(w io.Writer) error { return drawMap(w, u, x, step) })
}

// drawMap is writeMap to a writer; a negative step is left out of the
// title.
func drawMap(w io.Writer, u, x []float64, step int64) error {
	inv, sorted := make([]float64, len(u)), append([]float64(nil), x...)
	sort.Float64s(sorted)
	for i, p := range u {
		inv[i] = Target.InverseCDF(p)
	}
	const bins = 60
	lo, hi := -Target.Mode-4*Target.Std, Target.Mode+4*Target.Std
	centres, hist, pdf := make([]float64, bins), make([]float64, bins), make([]float64, bins)
	width := (hi - lo) / bins
	for i := range bins {
		centres[i] = lo + (float64(i)+0.5)*width
		pdf[i] = Target.PDF(centres[i])
	}
	for _, v := range x {
		if b := int((v - lo) / width); b >= 0 && b < bins {
			hist[b] += 1 / (float64(len(x)) * width)
		}
	}
	line := func(name string, xs, ys []float64) plot.Series {
		return plot.Series{Name: name, Runs: []plot.Line{{X: xs, Y: ys}}}
	}
	title := "the map from noise to data"
	if step >= 0 {
		title += fmt.Sprintf(", step %d", step)
	}
	panels := []plot.Panel{
		{Title: title, XLabel: "u ~ U(0, 1)", YLabel: "x", NoSmooth: true,
			Series: []plot.Series{line("G(u)", u, x), line("sorted G(u)", u, sorted), line("true inverse CDF", u, inv)}},
		{Title: "density", XLabel: "x", YLabel: "p(x)", NoSmooth: true,
			Series: []plot.Series{line("G(U), histogram", centres, hist), line("target", centres, pdf)}},
	}
	return plot.Curves(w, panels, plot.Options{})
}
