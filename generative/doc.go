// Package generative groups arcade's non-RL experiments, each in its own
// sub-package: autoencoders, VAEs and GANs, and the sequence models
// (character language model, seq2seq with attention, word embeddings).
package generative
