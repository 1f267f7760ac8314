package charlm

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxCorpusBytes bounds the text files LoadText reads.
const MaxCorpusBytes = 1 << 30

// LoadText reads a UTF-8 text file of at most MaxCorpusBytes, the first
// limit characters of it when limit > 0.
func LoadText(path string, limit int) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.Size() > MaxCorpusBytes {
		return "", fmt.Errorf("%s is %d bytes, more than the %d a corpus may have", path, st.Size(), MaxCorpusBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(data) {
		return "", fmt.Errorf("%s is not UTF-8 text (invalid byte at offset %d)", path, invalidAt(data))
	}
	text := string(data)
	if limit > 0 {
		n := 0
		for i := range text {
			if n == limit {
				text = text[:i]
				break
			}
			n++
		}
	}
	return text, nil
}

// invalidAt returns the offset of the first byte that is not UTF-8.
func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// Vocab is the set of characters of a text, each with a token id: the
// characters in code point order.
type Vocab struct {
	Runes []rune
	index map[rune]int
}

// NewVocab returns the vocabulary of the characters of text.
func NewVocab(text string) *Vocab {
	seen := map[rune]bool{}
	var rs []rune
	for _, r := range text {
		if !seen[r] {
			seen[r] = true
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	return VocabOf(rs)
}

// VocabOf returns the vocabulary of the given characters, in that order
// (ids 0, 1, ...); it panics on a repeated character.
func VocabOf(rs []rune) *Vocab {
	v := &Vocab{Runes: rs, index: make(map[rune]int, len(rs))}
	for i, r := range rs {
		if _, ok := v.index[r]; ok {
			panic(fmt.Sprintf("charlm: character %q twice in a vocabulary", r))
		}
		v.index[r] = i
	}
	return v
}

// Size returns the number of characters V.
func (v *Vocab) Size() int { return len(v.Runes) }

// Encode returns the token ids of text's characters, or an error naming
// the first character that is not in the vocabulary.
func (v *Vocab) Encode(text string) ([]int, error) {
	ids := make([]int, 0, len(text))
	n := 0
	for _, r := range text {
		id, ok := v.index[r]
		if !ok {
			return nil, fmt.Errorf("character %q (at %d) is not in the model's vocabulary of %d characters", r, n, v.Size())
		}
		ids = append(ids, id)
		n++
	}
	return ids, nil
}

// Decode returns the text of token ids.
func (v *Vocab) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteRune(v.Runes[id])
	}
	return b.String()
}

// Split cuts tokens in file order: the first 90% for training, the rest
// for validation (nanoGPT's split).
func Split(tokens []int) (train, val []int) {
	n := len(tokens) * 9 / 10
	return tokens[:n], tokens[n:]
}
