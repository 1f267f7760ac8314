package nets

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// handBuilt is a safetensors file written byte by byte from the format's
// description: tensors "a" [2] = {1, -2} and "b" [1, 1] = {0.5}, metadata
// {"epoch": "3"}, the header padded with spaces to 8 bytes.
func handBuilt() []byte {
	header := `{"__metadata__":{"epoch":"3"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}`
	for len(header)%8 != 0 {
		header += " "
	}
	var f bytes.Buffer
	binary.Write(&f, binary.LittleEndian, uint64(len(header)))
	f.WriteString(header)
	for _, v := range []float32{1, -2, 0.5} {
		binary.Write(&f, binary.LittleEndian, math.Float32bits(v))
	}
	return f.Bytes()
}

func TestSaveTensorsWritesTheFormatByteForByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	a, b := FromData([]float32{1, -2}, 2), FromData([]float32{0.5}, 1, 1)
	require.NoError(t, SaveTensors(path, []Param{{"a", a}, {"b", b}}, map[string]string{"epoch": "3"}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, handBuilt(), got)

	a2, b2 := New(2), New(1, 1)
	meta, err := LoadTensors(path, []Param{{"b", b2}, {"a", a2}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"epoch": "3"}, meta)
	require.Equal(t, a.Data, a2.Data)
	require.Equal(t, b.Data, b2.Data)

	infos, meta, err := Inspect(path)
	require.NoError(t, err)
	require.Equal(t, "3", meta["epoch"])
	require.Equal(t, []TensorInfo{{"a", "F32", []int{2}, 0, 8}, {"b", "F32", []int{1, 1}, 8, 12}}, infos)
}

func TestLoadTensorsErrorsNameTheTensor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	require.NoError(t, os.WriteFile(path, handBuilt(), 0o644))
	for _, tc := range []struct {
		want []Param
		msg  string
	}{
		{[]Param{{"a", New(2)}}, "tensor b in the file is not expected here"},
		{[]Param{{"a", New(2)}, {"b", New(1, 1)}, {"c", New(1)}}, "no tensor c in the file"},
		{[]Param{{"a", New(1, 2)}, {"b", New(1, 1)}}, "tensor a has shape [2], want [1 2]"},
	} {
		_, err := LoadTensors(path, tc.want)
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.msg)
		require.Contains(t, err.Error(), path)
		require.NotContains(t, err.Error(), "\n")
	}

	f64 := strings.Replace(string(handBuilt()), `"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`, `"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}`, 1)
	require.NoError(t, os.WriteFile(path, []byte(f64), 0o644))
	_, err := LoadTensors(path, []Param{{"a", New(1)}, {"b", New(1, 1)}})
	require.ErrorContains(t, err, "tensor a has dtype F64, want F32")

	full := handBuilt()
	for _, cut := range []int{0, 4, 8, 20, len(full) - 4, len(full) - 1} {
		require.NoError(t, os.WriteFile(path, full[:cut], 0o644))
		_, err := LoadTensors(path, []Param{{"a", New(2)}, {"b", New(1, 1)}})
		require.Error(t, err, "truncated to %d bytes", cut)
		require.NotContains(t, err.Error(), "\n")
	}
	require.NoError(t, os.WriteFile(path, full[:len(full)-4], 0o644))
	_, err = LoadTensors(path, []Param{{"a", New(2)}, {"b", New(1, 1)}})
	require.ErrorContains(t, err, "tensor b: data_offsets [8, 12] outside the 8 bytes of data (truncated file?)")
}

func TestHeaderSizeIsCheckedBeforeAllocating(t *testing.T) {
	var f bytes.Buffer
	binary.Write(&f, binary.LittleEndian, uint64(1)<<62)
	f.WriteString("{}")
	_, err := loadFrom(bytes.NewReader(f.Bytes()), int64(f.Len()), nil)
	require.ErrorContains(t, err, "does not fit in a file of 10 bytes")
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.safetensors")
	w := FromData([]float32{1, 2, 3}, 3).SetRequiresGrad(true)
	ps := []Param{{"w", w}}
	opt := NewAdam(ps, DefaultAdamConfig())
	w.Grad = []float32{0.1, -0.2, 0.3}
	opt.Step()
	opt.Step()
	opt.SetLR(0.0005)
	require.NoError(t, SaveCheckpoint(path, ps, opt, map[string]string{"epoch": "7"}))
	infos, _, err := Inspect(path)
	require.NoError(t, err)
	require.Equal(t, "optimizer/exp_avg/w", infos[0].Name)

	w2 := New(3).SetRequiresGrad(true)
	ps2 := []Param{{"w", w2}}
	opt2 := NewAdam(ps2, DefaultAdamConfig())
	meta, err := LoadCheckpoint(path, ps2, opt2)
	require.NoError(t, err)
	require.Equal(t, "7", meta["epoch"])
	require.Equal(t, int64(2), opt2.Steps())
	require.Equal(t, 0.0005, opt2.LR())
	require.Equal(t, w.Data, w2.Data)
	// The next step is the same on both: the moments came back too.
	w2.Grad = []float32{0.1, -0.2, 0.3}
	opt.Step()
	opt2.Step()
	require.Equal(t, w.Data, w2.Data)

	_, err = LoadCheckpoint(path, ps2, NewSGD(ps2, SGDConfig{LR: 0.1, Momentum: 0.9}))
	require.ErrorContains(t, err, "no tensor optimizer/momentum_buffer/w in the file")
}

// FuzzLoad feeds arbitrary bytes to the loader: it must return an error or
// load, never panic or allocate beyond the file's size. The seed corpus
// (run by plain go test) holds a valid file and corrupted variants.
func FuzzLoad(f *testing.F) {
	valid := handBuilt()
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add(valid[:9])
	f.Add([]byte{})
	f.Add(bytes.Replace(valid, []byte(`[8,12]`), []byte(`[4,12]`), 1))
	f.Add(bytes.Replace(valid, []byte(`[1,1]`), []byte(`[1,-1]`), 1))
	f.Add(bytes.Replace(valid, []byte(`"shape":[2]`), []byte(`"shape":[9223372036854775807,9223372036854775807]`), 1))
	f.Add(bytes.Replace(valid, []byte(`"epoch":"3"`), []byte(`"epoch":3`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := parseSafetensors(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		var ps []Param
		for name, info := range h.tensors {
			if info.DType == "F32" {
				ps = append(ps, Param{name, New(info.Shape...)})
			}
		}
		_, _ = loadFrom(bytes.NewReader(data), int64(len(data)), ps)
	})
}
