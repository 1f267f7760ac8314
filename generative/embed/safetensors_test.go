package embed

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSafetensorsRoundTrip(t *testing.T) {
	tensors := []Tensor{
		{"b", []int{2, 3}, []float32{1, -2, 3.5, 0, 1e-30, -7}},
		{"a", []int{1}, []float32{42}},
		{"empty", []int{0, 4}, []float32{}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteSafetensors(&buf, tensors, map[string]string{"epoch": "3"}))
	data := buf.Bytes()
	hlen := binary.LittleEndian.Uint64(data)
	require.Zero(t, hlen%8, "the header is padded to 8 bytes")
	require.Equal(t, int(8+hlen+4*7), len(data))
	got, meta, err := ParseSafetensors(data, "x")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"epoch": "3"}, meta)
	require.Equal(t, []Tensor{tensors[1], tensors[0], tensors[2]}, got, "sorted by name")
}

func TestSafetensorsRejectsBadFiles(t *testing.T) {
	header := func(h string) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(b, h...)
	}
	for _, tc := range []struct {
		data []byte
		msg  string
	}{
		{[]byte{1, 2}, "too short"},
		{binary.LittleEndian.AppendUint64(nil, 1<<40), "header of 1099511627776 bytes"},
		{header(`{"a":`), "header:"},
		{header(`{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`), `dtype "F16"`},
		{append(header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`), 0, 0, 0, 0), "outside the 4 of data"},
		{append(header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,4]}}`), 0, 0, 0, 0), "has shape [3] but 4 bytes"},
		{append(header(`{"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}}`), 0, 0, 0, 0), "more than its 4 bytes"},
		{append(header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`), 0, 0, 0, 0), "more than its 4 bytes"},
		{header(`{"__metadata__":{"a":1}}`), "__metadata__"},
	} {
		_, _, err := ParseSafetensors(tc.data, "f")
		require.ErrorContains(t, err, tc.msg)
	}
}

func FuzzParseSafetensors(f *testing.F) {
	var buf bytes.Buffer
	WriteSafetensors(&buf, []Tensor{{"w", []int{2, 2}, []float32{1, 2, 3, 4}}}, map[string]string{"k": "v"})
	f.Add(buf.Bytes())
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '})
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, _, err := ParseSafetensors(data, "fuzz")
		if err != nil {
			return
		}
		total := 0
		for _, tn := range tensors {
			require.Equal(t, product(tn.Shape), len(tn.Data))
			total += 4 * len(tn.Data)
		}
		require.LessOrEqual(t, total, len(data), "never more values than the file holds")
	})
}
