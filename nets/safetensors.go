package nets

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

// The safetensors format (huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header, then the data
// buffer. The header maps each tensor name to {"dtype", "shape",
// "data_offsets": [begin, end]} (offsets relative to the data buffer),
// plus an optional "__metadata__" map of strings to strings. The tensors
// cover the buffer exactly, without holes or overlaps; values are
// little-endian, row-major. arcade writes float32 ("F32") only, and pads
// the header with spaces to a multiple of 8 bytes as the reference
// implementation does.

// maxHeader is the largest header accepted, as in the reference
// implementation (100 MB).
const maxHeader = 100 << 20

// dtypeSizes gives the element size of the dtypes of the format.
var dtypeSizes = map[string]int64{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// TensorInfo is one tensor's entry in a safetensors header.
type TensorInfo struct {
	Name       string
	DType      string
	Shape      []int
	Begin, End int64 // byte offsets in the data buffer
}

// SaveTensors writes tensors, in order, and the metadata meta (nil for
// none) to path in the safetensors format, through a temporary file and a
// rename. The same tensors and metadata always give the same bytes.
func SaveTensors(path string, tensors []Param, meta map[string]string) error {
	checkUnique("SaveTensors", tensors)
	header, err := encodeHeader(tensors, meta)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteFunc(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
		bw.Write(n[:])
		bw.Write(header)
		var b [4]byte
		for _, t := range tensors {
			for _, v := range t.Data {
				binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
				bw.Write(b[:])
			}
		}
		return bw.Flush()
	})
}

// encodeHeader returns the JSON header, padded with spaces to a multiple
// of 8 bytes: the metadata first, then the tensors in data order.
func encodeHeader(tensors []Param, meta map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	if len(meta) > 0 {
		m, err := json.Marshal(meta) // keys sorted
		if err != nil {
			return nil, err
		}
		buf.WriteString(`"__metadata__":`)
		buf.Write(m)
	}
	off := int64(0)
	for i, t := range tensors {
		if t.Name == "__metadata__" {
			return nil, fmt.Errorf("a tensor may not be named __metadata__")
		}
		if i > 0 || len(meta) > 0 {
			buf.WriteByte(',')
		}
		name, _ := json.Marshal(t.Name)
		shape, _ := json.Marshal(append([]int{}, t.Shape...))
		end := off + 4*int64(t.Size())
		fmt.Fprintf(&buf, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, name, shape, off, end)
		off = end
	}
	buf.WriteByte('}')
	for buf.Len()%8 != 0 {
		buf.WriteByte(' ')
	}
	return buf.Bytes(), nil
}

// stFile is a parsed safetensors header.
type stFile struct {
	meta    map[string]string
	tensors map[string]TensorInfo
	data    int64 // where the data buffer starts in the file
}

// headerEntry is a tensor's JSON entry.
type headerEntry struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// parseSafetensors reads and checks the header of a safetensors file of
// size bytes: every size is checked against the file before anything is
// allocated, and the tensors must cover the data buffer exactly.
func parseSafetensors(r io.ReaderAt, size int64) (*stFile, error) {
	if size < 8 {
		return nil, fmt.Errorf("truncated: %d bytes, a safetensors file has at least 8", size)
	}
	var nb [8]byte
	if _, err := r.ReadAt(nb[:], 0); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint64(nb[:])
	if n > maxHeader || int64(n) > size-8 {
		return nil, fmt.Errorf("header of %d bytes does not fit in a file of %d bytes (or is over %d)", n, size, maxHeader)
	}
	header := make([]byte, n)
	if _, err := r.ReadAt(header, 8); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	f := &stFile{tensors: make(map[string]TensorInfo, len(raw)), data: 8 + int64(n)}
	dataLen := size - f.data
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.meta); err != nil {
				return nil, fmt.Errorf("__metadata__ is not a map of strings: %v", err)
			}
			continue
		}
		info, err := parseEntry(name, msg, dataLen)
		if err != nil {
			return nil, err
		}
		f.tensors[name] = info
	}
	return f, checkCoverage(f.tensors, dataLen)
}

// parseEntry checks one tensor's entry against the data buffer's length.
func parseEntry(name string, msg json.RawMessage, dataLen int64) (TensorInfo, error) {
	var e headerEntry
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return TensorInfo{}, fmt.Errorf("tensor %s: %v", name, err)
	}
	elem, ok := dtypeSizes[e.DType]
	if !ok {
		return TensorInfo{}, fmt.Errorf("tensor %s: unknown dtype %q", name, e.DType)
	}
	if len(e.DataOffsets) != 2 {
		return TensorInfo{}, fmt.Errorf("tensor %s: data_offsets has %d values, want 2", name, len(e.DataOffsets))
	}
	begin, end := e.DataOffsets[0], e.DataOffsets[1]
	if begin < 0 || end < begin || end > dataLen {
		return TensorInfo{}, fmt.Errorf("tensor %s: data_offsets [%d, %d] outside the %d bytes of data (truncated file?)", name, begin, end, dataLen)
	}
	shape := make([]int, len(e.Shape))
	zero := false
	for i, d := range e.Shape {
		if d < 0 {
			return TensorInfo{}, fmt.Errorf("tensor %s: negative size in shape %v", name, e.Shape)
		}
		shape[i], zero = int(d), zero || d == 0
	}
	count := int64(0)
	if !zero {
		count = 1
		for _, d := range e.Shape {
			if d > dataLen/count { // count*d > dataLen, without overflow
				return TensorInfo{}, fmt.Errorf("tensor %s: shape %v does not fit in %d bytes of data", name, e.Shape, dataLen)
			}
			count *= d
		}
	}
	if count*elem != end-begin {
		return TensorInfo{}, fmt.Errorf("tensor %s: shape %v of %s is %d bytes but data_offsets [%d, %d] hold %d", name, e.Shape, e.DType, count*elem, begin, end, end-begin)
	}
	return TensorInfo{Name: name, DType: e.DType, Shape: shape, Begin: begin, End: end}, nil
}

// checkCoverage checks that the tensors tile [0, dataLen) without holes or
// overlaps.
func checkCoverage(tensors map[string]TensorInfo, dataLen int64) error {
	list := make([]TensorInfo, 0, len(tensors))
	for _, t := range tensors {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Begin != list[j].Begin {
			return list[i].Begin < list[j].Begin
		}
		return list[i].End < list[j].End
	})
	at := int64(0)
	for _, t := range list {
		if t.Begin != at {
			return fmt.Errorf("tensor %s starts at byte %d of the data, want %d (a hole or an overlap)", t.Name, t.Begin, at)
		}
		at = t.End
	}
	if at != dataLen {
		return fmt.Errorf("the tensors cover %d bytes of data but the file holds %d (truncated or trailing bytes)", at, dataLen)
	}
	return nil
}

// Inspect returns the tensors (sorted by name) and metadata of the
// safetensors file at path.
func Inspect(path string) ([]TensorInfo, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	h, err := parseSafetensors(f, st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	list := make([]TensorInfo, 0, len(h.tensors))
	for _, t := range h.tensors {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, h.meta, nil
}

// LoadTensors reads the safetensors file at path into tensors, matched by
// name, and returns its metadata. The file must hold exactly these
// tensors, as float32 of the same shapes; anything else is an error naming
// the file and the tensor, and leaves tensors partly loaded.
func LoadTensors(path string, tensors []Param) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	meta, err := loadFrom(f, st.Size(), tensors)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return meta, nil
}

// loadFrom is LoadTensors on a reader of size bytes.
func loadFrom(r io.ReaderAt, size int64, tensors []Param) (map[string]string, error) {
	h, err := parseSafetensors(r, size)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(tensors))
	for _, t := range tensors {
		want[t.Name] = true
		info, ok := h.tensors[t.Name]
		if !ok {
			return nil, fmt.Errorf("no tensor %s in the file", t.Name)
		}
		if info.DType != "F32" {
			return nil, fmt.Errorf("tensor %s has dtype %s, want F32", t.Name, info.DType)
		}
		if !slices.Equal(info.Shape, t.Shape) {
			return nil, fmt.Errorf("tensor %s has shape %v, want %v", t.Name, info.Shape, t.Shape)
		}
	}
	names := make([]string, 0, len(h.tensors))
	for name := range h.tensors {
		if !want[name] {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return nil, fmt.Errorf("tensor %s in the file is not expected here", names[0])
	}
	buf := make([]byte, 1<<16)
	for _, t := range tensors {
		info := h.tensors[t.Name]
		at, data := h.data+info.Begin, t.Data
		for len(data) > 0 {
			n := min(len(data), len(buf)/4)
			b := buf[:4*n]
			if _, err := r.ReadAt(b, at); err != nil {
				return nil, fmt.Errorf("tensor %s: %v", t.Name, err)
			}
			for i := range data[:n] {
				data[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			}
			data, at = data[n:], at+int64(len(b))
		}
	}
	if h.meta == nil {
		h.meta = map[string]string{}
	}
	return h.meta, nil
}
