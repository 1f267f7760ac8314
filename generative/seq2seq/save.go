package seq2seq

import (
	"fmt"
	"maps"
	"math/rand/v2"

	"github.com/arcadelab/arcade/nets"
)

// Metadata keys of a saved model: the alphabets it translates between.
const (
	MetaSource = "source_alphabet"
	MetaTarget = "target_alphabet"
)

// Save writes the model's parameters as safetensors, with meta and the
// two alphabets as metadata.
func (m *Model) Save(path string, meta map[string]string) error {
	all := maps.Clone(meta)
	if all == nil {
		all = map[string]string{}
	}
	all[MetaSource], all[MetaTarget] = m.Src.Alphabet, m.Tgt.Alphabet
	return nets.SaveTensors(path, m.Params(), all)
}

// Load reads a model that Save wrote, given its architecture.
func Load(path string, cfg Config) (*Model, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	_, meta, err := nets.Inspect(path)
	if err != nil {
		return nil, err
	}
	src, tgt := meta[MetaSource], meta[MetaTarget]
	if src == "" || tgt == "" || !distinct(src) || !distinct(tgt) {
		return nil, fmt.Errorf("%s: metadata %s and %s missing or with repeated characters", path, MetaSource, MetaTarget)
	}
	m := New(rand.New(rand.NewPCG(0, 0)), cfg, src, tgt) // the weights are all loaded next
	if _, err := nets.LoadTensors(path, m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

func distinct(s string) bool {
	var seen [256]bool
	for i := range len(s) {
		if seen[s[i]] {
			return false
		}
		seen[s[i]] = true
	}
	return true
}
