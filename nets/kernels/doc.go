// Package kernels holds arcade's compute kernels: single-precision matrix
// multiplication (SGEMM) for every matrix product in nets, and the kernels
// convolution builds on. Matrices are row-major float32 slices with a
// leading dimension (the distance between rows), as in CBLAS's row-major
// interface.
//
// Sgemm is a packed, cache-blocked GEMM (Goto and van de Geijn) whose
// inner loop is a micro-kernel in Go assembly, chosen at start-up from the
// CPU's features (golang.org/x/sys/cpu):
//
//	avx512  12 x 32 tile in AVX-512F registers (and AVX-512 packing routines)
//	avx2    6 x 16 tile, AVX2 and FMA3
//	go      4 x 4 tile in pure Go: builds with -tags noasm, other architectures
//
// Kernel names the one in use, Kernels lists those the machine supports and
// SetKernel forces one (tests and benchmarks do). Block sizes come from the
// L1 and L2 sizes of CPU 0 (Linux sysfs; 32 KiB and 1 MiB where unknown).
// Narrow products (at most 6 columns) and batches of 1 to 4 against a
// transposed B go by dot products instead, without packing A.
//
// Determinism: for a given shape and kernel, each element of C is computed
// by one goroutine in a fixed order, so results are the same bytes at any
// number of threads (internal/par). Different kernels agree within
// rounding.
//
// PeakGFLOPS measures the FMA peak of one core, for the peak fractions of
// arcade bench.
//
// The assembly (sgemm_*_amd64.s) is written by internal/asmgen: run
// go generate after changing it.
package kernels
