package seq2seq

import (
	"fmt"
	"strings"
)

// Vocab maps the bytes of an alphabet to token ids 0..len-1 and back. A
// target vocabulary also has EOS, the end of an output (id Len()), and
// BOS, what the decoder reads before its first output (id Len()+1): the
// decoder predicts Len()+1 classes and reads Len()+2 tokens.
type Vocab struct {
	Alphabet string
	ids      [256]int16 // id+1 of each byte; 0 for bytes outside the alphabet
}

// NewVocab returns the vocabulary of alphabet's bytes, which must be
// distinct.
func NewVocab(alphabet string) *Vocab {
	v := &Vocab{Alphabet: alphabet}
	for i := range len(alphabet) {
		c := alphabet[i]
		if v.ids[c] != 0 {
			panic(fmt.Sprintf("seq2seq: byte %q twice in the alphabet %q", c, alphabet))
		}
		v.ids[c] = int16(i + 1)
	}
	return v
}

// Len is the size of the alphabet.
func (v *Vocab) Len() int { return len(v.Alphabet) }

// EOS is the id of the end-of-output token.
func (v *Vocab) EOS() int { return len(v.Alphabet) }

// BOS is the id of the token the decoder reads first.
func (v *Vocab) BOS() int { return len(v.Alphabet) + 1 }

// Encode appends the ids of s's bytes to dst. A byte outside the alphabet
// is an error that names it and its position.
func (v *Vocab) Encode(dst []int, s string) ([]int, error) {
	for i := range len(s) {
		id := v.ids[s[i]]
		if id == 0 {
			return dst, fmt.Errorf("character %q at byte %d of %q is not one of %q", s[i], i, s, v.Alphabet)
		}
		dst = append(dst, int(id-1))
	}
	return dst, nil
}

// Decode writes the ids as text, up to the first EOS; BOS and ids outside
// the vocabulary are written as '?'.
func (v *Vocab) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		if id == v.EOS() {
			break
		}
		if id < 0 || id >= len(v.Alphabet) {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(v.Alphabet[id])
	}
	return b.String()
}
