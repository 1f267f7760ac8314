package embed

import (
	"bufio"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSentence is the longest sentence the corpus keeps: longer lines are cut
// into sentences of this many words, as word2vec does, so that a corpus
// written as one line (text8) still has windows that end.
const MaxSentence = 1000

// Vocab is the vocabulary: the words that occur at least min-count times,
// by descending count, ties broken by the word.
type Vocab struct {
	Words  []string
	Counts []int64
	index  map[string]int32
}

// Len reports the number of words.
func (v *Vocab) Len() int { return len(v.Words) }

// ID returns the index of word w, and whether it is in the vocabulary.
func (v *Vocab) ID(w string) (int32, bool) {
	i, ok := v.index[w]
	return i, ok
}

// newVocab indexes words (already in vocabulary order) and their counts.
func newVocab(words []string, counts []int64) *Vocab {
	v := &Vocab{Words: words, Counts: counts, index: make(map[string]int32, len(words))}
	for i, w := range words {
		v.index[w] = int32(i)
	}
	return v
}

// Corpus is a tokenized text: the in-vocabulary words as indices, split in
// sentences. Words outside the vocabulary are dropped, as word2vec does.
type Corpus struct {
	Vocab  *Vocab
	Tokens []int32 // the words, sentence after sentence
	Ends   []int   // Ends[s] is where sentence s ends in Tokens
	Read   int64   // words read, those under min-count included
}

// Sentence returns the words of sentence s.
func (c *Corpus) Sentence(s int) []int32 {
	lo := 0
	if s > 0 {
		lo = c.Ends[s-1]
	}
	return c.Tokens[lo:c.Ends[s]]
}

// Hash fingerprints the corpus (vocabulary and tokens), so that a resumed
// run can check it trains on the same text.
func (c *Corpus) Hash() uint64 {
	h := fnv.New64a()
	var b [4]byte
	for _, w := range c.Vocab.Words {
		h.Write([]byte(w))
		h.Write([]byte{0})
	}
	for _, t := range c.Tokens {
		b[0], b[1], b[2], b[3] = byte(t), byte(t>>8), byte(t>>16), byte(t>>24)
		h.Write(b[:])
	}
	for _, e := range c.Ends {
		b[0], b[1], b[2], b[3] = byte(e), byte(e>>8), byte(e>>16), byte(e>>24)
		h.Write(b[:])
	}
	return h.Sum64()
}

// ReadCorpus tokenizes text from r: each line is a sentence (lines of more
// than MaxSentence words are cut), a word is a run of letters and digits,
// lower-cased; everything else separates words. Only the first limit lines
// are read when limit > 0. Words that occur fewer than minCount times are
// dropped. name is the source's name for error messages.
func ReadCorpus(r io.Reader, name string, limit, minCount int) (*Corpus, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	ids := map[string]int32{} // provisional ids, in order of first use
	var words []string
	var counts []int64
	var tokens []int32
	var ends []int
	var word []byte
	lines, inSentence := 0, 0
	endWord := func() {
		if len(word) == 0 {
			return
		}
		id, ok := ids[string(word)]
		if !ok {
			id = int32(len(words))
			w := string(word)
			ids[w] = id
			words = append(words, w)
			counts = append(counts, 0)
		}
		counts[id]++
		tokens = append(tokens, id)
		word = word[:0]
		if inSentence++; inSentence == MaxSentence {
			ends = append(ends, len(tokens))
			inSentence = 0
		}
	}
	endLine := func() {
		endWord()
		if inSentence > 0 {
			ends = append(ends, len(tokens))
			inSentence = 0
		}
		lines++
	}
	for limit <= 0 || lines < limit {
		ch, size, err := br.ReadRune()
		if errors.Is(err, io.EOF) {
			endLine()
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch {
		case ch == '\n':
			endLine()
		case ch == utf8.RuneError && size == 1:
			endWord() // a byte that is not UTF-8 separates words
		case unicode.IsLetter(ch) || unicode.IsDigit(ch):
			word = utf8.AppendRune(word, unicode.ToLower(ch))
		default:
			endWord()
		}
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%s has no words", name)
	}
	return buildCorpus(words, counts, tokens, ends, minCount, name)
}

// CorpusFromSentences tokenizes sentences, one per string, as ReadCorpus
// does lines.
func CorpusFromSentences(sentences []string, minCount int) (*Corpus, error) {
	return ReadCorpus(strings.NewReader(strings.Join(sentences, "\n")), "the corpus", 0, minCount)
}

// buildCorpus keeps the words of at least minCount uses, orders them by
// count and renumbers the tokens, dropping the others.
func buildCorpus(words []string, counts []int64, tokens []int32, ends []int, minCount int, name string) (*Corpus, error) {
	var keep []int32
	for id, n := range counts {
		if n >= int64(minCount) {
			keep = append(keep, int32(id))
		}
	}
	if len(keep) < 2 {
		return nil, fmt.Errorf("%s has %d distinct words that occur at least %d times; want 2 or more (lower --min-count?)", name, len(keep), minCount)
	}
	slices.SortFunc(keep, func(a, b int32) int {
		if counts[a] != counts[b] {
			if counts[a] > counts[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(words[a], words[b])
	})
	newID := make([]int32, len(words))
	for i := range newID {
		newID[i] = -1
	}
	vw := make([]string, len(keep))
	vc := make([]int64, len(keep))
	for i, id := range keep {
		newID[id] = int32(i)
		vw[i], vc[i] = words[id], counts[id]
	}
	c := &Corpus{Vocab: newVocab(vw, vc), Read: int64(len(tokens))}
	c.Tokens = make([]int32, 0, len(tokens))
	lo := 0
	for _, hi := range ends {
		start := len(c.Tokens)
		for _, t := range tokens[lo:hi] {
			if id := newID[t]; id >= 0 {
				c.Tokens = append(c.Tokens, id)
			}
		}
		if len(c.Tokens) > start {
			c.Ends = append(c.Ends, len(c.Tokens))
		}
		lo = hi
	}
	return c, nil
}
