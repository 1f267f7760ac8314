// Package seq2seq translates character sequences with an encoder-decoder
// and attention, after the seq2seq chapter of the syllabus, on its example:
// dates written by people ("tuesday march 9 1993") to ISO 8601
// ("1993-03-09").
//
// The model: a bidirectional recurrent encoder (nets/rnn) reads the input
// characters; a recurrent decoder writes the output one character at a
// time, reading at each step a context vector that additive attention
// (Bahdanau et al., 2015) averages from the encoder states with weights α,
// how much each input position matters for that output. Training uses
// teacher forcing: the decoder is fed the true previous character.
//
// Decoding (decode.go) works on any Stepper: greedy search, beam search of
// width B whose hypotheses are ranked by their summed log-probabilities
// divided by T^α (length normalisation), and forced decoding that scores a
// given output. The error analysis (analysis.go) asks of every wrong
// output whether the model prefers the right answer (the search is at
// fault) or the wrong one (the model is at fault).
package seq2seq
