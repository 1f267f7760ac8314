package gan

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Architectures and generator losses.
const (
	MLP   = "mlp"
	DCGAN = "dcgan"

	NonSaturating = "nonsaturating"
	Saturating    = "saturating"
)

// Config is a GAN's architecture and schedule; each field is a flag of
// arcade train gan.
type Config struct {
	Arch   string  `json:"arch"`   // MLP or DCGAN
	Latent int     `json:"latent"` // Z, the noise's size
	Width  int     `json:"width"`  // DCGAN: the channels of the generator's last hidden layer
	Loss   string  `json:"loss"`   // the generator's loss: NonSaturating or Saturating
	LR     float64 `json:"lr"`     // Adam's learning rate, both nets
	Beta1  float64 `json:"beta1"`  // Adam's β1, both nets
	Batch  int     `json:"batch"`  // real images per step
	Epochs int     `json:"epochs"` // passes over the training set
}

// DefaultConfig returns the defaults of an architecture: Z 100, the
// non-saturating loss, Adam 2e-4 with β1 0.5 (Radford et al. 2016),
// batch 64, 10 epochs; the DCGAN 32 channels wide.
func DefaultConfig(arch string) Config {
	c := Config{Arch: arch, Latent: 100, Loss: NonSaturating, LR: 2e-4, Beta1: 0.5, Batch: 64, Epochs: 10}
	if arch == DCGAN {
		c.Width = 32
	}
	return c
}

// Check returns an error naming the first bad setting.
func (c Config) Check() error {
	switch {
	case c.Arch != MLP && c.Arch != DCGAN:
		return fmt.Errorf("arch %q: want mlp or dcgan", c.Arch)
	case c.Latent < 1:
		return fmt.Errorf("latent %d: want 1 or more", c.Latent)
	case c.Arch == DCGAN && c.Width < 1:
		return fmt.Errorf("width %d: want 1 or more channels", c.Width)
	case c.Loss != NonSaturating && c.Loss != Saturating:
		return fmt.Errorf("loss %q: want nonsaturating or saturating", c.Loss)
	case !(c.LR > 0) || c.LR > 10:
		return fmt.Errorf("learning rate %v: want a positive rate", c.LR)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return fmt.Errorf("beta1 %v: want [0, 1)", c.Beta1)
	case c.Batch < 2:
		return fmt.Errorf("batch %d: want 2 or more", c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d: want 1 or more", c.Epochs)
	}
	return nil
}

// Random streams: every draw derives from the seed and its stream.
const (
	streamInitG   = 1       // the generator's weights
	streamInitD   = 2       // the discriminator's
	streamFixed   = 3       // the noise of the sample grids
	streamEval    = 4       // the samples of the evaluation
	streamNoise   = 5       // the noise of fd_noised
	streamShuffle = 1 << 40 // + epoch: an epoch's order
	streamStep    = 2 << 40 // + step: a step's noise
)

// NewNets builds the generator and the discriminator of cfg for 28×28
// images, from the seed's init streams.
func NewNets(cfg Config, seed uint64) (g, d Net) {
	rg, rd := rand.New(rand.NewPCG(seed, streamInitG)), rand.New(rand.NewPCG(seed, streamInitD))
	if cfg.Arch == DCGAN {
		return NewDCGANGenerator(rg, cfg.Latent, cfg.Width), NewDCGANDiscriminator(rd, cfg.Width)
	}
	return NewMLPGenerator(rg, cfg.Latent, 28*28), NewMLPDiscriminator(rd, 28*28)
}

// gridImages is the size of the fixed-noise sample grid.
const gridImages = 64

// Train trains the GAN of cfg on train (MNIST, 28×28), writing into
// job.Run the losses and mean discriminator outputs of every step, a
// fixed-noise sample grid, the Frechet distance and class entropy of n
// samples (an Evaluator with the classifier c, n = 10,000 for the whole
// test set) and a checkpoint each epoch, and at the end model.safetensors,
// curves.png and the evaluation's Report.
func Train(job trainloop.Job, cfg Config, trainDigits, testDigits data.Digits, c Classifier, n int) (Report, error) {
	if err := cfg.Check(); err != nil {
		panic("gan: " + err.Error())
	}
	train, test := imgset.FromDigits(trainDigits), imgset.FromDigits(testDigits)
	if train.H != 28 || train.W != 28 {
		panic(fmt.Sprintf("gan: images of %dx%d, want 28x28", train.H, train.W))
	}
	g, d := NewNets(cfg, job.Seed)
	ac := nets.DefaultAdamConfig()
	ac.LR, ac.Beta1 = cfg.LR, cfg.Beta1
	optG, optD := nets.NewAdam(g.Params(), ac), nets.NewAdam(d.Params(), ac)
	r := job.Run
	r.Logf("GAN %s, %s generator loss; generator %d and discriminator %d parameters; Adam lr %g beta1 %g, batch %d, %d epochs, %d training images",
		cfg.Arch, cfg.Loss, nets.Count(g.Params()), nets.Count(d.Params()), cfg.LR, cfg.Beta1, cfg.Batch, cfg.Epochs, train.N)
	ev, err := NewEvaluator(c, train, test, n, job.Seed)
	if err != nil {
		return Report{}, err
	}
	r.Logf("evaluation on %d images: Frechet distance of training images (floor) %.3f, test + N(0, %.1f²) %.3f, test blurred (sigma %g) %.3f, the test images of digit %d %.3f",
		ev.n, ev.base.FDFloor, noiseStd, ev.base.FDNoised, blurSigma, ev.base.FDBlurred, oneDigit, ev.base.FDOneDigit)
	parts := []trainloop.Part{{Name: "generator", Params: nets.State(g), Opt: optG}, {Name: "discriminator", Params: nets.State(d), Opt: optD}}
	var st trainloop.State
	if job.Resume {
		if st, _, err = trainloop.Load(r.Path(trainloop.CheckpointFile), parts); err != nil {
			return Report{}, err
		}
		r.Logf("resuming at epoch %d, batch %d (step %d)", st.Epoch+1, st.Batch, st.Step)
	}

	s := &stepper{cfg: cfg, g: g, d: d, optG: optG, optD: optD, tp: nets.NewTape(),
		real: nets.New(cfg.Batch, train.Dim()), z: nets.New(cfg.Batch, cfg.Latent),
		ones: nets.New(cfg.Batch, 1), zeros: nets.New(cfg.Batch, 1)}
	s.ones.Fill(1)
	stepPCG := rand.NewPCG(job.Seed, streamStep)
	stepRNG := rand.New(stepPCG)
	fixed := nets.New(gridImages, cfg.Latent)
	fillNormal(rand.New(rand.NewPCG(job.Seed, streamFixed)), fixed.Data)
	loop := &trainloop.Loop{Seed: job.Seed, Stream: streamShuffle, N: train.N, Batch: cfg.Batch, Epochs: cfg.Epochs,
		Progress: job.Progress,
		Step: func(idx []int) (string, error) {
			stepPCG.Seed(job.Seed, streamStep+uint64(st.Step))
			m := s.step(train, idx, stepRNG)
			step := st.Step + 1
			r.Metric(step, "losses/d_loss", m.lossD)
			r.Metric(step, "losses/g_loss", m.lossG)
			r.Metric(step, "charts/d_real", m.dReal)
			r.Metric(step, "charts/d_fake", m.dFake)
			return fmt.Sprintf("loss_D %.3f loss_G %.3f D(x) %.2f D(G(z)) %.2f", m.lossD, m.lossG, m.dReal, m.dFake), nil
		},
		EndEpoch: func() error {
			rep := ev.Generator(g, cfg.Latent, cfg.Batch)
			rep.Metrics(r, st.Step)
			r.Logf("epoch %d/%d (step %d): Frechet distance %.3f, class entropy %.4f %v", st.Epoch+1, cfg.Epochs, st.Step, rep.FD, rep.ClassEntropy, rep.Histogram)
			return imgset.SaveGrid(r.Path(fmt.Sprintf("samples_epoch%02d.png", st.Epoch+1)), Generate(g, fixed), gridImages, 1, 28, 28, 8)
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
		return Report{}, err
	}
	state := append(nets.Prefix("generator.", nets.State(g)), nets.Prefix("discriminator.", nets.State(d))...)
	if err := nets.SaveTensors(r.Path("model.safetensors"), state, map[string]string{"arcade.experiment": "gan", "arcade.arch": cfg.Arch}); err != nil {
		return Report{}, err
	}
	rep := ev.Generator(g, cfg.Latent, cfg.Batch)
	rep.Log(r)
	if err := r.Flush(); err != nil {
		return rep, err
	}
	return rep, run.PlotCurves([]string{r.Dir}, r.Path("curves.png"))
}

// stepper holds the nets, optimizers and buffers of the training step.
type stepper struct {
	cfg                  Config
	g, d                 Net
	optG, optD           nets.Optimizer
	tp                   *nets.Tape
	real, z, ones, zeros *nets.Tensor
}

// stepMetrics are what a step logs.
type stepMetrics struct{ lossD, lossG, dReal, dFake float64 }

// step trains the discriminator once and the generator once on a batch
// (Goodfellow et al. 2014, algorithm 1, k = 1), the fakes of both updates
// coming from the same noise, as pytorch/examples' DCGAN does:
//
//	D: minimise -log D(x) - log(1 - D(G(z)))   (G(z) detached)
//	G: minimise -log D(G(z)) (non-saturating) or log(1 - D(G(z)))
//	   (saturating: the minimax game's own term)
//
// with the losses averaged over the batch, computed from logits.
func (s *stepper) step(train imgset.Set, idx []int, rng *rand.Rand) stepMetrics {
	n := len(idx)
	train.Gather(s.real, idx)
	for i, v := range s.real.Data {
		s.real.Data[i] = 2*v - 1
	}
	resized(s.z, n)
	fillNormal(rng, s.z.Data)
	return s.update()
}

// update makes the two updates of a step from the batch of real images
// and the noise in s.real and s.z.
func (s *stepper) update() stepMetrics {
	n := s.real.Shape[0]
	ones, zeros := resized(s.ones, n), resized(s.zeros, n)
	tp := s.tp
	tp.Reset()
	fake := s.g.Forward(tp, s.z)

	s.optD.ZeroGrad()
	dReal := s.d.Forward(tp, s.real)
	dFake := s.d.Forward(tp, nets.Detach(tp, fake))
	lossD := nets.Add(tp, nets.BCEWithLogits(tp, dReal, ones, nets.ReduceMean), nets.BCEWithLogits(tp, dFake, zeros, nets.ReduceMean))
	lossD.Backward()
	s.optD.Step()

	s.optG.ZeroGrad()
	dGen := s.d.Forward(tp, fake)
	var lossG *nets.Tensor
	if s.cfg.Loss == Saturating {
		lossG = nets.MulScalar(tp, nets.BCEWithLogits(tp, dGen, zeros, nets.ReduceMean), -1)
	} else {
		lossG = nets.BCEWithLogits(tp, dGen, ones, nets.ReduceMean)
	}
	lossG.Backward()
	s.optG.Step()
	return stepMetrics{lossD: float64(lossD.Item()), lossG: float64(lossG.Item()),
		dReal: meanSigmoid(dReal.Data), dFake: meanSigmoid(dFake.Data)}
}

// resized returns t with its first axis set to n (within its capacity).
func resized(t *nets.Tensor, n int) *nets.Tensor {
	t.Shape[0], t.Data = n, t.Data[:n*(t.Size()/t.Shape[0])]
	return t
}

// meanSigmoid returns the mean of sigmoid(v): the discriminator's mean
// probability that its inputs are real.
func meanSigmoid(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += 1 / (1 + math.Exp(-float64(x)))
	}
	return s / float64(len(v))
}

// fillNormal fills v from N(0, 1).
func fillNormal(rng *rand.Rand, v []float32) {
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
}

// Generate returns G(z) for the rows of z as images in [0, 1] ([N, 784]),
// the generator in training mode (batch statistics, as the DCGAN
// reference samples) on a tape that records no gradients; the running
// statistics of its batch norms are left as they were.
func Generate(g Net, z *nets.Tensor) []float32 {
	var saved [][]float32
	for _, b := range g.Buffers() {
		saved = append(saved, append([]float32(nil), b.Data...))
	}
	defer func() {
		for i, b := range g.Buffers() {
			copy(b.Data, saved[i])
		}
	}()
	tp := &nets.Tape{Train: true, NoGrad: true}
	x := g.Forward(tp, z)
	out := make([]float32, len(x.Data))
	for i, v := range x.Data {
		out[i] = (v + 1) / 2
	}
	return out
}

// LoadGenerator builds the generator of cfg and loads its state from path
// (a run's model.safetensors, which also holds the discriminator's).
func LoadGenerator(path string, cfg Config) (Net, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	g, d := NewNets(cfg, 0)
	state := append(nets.Prefix("generator.", nets.State(g)), nets.Prefix("discriminator.", nets.State(d))...)
	if _, err := nets.LoadTensors(path, state); err != nil {
		return nil, err
	}
	return g, nil
}

// WriteSamples draws n samples of g (noise from rng, generated in batches
// of batch) as a PNG grid.
func WriteSamples(w io.Writer, g Net, latent, n, batch int, rng *rand.Rand) error {
	return imgset.WriteGrid(w, Sample(g, latent, n, batch, rng), n, 1, 28, 28, 8, false)
}

// Sample returns n images of g in [0, 1] ([n, 784]) from noise drawn with
// rng, generated in batches of batch (a last batch of one is drawn as two,
// since batch norm needs two samples, and one of them kept).
func Sample(g Net, latent, n, batch int, rng *rand.Rand) []float32 {
	images := make([]float32, 0, n*784)
	z := nets.New(max(batch, 2), latent)
	for lo := 0; lo < n; lo += batch {
		m := max(min(batch, n-lo), 2)
		resized(z, m)
		fillNormal(rng, z.Data)
		images = append(images, Generate(g, z)[:min(m, n-lo)*784]...)
	}
	return images
}
