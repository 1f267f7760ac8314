package embed

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/arcadelab/arcade/viz/plot"
)

// WriteReport writes the analogy test's result: accuracy and coverage
// overall and per section, then up to maxWrong questions answered wrong.
func (s AnalogyScore) WriteReport(w io.Writer, qs []Question, maxWrong int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "analogy test a : b :: c : ? by 3CosAdd over unit vectors, a, b and c excluded\n\n")
	fmt.Fprintf(bw, "%-32s %9s %9s %9s %9s\n", "section", "questions", "answered", "accuracy", "coverage")
	for _, sec := range append(s.Sections, SectionScore{Name: "all", Questions: s.Questions, Answered: s.Answered, Correct: s.Correct}) {
		name := sec.Name
		if name == "" {
			name = "(no section)"
		}
		fmt.Fprintf(bw, "%-32s %9d %9d %9.4f %9.4f\n", name, sec.Questions, sec.Answered, sec.Accuracy(), sec.Coverage())
	}
	shown := 0
	for q, p := range s.Predicted {
		if p == "" || p == qs[q].Words[3] || shown == maxWrong {
			continue
		}
		if shown == 0 {
			fmt.Fprintf(bw, "\nanswered wrong (the first %d at most): a b c expected -> given\n", maxWrong)
		}
		shown++
		x := qs[q].Words
		fmt.Fprintf(bw, "%s %s %s %s -> %s\n", x[0], x[1], x[2], x[3], p)
	}
	return bw.Flush()
}

// WriteNeighbours writes, for each of words in the vocabulary, its k
// nearest neighbours by cosine similarity and by Euclidean distance side
// by side.
func WriteNeighbours(w io.Writer, e *Embedding, words []string, k int) error {
	bw := bufio.NewWriter(w)
	for _, word := range words {
		cos, err := e.Nearest(word, k, Cosine)
		if err != nil {
			continue
		}
		euc, _ := e.Nearest(word, k, Euclidean)
		fmt.Fprintf(bw, "%s\n  %-28s %s\n", word, "cosine similarity", "euclidean distance")
		for i := range cos {
			fmt.Fprintf(bw, "  %-18s %9.4f %-18s %9.4f\n", cos[i].Word, cos[i].Score, euc[i].Word, euc[i].Score)
		}
	}
	return bw.Flush()
}

// WriteReport writes each listed word's projection on the bias axis
// before and after debiasing.
func (r DebiasReport) WriteReport(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "hard debiasing (Bolukbasi et al., 2016): bias axis from %d definitional pairs; %d words neutralized, %d pairs equalized, %d gender-specific words left alone\n",
		r.Pairs, r.Neutralized, r.Equalized, r.Specific)
	fmt.Fprintf(bw, "projection on the axis (unit vectors; positive: the female side)\n\n")
	fmt.Fprintf(bw, "%-18s %-13s %9s %9s\n", "word", "kind", "before", "after")
	for _, p := range r.Words {
		fmt.Fprintf(bw, "%-18s %-13s %+9.4f %+9.4f\n", p.Word, p.Kind, p.Before, p.After)
	}
	return bw.Flush()
}

// PlotTSNE projects the vectors of words (those in the vocabulary; at
// least two) to two dimensions with t-SNE and draws them, labelled, as a
// PNG scatter plot. It returns how many words it drew.
func PlotTSNE(w io.Writer, e *Embedding, words []string, cfg TSNEConfig, rng *rand.Rand, title string) (int, error) {
	var labels []string
	var x []float64
	seen := map[string]bool{}
	for _, word := range words {
		v, ok := e.Vector(word)
		if !ok || seen[word] {
			continue
		}
		seen[word] = true
		labels = append(labels, word)
		for _, c := range v {
			x = append(x, float64(c))
		}
	}
	if len(labels) < 2 {
		return 0, fmt.Errorf("t-SNE wants 2 or more words in the vocabulary, got %d", len(labels))
	}
	y, _ := TSNE(x, len(labels), e.Dim, cfg, rng)
	xs, ys := make([]float64, len(labels)), make([]float64, len(labels))
	for i := range labels {
		xs[i], ys[i] = y[2*i], y[2*i+1]
	}
	return len(labels), plot.Scatter(w, xs, ys, labels, title)
}
