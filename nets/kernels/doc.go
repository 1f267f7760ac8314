// Package kernels holds arcade's compute kernels: single-precision matrix
// multiplication (SGEMM) for every matrix product in nets, and the kernels
// convolution builds on. Matrices are row-major float32 slices with a
// leading dimension (the distance between rows), as in CBLAS's row-major
// interface.
package kernels
