package embed

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Embedding is a vector per vocabulary word.
type Embedding struct {
	Vocab *Vocab
	Dim   int
	Vec   []float32 // Vocab.Len() x Dim, row-major
}

// Vector returns word w's vector (a view), and whether w has one.
func (e *Embedding) Vector(w string) ([]float32, bool) {
	i, ok := e.Vocab.ID(w)
	if !ok {
		return nil, false
	}
	return row(e.Vec, int(i), e.Dim), true
}

// Normalized returns a copy of e with every vector scaled to unit length
// (a zero vector stays zero).
func (e *Embedding) Normalized() *Embedding {
	u := &Embedding{Vocab: e.Vocab, Dim: e.Dim, Vec: slices.Clone(e.Vec)}
	for i := range e.Vocab.Len() {
		v := row(u.Vec, i, e.Dim)
		if n := math.Sqrt(float64(dot(v, v))); n > 0 {
			s := float32(1 / n)
			for k := range v {
				v[k] *= s
			}
		}
	}
	return u
}

// WriteText writes e in word2vec's text format: a line "V D", then one
// line per word, "word v_1 ... v_D", the values in the shortest decimal
// form that reads back to the same float32.
func (e *Embedding) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", e.Vocab.Len(), e.Dim)
	buf := make([]byte, 0, 32)
	for i, word := range e.Vocab.Words {
		bw.WriteString(word)
		for _, v := range row(e.Vec, i, e.Dim) {
			buf = append(buf[:0], ' ')
			buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
			bw.Write(buf)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Metric is how Nearest measures closeness.
type Metric int

const (
	// Cosine ranks by cosine similarity, highest first.
	Cosine Metric = iota
	// Euclidean ranks by Euclidean distance, smallest first.
	Euclidean
)

// String names the metric.
func (m Metric) String() string {
	if m == Euclidean {
		return "euclidean"
	}
	return "cosine"
}

// Neighbour is a word and its score: the cosine similarity or the
// Euclidean distance to the query.
type Neighbour struct {
	Word  string
	Score float64
}

// Nearest returns the k words closest to word by metric, the word itself
// left out, ties in vocabulary order.
func (e *Embedding) Nearest(word string, k int, metric Metric) ([]Neighbour, error) {
	q, ok := e.Vector(word)
	if !ok {
		return nil, fmt.Errorf("%q is not in the vocabulary", word)
	}
	qn := math.Sqrt(float64(dot(q, q)))
	var out []Neighbour
	for i, w := range e.Vocab.Words {
		if w == word {
			continue
		}
		v := row(e.Vec, i, e.Dim)
		var s float64
		if metric == Euclidean {
			var d2 float64
			for c := range v {
				x := float64(v[c] - q[c])
				d2 += x * x
			}
			s = math.Sqrt(d2)
		} else {
			s = float64(dot(q, v)) / max(qn*math.Sqrt(float64(dot(v, v))), 1e-30)
		}
		out = append(out, Neighbour{w, s})
	}
	slices.SortStableFunc(out, func(a, b Neighbour) int {
		if metric == Euclidean {
			return cmpFloat(a.Score, b.Score)
		}
		return cmpFloat(b.Score, a.Score)
	})
	return out[:min(k, len(out))], nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
