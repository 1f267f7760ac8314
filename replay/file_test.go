package replay

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// filled returns a buffer of cfg after steps random steps of a FrameStack
// env, its history, and the generator that chose the steps.
func filled(t testing.TB, cfg Config, steps int) (*Buffer, *history, *rand.Rand) {
	b, err := New(cfg)
	require.NoError(t, err)
	h := &history{env: stackEnv{rng: rand.New(rand.NewPCG(11, 12)), k: cfg.FrameStack, F: cfg.obsLen() / cfg.FrameStack}}
	rng := rand.New(rand.NewPCG(13, 14))
	for range steps {
		if cfg.DType == U8 {
			addStep(b, u8s, b.AddU8, h, rng, 0.05)
		} else {
			addStep(b, f32s, b.AddF32, h, rng, 0.05)
		}
	}
	return b, h, rng
}

// requireSameState checks that two buffers hold the same state: every
// field but the row-filling closure, which is made anew by each New.
func requireSameState(t *testing.T, a, b *Buffer) {
	t.Helper()
	x, y := *a, *b
	x.fillRows, y.fillRows = nil, nil
	require.Equal(t, x, y)
}

func pixelConfig() Config {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.Scale = 50, []int{4, 3, 3}, 4, 1.0/255
	cfg.NStep, cfg.Prioritized = 3, true
	return cfg
}

// TestSaveLoadSamplesTheSame saves buffers part-filled, full and
// mid-episode, loads them, and checks that original and copy give the same
// batches from the same generator state, before and after more steps.
func TestSaveLoadSamplesTheSame(t *testing.T) {
	vector := DefaultConfig()
	vector.Capacity, vector.ObsShape, vector.DType, vector.NStep = 30, []int{4}, F32, 2
	cases := []struct {
		name  string
		cfg   Config
		steps int
	}{
		{"pixels part-filled", pixelConfig(), 20},
		{"pixels wrapped", pixelConfig(), 333},
		{"vectors wrapped", vector, 95},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, h, rng := filled(t, c.cfg, c.steps)
			batch := b.NewBatch(8)
			b.Sample(batch, rand.New(rand.NewPCG(1, 1)), 0.5)
			td := make([]float32, 8)
			for i := range td {
				td[i] = float32(i) - 3.5
			}
			b.UpdatePriorities(batch.Indices, td)

			path := filepath.Join(t.TempDir(), "replay.bin")
			require.NoError(t, b.Save(path))
			l, err := Load(path, c.cfg)
			require.NoError(t, err)
			requireSameState(t, b, l)

			r1, r2 := rand.New(rand.NewPCG(2, 2)), rand.New(rand.NewPCG(2, 2))
			x1, x2 := b.NewBatch(8), l.NewBatch(8)
			for range 3 {
				b.Sample(x1, r1, 0.7)
				l.Sample(x2, r2, 0.7)
				require.Equal(t, x1, x2)
			}
			// Both continue the same episode.
			h2 := *h
			h2.env.stack = append([]uint8(nil), h.env.stack...)
			h2.env.rng = rand.New(rand.NewPCG(99, 99))
			h.env.rng = rand.New(rand.NewPCG(99, 99))
			rng2 := rand.New(rand.NewPCG(7, 7))
			rng = rand.New(rand.NewPCG(7, 7))
			for range 10 {
				if c.cfg.DType == U8 {
					addStep(b, u8s, b.AddU8, h, rng, 0.1)
					addStep(l, u8s, l.AddU8, &h2, rng2, 0.1)
				} else {
					addStep(b, f32s, b.AddF32, h, rng, 0.1)
					addStep(l, f32s, l.AddF32, &h2, rng2, 0.1)
				}
			}
			b.Sample(x1, r1, 0.7)
			l.Sample(x2, r2, 0.7)
			require.Equal(t, x1, x2)
		})
	}
}

func TestSaveLoadEmpty(t *testing.T) {
	cfg := pixelConfig()
	b, err := New(cfg)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "replay.bin")
	require.NoError(t, b.Save(path))
	l, err := Load(path, cfg)
	require.NoError(t, err)
	requireSameState(t, b, l)
}

// withCRC returns data with its last 4 bytes replaced by the CRC of the
// rest, so that a change elsewhere reaches the checks after the checksum.
func withCRC(data []byte) []byte {
	out := append([]byte(nil), data...)
	if n := len(out) - 4; n >= 0 {
		binary.LittleEndian.PutUint32(out[n:], crc32.Checksum(out[:n], crcTable))
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	cfg := pixelConfig()
	b, _, _ := filled(t, cfg, 60)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.bin")
	require.NoError(t, b.Save(good))
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	headerSize := binary.Size(fileHeader{})

	edit := func(f func(d []byte) []byte) []byte { return f(append([]byte(nil), data...)) }
	other := func(f func(c *Config)) Config {
		c := cfg
		f(&c)
		return c
	}
	firstFlag := headerSize + cfg.Capacity*9 + cfg.Capacity*(1+4) // frames, actions, rewards
	cases := []struct {
		name string
		data []byte
		cfg  Config
		msg  string
	}{
		{"empty", nil, cfg, "file is 0 bytes, shorter than a header"},
		{"magic", edit(func(d []byte) []byte { d[0] = 'X'; return d }), cfg, "not a replay buffer file (bad magic)"},
		{"version", withCRC(edit(func(d []byte) []byte { d[8] = 9; return d })), cfg, "format version 9, this arcade reads version 1"},
		{"capacity", data, other(func(c *Config) { c.Capacity = 60 }), "capacity is 50 in the file, 60 in the config"},
		{"shape", data, other(func(c *Config) { c.ObsShape = []int{4, 3, 4} }), "observation shape is [4 3 3] in the file, [4 3 4] in the config"},
		{"gamma", data, other(func(c *Config) { c.Gamma = 0.5 }), "gamma is 0.99 in the file, 0.5 in the config"},
		{"uniform", data, other(func(c *Config) { c.Prioritized = false }), "prioritized is 1 in the file, 0 in the config"},
		{"truncated", data[:len(data)-10], cfg, fmt.Sprintf("file is %d bytes, its header says %d", len(data)-10, len(data))},
		{"checksum", edit(func(d []byte) []byte { d[headerSize+5]++; return d }), cfg, "is damaged"},
		{"flags", withCRC(edit(func(d []byte) []byte { d[firstFlag+b.head] = 0x40; return d })), cfg, fmt.Sprintf("slot %d: unknown flags 0x40", b.head)},
		{"ready", withCRC(edit(func(d []byte) []byte { d[firstFlag+1] ^= flagReady; return d })), cfg, "slot 1: ready flag"},
		{"offset", withCRC(edit(func(d []byte) []byte { d[firstFlag+cfg.Capacity+7]++; return d })), cfg, "slot 7: step"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".bin")
			require.NoError(t, os.WriteFile(path, c.data, 0o644))
			l, err := Load(path, c.cfg)
			require.Nil(t, l)
			require.ErrorContains(t, err, "replay: load "+path+": ")
			require.ErrorContains(t, err, c.msg)
			require.NotContains(t, err.Error(), "\n")
		})
	}
	_, err = Load(filepath.Join(dir, "missing.bin"), cfg)
	require.ErrorContains(t, err, "no such file")
}

// FuzzLoad feeds the loader damaged files; the CRC is fixed up so that the
// damage reaches the checks behind it. Load must return an error or a
// buffer that passes its own checks and samples.
func FuzzLoad(f *testing.F) {
	cfg := pixelConfig()
	cfg.Capacity = 12
	dir := f.TempDir()
	for i, steps := range []int{0, 3, 9, 40} {
		b, _, _ := filled(f, cfg, steps)
		path := filepath.Join(dir, strings.Repeat("x", i+1))
		require.NoError(f, b.Save(path))
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte("ARCRPLY\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "replay.bin")
		require.NoError(t, os.WriteFile(path, withCRC(data), 0o644))
		b, err := Load(path, cfg)
		if err != nil {
			require.NotContains(t, err.Error(), "\n")
			return
		}
		require.NoError(t, b.check())
		if b.Len() > 0 {
			batch := b.NewBatch(4)
			b.Sample(batch, rand.New(rand.NewPCG(1, 1)), 0.5)
			b.UpdatePriorities(batch.Indices, batch.Returns)
		}
	})
}
