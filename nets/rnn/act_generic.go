//go:build noasm || !amd64

package rnn

// sigmoids sets x[i] = σ(x[i]).
func sigmoids(x []float32) { sigmoidsGo(x) }

// tanhs sets x[i] = tanh(x[i]).
func tanhs(x []float32) { tanhsGo(x) }
