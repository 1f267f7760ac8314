package embed

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func words(c *Corpus, s int) []string {
	var out []string
	for _, t := range c.Sentence(s) {
		out = append(out, c.Vocab.Words[t])
	}
	return out
}

func TestReadCorpusTokenizesLinesIntoLowerCaseWords(t *testing.T) {
	text := "The cat, the DOG!\n\n  Über-große Katze's 42 cats\nthe end"
	c, err := ReadCorpus(strings.NewReader(text), "t", 0, 1)
	require.NoError(t, err)
	require.Equal(t, int64(12), c.Read)
	require.Len(t, c.Ends, 3, "the blank line is no sentence")
	require.Equal(t, []string{"the", "cat", "the", "dog"}, words(c, 0))
	require.Equal(t, []string{"über", "große", "katze", "s", "42", "cats"}, words(c, 1))
	require.Equal(t, []string{"the", "end"}, words(c, 2))
	require.Equal(t, "the", c.Vocab.Words[0], "most frequent first")
	require.Equal(t, int64(3), c.Vocab.Counts[0])
	require.Equal(t, []string{"42", "cat"}, c.Vocab.Words[1:3], "ties in byte order of the word")
}

func TestReadCorpusDropsRareWordsAndHonoursLimit(t *testing.T) {
	text := "a b a c\na a b\nd d d d\n"
	c, err := ReadCorpus(strings.NewReader(text), "t", 2, 2)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, c.Vocab.Words, "c once, d beyond the limit")
	require.Equal(t, []string{"a", "b", "a"}, words(c, 0))
	require.Equal(t, int64(7), c.Read)
	id, ok := c.Vocab.ID("b")
	require.True(t, ok)
	require.Equal(t, int32(1), id)
	_, ok = c.Vocab.ID("c")
	require.False(t, ok)
}

func TestReadCorpusCutsLongLines(t *testing.T) {
	line := strings.Repeat("x y ", MaxSentence) // 2*MaxSentence words
	c, err := ReadCorpus(strings.NewReader(line+"\nx"), "t", 0, 1)
	require.NoError(t, err)
	require.Equal(t, []int{MaxSentence, 2 * MaxSentence, 2*MaxSentence + 1}, c.Ends)
}

func TestReadCorpusRejectsEmptyText(t *testing.T) {
	_, err := ReadCorpus(strings.NewReader(" ,.;\n\n"), "empty.txt", 0, 1)
	require.EqualError(t, err, "empty.txt has no words")
	_, err = ReadCorpus(strings.NewReader("a b c"), "rare.txt", 0, 2)
	require.ErrorContains(t, err, "rare.txt has 0 distinct words that occur at least 2 times")
}

func TestCorpusHashTellsCorporaApart(t *testing.T) {
	a, _ := CorpusFromSentences([]string{"a b", "b a"}, 1)
	b, _ := CorpusFromSentences([]string{"a b", "b a"}, 1)
	c, _ := CorpusFromSentences([]string{"a b b a"}, 1)
	require.Equal(t, a.Hash(), b.Hash())
	require.NotEqual(t, a.Hash(), c.Hash(), "same words, other sentences")
}
