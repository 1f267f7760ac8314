package kernels

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Cache sizes assumed where the machine does not say (no Linux sysfs).
const (
	defaultL1 = 32 << 10
	defaultL2 = 1 << 20
)

// l1Size and l2Size are the L1 data and L2 cache of one core in bytes, read
// once at start-up.
var l1Size, l2Size = cacheSizes("/sys/devices/system/cpu/cpu0/cache")

// cacheSizes reads the L1 data and L2 sizes from Linux's sysfs directory of
// one CPU's caches (index*/level, type, size), falling back to the defaults
// for what it cannot read.
func cacheSizes(dir string) (l1, l2 int) {
	l1, l2 = defaultL1, defaultL2
	for i := 0; i < 8; i++ {
		read := func(name string) string {
			b, err := os.ReadFile(fmt.Sprintf("%s/index%d/%s", dir, i, name))
			if err != nil {
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		size, err := parseCacheSize(read("size"))
		if err != nil {
			continue
		}
		switch level, typ := read("level"), read("type"); {
		case level == "1" && typ == "Data":
			l1 = size
		case level == "2" && (typ == "Unified" || typ == "Data"):
			l2 = size
		}
	}
	return l1, l2
}

// parseCacheSize parses a sysfs cache size such as "48K", "2048K" or "260M"
// into bytes; it accepts sizes from 1 KiB to 1 GiB.
func parseCacheSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 || v > (1<<30)/mult || v*mult < 1<<10 {
		return 0, fmt.Errorf("kernels: cache size %q not between 1K and 1G", s)
	}
	return v * mult, nil
}

// blocking is the cache blocking of the packed GEMM for one micro-kernel.
//
// The loops, outermost first: columns of C in passes of up to ncPanels*nr
// per task; depth in blocks of kc; a task's rows in micro-panels of mr, whose
// packed A (mr x kc) stays in L1; and the task's columns in panels of nr, a
// block of kc x ncPanels*nr of packed B that stays in L2.
type blocking struct {
	kc         int // depth of a k block
	ncPanels   int // B panels (of nr columns) a task sweeps while its A panel is in L1
	maxPacked  int // floats of packed A, and of packed B, at most (a pass of rows or columns)
	passFloats int // floats of packed A and B that a pass over k blocks aims at
}

// Fractions of the caches the blocks are sized to, leaving the rest for the
// streams passing through (B rows through L1, C tiles and the next A panel
// through L2).
const (
	l1Share = 2 // A micro-panel: 1/2 of L1
	l2Share = 2 // B block: 1/2 of L2
	maxKC   = 512
	minKC   = 64
	// maxPacked caps each packed operand, in floats: 16 MiB, all of
	// 2048 x 2048.
	maxPacked = 1 << 22
	// passFloats bounds the packed A and B of a pass, in floats (8 MiB): a
	// pass packs as many k blocks as fit, all of k for mid-size products,
	// so that the pool's workers are woken twice per product, while large
	// ones keep their packed panels near the cores.
	passFloats = 1 << 21
)

func newBlocking(mr, nr, l1, l2 int) blocking {
	kc := l1 / l1Share / (4 * mr) / 16 * 16
	kc = max(minKC, min(maxKC, kc))
	nc := max(1, l2/l2Share/(4*kc*nr))
	return blocking{kc: kc, ncPanels: nc, maxPacked: maxPacked, passFloats: passFloats}
}
