//go:build noasm || !amd64

package rnn

// sigmoids sets x[i] = σ(x[i]).
func sigmoids(x []float32) { sigmoidsGo(x) }

// tanhs sets x[i] = tanh(x[i]).
func tanhs(x []float32) { tanhsGo(x) }

// lstmBackwardVector does no units: the Go loop does them all.
func lstmBackwardVector(dG, dcPrev, a, tc, cp, dh, dc []float32) int { return 0 }

// addTo adds x into dst.
func addTo(dst, x []float32) {
	x = x[:len(dst)]
	for j, v := range x {
		dst[j] += v
	}
}

// lstmCellVector does no units: the Go loop does them all.
func lstmCellVector(c, a, cp []float32) int { return 0 }

// mulVector does no elements: the Go loop does them all.
func mulVector(dst, x, y []float32) int { return 0 }
