package vae

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Config is a VAE's architecture and schedule; each field is a flag of
// arcade train vae. The defaults are pytorch/examples'.
type Config struct {
	Hidden    int     `json:"hidden"`     // units of the hidden layers (MLP)
	Latent    int     `json:"latent"`     // Z
	Conv      bool    `json:"conv"`       // the convolutional VAE instead of the MLP
	LR        float64 `json:"lr"`         // Adam's learning rate
	Batch     int     `json:"batch"`      // images per step
	Epochs    int     `json:"epochs"`     // passes over the training set
	IWSamples int     `json:"iw_samples"` // K of the importance-weighted NLL; 0 skips it
}

// DefaultConfig returns pytorch/examples' setting: 400 hidden units, 20
// latent dimensions, Adam 1e-3, batch 128, 10 epochs; K = 100.
func DefaultConfig() Config {
	return Config{Hidden: 400, Latent: 20, LR: 1e-3, Batch: 128, Epochs: 10, IWSamples: 100}
}

// Check returns an error naming the first bad setting.
func (c Config) Check() error {
	switch {
	case c.Hidden < 1 || c.Latent < 1:
		return fmt.Errorf("hidden %d and latent %d: want 1 or more units each", c.Hidden, c.Latent)
	case !(c.LR > 0) || c.LR > 10:
		return fmt.Errorf("learning rate %v: want a positive rate", c.LR)
	case c.Batch < 1:
		return fmt.Errorf("batch %d: want 1 or more", c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d: want 1 or more", c.Epochs)
	case c.IWSamples < 0 || c.IWSamples > 100000:
		return fmt.Errorf("iw samples %d: want 0 (skip) to 100000", c.IWSamples)
	}
	return nil
}

// Result is what arcade train vae reports (DESIGN.md's --json keys).
type Result struct {
	TestLoss  float64  `json:"test_loss_nats"`
	TestNLLIW *float64 `json:"test_nll_iw_nats"` // null when K is 0
	Epochs    int      `json:"epochs"`
}

// Random streams: every draw derives from the seed and its stream.
const (
	streamInit    = 1       // the weights
	streamTest    = 2       // the z of the test loss
	streamIW      = 3       // the z of the importance-weighted NLL
	streamSample  = 4       // the z of the sample grids
	streamShuffle = 1 << 40 // + epoch: an epoch's order
	streamStep    = 2 << 40 // + step: the ε of a step
)

// NewModel builds the VAE of cfg for images of c×h×w values, drawing its
// weights from the seed's init stream.
func NewModel(cfg Config, c, h, w int, seed uint64) Model {
	rng := rand.New(rand.NewPCG(seed, streamInit))
	if cfg.Conv {
		return NewConv(rng, c, h, w, cfg.Latent)
	}
	return NewMLP(rng, c*h*w, cfg.Hidden, cfg.Latent)
}

// Train trains the VAE of cfg on train and scores it on test, writing
// into job.Run each epoch's test loss, sample and reconstruction grids
// (and the latent manifold for Z = 2) and a checkpoint, and at the end
// model.safetensors and curves.png.
func Train(job trainloop.Job, cfg Config, trainFrames, testFrames data.Frames) (Result, error) {
	if err := cfg.Check(); err != nil {
		panic("vae: " + err.Error())
	}
	train, test := imgset.FromFrames(trainFrames), imgset.FromFrames(testFrames)
	m := NewModel(cfg, train.C, train.H, train.W, job.Seed)
	params := m.Params()
	ac := nets.DefaultAdamConfig()
	ac.LR = cfg.LR
	opt := nets.NewAdam(params, ac)
	r := job.Run
	arch := fmt.Sprintf("MLP %d-%d-%d", train.Dim(), cfg.Hidden, cfg.Latent)
	if cfg.Conv {
		arch = fmt.Sprintf("conv %d-%d-%d channels, latent %d", train.C, convC1, convC2, cfg.Latent)
	}
	r.Logf("VAE %s on %dx%dx%d images; Adam lr %g, batch %d, %d epochs; %d parameters; %d training and %d test images",
		arch, train.C, train.H, train.W, cfg.LR, cfg.Batch, cfg.Epochs, nets.Count(params), train.N, test.N)
	parts := []trainloop.Part{{Name: "model", Params: params, Opt: opt}}
	var st trainloop.State
	if job.Resume {
		var err error
		if st, _, err = trainloop.Load(r.Path(trainloop.CheckpointFile), parts); err != nil {
			return Result{}, err
		}
		r.Logf("resuming at epoch %d, batch %d (step %d)", st.Epoch+1, st.Batch, st.Step)
	}

	tp := nets.NewTape()
	x := nets.New(cfg.Batch, train.Dim())
	eps := nets.New(cfg.Batch, cfg.Latent)
	stepPCG := rand.NewPCG(job.Seed, streamStep)
	stepRNG := rand.New(stepPCG)
	pics := &pictures{m: m, test: test, seed: job.Seed}
	loop := &trainloop.Loop{Seed: job.Seed, Stream: streamShuffle, N: train.N, Batch: cfg.Batch, Epochs: cfg.Epochs,
		Progress: job.Progress,
		Step: func(idx []int) (string, error) {
			train.Gather(x, idx)
			stepPCG.Seed(job.Seed, streamStep+uint64(st.Step))
			fillNormal(stepRNG, eps, len(idx))
			loss, rec, kl := update(tp, m, opt, x, eps)
			n := float64(len(idx))
			if (st.Step+1)%10 == 0 {
				r.Metric(st.Step+1, "losses/train_loss", loss/n)
				r.Metric(st.Step+1, "losses/reconstruction", rec/n)
				r.Metric(st.Step+1, "losses/kl", kl/n)
			}
			return fmt.Sprintf("loss %.2f", loss/n), nil
		},
		EndEpoch: func() error {
			loss := TestLoss(m, test, job.Seed, streamTest)
			r.Metric(st.Step, "test/loss_nats", loss)
			r.Logf("epoch %d/%d: test loss %.2f nats per image", st.Epoch+1, cfg.Epochs, loss)
			return pics.epoch(r, fmt.Sprintf("epoch%02d", st.Epoch+1))
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
		return Result{}, err
	}

	res := Result{TestLoss: TestLoss(m, test, job.Seed, streamTest), Epochs: st.Epoch}
	line := fmt.Sprintf("test loss %.2f nats per image (one z sample each)", res.TestLoss)
	if cfg.IWSamples > 0 {
		nll := IWNLL(m, test, cfg.IWSamples, job.Seed, streamIW)
		res.TestNLLIW = &nll
		r.Metric(st.Step, "test/nll_iw_nats", nll)
		line += fmt.Sprintf("; importance-weighted NLL with %d samples %.2f nats", cfg.IWSamples, nll)
	}
	r.Logf("%s", line)
	if err := nets.SaveTensors(r.Path("model.safetensors"), params, map[string]string{"arcade.experiment": "vae"}); err != nil {
		return res, err
	}
	if err := r.Flush(); err != nil {
		return res, err
	}
	return res, run.PlotCurves([]string{r.Dir}, r.Path("curves.png"))
}

// update makes one optimizer step on -ELBO of the batch x with the noise
// eps of the reparameterization, summed over the images as
// pytorch/examples sums it, and returns the loss and its two terms.
func update(tp *nets.Tape, m Model, opt nets.Optimizer, x, eps *nets.Tensor) (loss, rec, kl float64) {
	tp.Reset()
	opt.ZeroGrad()
	mu, logvar := m.Encode(tp, x)
	logits := m.Decode(tp, Reparameterize(tp, mu, logvar, eps))
	l, r, k := NegELBO(tp, logits, x, mu, logvar)
	l.Backward()
	opt.Step()
	return float64(l.Item()), float64(r.Item()), float64(k.Item())
}

// LoadModel builds the VAE of cfg for c×h×w images and loads its weights
// from path (a run's model.safetensors).
func LoadModel(path string, cfg Config, c, h, w int) (Model, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	m := NewModel(cfg, c, h, w, 0)
	if _, err := nets.LoadTensors(path, m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}
