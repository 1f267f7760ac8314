// Package checkpoint writes and finds the checkpoint/ directory of an
// agent's run as one unit: the files of a checkpoint (weights, optimizer
// state, replay buffer, counters) go into a fresh directory that then
// replaces the old one, so a crash leaves either the whole old checkpoint
// or the whole new one, never a mix.
package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

// The directories inside a run directory.
const (
	Name    = "checkpoint"     // the latest complete checkpoint
	tmpName = "checkpoint.tmp" // the one being written
	oldName = "checkpoint.old" // the previous one, between the two renames
)

// Save writes a checkpoint of the run in runDir: fill writes its files into
// the directory it is given, which then replaces runDir/checkpoint. A
// failure leaves the previous checkpoint in place.
func Save(runDir string, fill func(dir string) error) error {
	tmp, final, old := filepath.Join(runDir, tmpName), filepath.Join(runDir, Name), filepath.Join(runDir, oldName)
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(final, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return os.RemoveAll(old)
}

// Find returns the directory of the run's latest complete checkpoint:
// runDir/checkpoint, or runDir/checkpoint.old when a crash came between
// Save's two renames.
func Find(runDir string) (string, error) {
	for _, name := range []string{Name, oldName} {
		dir := filepath.Join(runDir, name)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%s has no checkpoint to resume from (no %s/)", runDir, Name)
}

// WriteJSON writes v as indented JSON to path, atomically.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, append(data, '\n'))
}

// maxJSON bounds the JSON files of a checkpoint (a game's action log is
// the largest part: a few hundred kilobytes at most).
const maxJSON = 64 << 20

// ReadJSON decodes the JSON file at path into v, after checking its size.
// Unknown fields are an error: the file was written by another version.
func ReadJSON(path string, v any) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Size() > maxJSON {
		return fmt.Errorf("%s is %d bytes, more than the %d a checkpoint's state takes", path, st.Size(), maxJSON)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// PCG returns the state of a generator, for a checkpoint's JSON.
func PCG(p *rand.PCG) []byte {
	b, err := p.MarshalBinary()
	if err != nil {
		panic("checkpoint: " + err.Error()) // PCG's MarshalBinary cannot fail
	}
	return b
}

// SetPCG restores a generator's state saved by PCG; what names it in
// errors.
func SetPCG(p *rand.PCG, state []byte, what string) error {
	if err := p.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("checkpoint: generator %s: %w", what, err)
	}
	return nil
}

// Header is what every agent's state.json begins with: where the run
// stands, for run.Open to drop later metrics and continue the wall clock.
type Header struct {
	Step    int64   `json:"step"`      // agent steps taken
	Elapsed float64 `json:"elapsed_s"` // wall seconds so far
}

// StateFile is the name of an agent's counters and generator states in
// its checkpoint directory.
const StateFile = "state.json"

// ReadHeader reads the Header of the latest checkpoint of the run in
// runDir.
func ReadHeader(runDir string) (Header, error) {
	var h Header
	dir, err := Find(runDir)
	if err != nil {
		return h, err
	}
	path := filepath.Join(dir, StateFile)
	st, err := os.Stat(path)
	if err != nil {
		return h, err
	}
	if st.Size() > maxJSON {
		return h, fmt.Errorf("%s is %d bytes, more than the %d a checkpoint's state takes", path, st.Size(), maxJSON)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(data, &h); err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	if h.Step < 0 || !(h.Elapsed >= 0) {
		return h, fmt.Errorf("%s: step %d, elapsed %v: not a checkpoint's counters", path, h.Step, h.Elapsed)
	}
	return h, nil
}
