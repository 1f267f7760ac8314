//go:build !amd64 || noasm

package kernels

// The elementwise kernels have no vector versions in this build: the Go
// loops do every element.

func reluVector(y, x []float32) int                            { return 0 }
func reluBackwardVector(dx, dy, x []float32) int               { return 0 }
func sumSquaresVector(x []float32, acc *[sumLanes]float64) int { return 0 }
