package embed

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// Tensor is a named float32 array with a shape, as stored in safetensors.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32 // row-major, len = product of Shape
}

// safetensorsInfo is one tensor's entry in a safetensors header.
type safetensorsInfo struct {
	Dtype       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// maxHeader bounds the JSON header of a safetensors file we read.
const maxHeader = 16 << 20

// WriteSafetensors writes tensors in the safetensors format (an 8-byte
// little-endian header length, a JSON header naming each tensor's dtype,
// shape and byte range, then the raw little-endian data), with meta as
// its string-to-string __metadata__.
func WriteSafetensors(w io.Writer, tensors []Tensor, meta map[string]string) error {
	header := map[string]any{}
	if len(meta) > 0 {
		header["__metadata__"] = meta
	}
	var off int64
	for _, t := range tensors {
		if n := product(t.Shape); n != len(t.Data) {
			panic(fmt.Sprintf("embed: tensor %s has shape %v but %d values", t.Name, t.Shape, len(t.Data)))
		}
		end := off + 4*int64(len(t.Data))
		header[t.Name] = safetensorsInfo{Dtype: "F32", Shape: t.Shape, DataOffsets: [2]int64{off, end}}
		off = end
	}
	js, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(js)%8 != 0 { // the format pads the header with spaces to 8 bytes
		js = append(js, ' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(js)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(js); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, t := range tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err = w.Write(buf)
	return err
}

// ParseSafetensors decodes a safetensors file held in data: its F32
// tensors, sorted by name, and its metadata. name goes into errors.
// Every size is checked against len(data) before anything is allocated.
func ParseSafetensors(data []byte, name string) ([]Tensor, map[string]string, error) {
	if len(data) < 8 {
		return nil, nil, fmt.Errorf("%s: %d bytes, too short for a safetensors file", name, len(data))
	}
	hlen := binary.LittleEndian.Uint64(data)
	if hlen > maxHeader || hlen > uint64(len(data)-8) {
		return nil, nil, fmt.Errorf("%s: header of %d bytes in a file of %d", name, hlen, len(data))
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data[8 : 8+hlen]))
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, fmt.Errorf("%s: header: %w", name, err)
	}
	body := data[8+hlen:]
	var meta map[string]string
	var tensors []Tensor
	for key, msg := range raw {
		if key == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, fmt.Errorf("%s: __metadata__: %w", name, err)
			}
			continue
		}
		var info safetensorsInfo
		if err := json.Unmarshal(msg, &info); err != nil {
			return nil, nil, fmt.Errorf("%s: tensor %q: %w", name, key, err)
		}
		if info.Dtype != "F32" {
			return nil, nil, fmt.Errorf("%s: tensor %q has dtype %q, want F32", name, key, info.Dtype)
		}
		lo, hi := info.DataOffsets[0], info.DataOffsets[1]
		if lo < 0 || hi < lo || hi > int64(len(body)) {
			return nil, nil, fmt.Errorf("%s: tensor %q has bytes [%d, %d) outside the %d of data", name, key, lo, hi, len(body))
		}
		n := int64(1)
		for _, s := range info.Shape {
			if s < 0 || (s > 0 && n > (hi-lo)/int64(s)) {
				return nil, nil, fmt.Errorf("%s: tensor %q has shape %v, more than its %d bytes", name, key, info.Shape, hi-lo)
			}
			n *= int64(s)
		}
		if 4*n != hi-lo {
			return nil, nil, fmt.Errorf("%s: tensor %q has shape %v but %d bytes", name, key, info.Shape, hi-lo)
		}
		t := Tensor{Name: key, Shape: info.Shape, Data: make([]float32, n)}
		for k := range t.Data {
			t.Data[k] = math.Float32frombits(binary.LittleEndian.Uint32(body[lo+4*int64(k):]))
		}
		tensors = append(tensors, t)
	}
	slices.SortFunc(tensors, func(a, b Tensor) int { return strings.Compare(a.Name, b.Name) })
	return tensors, meta, nil
}

// ReadSafetensors reads and parses the safetensors file at path, refusing
// files larger than limit bytes.
func ReadSafetensors(path string, limit int64) ([]Tensor, map[string]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.Size() > limit {
		return nil, nil, fmt.Errorf("%s is %d bytes, more than the %d expected", path, st.Size(), limit)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return ParseSafetensors(data, path)
}

func product(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
