package embed

import (
	"fmt"
	"io"
	"strconv"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

// SaveCheckpoint writes the model's whole trained state (every parameter
// and optimizer sum, the epochs done, what it was trained on) to path as
// safetensors, atomically. extra adds metadata entries.
func (m *Model) SaveCheckpoint(path string, extra map[string]string) error {
	meta := map[string]string{
		"method":      m.Method,
		"dim":         strconv.Itoa(m.Dim),
		"vocab":       strconv.Itoa(m.Corpus.Vocab.Len()),
		"epochs_done": strconv.Itoa(m.Done),
		"corpus_hash": strconv.FormatUint(m.Corpus.Hash(), 16),
		"seed":        strconv.FormatUint(m.Seed, 10),
	}
	for k, v := range extra {
		meta[k] = v
	}
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		return WriteSafetensors(w, m.learn.tensors(), meta)
	})
}

// LoadCheckpoint restores a state written by SaveCheckpoint into m, a model
// made by New with the same config, corpus and seed, and returns the
// checkpoint's metadata.
func (m *Model) LoadCheckpoint(path string) (map[string]string, error) {
	want := m.learn.tensors()
	var size int64 = 1 << 16
	for _, t := range want {
		size += 4*int64(len(t.Data)) + 256
	}
	tensors, meta, err := ReadSafetensors(path, size)
	if err != nil {
		return nil, err
	}
	switch {
	case meta["method"] != m.Method:
		return nil, fmt.Errorf("%s holds a %q model, not %q", path, meta["method"], m.Method)
	case meta["corpus_hash"] != strconv.FormatUint(m.Corpus.Hash(), 16):
		return nil, fmt.Errorf("%s was trained on another corpus (or another --limit or --min-count)", path)
	case meta["seed"] != strconv.FormatUint(m.Seed, 10):
		return nil, fmt.Errorf("%s has seed %s, not %d", path, meta["seed"], m.Seed)
	}
	done, err := strconv.Atoi(meta["epochs_done"])
	if err != nil || done < 0 || done > m.Epochs {
		return nil, fmt.Errorf("%s: epochs_done %q is not in 0..%d", path, meta["epochs_done"], m.Epochs)
	}
	byName := map[string]Tensor{}
	for _, t := range tensors {
		byName[t.Name] = t
	}
	for _, t := range want {
		got, ok := byName[t.Name]
		if !ok {
			return nil, fmt.Errorf("%s has no tensor %q", path, t.Name)
		}
		if fmt.Sprint(got.Shape) != fmt.Sprint(t.Shape) {
			return nil, fmt.Errorf("%s: tensor %q has shape %v, want %v", path, t.Name, got.Shape, t.Shape)
		}
	}
	for _, t := range want {
		copy(t.Data, byName[t.Name].Data)
	}
	m.Done = done
	return meta, nil
}
