//go:build !amd64 || noasm

package kernels

// The optimizer updates have no vector kernels in this build: the Go
// loops do every element.

func adamVector(p, g, m, v []float32, c *AdamCoeffs) int                       { return 0 }
func rmspropVector(p, g, v, gAvg, buf []float32, c *RMSPropCoeffs) int         { return 0 }
func dqnRMSPropVector(p, g, n, gAvg, delta []float32, c *DQNRMSPropCoeffs) int { return 0 }
func sgdVector(p, g, buf []float32, c *SGDCoeffs) int                          { return 0 }
