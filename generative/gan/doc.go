// Package gan holds arcade's generative adversarial networks (Goodfellow
// et al. 2014): a generator G maps noise z ~ N(0, I) to an image, a
// discriminator D gives the logit of the probability that an image is
// real, and the two are trained in turn on the minimax game, D to tell
// the training images from G's, G with the non-saturating loss
// -log D(G(z)) by default or the game's own saturating log(1 - D(G(z))).
//
// Two architectures on MNIST: an MLP GAN and a DCGAN (Radford et al.
// 2016: transposed convolutions, batch norm, LeakyReLU 0.2 in D, tanh
// output, Adam 2e-4 with β1 0.5, weights from N(0, 0.02)). A run logs
// loss_D, loss_G, D(x) and D(G(z)) at every step and draws a fixed-noise
// sample grid each epoch.
//
// Evaluation (EvaluateGenerator) compares 10,000 samples with the 10,000
// test images by the Frechet distance between Gaussians fitted to the
// penultimate-layer features of an MNIST classifier (arcade's LeNet), and
// puts the number beside the same distance for 10,000 training images
// (the floor), the test images with Gaussian noise, blurred, and those of
// the digit 1 alone; the classifier's predictions on the samples give a
// class histogram whose entropy shows mode collapse.
//
// Train1D is the sampling idea in one dimension: a GAN that maps uniform
// noise to a bimodal distribution learns a map comparable to the inverse
// CDF.
package gan
