package kernels

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCacheSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"48K", 48 << 10, true},
		{"2048K", 2 << 20, true},
		{"260M", 260 << 20, true},
		{"1024", 1024, true},
		{"1G", 0, false},
		{"", 0, false},
		{"K", 0, false},
		{"-4K", 0, false},
		{"512", 0, false},   // under 1 KiB
		{"2048M", 0, false}, // over 1 GiB
		{"99999999999999999999K", 0, false},
	} {
		got, err := parseCacheSize(tc.in)
		if !tc.ok {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func FuzzParseCacheSize(f *testing.F) {
	for _, s := range []string{"48K", "2048K", "260M", "1", "K", "0M", "-1K", "9223372036854775807K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseCacheSize(s)
		if err == nil && (v < 1<<10 || v > 1<<30) {
			t.Fatalf("%q gave %d, outside 1K..1G", s, v)
		}
	})
}

func TestCacheSizesReadsSysfs(t *testing.T) {
	dir := t.TempDir()
	for i, c := range []struct{ level, typ, size string }{
		{"1", "Data", "48K"}, {"1", "Instruction", "32K"}, {"2", "Unified", "2048K"}, {"3", "Unified", "bogus"},
	} {
		d := filepath.Join(dir, "index"+string(rune('0'+i)))
		require.NoError(t, os.MkdirAll(d, 0o755))
		for name, v := range map[string]string{"level": c.level, "type": c.typ, "size": c.size} {
			require.NoError(t, os.WriteFile(filepath.Join(d, name), []byte(v+"\n"), 0o644))
		}
	}
	l1, l2 := cacheSizes(dir)
	require.Equal(t, 48<<10, l1)
	require.Equal(t, 2<<20, l2)

	l1, l2 = cacheSizes(filepath.Join(dir, "missing"))
	require.Equal(t, defaultL1, l1)
	require.Equal(t, defaultL2, l2)
}

func TestBlockingFitsTheCaches(t *testing.T) {
	for _, c := range []struct{ mr, nr, l1, l2 int }{
		{12, 32, 48 << 10, 2 << 20}, {6, 16, 32 << 10, 256 << 10}, {4, 4, 32 << 10, 1 << 20}, {12, 32, 4 << 10, 16 << 10},
	} {
		b := newBlocking(c.mr, c.nr, c.l1, c.l2)
		require.Zero(t, b.kc%16, "%+v", c)
		require.GreaterOrEqual(t, b.kc, minKC)
		require.LessOrEqual(t, b.kc, maxKC)
		require.GreaterOrEqual(t, b.ncPanels, 1)
		if b.kc > minKC {
			require.LessOrEqual(t, 4*c.mr*b.kc, c.l1/l1Share, "A's micro-panel fits its share of L1: %+v", c)
		}
		if b.ncPanels > 1 {
			require.LessOrEqual(t, 4*b.kc*b.ncPanels*c.nr, c.l2/l2Share, "B's block fits its share of L2: %+v", c)
		}
	}
}
