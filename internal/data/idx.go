package data

import (
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxIDXBytes bounds the data of an IDX file (MNIST's largest unpacks to
// 47 MB).
const maxIDXBytes = 1 << 28

// readIDX reads an IDX file (LeCun's format: the magic 0x00 0x00, a type
// byte 0x08 for unsigned bytes and the number of axes, then each axis's
// size as a big-endian uint32, then the values) of unsigned bytes with
// rank axes, gzip-compressed when gz is set, from the size bytes of r.
// The sizes in the header are checked against the file's size (for gzip,
// against the unpacked size its trailer records) before the data is
// allocated.
func readIDX(r io.ReaderAt, size int64, gz bool, rank int) ([]byte, []int, error) {
	var src io.Reader = io.NewSectionReader(r, 0, size)
	var unpacked uint32
	if gz {
		if size < 18 {
			return nil, nil, fmt.Errorf("%d bytes, too short for a gzip file", size)
		}
		var tail [4]byte
		if _, err := r.ReadAt(tail[:], size-4); err != nil {
			return nil, nil, err
		}
		unpacked = binary.LittleEndian.Uint32(tail[:])
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, nil, err
		}
		src = zr
	}
	head := make([]byte, 4+4*rank)
	if _, err := io.ReadFull(src, head); err != nil {
		return nil, nil, fmt.Errorf("header: %v", noEOF(err))
	}
	if head[0] != 0 || head[1] != 0 || head[2] != 0x08 || int(head[3]) != rank {
		return nil, nil, fmt.Errorf("magic % x, want 00 00 08 %02x (unsigned bytes, %d axes)", head[:4], rank, rank)
	}
	dims := make([]int, rank)
	total := int64(1)
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(head[4+4*i:]))
		if d > maxIDXBytes || total*d > maxIDXBytes {
			return nil, nil, fmt.Errorf("axes %v... hold more than %d bytes", head[4:4+4*(i+1)], maxIDXBytes)
		}
		dims[i], total = int(d), total*d
	}
	want := int64(len(head)) + total
	if gz && uint32(want) != unpacked {
		return nil, nil, fmt.Errorf("unpacks to %d bytes (gzip trailer), want %d for sizes %v", unpacked, want, dims)
	}
	if !gz && want != size {
		return nil, nil, fmt.Errorf("%d bytes, want %d for sizes %v", size, want, dims)
	}
	data := make([]byte, total)
	if _, err := io.ReadFull(src, data); err != nil {
		return nil, nil, fmt.Errorf("data of sizes %v: %v", dims, noEOF(err))
	}
	if gz { // read to the end so that gzip checks its CRC
		var b [1]byte
		if n, err := src.Read(b[:]); n > 0 || !errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("after the data of sizes %v: extra bytes or a bad checksum (%v)", dims, err)
		}
	}
	return data, dims, nil
}

// noEOF reports an early end of file as truncation.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated")
	}
	return err
}
