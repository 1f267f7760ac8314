// Package charlm is the character language model: an embedding of each
// character, a stacked LSTM or GRU (nets/rnn) and a softmax over the next
// character, trained by truncated back-propagation through time on a text
// file, evaluated in nats per character on the last tenth of the file, and
// sampled with a temperature from a prompt (Karpathy's char-rnn; Graves
// 2013).
//
// Training reads the first 90% of the text as B parallel streams
// (contiguous stretches of it), each epoch in consecutive chunks of T
// characters whose final hidden state starts the next chunk (no gradient
// crosses chunks). Validation covers the last 10% in consecutive chunks
// with the state carried across them: the text is cut into up to 64
// stretches run side by side, each starting from the state left by a
// burn-in over the 256 characters before it (not scored), so that every
// character but the first is scored once, from a warm state.
package charlm
