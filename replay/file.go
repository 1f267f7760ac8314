package replay

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/arcadelab/arcade/internal/atomicfile"
)

// The file format, little-endian throughout:
//
//	header                 fileHeader: magic, version, the Config, the ring's head and size, the largest priority
//	frames   [size, frame] uint8, or float32 for DType F32
//	actions  [size]        uint8
//	rewards  [size]        float32
//	flags    [size]        uint8
//	offsets  [size]        uint8
//	priorities [size]      float64, prioritized buffers only
//	crc      uint32        CRC-32C (Castagnoli) of everything before it
//
// Only the size slots written so far are stored (slots 0 ... size-1: the
// ring fills from slot 0). Nothing depends on a random generator; the
// agent saves its own.

const (
	fileMagic   = "ARCRPLY\x00"
	fileVersion = 1
)

type fileHeader struct {
	Magic       [8]byte
	Version     uint32
	DType       uint32
	Capacity    uint64
	Rank        uint32
	Shape       [maxRank]uint64
	FrameStack  uint32
	NStep       uint32
	Gamma       float64
	Scale       float32
	Prioritized uint32
	Alpha       float64
	Eps         float64
	Head        uint64
	Size        uint64
	MaxPriority float64 // 0 for uniform buffers
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Save writes the buffer to path atomically (a temporary file renamed
// over path).
func (b *Buffer) Save(path string) error {
	return atomicfile.WriteFunc(path, func(f io.Writer) error {
		bw := bufio.NewWriterSize(f, 1<<20)
		sum := crc32.New(crcTable)
		w := io.MultiWriter(bw, sum)
		if err := binary.Write(w, binary.LittleEndian, b.header()); err != nil {
			return err
		}
		if err := b.body(w, nil); err != nil {
			return err
		}
		if err := binary.Write(bw, binary.LittleEndian, sum.Sum32()); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func (b *Buffer) header() fileHeader {
	c := b.cfg
	h := fileHeader{
		Version:    fileVersion,
		DType:      uint32(c.DType),
		Capacity:   uint64(c.Capacity),
		Rank:       uint32(len(c.ObsShape)),
		FrameStack: uint32(c.FrameStack),
		NStep:      uint32(c.NStep),
		Gamma:      c.Gamma,
		Scale:      c.Scale,
		Alpha:      c.Alpha,
		Eps:        c.Eps,
		Head:       uint64(b.head),
		Size:       uint64(b.size),
	}
	copy(h.Magic[:], fileMagic)
	for i, d := range c.ObsShape {
		h.Shape[i] = uint64(d)
	}
	if b.prio != nil {
		h.Prioritized = 1
		h.MaxPriority = b.prio.max
	}
	return h
}

// body writes the arrays of the file to w (r == nil) or reads them from r
// into the buffer, through a scratch block.
func (b *Buffer) body(w io.Writer, r io.Reader) error {
	n := b.size
	block := make([]byte, 1<<16)
	u8 := func(v []uint8) error {
		if r != nil {
			_, err := io.ReadFull(r, v)
			return err
		}
		_, err := w.Write(v)
		return err
	}
	f32 := func(v []float32) error {
		return blocks(w, r, block, 4, len(v), func(i int, p []byte) {
			if r != nil {
				v[i] = math.Float32frombits(binary.LittleEndian.Uint32(p))
			} else {
				binary.LittleEndian.PutUint32(p, math.Float32bits(v[i]))
			}
		})
	}
	frames := func() error { return f32(b.f32[:n*b.frame]) }
	if b.u8 != nil {
		frames = func() error { return u8(b.u8[:n*b.frame]) }
	}
	steps := []func() error{
		frames,
		func() error { return u8(b.action[:n]) },
		func() error { return f32(b.reward[:n]) },
		func() error { return u8(b.flags[:n]) },
		func() error { return u8(b.offset[:n]) },
	}
	if b.prio != nil {
		leaves := b.prio.sum[b.prio.leaves : b.prio.leaves+n]
		steps = append(steps, func() error {
			return blocks(w, r, block, 8, n, func(i int, p []byte) {
				if r != nil {
					leaves[i] = math.Float64frombits(binary.LittleEndian.Uint64(p))
				} else {
					binary.LittleEndian.PutUint64(p, math.Float64bits(leaves[i]))
				}
			})
		})
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// blocks moves n values of width bytes each between the stream and code,
// which encodes or decodes value i at p, a block at a time.
func blocks(w io.Writer, r io.Reader, block []byte, width, n int, code func(i int, p []byte)) error {
	per := len(block) / width
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		p := block[:(hi-lo)*width]
		if r != nil {
			if _, err := io.ReadFull(r, p); err != nil {
				return err
			}
		}
		for i := lo; i < hi; i++ {
			code(i, p[(i-lo)*width:])
		}
		if r == nil {
			if _, err := w.Write(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// bodySize returns the bytes of the arrays of a file of size slots.
func (c Config) bodySize(size int) int64 {
	per := int64(1 + 4 + 1 + 1) // action, reward, flags, offset
	if c.DType == U8 {
		per += int64(c.obsLen() / c.FrameStack)
	} else {
		per += 4 * int64(c.obsLen()/c.FrameStack)
	}
	if c.Prioritized {
		per += 8
	}
	return per * int64(size)
}

// Load reads a buffer that Save wrote with the same cfg. Every size in the
// header is checked against cfg and the file's length before anything is
// allocated; the arrays are then checked against each other (the ring's
// episodes, flags, and priorities). Errors are one line naming the file
// and what is wrong.
func Load(path string, cfg Config) (*Buffer, error) {
	b, err := load(path, cfg)
	if err != nil {
		return nil, fmt.Errorf("replay: load %s: %w", path, err)
	}
	return b, nil
}

func load(path string, cfg Config) (*Buffer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var h fileHeader
	headerSize := int64(binary.Size(h))
	if st.Size() < headerSize+4 {
		return nil, fmt.Errorf("file is %d bytes, shorter than a header", st.Size())
	}
	sum := crc32.New(crcTable)
	r := io.TeeReader(bufio.NewReaderSize(f, 1<<20), sum)
	if err := binary.Read(r, binary.LittleEndian, &h); err != nil {
		return nil, err
	}
	if err := checkHeader(h, cfg); err != nil {
		return nil, err
	}
	if want := headerSize + cfg.bodySize(int(h.Size)) + 4; st.Size() != want {
		return nil, fmt.Errorf("file is %d bytes, its header says %d", st.Size(), want)
	}

	b, err := New(cfg)
	if err != nil {
		return nil, err
	}
	b.head, b.size = int(h.Head), int(h.Size)
	if err := b.body(nil, r); err != nil {
		return nil, err
	}
	if err := checkSum(r, sum); err != nil {
		return nil, err
	}
	if b.prio != nil {
		b.prio.max = h.MaxPriority
	}
	if err := b.restore(); err != nil {
		return nil, err
	}
	return b, nil
}

// checkHeader compares the header with cfg and checks the ring's state.
func checkHeader(h fileHeader, cfg Config) error {
	if string(h.Magic[:]) != fileMagic {
		return errors.New("not a replay buffer file (bad magic)")
	}
	if h.Version != fileVersion {
		return fmt.Errorf("format version %d, this arcade reads version %d", h.Version, fileVersion)
	}
	mismatch := func(what string, file, want any) error {
		return fmt.Errorf("%s is %v in the file, %v in the config", what, file, want)
	}
	if h.Rank != uint32(len(cfg.ObsShape)) {
		return mismatch("observation rank", h.Rank, len(cfg.ObsShape))
	}
	for i, d := range cfg.ObsShape {
		if h.Shape[i] != uint64(d) {
			return mismatch("observation shape", h.Shape[:min(h.Rank, maxRank)], cfg.ObsShape)
		}
	}
	prioritized := uint32(0)
	if cfg.Prioritized {
		prioritized = 1
	}
	switch {
	case h.DType != uint32(cfg.DType):
		return mismatch("dtype", DType(h.DType), cfg.DType)
	case h.Capacity != uint64(cfg.Capacity):
		return mismatch("capacity", h.Capacity, cfg.Capacity)
	case h.FrameStack != uint32(cfg.FrameStack):
		return mismatch("frame stack", h.FrameStack, cfg.FrameStack)
	case h.NStep != uint32(cfg.NStep):
		return mismatch("n-step", h.NStep, cfg.NStep)
	case h.Gamma != cfg.Gamma:
		return mismatch("gamma", h.Gamma, cfg.Gamma)
	case h.Scale != cfg.Scale:
		return mismatch("scale", h.Scale, cfg.Scale)
	case h.Prioritized != prioritized:
		return mismatch("prioritized", h.Prioritized, prioritized)
	case h.Alpha != cfg.Alpha:
		return mismatch("alpha", h.Alpha, cfg.Alpha)
	case h.Eps != cfg.Eps:
		return mismatch("eps", h.Eps, cfg.Eps)
	}
	capacity := uint64(cfg.Capacity)
	if h.Size > capacity || h.Head >= capacity || h.Size < capacity && h.Head != h.Size || h.Size == 1 {
		return fmt.Errorf("ring head %d and size %d do not fit a capacity of %d", h.Head, h.Size, capacity)
	}
	if cfg.Prioritized && !(h.MaxPriority > 0 && h.MaxPriority <= math.MaxFloat64) || !cfg.Prioritized && h.MaxPriority != 0 {
		return fmt.Errorf("largest priority %v is out of range", h.MaxPriority)
	}
	return nil
}

// checkSum reads the stored CRC and compares it with the running one.
func checkSum(r io.Reader, sum hash.Hash32) error {
	got := sum.Sum32()
	var stored uint32
	if err := binary.Read(r, binary.LittleEndian, &stored); err != nil {
		return err
	}
	if stored != got {
		return fmt.Errorf("checksum %08x, the data gives %08x: the file is damaged", stored, got)
	}
	return nil
}
