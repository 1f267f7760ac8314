package ae

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
)

// Result is what arcade train ae reports (DESIGN.md's --json keys): the
// autoencoder's and PCA's test errors, the noisy inputs' own error for a
// denoising autoencoder, and the active fraction of a ReLU code.
type Result struct {
	TestBCE       float64  `json:"test_bce_nats"`
	TestMSE       float64  `json:"test_mse"`
	PCABCE        float64  `json:"pca_bce_nats"`
	PCAMSE        float64  `json:"pca_mse"`
	NoisyInputBCE *float64 `json:"noisy_input_bce_nats,omitempty"`
	CodeActivity  *float64 `json:"code_activity,omitempty"`
}

// Random streams: every draw derives from the seed and its stream, so a
// resumed run draws what an uninterrupted one does.
const (
	streamInit    = 1       // the weights
	streamEval    = 2       // the noise of the test inputs
	streamSample  = 3       // the codes of the sample grids
	streamShuffle = 1 << 40 // + epoch (stacked: + phase << 20): an epoch's order
	streamStep    = 2 << 40 // + step: the noise of a step's inputs
)

// gridImages is how many test images the reconstruction grids show.
const gridImages = 32

// NewModel builds the autoencoder of cfg for images of c×h×w values,
// drawing its weights from the seed's init stream.
func NewModel(cfg Config, c, h, w int, seed uint64) Autoencoder {
	rng := rand.New(rand.NewPCG(seed, streamInit))
	if cfg.Kind == Conv {
		return NewConvAE(rng, c, h, w, cfg.Code)
	}
	return NewMLP(rng, cfg.Sizes(c*h*w), cfg.CodeAct, cfg.Kind == Tied)
}

// trainer holds one run's model, optimizer and buffers.
type trainer struct {
	job         trainloop.Job
	cfg         Config
	train, test imgset.Set
	model       Autoencoder
	opt         nets.Optimizer
	st          trainloop.State
	tp, evalTp  *nets.Tape
	x, xin      *nets.Tensor // the clean batch and the one fed to the encoder
	stepPCG     *rand.PCG
	stepRNG     *rand.Rand
	last        Eval
}

// Train trains the autoencoder of cfg on train and scores it on test,
// writing into job.Run each epoch's test scores, reconstruction and sample
// grids and a checkpoint, and at the end model.safetensors, units.png,
// weights.png and curves.png.
func Train(job trainloop.Job, cfg Config, trainDigits, testDigits data.Digits) (Result, error) {
	if err := cfg.Check(); err != nil {
		panic("ae: " + err.Error())
	}
	train, test := imgset.FromDigits(trainDigits), imgset.FromDigits(testDigits)
	t := &trainer{job: job, cfg: cfg, train: train, test: test, model: NewModel(cfg, train.C, train.H, train.W, job.Seed),
		tp: nets.NewTape(), evalTp: &nets.Tape{NoGrad: true}}
	t.stepPCG = rand.NewPCG(job.Seed, streamStep)
	t.stepRNG = rand.New(t.stepPCG)
	t.x, t.xin = nets.New(cfg.Batch, train.Dim()), nets.New(cfg.Batch, train.Dim())
	r := job.Run
	layers := fmt.Sprint(cfg.Sizes(train.Dim()))
	if cfg.Kind == Conv {
		layers = fmt.Sprintf("conv %d-%d-%d-%d channels, fc to %d", train.C, convC1, convC2, convC2, cfg.Code)
	}
	r.Logf("autoencoder %s: layers %s, %s code, l1 %g, contractive %g, noise %q %g; Adam lr %g, batch %d, %d epochs; %d parameters; %d training and %d test images",
		cfg.Kind, layers, cfg.CodeAct, cfg.L1, cfg.Contractive, cfg.Noise.Kind, cfg.Noise.Level,
		cfg.LR, cfg.Batch, cfg.Epochs, nets.Count(t.model.Params()), train.N, test.N)
	var err error
	if cfg.Kind == Stacked {
		err = t.stacked()
	} else {
		err = t.plain()
	}
	if err != nil {
		return Result{}, err
	}
	return t.finish()
}

// newAdam returns Adam at the configured rate over params.
func (t *trainer) newAdam(params []nets.Param) nets.Optimizer {
	c := nets.DefaultAdamConfig()
	c.LR = t.cfg.LR
	return nets.NewAdam(params, c)
}

// plain trains every kind but the stacked one: one phase, all the
// parameters, the loss of step.
func (t *trainer) plain() error {
	t.opt = t.newAdam(t.model.Params())
	parts := []trainloop.Part{{Name: "model", Params: t.model.Params(), Opt: t.opt}}
	if err := t.restore(parts); err != nil {
		return err
	}
	loop := t.loop(parts, streamShuffle, t.cfg.Epochs, t.step)
	return loop.Run(t.job.Ctx, &t.st)
}

// restore loads the checkpoint of a resumed run into parts.
func (t *trainer) restore(parts []trainloop.Part) error {
	if !t.job.Resume {
		return nil
	}
	st, _, err := trainloop.Load(t.job.Run.Path(trainloop.CheckpointFile), parts)
	if err != nil {
		return err
	}
	t.st = st
	t.job.Run.Logf("resuming at phase %d, epoch %d, batch %d (step %d)", st.Phase, st.Epoch+1, st.Batch, st.Step)
	return nil
}

// loop returns the epoch loop of one phase over the training set.
func (t *trainer) loop(parts []trainloop.Part, stream uint64, epochs int, step func(idx []int) (string, error)) *trainloop.Loop {
	return &trainloop.Loop{Seed: t.job.Seed, Stream: stream, N: t.train.N, Batch: t.cfg.Batch, Epochs: epochs,
		Step: step, Progress: t.job.Progress,
		EndEpoch: func() error { return t.endEpoch(fmt.Sprintf("epoch%02d", t.st.Epoch+1)) },
		Save: func() error {
			t.st.Elapsed = t.job.Run.Elapsed()
			if err := t.job.Run.Flush(); err != nil {
				return err
			}
			return trainloop.Save(t.job.Run.Path(trainloop.CheckpointFile), parts, t.st, nil)
		},
	}
}

// batch fills x with the images idx and xin with the encoder's input: x
// itself, or a copy corrupted by the step's noise.
func (t *trainer) batch(idx []int) *nets.Tensor {
	t.train.Gather(t.x, idx)
	if t.cfg.Noise.Kind == "" {
		return t.x
	}
	t.stepPCG.Seed(t.job.Seed, streamStep+uint64(t.st.Step))
	t.xin.Shape[0], t.xin.Data = t.x.Shape[0], t.xin.Data[:len(t.x.Data)]
	copy(t.xin.Data, t.x.Data)
	imgset.Corrupt(t.xin.Data, t.cfg.Noise.Kind, t.cfg.Noise.Level, t.stepRNG)
	return t.xin
}

// step trains one mini-batch (update) and logs its loss.
func (t *trainer) step(idx []int) (string, error) {
	loss := t.update(t.batch(idx), len(idx))
	if (t.st.Step+1)%10 == 0 {
		t.job.Run.Metric(t.st.Step+1, "losses/train_loss", float64(loss))
	}
	return fmt.Sprintf("loss %.2f", loss), nil
}

// update makes one optimizer step on the loss of a batch of n images
// whose encoder input is in (t.x holds the clean images): the BCE of the
// reconstruction against the clean images, summed over pixels, plus the
// penalties, averaged over the images. It returns the loss.
func (t *trainer) update(in *nets.Tensor, n int) float32 {
	tp := t.tp
	tp.Reset()
	t.opt.ZeroGrad()
	h := t.model.Encode(tp, in)
	loss := nets.BCEWithLogits(tp, t.model.Decode(tp, h), t.x, nets.ReduceSum)
	if t.cfg.L1 > 0 {
		loss = nets.Add(tp, loss, nets.MulScalar(tp, nets.SumAll(tp, nets.Abs(tp, h)), float32(t.cfg.L1)))
	}
	if t.cfg.Contractive > 0 {
		w := t.model.(*MLP).Enc[0].W
		loss = nets.Add(tp, loss, nets.MulScalar(tp, ContractivePenalty(tp, h, w), float32(t.cfg.Contractive)))
	}
	loss = nets.MulScalar(tp, loss, 1/float32(n))
	loss.Backward()
	t.opt.Step()
	return loss.Item()
}

// endEpoch scores the model on the test set and draws its grids, named
// after tag.
func (t *trainer) endEpoch(tag string) error {
	r := t.job.Run
	e := Evaluate(t.evalTp, t.model, t.test, t.cfg.Noise, t.job.Seed, streamEval)
	t.last = e
	step := t.st.Step
	r.Metric(step, "test/bce_nats", e.BCE)
	r.Metric(step, "test/mse", e.MSE)
	line := fmt.Sprintf("%s: test BCE %.2f nats, MSE %.5f", tag, e.BCE, e.MSE)
	if !math.IsNaN(e.Activity) {
		r.Metric(step, "test/code_activity", e.Activity)
		line += fmt.Sprintf(", code activity %.3f", e.Activity)
	}
	r.Logf("%s", line)
	if err := t.reconGrid(r.Path("reconstructions_" + tag + ".png")); err != nil {
		return err
	}
	return t.sampleGrid(r.Path("samples_"+tag+".png"), e)
}

// finish writes the final files and scores the model and PCA.
func (t *trainer) finish() (Result, error) {
	r := t.job.Run
	e := Evaluate(t.evalTp, t.model, t.test, t.cfg.Noise, t.job.Seed, streamEval)
	pca := FitPCA(t.train, t.cfg.Code)
	ps := EvaluatePCA(pca, t.test, t.cfg.Noise, t.job.Seed, streamEval)
	res := Result{TestBCE: e.BCE, TestMSE: e.MSE, PCABCE: ps.BCE, PCAMSE: ps.MSE}
	r.Logf("test: autoencoder BCE %.2f nats, MSE %.5f; PCA with %d components BCE %.2f nats, MSE %.5f",
		e.BCE, e.MSE, pca.K, ps.BCE, ps.MSE)
	if t.cfg.Noise.Kind != "" {
		v := e.Noisy.BCE
		res.NoisyInputBCE = &v
		clean := Evaluate(t.evalTp, t.model, t.test, Noise{}, t.job.Seed, streamEval)
		r.Logf("noisy test inputs (%s %g) scored against the clean images: BCE %.2f nats, MSE %.5f; the autoencoder on clean inputs: BCE %.2f, MSE %.5f",
			t.cfg.Noise.Kind, t.cfg.Noise.Level, e.Noisy.BCE, e.Noisy.MSE, clean.BCE, clean.MSE)
	}
	if !math.IsNaN(e.Activity) {
		v := e.Activity
		res.CodeActivity = &v
	}
	if err := nets.SaveTensors(r.Path("model.safetensors"), t.model.Params(), modelMeta(t.cfg)); err != nil {
		return res, err
	}
	if err := WriteUnitViews(r.Dir, t.model, t.test); err != nil {
		return res, err
	}
	if err := r.Flush(); err != nil {
		return res, err
	}
	return res, run.PlotCurves([]string{r.Dir}, r.Path("curves.png"))
}

// modelMeta is the metadata of a saved model.
func modelMeta(cfg Config) map[string]string {
	return map[string]string{"arcade.experiment": "ae", "arcade.kind": cfg.Kind}
}

// LoadModel builds the autoencoder of cfg for c×h×w images and loads its
// weights from path (a run's model.safetensors).
func LoadModel(path string, cfg Config, c, h, w int) (Autoencoder, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	m := NewModel(cfg, c, h, w, 0)
	if _, err := nets.LoadTensors(path, m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}
