package charlm

import (
	"fmt"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Validation's layout (see the package doc): up to evalStreams stretches
// side by side, each after a burn-in of evalBurnIn characters.
const (
	evalStreams = 64
	evalBurnIn  = 256
)

// Evaluate returns the mean loss in nats per character of the model
// predicting every character of tokens but the first, in evaluation mode,
// reading chunks of seqLen steps with the state carried across them.
func Evaluate(m *Model, tokens []int, seqLen int) float64 {
	n := len(tokens) - 1 // scored characters: tokens[1:]
	if n < 1 {
		return 0
	}
	sum, scored := evaluate(m, tokens, seqLen)
	if scored != n {
		panic(fmt.Sprintf("charlm: validation scored %d of %d characters", scored, n))
	}
	return sum / float64(n)
}

// evaluate returns the summed loss of the characters it scores and their
// number.
func evaluate(m *Model, tokens []int, seqLen int) (sum float64, scored int) {
	n := len(tokens) - 1
	S := min(evalStreams, max(1, n/(4*evalBurnIn)))
	L := (n + S - 1) / S // scored characters per stream
	burn := 0
	if S > 1 {
		burn = evalBurnIn
	}
	steps := burn + L
	// Stream s scores targets [1 + s·L, 1 + (s+1)·L) and starts its
	// inputs burn characters earlier (stream 0 at 0, running past its
	// range unscored).
	start := func(s int) int { return max(0, s*L-burn) }
	tp := &nets.Tape{NoGrad: true}
	x, y := make([]int, seqLen*S), make([]int, seqLen*S)
	weight := make([]bool, seqLen*S)
	var carry rnn.Carry
	for k0 := 0; k0 < steps; k0 += seqLen {
		T := min(seqLen, steps-k0)
		for t := 0; t < T; t++ {
			for s := 0; s < S; s++ {
				i, j := start(s)+k0+t, t*S+s // input index, position in the chunk
				x[j], y[j], weight[j] = 0, 0, false
				if i+1 <= n {
					x[j], y[j] = tokens[i], tokens[i+1]
					weight[j] = i+1 >= 1+s*L && i+1 < 1+(s+1)*L
				}
			}
		}
		tp.Reset()
		logits, final := m.Forward(tp, x[:T*S], T, S, carry.Init())
		losses := nets.CrossEntropy(tp, logits, y[:T*S], nets.ReduceNone)
		for j, l := range losses.Data {
			if weight[j] {
				sum += float64(l)
				scored++
			}
		}
		carry.Keep(final)
	}
	return sum, scored
}
