package seq2seq

import (
	"fmt"
	"io"

	"github.com/arcadelab/arcade/generative/bleu"
	"github.com/arcadelab/arcade/viz/plot"
)

// CharBLEU scores outputs against their targets (one reference each) with
// every character a token: corpus BLEU (sacreBLEU's defaults: exp
// smoothing) and the mean of the sentence BLEUs (sentence defaults: exp
// smoothing, effective order).
func CharBLEU(outputs, targets []string) (corpus bleu.Result, sentenceMean float64) {
	if len(outputs) != len(targets) {
		panic(fmt.Sprintf("seq2seq: %d outputs and %d targets", len(outputs), len(targets)))
	}
	var total bleu.Stats
	sum := 0.0
	for i, o := range outputs {
		s := bleu.SentenceStats(bleu.Chars(o), [][]string{bleu.Chars(targets[i])})
		total.Add(s)
		sum += bleu.Score(s, bleu.SentenceOptions()).BLEU
	}
	if len(outputs) > 0 {
		sentenceMean = sum / float64(len(outputs))
	}
	return bleu.Score(total, bleu.CorpusOptions()), sentenceMean
}

// WriteAttentionMap draws the attention weights of one translation as a
// PNG heatmap: a row per output character (the last one EOS, when the
// output ended), a column per input character (spaces drawn as '_').
func WriteAttentionMap(w io.Writer, alpha [][]float32, source, output string, title string) error {
	if len(alpha) == 0 {
		return fmt.Errorf("seq2seq: an attention map without rows")
	}
	cols := len(source)
	rowLabels := make([]string, len(alpha))
	for i := range alpha {
		if len(alpha[i]) != cols {
			return fmt.Errorf("seq2seq: attention row %d has %d weights for %d input characters", i, len(alpha[i]), cols)
		}
		rowLabels[i] = "<eos>"
		if i < len(output) {
			rowLabels[i] = output[i : i+1]
		}
	}
	colLabels := make([]string, cols)
	for j := range cols {
		colLabels[j] = source[j : j+1]
		if source[j] == ' ' {
			colLabels[j] = "_"
		}
	}
	values := make([]float64, 0, len(alpha)*cols)
	for _, row := range alpha {
		for _, x := range row {
			values = append(values, float64(x))
		}
	}
	return plot.Heatmap(w, values, len(alpha), cols, rowLabels, colLabels, title)
}
