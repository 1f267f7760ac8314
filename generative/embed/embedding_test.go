package embed

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNearestByCosineAndByEuclideanDistance(t *testing.T) {
	// "far" points the way of "query" but is long; "near" is short and
	// off to the side: cosine prefers far, Euclidean distance near.
	e := toyEmbedding([]string{"query", "far", "near", "opposite"},
		[][]float32{{1, 0}, {10, 1}, {0.5, 0.5}, {-1, 0}})
	cos, err := e.Nearest("query", 2, Cosine)
	require.NoError(t, err)
	require.Equal(t, "far", cos[0].Word)
	require.InDelta(t, 10/101.0*10.0498756, cos[0].Score, 1e-6) // 10/|(10,1)|
	require.Equal(t, "near", cos[1].Word)
	euc, err := e.Nearest("query", 3, Euclidean)
	require.NoError(t, err)
	require.Equal(t, []string{"near", "opposite", "far"}, []string{euc[0].Word, euc[1].Word, euc[2].Word})
	require.InDelta(t, 0.70710678, euc[0].Score, 1e-6)
	_, err = e.Nearest("absent", 2, Cosine)
	require.EqualError(t, err, `"absent" is not in the vocabulary`)
	require.Equal(t, "cosine", Cosine.String())
	require.Equal(t, "euclidean", Euclidean.String())
}

func TestWriteTextIsWord2vecFormat(t *testing.T) {
	e := toyEmbedding([]string{"a", "bb"}, [][]float32{{0.1, -2}, {3e-8, 1}})
	var b strings.Builder
	require.NoError(t, e.WriteText(&b))
	require.Equal(t, "2 2\na 0.1 -2\nbb 3e-08 1\n", b.String())
}

func TestNormalizedScalesToUnitLength(t *testing.T) {
	e := toyEmbedding([]string{"a", "zero"}, [][]float32{{3, 4}, {0, 0}})
	u := e.Normalized()
	require.Equal(t, []float32{0.6, 0.8, 0, 0}, u.Vec)
	require.Equal(t, []float32{3, 4, 0, 0}, e.Vec, "a copy")
}
