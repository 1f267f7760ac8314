package charlm

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/rnn"
)

// Metadata keys of a saved model.
const (
	metaVocab = "charlm.vocab" // the characters, in id order, as a JSON string
	metaCell  = "charlm.cell"
)

// modelMeta is the metadata saved with the weights: what sampling needs
// besides the run's config.
func modelMeta(v *Vocab, cfg Config) map[string]string {
	vocab, _ := json.Marshal(string(v.Runes))
	return map[string]string{"arcade.experiment": "charlm", metaVocab: string(vocab), metaCell: cfg.Cell}
}

// LoadModel reads a model saved by Train (model.safetensors or
// best.safetensors of a run of configuration cfg) and its vocabulary.
func LoadModel(path string, cfg Config) (*Model, *Vocab, error) {
	_, meta, err := nets.Inspect(path)
	if err != nil {
		return nil, nil, err
	}
	var chars string
	if err := json.Unmarshal([]byte(meta[metaVocab]), &chars); err != nil || chars == "" {
		return nil, nil, fmt.Errorf("%s has no character vocabulary (metadata %s): not a charlm model", filepath.Clean(path), metaVocab)
	}
	rs := []rune(chars)
	seen := map[rune]bool{}
	for _, r := range rs {
		if seen[r] {
			return nil, nil, fmt.Errorf("%s: the vocabulary holds %q twice", filepath.Clean(path), r)
		}
		seen[r] = true
	}
	kind, err := rnn.ParseKind(cfg.Cell)
	if err != nil {
		return nil, nil, err
	}
	m := NewModel(rand.New(rand.NewPCG(0, 0)), ModelConfig{Kind: kind, Vocab: len(rs), Embed: cfg.Embed,
		Hidden: cfg.Hidden, Layers: cfg.Layers})
	if _, err := nets.LoadTensors(path, m.Params()); err != nil {
		return nil, nil, err
	}
	return m, VocabOf(rs), nil
}

// Sample returns n characters generated after prompt: the prompt is read
// through the model, then each next character is drawn from
// softmax(logits / temperature) and fed back (temperature 0: the most
// likely character). An empty prompt starts from a newline, or from the
// first character of the vocabulary when it has none.
func Sample(m *Model, v *Vocab, prompt string, temperature float64, n int, rng *rand.Rand) (string, error) {
	if !(temperature >= 0) || math.IsInf(temperature, 0) {
		return "", fmt.Errorf("temperature %v: want 0 (greedy) or more", temperature)
	}
	ids, err := v.Encode(prompt)
	if err != nil {
		return "", err
	}
	if len(ids) == 0 {
		nl, err := v.Encode("\n")
		if err != nil {
			nl = []int{0}
		}
		ids = nl
	}
	var carry rnn.Carry
	logits, final := m.Forward(nil, ids, len(ids), 1, nil)
	carry.Keep(final)
	V := v.Size()
	last := logits.Data[(len(ids)-1)*V:]
	out := make([]int, 0, n)
	probs := make([]float64, V)
	next := []int{0}
	for range n {
		k := pick(last, temperature, probs, rng)
		out = append(out, k)
		next[0] = k
		logits, final = m.Forward(nil, next, 1, 1, carry.Init())
		carry.Keep(final)
		last = logits.Data
	}
	return v.Decode(out), nil
}

// pick draws an index from softmax(logits / temperature), or takes the
// largest logit at temperature 0.
func pick(logits []float32, temperature float64, probs []float64, rng *rand.Rand) int {
	best := 0
	for i, l := range logits {
		if l > logits[best] {
			best = i
		}
	}
	if temperature == 0 {
		return best
	}
	sum := 0.0
	for i, l := range logits {
		probs[i] = math.Exp((float64(l) - float64(logits[best])) / temperature)
		sum += probs[i]
	}
	u := rng.Float64() * sum
	for i, p := range probs {
		if u < p {
			return i
		}
		u -= p
	}
	return best
}

// ResumePoint returns the step and elapsed seconds of the checkpoint in
// the run directory dir, which reopening the run needs before training
// resumes.
func ResumePoint(dir string) (step int64, elapsed float64, err error) {
	path := filepath.Join(dir, CheckpointFile)
	_, meta, err := nets.Inspect(path)
	if err != nil {
		return 0, 0, err
	}
	step, err1 := strconv.ParseInt(meta["step"], 10, 64)
	elapsed, err2 := strconv.ParseFloat(meta["elapsed"], 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%s: metadata step or elapsed missing", path)
	}
	return step, elapsed, nil
}
