package embed

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/par"
)

// Question is one analogy question a : b :: c : d, "a is to b as c is to
// d": given a, b and c, the answer is d.
type Question struct {
	Section string    // e.g. "capital-common-countries"
	Words   [4]string // a, b, c, d, lower-cased
}

// ParseAnalogies reads analogy questions in the format of word2vec's
// questions-words.txt: a line ": name" opens a section, every other line
// that is not blank holds the four words a b c d separated by spaces or
// tabs. Words are lower-cased, as the corpus is. name goes into errors,
// with the line number.
func ParseAnalogies(r io.Reader, name string) ([]Question, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<16)
	var qs []Question
	section := ""
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(text, ":"); ok {
			section = strings.TrimSpace(rest)
			if section == "" {
				return nil, fmt.Errorf("%s:%d: a section line with no name", name, line)
			}
			continue
		}
		f := strings.Fields(text)
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d: %d words, want 4 (a b c d) or \": section\"", name, line, len(f))
		}
		var q Question
		q.Section = section
		for k, w := range f {
			q.Words[k] = strings.ToLower(w)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: a line longer than 64 KiB", name, line+1)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s has no questions", name)
	}
	return qs, nil
}

// QuestionsFromRelations makes every question of the planted relations:
// for each relation, each ordered two of its pairs (a, b), (c, d) give
// a : b :: c : d.
func QuestionsFromRelations(rels []data.Relation) []Question {
	var qs []Question
	for _, r := range rels {
		for i, p := range r.Pairs {
			for j, q := range r.Pairs {
				if i != j {
					qs = append(qs, Question{Section: r.Name, Words: [4]string{p[0], p[1], q[0], q[1]}})
				}
			}
		}
	}
	return qs
}

// SectionScore is the result of one section of questions.
type SectionScore struct {
	Name      string
	Questions int // in the file
	Answered  int // all four words in the vocabulary
	Correct   int
}

// AnalogyScore is the result of the analogy test.
type AnalogyScore struct {
	SectionScore                // all sections together (Name empty)
	Sections     []SectionScore // in order of first appearance
	Predicted    []string       // per question: the answer given, "" where not answered
}

// Accuracy is the fraction of answered questions answered right (0 when
// none was answered), as word2vec's compute-accuracy reports it.
func (s SectionScore) Accuracy() float64 {
	if s.Answered == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Answered)
}

// Coverage is the fraction of questions whose four words are all in the
// vocabulary.
func (s SectionScore) Coverage() float64 {
	if s.Questions == 0 {
		return 0
	}
	return float64(s.Answered) / float64(s.Questions)
}

// EvalAnalogies answers each question whose four words have vectors by
// 3CosAdd (Mikolov et al., 2013; Levy and Goldberg, 2014): over unit
// vectors, the word w other than a, b and c that maximizes
// cos(w, b - a + c), ties to the more frequent word.
func EvalAnalogies(e *Embedding, qs []Question) AnalogyScore {
	u := e.Normalized()
	d := e.Dim
	pred := make([]int32, len(qs))
	par.For(len(qs), 32, func(lo, hi int) {
		target := make([]float32, d)
		for q := lo; q < hi; q++ {
			pred[q] = -1
			var ids [3]int32
			known := true
			for k := range 4 {
				id, ok := u.Vocab.ID(qs[q].Words[k])
				known = known && ok
				if k < 3 {
					ids[k] = id
				}
			}
			if !known {
				continue
			}
			for c := range target {
				target[c] = u.Vec[int(ids[1])*d+c] - u.Vec[int(ids[0])*d+c] + u.Vec[int(ids[2])*d+c]
			}
			best, bestScore := int32(-1), float32(0)
			for w := range int32(u.Vocab.Len()) {
				if w == ids[0] || w == ids[1] || w == ids[2] {
					continue
				}
				if s := dot(target, row(u.Vec, int(w), d)); best < 0 || s > bestScore {
					best, bestScore = w, s
				}
			}
			pred[q] = best
		}
	})
	var score AnalogyScore
	score.Predicted = make([]string, len(qs))
	index := map[string]int{}
	for q, question := range qs {
		si, ok := index[question.Section]
		if !ok {
			si = len(score.Sections)
			index[question.Section] = si
			score.Sections = append(score.Sections, SectionScore{Name: question.Section})
		}
		s := &score.Sections[si]
		s.Questions++
		score.Questions++
		if pred[q] < 0 {
			continue
		}
		s.Answered++
		score.Answered++
		score.Predicted[q] = u.Vocab.Words[pred[q]]
		if score.Predicted[q] == question.Words[3] {
			s.Correct++
			score.Correct++
		}
	}
	return score
}
