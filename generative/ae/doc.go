// Package ae holds arcade's autoencoders on MNIST (Goodfellow et al. 2016,
// chapter 14): an encoder maps an image x to a code h, a decoder maps h
// back to the logits of a reconstruction x̂ = sigmoid(decoder(h)), and
// training minimises the binary cross-entropy of x̂ against x summed over
// the pixels (plus a regularizer), averaged over the images.
//
// The kinds (Config.Kind):
//
//	undercomplete  784-128-32 and back, ReLU hidden layers, a linear code
//	overcomplete   784-1024-784, a ReLU code larger than the input, kept
//	               from learning the identity by an L1 penalty on the code
//	tied           undercomplete with the decoder using the encoder's
//	               weights transposed (nets.NewTiedLinear): one weight per
//	               layer, the gradients of both uses summed
//	sparse         784-256-784 with λ Σ|h| added to the loss; the run
//	               reports the fraction of active code units
//	denoising      undercomplete trained on corrupted inputs (masking or
//	               Gaussian noise) against the clean images (Vincent et al.
//	               2008) and scored the same way
//	contractive    784-256-784 with a sigmoid code and the penalty
//	               λ‖∂h/∂x‖²_F, in closed form for a sigmoid layer (Rifai
//	               et al. 2011): Σ_i (h_i(1-h_i))² Σ_j W_ij²
//	conv           two stride-2 convolutions (16, 32 channels) and a linear
//	               layer to a code of 32, mirrored by transposed convolutions
//	stacked        784-256-128-32: shallow tied autoencoders pretrained
//	               layer by layer, unrolled into a deep autoencoder and
//	               fine-tuned with untied weights (Hinton and
//	               Salakhutdinov 2006)
//
// Every run is scored on the MNIST test set beside PCA with the same code
// size fitted on the training set (FitPCA): the BCE summed over the pixels
// with outputs clamped to [1e-7, 1-1e-7] and the mean squared error over
// the pixels, each averaged over the test images. Units and WeightImages
// draw what a unit learned: the test images that activate it most, and its
// input weights as an image.
package ae
