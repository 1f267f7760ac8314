package embed

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// DefinitionalPairs are the ten pairs Bolukbasi et al. (2016) use to find
// the gender direction, each written (male, female).
var DefinitionalPairs = [][2]string{
	{"he", "she"}, {"his", "her"}, {"man", "woman"}, {"john", "mary"}, {"himself", "herself"},
	{"son", "daughter"}, {"father", "mother"}, {"guy", "gal"}, {"boy", "girl"}, {"male", "female"},
}

// EqualizePairs are the gender-specific pairs that debiasing makes
// symmetric about the gender direction: the definitional pairs and the
// family, royal and occupational pairs of Bolukbasi et al.'s equalize list
// that are single words.
var EqualizePairs = append(slices.Clone(DefinitionalPairs), [][2]string{
	{"men", "women"}, {"boys", "girls"}, {"brother", "sister"}, {"brothers", "sisters"},
	{"sons", "daughters"}, {"fathers", "mothers"}, {"husband", "wife"}, {"uncle", "aunt"},
	{"nephew", "niece"}, {"grandfather", "grandmother"}, {"grandson", "granddaughter"},
	{"king", "queen"}, {"kings", "queens"}, {"prince", "princess"}, {"actor", "actress"},
	{"waiter", "waitress"}, {"monk", "nun"}, {"groom", "bride"}, {"duke", "duchess"},
	{"emperor", "empress"}, {"god", "goddess"}, {"lord", "lady"}, {"sir", "madam"},
	{"mr", "mrs"}, {"dad", "mom"}, {"males", "females"},
}...)

// GenderSpecificWords are further words that carry gender by definition
// and have no pair above: debiasing leaves them as they are, as Bolukbasi
// et al. leave their gender-specific set.
var GenderSpecificWords = []string{"him", "hers", "boyfriend", "girlfriend", "fiance", "fiancee",
	"mrs", "ms", "miss", "maiden", "widow", "widower", "bachelor", "spinster"}

// Projection is a word's projection on the bias axis before and after
// debiasing (both measured on unit vectors).
type Projection struct {
	Word          string
	Kind          string // "definitional", "equalized", "specific" or "neutral"
	Before, After float64
}

// DebiasReport says what Debias did.
type DebiasReport struct {
	Axis        []float64    // the unit bias direction g, pointing from the male to the female words
	Pairs       int          // definitional pairs found in the vocabulary
	Neutralized int          // words neutralized
	Specific    int          // gender-specific words left alone
	Equalized   int          // pairs equalized
	Words       []Projection // the gender-specific words, then the neutral words that projected most on g before
}

// Debias applies hard debiasing (Bolukbasi et al., 2016, section 5) to e's
// unit vectors and returns the new embedding (unit vectors):
//
//   - the bias axis g is the first principal component of the definitional
//     pairs' vectors, each pair centred on its mean;
//   - every word in neither pair list nor in specific is neutralized:
//     w <- (w - (w·g)g), scaled back to unit length, so its projection on
//     g is 0;
//   - each equalize pair (a, b) becomes ν ± sqrt(1 - |ν|^2) g, where ν is
//     the pair's mean with its g component removed, so both words are at
//     the same distance from every neutralized word.
//
// The report lists the gender-specific words found and the top neutral
// words by |projection| before. It fails when no definitional pair is in
// the vocabulary.
func Debias(e *Embedding, definitional, equalize [][2]string, specific []string, top int) (*Embedding, DebiasReport, error) {
	u := e.Normalized()
	var rep DebiasReport
	defs := presentPairs(u, definitional)
	if len(defs) == 0 {
		return nil, rep, fmt.Errorf("none of the definitional pairs (%s/%s, ...) is in the vocabulary", definitional[0][0], definitional[0][1])
	}
	rep.Pairs = len(defs)
	g := biasAxis(u, defs)
	rep.Axis = g
	kind := map[int32]string{}
	for _, p := range defs {
		kind[p[0]], kind[p[1]] = "definitional", "definitional"
	}
	eqs := presentPairs(u, equalize)
	for _, p := range eqs {
		for _, w := range p {
			if _, ok := kind[w]; !ok {
				kind[w] = "equalized"
			}
		}
	}
	var words []int32 // to report
	for _, w := range specific {
		if id, ok := u.Vocab.ID(w); ok {
			if _, done := kind[id]; !done {
				kind[id] = "specific"
				rep.Specific++
				words = append(words, id)
			}
		}
	}
	before := make([]float64, u.Vocab.Len())
	for i := range before {
		before[i] = project(row(u.Vec, i, u.Dim), g)
	}
	out := &Embedding{Vocab: u.Vocab, Dim: u.Dim, Vec: slices.Clone(u.Vec)}
	for i := range u.Vocab.Len() {
		if _, ok := kind[int32(i)]; !ok {
			neutralize(row(out.Vec, i, u.Dim), g)
			rep.Neutralized++
		}
	}
	for _, p := range eqs {
		equalizePair(row(out.Vec, int(p[0]), u.Dim), row(out.Vec, int(p[1]), u.Dim), g)
		rep.Equalized++
	}
	var pairs, neutral []int32
	for _, p := range defs {
		pairs = append(pairs, p[0], p[1])
	}
	for _, p := range eqs {
		if kind[p[0]] == "equalized" || kind[p[1]] == "equalized" {
			pairs = append(pairs, p[0], p[1])
		}
	}
	words = append(pairs, words...)
	for i := range int32(u.Vocab.Len()) {
		if _, ok := kind[i]; !ok {
			neutral = append(neutral, i)
		}
	}
	slices.SortStableFunc(neutral, func(a, b int32) int { return cmpFloat(math.Abs(before[b]), math.Abs(before[a])) })
	words = append(words, neutral[:min(top, len(neutral))]...)
	seen := map[int32]bool{}
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		k, ok := kind[w]
		if !ok {
			k = "neutral"
		}
		rep.Words = append(rep.Words, Projection{Word: u.Vocab.Words[w], Kind: k,
			Before: before[w], After: project(row(out.Vec, int(w), u.Dim), g)})
	}
	return out, rep, nil
}

// presentPairs returns the pairs whose two words are in the vocabulary and
// not already used by an earlier pair, as indices.
func presentPairs(e *Embedding, pairs [][2]string) [][2]int32 {
	var out [][2]int32
	used := map[int32]bool{}
	for _, p := range pairs {
		a, okA := e.Vocab.ID(p[0])
		b, okB := e.Vocab.ID(p[1])
		if okA && okB && a != b && !used[a] && !used[b] {
			out = append(out, [2]int32{a, b})
			used[a], used[b] = true, true
		}
	}
	return out
}

// biasAxis returns the first principal component of the pairs' vectors
// centred on their pair means (gonum's SVD of the 2k x D matrix), oriented
// so that the second words of the pairs project higher than the first.
func biasAxis(u *Embedding, pairs [][2]int32) []float64 {
	d := u.Dim
	c := mat.NewDense(2*len(pairs), d, nil)
	for k, p := range pairs {
		a, b := row(u.Vec, int(p[0]), d), row(u.Vec, int(p[1]), d)
		for j := range d {
			mean := (float64(a[j]) + float64(b[j])) / 2
			c.Set(2*k, j, float64(a[j])-mean)
			c.Set(2*k+1, j, float64(b[j])-mean)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThin) {
		panic("embed: the SVD of the definitional pairs did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	g := make([]float64, d)
	for j := range d {
		g[j] = v.At(j, 0)
	}
	var side float64
	for _, p := range pairs {
		side += project(row(u.Vec, int(p[1]), d), g) - project(row(u.Vec, int(p[0]), d), g)
	}
	if side < 0 {
		for j := range g {
			g[j] = -g[j]
		}
	}
	return g
}

// project returns w·g.
func project(w []float32, g []float64) float64 {
	var s float64
	for j, v := range w {
		s += float64(v) * g[j]
	}
	return s
}

// neutralize removes w's component along the unit vector g and scales w
// back to unit length.
func neutralize(w []float32, g []float64) {
	p := project(w, g)
	r := make([]float64, len(w))
	var n2 float64
	for j := range w {
		r[j] = float64(w[j]) - p*g[j]
		n2 += r[j] * r[j]
	}
	if n2 == 0 {
		clear(w)
		return
	}
	inv := 1 / math.Sqrt(n2)
	for j := range w {
		w[j] = float32(r[j] * inv)
	}
}

// equalizePair makes a and b (unit vectors) into ν - s g and ν + s g, ν
// the part of their mean orthogonal to g and s = sqrt(1 - |ν|^2), keeping
// which of the two lies on which side of their mean along g (a on the
// negative side if they tie).
func equalizePair(a, b []float32, g []float64) {
	d := len(a)
	mu := make([]float64, d)
	for j := range d {
		mu[j] = (float64(a[j]) + float64(b[j])) / 2
	}
	var muB float64
	for j := range d {
		muB += mu[j] * g[j]
	}
	var nu2 float64
	for j := range d {
		mu[j] -= muB * g[j] // now ν
		nu2 += mu[j] * mu[j]
	}
	s := math.Sqrt(max(1-nu2, 0))
	if project(a, g) > project(b, g) {
		s = -s
	}
	for j := range d {
		a[j] = float32(mu[j] - s*g[j])
		b[j] = float32(mu[j] + s*g[j])
	}
}
