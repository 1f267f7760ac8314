package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/nets/kernels"
)

// gemmBenchShapes are the products of arcade bench gemm, m x k x n: square
// ones, and the RL ones: a DQN's 3136 -> 512 layer and its 512 -> 6 head
// on a batch of 32, an MLP's 784 -> 400 layer on a batch of 128.
var gemmBenchShapes = [][3]int{{128, 128, 128}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
	{2048, 2048, 2048}, {32, 3136, 512}, {32, 512, 6}, {128, 784, 400}}

// benchGemm measures C = A*B (no transposes, alpha 1, beta 0) with
// kernels.Sgemm at each thread count, against OpenBLAS through numpy's
// matmul in the same run. GFLOP/s count 2*m*n*k; the peak fraction is of
// kernels.PeakGFLOPS() per thread.
func benchGemm(bn *bencher) ([]benchRow, error) {
	peak := kernels.PeakGFLOPS()
	names := make([]string, len(gemmBenchShapes))
	for i, s := range gemmBenchShapes {
		names[i] = fmt.Sprintf("%dx%dx%d", s[0], s[1], s[2])
	}
	defer par.SetThreads(par.SetThreads(1))
	var rows []benchRow
	for _, threads := range bn.threads {
		var peer struct {
			MS       map[string]float64 `json:"ms"`
			OpenBLAS string             `json:"openblas"`
			Core     string             `json:"core"`
		}
		peerErr := runPeer("gemm.py", threads, names, &peer)
		peerName := "openblas"
		if peerErr == nil {
			peerName = fmt.Sprintf("openblas-%s/%s", peer.OpenBLAS, peer.Core)
		}
		par.SetThreads(threads)
		rng := rand.New(rand.NewPCG(1, 2))
		for i, s := range gemmBenchShapes {
			m, k, n := s[0], s[1], s[2]
			a, b, c := randomFloats(rng, m*k), randomFloats(rng, k*n), make([]float32, m*n)
			r := benchRow{Name: "sgemm_" + names[i], Threads: threads,
				MS: timeMS(5, func() { kernels.Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })}
			r.withFLOPs(2*float64(m)*float64(n)*float64(k), peak)
			switch ms, ok := peer.MS[names[i]]; {
			case peerErr != nil:
				r.withPeer(peerName, 0, peerErr)
			case !ok:
				r.withPeer(peerName, 0, fmt.Errorf("gemm.py did not time %s", names[i]))
			default:
				r.withPeer(peerName, ms, nil)
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// randomFloats returns n floats uniform in [-1, 1).
func randomFloats(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = rng.Float32()*2 - 1
	}
	return x
}
