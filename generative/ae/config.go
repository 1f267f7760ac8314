package ae

import (
	"fmt"
	"slices"

	"github.com/arcadelab/arcade/generative/internal/imgset"
)

// The kinds of autoencoder (see the package documentation).
const (
	Undercomplete = "undercomplete"
	Overcomplete  = "overcomplete"
	Tied          = "tied"
	Sparse        = "sparse"
	Denoising     = "denoising"
	Contractive   = "contractive"
	Conv          = "conv"
	Stacked       = "stacked"
)

// Kinds lists the kinds in the order the CLI's help shows them.
var Kinds = []string{Undercomplete, Overcomplete, Tied, Sparse, Denoising, Contractive, Conv, Stacked}

// Config is one autoencoder's architecture, regularizer and training
// schedule; each field is a flag of arcade train ae.
type Config struct {
	Kind        string  `json:"kind"`
	Hidden      []int   `json:"hidden"`          // encoder layers between the input and the code
	Code        int     `json:"code"`            // code units
	CodeAct     string  `json:"code_activation"` // Linear, ReLU or Sigmoid
	L1          float64 `json:"l1"`              // λ of λ Σ|h| per image
	Contractive float64 `json:"contractive"`     // λ of λ‖∂h/∂x‖²_F per image
	Noise
	LR             float64 `json:"lr"`              // Adam's learning rate
	Batch          int     `json:"batch"`           // images per step
	Epochs         int     `json:"epochs"`          // passes over the training set (stacked: fine-tuning)
	PretrainEpochs int     `json:"pretrain_epochs"` // stacked: passes per pretrained layer
}

// Preset returns the configuration of a kind, the defaults of arcade
// train ae --kind.
func Preset(kind string) (Config, error) {
	c := Config{Kind: kind, Hidden: []int{128}, Code: 32, CodeAct: Linear, LR: 1e-3, Batch: 128, Epochs: 10}
	switch kind {
	case Undercomplete, Tied:
	case Overcomplete:
		c.Hidden, c.Code, c.CodeAct, c.L1 = nil, 1024, ReLU, 0.01
	case Sparse:
		c.Hidden, c.Code, c.CodeAct, c.L1 = nil, 256, ReLU, 0.3
	case Denoising:
		c.Noise = Noise{Kind: imgset.Masking, Level: 0.3}
	case Contractive:
		c.Hidden, c.Code, c.CodeAct, c.Contractive = nil, 256, Sigmoid, 1
	case Conv:
		c.Hidden, c.Epochs = nil, 5
	case Stacked:
		c.Hidden, c.PretrainEpochs = []int{256, 128}, 3
	default:
		return Config{}, fmt.Errorf("kind %q: want one of %v", kind, Kinds)
	}
	return c, nil
}

// Sizes returns the encoder's layer sizes for input images of d values.
func (c Config) Sizes(d int) []int {
	return append(append([]int{d}, c.Hidden...), c.Code)
}

// Check returns an error naming the first bad setting.
func (c Config) Check() error {
	if _, err := Preset(c.Kind); err != nil {
		return err
	}
	switch {
	case c.Code < 1 || slices.ContainsFunc(c.Hidden, func(n int) bool { return n < 1 }):
		return fmt.Errorf("layer sizes %v and code %d: want 1 or more units each", c.Hidden, c.Code)
	case c.CodeAct != Linear && c.CodeAct != ReLU && c.CodeAct != Sigmoid:
		return fmt.Errorf("code activation %q: want linear, relu or sigmoid", c.CodeAct)
	case !(c.L1 >= 0) || !(c.Contractive >= 0):
		return fmt.Errorf("penalties l1 %v and contractive %v: want 0 or more", c.L1, c.Contractive)
	case c.Contractive > 0 && (len(c.Hidden) > 0 || c.CodeAct != Sigmoid):
		return fmt.Errorf("the contractive penalty is for one sigmoid layer: want no hidden layers and a sigmoid code")
	case c.Noise.Kind != "" && c.Noise.Kind != imgset.Masking && c.Noise.Kind != imgset.Gaussian:
		return fmt.Errorf("noise %q: want masking or gaussian", c.Noise.Kind)
	case c.Noise.Kind == imgset.Masking && !(c.Noise.Level >= 0 && c.Noise.Level < 1):
		return fmt.Errorf("masking noise level %v: want a probability in [0, 1)", c.Noise.Level)
	case c.Noise.Kind == imgset.Gaussian && !(c.Noise.Level >= 0 && c.Noise.Level < 10):
		return fmt.Errorf("gaussian noise level %v: want a standard deviation in [0, 10)", c.Noise.Level)
	case !(c.LR > 0) || c.LR > 10:
		return fmt.Errorf("learning rate %v: want a positive rate", c.LR)
	case c.Batch < 1:
		return fmt.Errorf("batch %d: want 1 or more", c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d: want 1 or more", c.Epochs)
	case c.Kind == Conv && (len(c.Hidden) > 0 || c.CodeAct != Linear):
		return fmt.Errorf("conv: its layers are fixed (no hidden sizes) and its code linear")
	case c.Kind == Stacked && (c.PretrainEpochs < 0 || len(c.Hidden) == 0 || c.CodeAct != Linear):
		return fmt.Errorf("stacked: want pretraining epochs >= 0, hidden layers and a linear code")
	}
	return nil
}
