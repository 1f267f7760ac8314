package embed

import (
	"strings"
	"testing"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/stretchr/testify/require"
)

func TestParseAnalogiesReadsQuestionsWordsFormat(t *testing.T) {
	text := ": capital-common-countries\nAthens Greece Baghdad Iraq\n\n  athens\tgreece  berlin germany  \n: family\nboy girl brother sister\n"
	qs, err := ParseAnalogies(strings.NewReader(text), "q.txt")
	require.NoError(t, err)
	require.Equal(t, []Question{
		{"capital-common-countries", [4]string{"athens", "greece", "baghdad", "iraq"}},
		{"capital-common-countries", [4]string{"athens", "greece", "berlin", "germany"}},
		{"family", [4]string{"boy", "girl", "brother", "sister"}},
	}, qs)
}

func TestParseAnalogiesNamesTheBadLine(t *testing.T) {
	for _, tc := range []struct{ text, msg string }{
		{": s\na b c d\na b c\n", `q.txt:3: 3 words, want 4 (a b c d) or ": section"`},
		{"a b c d e\n", `q.txt:1: 5 words, want 4 (a b c d) or ": section"`},
		{": s\n:\n", "q.txt:2: a section line with no name"},
		{": s\n\n", "q.txt has no questions"},
		{"", "q.txt has no questions"},
		{"a b c d\n" + strings.Repeat("x", 70000), "q.txt:2: a line longer than 64 KiB"},
	} {
		_, err := ParseAnalogies(strings.NewReader(tc.text), "q.txt")
		require.EqualError(t, err, tc.msg)
	}
}

func FuzzParseAnalogies(f *testing.F) {
	f.Add(": capital-common-countries\nAthens Greece Baghdad Iraq\n")
	f.Add(": a\n\nx y z w\n: b\nP Q R S\n")
	f.Add("a b c\n")
	f.Add(":\n")
	f.Fuzz(func(t *testing.T, text string) {
		qs, err := ParseAnalogies(strings.NewReader(text), "fuzz")
		if err != nil {
			require.NotContains(t, err.Error(), "\n")
			return
		}
		require.NotEmpty(t, qs)
		lines := 0
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, ":") {
				lines++
			}
		}
		require.Equal(t, lines, len(qs), "one question per line that is not a section")
		for _, q := range qs {
			for _, w := range q.Words {
				require.NotEmpty(t, w)
				require.Equal(t, strings.ToLower(w), w)
				require.Equal(t, []string{w}, strings.Fields(w))
			}
		}
	})
}

func TestQuestionsFromRelationsPairEveryTwoPairs(t *testing.T) {
	qs := QuestionsFromRelations([]data.Relation{{Name: "r", Pairs: [][2]string{{"a", "b"}, {"c", "d"}, {"e", "f"}}}})
	require.Len(t, qs, 6)
	require.Equal(t, Question{"r", [4]string{"a", "b", "c", "d"}}, qs[0])
	require.Equal(t, Question{"r", [4]string{"e", "f", "c", "d"}}, qs[5])
	n := 0
	for _, r := range data.AnalogyRelations() {
		n += len(r.Pairs) * (len(r.Pairs) - 1)
	}
	require.Len(t, QuestionsFromRelations(data.AnalogyRelations()), n)
}

// toyEmbedding builds an embedding with the given words and vectors.
func toyEmbedding(words []string, vecs [][]float32) *Embedding {
	e := &Embedding{Vocab: newVocab(words, make([]int64, len(words))), Dim: len(vecs[0])}
	for _, v := range vecs {
		e.Vec = append(e.Vec, v...)
	}
	return e
}

func TestEvalAnalogiesBy3CosAdd(t *testing.T) {
	// Unit vectors: man (1,0,0), woman (0,1,0), king (1,0,1)/√2, queen
	// (0,1,1)/√2, prince (1,0.2,0.9)/1.36, apple (0,0,-1).
	e := toyEmbedding(
		[]string{"man", "woman", "king", "queen", "prince", "apple"},
		[][]float32{{1, 0, 0}, {0, 1, 0}, {1, 0, 1}, {0, 1, 1}, {1, 0.2, 0.9}, {0, 0, -1}})
	qs := []Question{
		// woman - man + king = (-0.29, 1, 0.71): queen 1.21, prince 0.40
		{"family", [4]string{"man", "woman", "king", "queen"}},
		// man - woman + queen = (1, -0.29, 0.71): king 1.21, prince 1.16
		{"family", [4]string{"woman", "man", "queen", "king"}},
		{"family", [4]string{"man", "woman", "prince", "princess"}}, // princess unknown
		// apple - man + king = (-0.29, 0, -0.29): apple 0.29 and man -0.29
		// are query words; woman 0 beats queen -0.21 and prince -0.41
		{"fruit", [4]string{"man", "apple", "king", "prince"}},
	}
	s := EvalAnalogies(e, qs)
	require.Equal(t, []string{"queen", "king", "", "woman"}, s.Predicted)
	require.Equal(t, SectionScore{Questions: 4, Answered: 3, Correct: 2}, s.SectionScore)
	require.Equal(t, []SectionScore{{"family", 3, 2, 2}, {"fruit", 1, 1, 0}}, s.Sections)
	require.InDelta(t, 2.0/3, s.Accuracy(), 1e-12)
	require.InDelta(t, 0.75, s.Coverage(), 1e-12)
	var report strings.Builder
	require.NoError(t, s.WriteReport(&report, qs, 5))
	require.Contains(t, report.String(), "man apple king prince -> woman")
	require.Contains(t, report.String(), "family                                   3         2    1.0000    0.6667")
}
