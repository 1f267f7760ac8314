package checkpoint

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSaveReplacesTheWholeDirectory(t *testing.T) {
	run := t.TempDir()
	write := func(name, text string) func(dir string) error {
		return func(dir string) error { return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644) }
	}
	require.NoError(t, Save(run, write("a", "one")))
	require.NoError(t, Save(run, write("b", "two")))
	dir, err := Find(run)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(run, Name), dir)
	require.NoFileExists(t, filepath.Join(dir, "a"), "the old checkpoint's files are gone")
	require.FileExists(t, filepath.Join(dir, "b"))

	// A failing fill leaves the previous checkpoint as it was.
	require.Error(t, Save(run, func(string) error { return errors.New("disk full") }))
	require.FileExists(t, filepath.Join(run, Name, "b"))
	require.NoDirExists(t, filepath.Join(run, tmpName))

	// A crash between Save's two renames leaves checkpoint.old, which Find takes.
	require.NoError(t, os.Rename(filepath.Join(run, Name), filepath.Join(run, oldName)))
	dir, err = Find(run)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(run, oldName), dir)
	_, err = Find(t.TempDir())
	require.ErrorContains(t, err, "no checkpoint")
}

func TestHeaderAndGenerators(t *testing.T) {
	run := t.TempDir()
	pcg := rand.NewPCG(3, 4)
	rand.New(pcg).Uint64()
	type state struct {
		Header
		RNG []byte `json:"rng"`
	}
	require.NoError(t, Save(run, func(dir string) error {
		return WriteJSON(filepath.Join(dir, StateFile), state{Header{Step: 42, Elapsed: 1.5}, PCG(pcg)})
	}))
	h, err := ReadHeader(run)
	require.NoError(t, err)
	require.Equal(t, Header{Step: 42, Elapsed: 1.5}, h)
	var st state
	require.NoError(t, ReadJSON(filepath.Join(run, Name, StateFile), &st))
	restored := rand.NewPCG(0, 0)
	require.NoError(t, SetPCG(restored, st.RNG, "rng"))
	require.Equal(t, rand.New(pcg).Uint64(), rand.New(restored).Uint64())
	require.Error(t, SetPCG(restored, []byte("junk"), "rng"))

	var other struct{ Step int64 }
	require.ErrorContains(t, ReadJSON(filepath.Join(run, Name, StateFile), &other), "unknown field", "a file of another layout is refused")
	require.NoError(t, os.WriteFile(filepath.Join(run, Name, StateFile), []byte(`{"step": -3, "elapsed_s": 1}`), 0o644))
	_, err = ReadHeader(run)
	require.ErrorContains(t, err, "step -3")
}
