// Package vae holds arcade's variational autoencoder (Kingma and Welling
// 2014) in the setting of pytorch/examples' VAE: an encoder 784-400-(20,
// 20) to the mean μ and log-variance log σ² of q(z|x), the
// reparameterization z = μ + σ·ε with ε ~ N(0, I), a decoder 20-400-784
// with sigmoid outputs p(x|z), and the loss -ELBO = BCE(x̂, x) summed over
// the pixels + KL(q(z|x) ‖ N(0, I)) in closed form, trained with Adam
// 1e-3 on batches of 128 grey (not binarized) MNIST images.
//
// Test scores: the loss per image with one z sample per test image
// (TestLoss), and an importance-weighted estimate of the negative
// log-likelihood with K samples (Burda et al. 2016), -log (1/K) Σ_k
// p(x|z_k) p(z_k) / q(z_k|x), which is never above the loss in
// expectation and tightens as K grows.
//
// The same model learns game frames collected from an env (data.Frames):
// the input size is then the frame's C·H·W. Sampling from N(0, I),
// interpolating between the codes of two images, and the 2-D latent
// manifold (Latent 2) are in pictures.go.
package vae
