package embed

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// biasedEmbedding has random unit-ish vectors with a gender direction
// (axis 0) planted in the gendered words and, more weakly, in doctor and
// nurse.
func biasedEmbedding() *Embedding {
	rng := rand.New(rand.NewPCG(5, 5))
	words := []string{"he", "she", "his", "her", "man", "woman", "king", "queen", "him", "doctor", "nurse", "apple", "river"}
	side := map[string]float64{"he": -1, "she": 1, "his": -1, "her": 1, "man": -1, "woman": 1, "king": -1, "queen": 1,
		"him": -1, "doctor": -0.4, "nurse": 0.4}
	var vecs [][]float32
	for _, w := range words {
		v := make([]float32, 6)
		for k := range v {
			v[k] = float32(rng.NormFloat64() * 0.5)
		}
		v[0] += float32(side[w])
		vecs = append(vecs, v)
	}
	return toyEmbedding(words, vecs)
}

func TestDebiasNeutralizesAndEqualizes(t *testing.T) {
	e := biasedEmbedding()
	de, rep, err := Debias(e, DefinitionalPairs, EqualizePairs, GenderSpecificWords, 3)
	require.NoError(t, err)
	require.Equal(t, 3, rep.Pairs, "he/she, his/her, man/woman")
	require.Equal(t, 4, rep.Equalized, "and king/queen")
	require.Equal(t, 1, rep.Specific, "him")
	require.Equal(t, 4, rep.Neutralized, "doctor, nurse, apple, river")
	g := rep.Axis
	require.Greater(t, math.Abs(g[0]), 0.8, "the planted direction")
	require.Greater(t, g[0], 0.0, "pointing to the female side")

	var norm float64
	for _, x := range g {
		norm += x * x
	}
	require.InDelta(t, 1, norm, 1e-12)
	for i, w := range de.Vocab.Words {
		v := row(de.Vec, i, de.Dim)
		require.InDelta(t, 1, dot64(v, v), 1e-6, "%s is a unit vector", w)
	}
	neutral := []string{"doctor", "nurse", "apple", "river"}
	for _, w := range neutral {
		v, _ := de.Vector(w)
		require.InDelta(t, 0, project(v, g), 1e-6, "%s is neutralized", w)
	}
	for _, p := range [][2]string{{"he", "she"}, {"his", "her"}, {"man", "woman"}, {"king", "queen"}} {
		a, _ := de.Vector(p[0])
		b, _ := de.Vector(p[1])
		require.InDelta(t, -project(a, g), project(b, g), 1e-6, "%v symmetric about the axis", p)
		require.Less(t, project(a, g), 0.0, "%s stays on the male side", p[0])
		for _, w := range neutral {
			u, _ := de.Vector(w)
			require.InDelta(t, dist(u, a), dist(u, b), 1e-5, "%s equidistant from %v", w, p)
		}
	}
	him, _ := e.Normalized().Vector("him")
	deHim, _ := de.Vector("him")
	require.Equal(t, him, deHim, "gender-specific words are left alone")

	var kinds []string
	for _, p := range rep.Words {
		kinds = append(kinds, p.Word+":"+p.Kind)
	}
	require.Equal(t, []string{"he:definitional", "she:definitional", "his:definitional", "her:definitional",
		"man:definitional", "woman:definitional", "king:equalized", "queen:equalized", "him:specific"}, kinds[:9])
	require.Len(t, rep.Words, 12, "and the 3 neutral words that projected most")
	require.Equal(t, "neutral", rep.Words[9].Kind)
	require.InDelta(t, 0, rep.Words[9].After, 1e-6)
	var report strings.Builder
	require.NoError(t, rep.WriteReport(&report))
	require.Contains(t, report.String(), "bias axis from 3 definitional pairs; 4 words neutralized, 4 pairs equalized")
}

func TestDebiasWantsADefinitionalPair(t *testing.T) {
	e := toyEmbedding([]string{"a", "b"}, [][]float32{{1, 0}, {0, 1}})
	_, _, err := Debias(e, DefinitionalPairs, EqualizePairs, nil, 5)
	require.EqualError(t, err, "none of the definitional pairs (he/she, ...) is in the vocabulary")
}

func TestBiasAxisOfOnePairIsItsDifference(t *testing.T) {
	e := toyEmbedding([]string{"he", "she"}, [][]float32{{0.6, 0.8}, {0.8, 0.6}}).Normalized()
	g := biasAxis(e, [][2]int32{{0, 1}})
	require.InDelta(t, 1/math.Sqrt2, g[0], 1e-12)
	require.InDelta(t, -1/math.Sqrt2, g[1], 1e-12)
}

func dist(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s)
}
