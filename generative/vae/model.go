package vae

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Model is a VAE: an encoder from x [N, D] to the mean and log-variance
// [N, Z] of q(z|x), and a decoder from z [N, Z] to the logits [N, D] of
// p(x|z) (a Bernoulli per value, whose mean is sigmoid(logits)).
type Model interface {
	Encode(tp *nets.Tape, x *nets.Tensor) (mu, logvar *nets.Tensor)
	Decode(tp *nets.Tape, z *nets.Tensor) *nets.Tensor
	Params() []nets.Param
	Latent() int
}

// MLP is pytorch/examples' VAE with sizes as parameters.
//
// Shape: x [N, D] -> h = relu(fc1(x)) [N, H] -> μ = fc21(h), log σ² =
// fc22(h) [N, Z]; z [N, Z] -> relu(fc3(z)) [N, H] -> logits fc4(·) [N, D].
// Parameters "fc1.weight" [H, D], "fc1.bias", "fc21.*", "fc22.*", "fc3.*",
// "fc4.*", named as in the PyTorch example. Init: nn.Linear's default.
type MLP struct {
	FC1, FC21, FC22, FC3, FC4 *nets.Linear
}

// NewMLP returns a VAE for inputs of d values with hidden layers of h
// units and a latent space of z dimensions, drawn from rng.
func NewMLP(rng *rand.Rand, d, h, z int) *MLP {
	if d < 1 || h < 1 || z < 1 {
		panic(fmt.Sprintf("vae: MLP of sizes %d, %d, %d", d, h, z))
	}
	return &MLP{
		FC1: nets.NewLinear(rng, d, h), FC21: nets.NewLinear(rng, h, z), FC22: nets.NewLinear(rng, h, z),
		FC3: nets.NewLinear(rng, z, h), FC4: nets.NewLinear(rng, h, d),
	}
}

// Encode returns μ and log σ² of q(z|x).
func (m *MLP) Encode(tp *nets.Tape, x *nets.Tensor) (mu, logvar *nets.Tensor) {
	h := nets.ReLU(tp, m.FC1.Forward(tp, x))
	return m.FC21.Forward(tp, h), m.FC22.Forward(tp, h)
}

// Decode returns the logits of p(x|z).
func (m *MLP) Decode(tp *nets.Tape, z *nets.Tensor) *nets.Tensor {
	return m.FC4.Forward(tp, nets.ReLU(tp, m.FC3.Forward(tp, z)))
}

// Params returns fc1, fc21, fc22, fc3 and fc4's weights and biases.
func (m *MLP) Params() []nets.Param {
	var ps []nets.Param
	for _, l := range []struct {
		name string
		l    *nets.Linear
	}{{"fc1.", m.FC1}, {"fc21.", m.FC21}, {"fc22.", m.FC22}, {"fc3.", m.FC3}, {"fc4.", m.FC4}} {
		ps = append(ps, nets.Prefix(l.name, l.l.Params())...)
	}
	return ps
}

// Latent returns Z.
func (m *MLP) Latent() int { return m.FC21.W.Shape[0] }

var _ Model = (*MLP)(nil)

// Reparameterize returns z = μ + exp(½ log σ²)·ε for the noise ε (a leaf
// of the same shape, drawn from N(0, I) by the caller): the sample of
// q(z|x) through which gradients reach μ and log σ².
func Reparameterize(tp *nets.Tape, mu, logvar, eps *nets.Tensor) *nets.Tensor {
	return nets.Add(tp, mu, nets.Mul(tp, nets.Exp(tp, nets.MulScalar(tp, logvar, 0.5)), eps))
}

// NegELBO returns the loss of a batch, summed over its images: BCE of the
// logits against x summed over the values, plus the KL divergence of
// N(μ, σ²) from N(0, I); rec and kl are the two terms.
func NegELBO(tp *nets.Tape, logits, x, mu, logvar *nets.Tensor) (loss, rec, kl *nets.Tensor) {
	rec = nets.BCEWithLogits(tp, logits, x, nets.ReduceSum)
	kl = nets.GaussianKL(tp, mu, logvar, nets.ReduceSum)
	return nets.Add(tp, rec, kl), rec, kl
}
