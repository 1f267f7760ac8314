package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/arcadelab/arcade/internal/data"
	"github.com/stretchr/testify/require"
)

// mnistSubset writes the first n images of each MNIST split as plain IDX
// files into a temporary folder and returns it, for --data: the generative
// models' CLI tests then read 2n images instead of decompressing 70,000.
func mnistSubset(t *testing.T, n int) string {
	t.Helper()
	mnistOnce.Do(func() { mnistFull, mnistErr = data.LoadMNIST("") })
	require.NoError(t, mnistErr)
	dir := t.TempDir()
	for _, split := range []struct {
		d            data.Digits
		images, labs string
	}{{mnistFull.Train, "train-images-idx3-ubyte", "train-labels-idx1-ubyte"}, {mnistFull.Test, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}} {
		d := split.d.First(n)
		img := idxHeader(0x803, d.N, d.Rows, d.Cols)
		for _, v := range d.Images {
			img = append(img, byte(v*255+0.5))
		}
		lab := idxHeader(0x801, d.N)
		for _, l := range d.Labels {
			lab = append(lab, byte(l))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, split.images), img, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, split.labs), lab, 0o644))
	}
	return dir
}

var (
	mnistOnce sync.Once
	mnistFull *data.MNIST
	mnistErr  error
)

// idxHeader is the header of an IDX file of unsigned bytes.
func idxHeader(magic uint32, dims ...int) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return b
}
