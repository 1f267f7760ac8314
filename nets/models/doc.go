// Package models is arcade's model zoo: networks built from nets' layers
// and ops, each a struct with Forward(tp, x) and Params() (nets.Layer),
// its parameters named for checkpoints as PyTorch would name them
// ("fc1.weight"). The MNIST classifiers (MLP, LeNet), the case-study CNNs
// and the DQN networks live here, so that training, evaluation and the
// GAN's Frechet distance use the same definitions.
package models
