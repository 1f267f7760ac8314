package dqn

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
	"github.com/arcadelab/arcade/replay"
)

// Complete fills in what a preset leaves to the env: the network that
// suits its observations (AutoNet) when Net is empty, and the MLP's hidden
// sizes (128, 128) when Hidden is.
func (c *Config) Complete() error {
	env, err := envs.Make(c.Env, c.EnvOpts)
	if err != nil {
		return err
	}
	if c.Net == "" {
		c.Net = AutoNet(env.ObservationSpace().Shape)
	}
	if c.Net == "mlp" && len(c.Hidden) == 0 {
		c.Hidden = []int{128, 128}
	}
	return nil
}

// checkNet returns an error when the network c.Net cannot take
// observations of shape.
func checkNet(c Config, shape []int) error {
	if c.Net == "mlp" {
		return nil
	}
	chw, ok := convInput(shape)
	if !ok {
		return fmt.Errorf("net %s: observations %v are not images [C, H, W] or [H, W]; use --net mlp", c.Net, shape)
	}
	k, stride := 3, 1 // minatar: one 3x3 conv
	if c.Net == "nature" {
		k, stride = 36, 1 // the three convs need 36x36 at least
	}
	if models.ConvOutput(chw[1], k, stride) < 1 || models.ConvOutput(chw[2], k, stride) < 1 {
		return fmt.Errorf("net %s: observations %v are too small for its conv layers; use --net mlp", c.Net, shape)
	}
	return nil
}

// convInput returns an image observation's [C, H, W], taking [H, W] as
// one channel.
func convInput(shape []int) ([]int, bool) {
	switch len(shape) {
	case 2:
		return []int{1, shape[0], shape[1]}, true
	case 3:
		return shape, true
	}
	return nil, false
}

// newQNet returns the Q-network c describes for observations of shape
// and the given number of actions, its weights drawn from rng.
func newQNet(c Config, shape []int, actions int, rng *rand.Rand) *models.QNet {
	if chw, ok := convInput(shape); ok && c.Net != "mlp" {
		if c.Net == "nature" {
			return models.NewNatureQNet(rng, chw[0], chw[1], chw[2], actions, c.head())
		}
		return models.NewMinAtarQNet(rng, chw[0], chw[1], chw[2], actions, c.head())
	}
	in := 1
	for _, d := range shape {
		in *= d
	}
	return models.NewMLPQNet(rng, in, c.Hidden, actions, c.head())
}

// head returns the Q-network's head that c describes.
func (c Config) head() models.Head {
	return models.Head{Dueling: c.Dueling, Atoms: c.Atoms, VMin: c.VMin, VMax: c.VMax}
}

// inputScale is what an observation's values are multiplied by before the
// network sees them: 1/255 for pixels, 1 for 0/1 grids and for float32
// observations.
func inputScale(space envs.Box) float32 {
	if space.Dtype != envs.Uint8 {
		return 1
	}
	hi := 0.0
	for i := range space.Size() {
		_, h := space.Bounds(i)
		hi = max(hi, h)
	}
	return float32(1 / max(hi, 1))
}

// frameStack returns the K of the FrameStack wrapper in env, or 1.
func frameStack(env envs.Env) int {
	for {
		if fs, ok := env.(*envs.FrameStack); ok {
			return fs.K
		}
		w, ok := env.(envs.Wrapper)
		if !ok {
			return 1
		}
		env = w.Inner()
	}
}

// bufferConfig returns the replay buffer's configuration for env.
func bufferConfig(c Config, env envs.Env) (replay.Config, error) {
	space := env.ObservationSpace()
	rc := replay.DefaultConfig()
	rc.Capacity, rc.ObsShape, rc.FrameStack, rc.Scale = c.BufferSize, space.Shape, frameStack(env), inputScale(space)
	rc.NStep, rc.Gamma, rc.Prioritized, rc.Alpha = c.NStep, c.Gamma, c.Prioritized, c.PrioAlpha
	if space.Dtype != envs.Uint8 {
		rc.DType = replay.F32
	}
	if need := rc.NStep + rc.FrameStack + 1; rc.Capacity < need {
		return rc, fmt.Errorf("buffer-size %d: want at least %d (n-step + frame stack + 1)", c.BufferSize, need)
	}
	if env.ActionSpace().N > 256 {
		return rc, fmt.Errorf("env %s has %d actions; the replay buffer stores at most 256", c.Env, env.ActionSpace().N)
	}
	return rc, nil
}

// Policy is a Q-network acting on observations as the env gives them:
// uint8 values are scaled as in training. It is the rollout.Policy of a
// DQN run (arcade eval, arcade watch) and the trainer's own actor. Not
// safe for concurrent use.
type Policy struct {
	Net   *models.QNet
	shape []int // one observation
	size  int
	scale float32
	tape  *nets.Tape   // evaluation mode, no gradients
	x     *nets.Tensor // the input batch
}

// NewPolicy returns the policy of net for observations of space.
func NewPolicy(net *models.QNet, space envs.Box) *Policy {
	return &Policy{Net: net, shape: space.Shape, size: space.Size(), scale: inputScale(space),
		tape: &nets.Tape{NoGrad: true}, x: nets.New(append([]int{1}, space.Shape...)...)}
}

// NumActions is the number of actions.
func (p *Policy) NumActions() int { return p.Net.Actions }

// QValues writes the Q-values of each observation of obs into q.
func (p *Policy) QValues(obs envs.Obs, q []float32) {
	n := obs.Len() / p.size
	if n*p.size != obs.Len() || n == 0 {
		panic(fmt.Sprintf("dqn: QValues of %d values; observations have %d", obs.Len(), p.size))
	}
	if len(q) != n*p.Net.Actions {
		panic(fmt.Sprintf("dqn: QValues of %d observations into %d values, want %d", n, len(q), n*p.Net.Actions))
	}
	if cap(p.x.Data) < n*p.size {
		p.x.Data = make([]float32, n*p.size)
	}
	p.x.Shape[0], p.x.Data = n, p.x.Data[:n*p.size]
	if obs.U8 != nil {
		replay.Scale(p.x.Data, obs.U8, p.scale)
	} else {
		copy(p.x.Data, obs.F32)
	}
	p.tape.Reset()
	copy(q, p.Net.Forward(p.tape, p.x).Data)
}

var _ rollout.Policy = (*Policy)(nil)

// LoadPolicy returns the policy of a network that a run of cfg saved at
// path (model.safetensors, best.safetensors): the network cfg describes,
// with the file's weights, which must match it name for name and shape for
// shape.
func LoadPolicy(cfg Config, path string) (*Policy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	env, _ := envs.Make(cfg.Env, cfg.EnvOpts)
	space := env.ObservationSpace()
	net := newQNet(cfg, space.Shape, env.ActionSpace().N, rand.New(rand.NewPCG(0, 0)))
	if _, err := nets.LoadTensors(path, net.Params()); err != nil {
		return nil, err
	}
	return NewPolicy(net, space), nil
}
