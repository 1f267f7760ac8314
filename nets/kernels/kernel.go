package kernels

//go:generate go run ./internal/asmgen -out .

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// kernelID names a micro-kernel; microKernel (stubs_amd64.go or
// stubs_noasm.go) dispatches on it with direct calls, so that the packed
// panels passed to the kernel do not escape.
type kernelID uint8

const (
	kernelGo kernelID = iota
	kernelAVX2
	kernelAVX2Half
	kernelAVX512
	kernelAVX512Half
)

// kernelInfo describes one micro-kernel: the C tile it computes (mr x nr),
// its half-width twin for narrow last panels (mr x nr/2; half == id where
// there is none), whether it has dot-product kernels for the products
// useDots picks, and the block sizes derived from the cache sizes for it.
type kernelInfo struct {
	id, half kernelID
	name     string
	mr, nr   int
	dots     bool
	blocks   blocking
}

// newKernelInfo returns the description of a kernel with its blocking for
// this machine's caches.
func newKernelInfo(id, half kernelID, name string, mr, nr int, dots bool) *kernelInfo {
	return &kernelInfo{id: id, half: half, name: name, mr: mr, nr: nr, dots: dots, blocks: newBlocking(mr, nr, l1Size, l2Size)}
}

// goKernel is the pure-Go micro-kernel, available everywhere, with dotsGo.
var goKernel = newKernelInfo(kernelGo, kernelGo, "go", goMR, goNR, true)

// supported lists the micro-kernels this machine can run, fastest first;
// the pure-Go one is always last.
var supported = append(archKernels(), goKernel)

// active is the micro-kernel Sgemm uses.
var active atomic.Pointer[kernelInfo]

func init() { active.Store(supported[0]) }

// Kernel returns the name of the micro-kernel Sgemm uses: "avx512" (a 12 x
// 32 tile in AVX-512F registers), "avx2" (6 x 16, AVX2 and FMA3) or "go"
// (4 x 4, pure Go). The fastest one the CPU supports is chosen at start-up
// (golang.org/x/sys/cpu); builds with the noasm tag and other
// architectures than amd64 have only "go".
func Kernel() string { return active.Load().name }

// Kernels returns the names of the micro-kernels this machine supports,
// fastest first.
func Kernels() []string {
	names := make([]string, len(supported))
	for i, k := range supported {
		names[i] = k.name
	}
	return names
}

// SetKernel makes Sgemm use the named micro-kernel (one of Kernels()) and
// returns the name of the one used before. Results of different kernels
// agree within rounding, not bit for bit. Call it between Sgemm calls.
func SetKernel(name string) (previous string, err error) {
	for _, k := range supported {
		if k.name == name {
			return active.Swap(k).name, nil
		}
	}
	return "", fmt.Errorf("kernels: micro-kernel %q not supported on this machine; one of %s", name, strings.Join(Kernels(), ", "))
}
