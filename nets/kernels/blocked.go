package kernels

import "github.com/arcadelab/arcade/internal/par"

// ownRowPanels is the fewest row panels for which a parallel pass with B
// in place splits into tasks of whole rows, each packing its own A: no
// packing phase, no packed panel moving between cores (256x256x256 on two
// threads: 1.35x faster than one with a shared packing phase, 1.8x
// without). With fewer rows the tasks split the columns and share A.
const ownRowPanels = minTasks

// pass computes the current pass: it packs what tasks share (A's panels
// unless each task packs its own, B's on the first row pass of a column
// and k pass), then runs the tasks.
func (g *gemm) pass() {
	mr, nr := g.kern.mr, g.kern.nr
	g.mp, g.np = ceilDiv(g.mc, mr), ceilDiv(g.nc, nr)
	g.splitTasks()
	if !g.packB && g.needB && g.nc%nr != 0 { // B in place: its partial last panel, small
		for blk := 0; blk < g.kb1-g.kb0; blk++ {
			pc := (g.kb0 + blk) * g.kc
			j := g.nc / nr * nr
			packB(g.kern.id, g.bufB[blk*nr*g.kc:], nr, g.transB, g.b, g.ldb, g.jc+j, g.nc-j, pc, min(g.kc, g.k-pc))
		}
	}
	if items := (g.kb1 - g.kb0) * (g.aItems() + g.bItems()); items > 0 {
		if g.parallel {
			par.For(items, max(1, items/(4*minTasks)), g.packFn)
		} else {
			g.pack(0, items)
		}
	}
	if tasks := g.rowTasks * g.colTasks; g.parallel {
		par.For(tasks, 1, g.taskFn)
	} else {
		g.tasks(0, tasks)
	}
}

// splitTasks plans the current pass's tasks. Tasks are as wide as B's
// block in L2 allows; a parallel pass splits them further until there are
// minTasks: into whole rows when B is read in place (ownRowPanels), else
// across the longer side, since a task re-reads packed A for each task
// beside it and B for each task above it, and square tasks read the least.
func (g *gemm) splitTasks() {
	mr, nr := g.kern.mr, g.kern.nr
	g.rowTasks, g.colTasks = 1, ceilDiv(g.np, g.kern.blocks.ncPanels)
	switch {
	case !g.parallel:
	case !g.packB && g.colTasks == 1 && g.mp >= ownRowPanels:
		g.rowTasks = min(g.mp, 2*minTasks)
	default:
		for g.rowTasks*g.colTasks < minTasks && (g.rowTasks < g.mp || g.colTasks < g.np) {
			tall := ceilDiv(g.mp, g.rowTasks)*mr >= ceilDiv(g.np, g.colTasks)*nr
			if tall && g.rowTasks < g.mp || g.colTasks == g.np {
				g.rowTasks++
			} else {
				g.colTasks++
			}
		}
	}
	g.taskRows = ceilDiv(g.mp, g.rowTasks)
	g.rowTasks = ceilDiv(g.mp, g.taskRows)
	g.taskCols = ceilDiv(g.np, g.colTasks)
	g.colTasks = ceilDiv(g.np, g.taskCols)
	g.ownA = g.colTasks == 1
}

// aItems and bItems are the A and B panels the packing phase packs per k
// block.
func (g *gemm) aItems() int {
	if g.ownA {
		return 0
	}
	return g.mp
}

func (g *gemm) bItems() int {
	if g.packB && g.needB {
		return g.np
	}
	return 0
}

// pack packs items [lo, hi) of the current pass's packing phase: for each
// k block, A's micro-panels (aItems), then B's panels (bItems).
func (g *gemm) pack(lo, hi int) {
	nr := g.kern.nr
	perBlock := g.aItems() + g.bItems()
	for it := lo; it < hi; it++ {
		blk, x := it/perBlock, it%perBlock // blk counts from kb0
		if x < g.aItems() {
			g.packAPanel(blk, x)
			continue
		}
		q := x - g.aItems()
		pc := (g.kb0 + blk) * g.kc
		j := q * nr
		packB(g.kern.id, g.bufB[(blk*g.np+q)*nr*g.kc:], nr, g.transB, g.b, g.ldb, g.jc+j, min(nr, g.nc-j), pc, min(g.kc, g.k-pc))
	}
}

// packAPanel packs A's micro-panel x of k block blk (counted from kb0).
func (g *gemm) packAPanel(blk, x int) {
	mr := g.kern.mr
	pc, i := (g.kb0+blk)*g.kc, x*mr
	packA(g.kern.id, g.bufA[(blk*g.mp+x)*mr*g.kc:], mr, g.transA, g.a, g.lda, g.ic+i, min(mr, g.mc-i), pc, min(g.kc, g.k-pc), g.alpha)
}

// tasks runs tasks [lo, hi) of the current pass. Task t covers row panels
// [ti*taskRows, (ti+1)*taskRows) and column panels [tj*taskCols,
// (tj+1)*taskCols) with ti = t % rowTasks, tj = t / rowTasks. For each k
// block, for each of its row panels it sweeps its column panels, so the
// packed A micro-panel stays in L1 and the task's B block in L2.
func (g *gemm) tasks(lo, hi int) {
	mr, nr := g.kern.mr, g.kern.nr
	var tile [maxMR * maxNR]float32 // partial tiles at the edges of C
	for t := lo; t < hi; t++ {
		ti, tj := t%g.rowTasks, t/g.rowTasks
		i0, i1 := ti*g.taskRows*mr, min((ti+1)*g.taskRows*mr, g.mc)
		j0, j1 := tj*g.taskCols*nr, min((tj+1)*g.taskCols*nr, g.nc)
		for blk := 0; blk < g.kb1-g.kb0; blk++ {
			pc := (g.kb0 + blk) * g.kc
			kcur := min(g.kc, g.k-pc)
			beta := float32(1) // C already holds the earlier k blocks
			if pc == 0 {
				beta = g.beta
			}
			for i := i0; i < i1; i += mr {
				if g.ownA {
					g.packAPanel(blk, i/mr)
				}
				ap := &g.bufA[(blk*g.mp+i/mr)*mr*g.kc]
				rows := min(mr, g.mc-i)
				for j := j0; j < j1; j += nr {
					cols := min(nr, g.nc-j)
					var bp *float32
					ldb := nr
					switch {
					case g.packB:
						bp = &g.bufB[(blk*g.np+j/nr)*nr*g.kc]
					case cols == nr:
						bp, ldb = &g.b[pc*g.ldb+g.jc+j], g.ldb
					default:
						bp = &g.bufB[blk*nr*g.kc]
					}
					id, width := g.kern.id, nr
					if cols <= nr/2 && g.kern.half != id {
						id, width = g.kern.half, nr/2
					}
					ci := (g.ic+i)*g.ldc + g.jc + j
					if rows == mr && cols == width {
						microKernel(id, kcur, ap, bp, ldb, &g.c[ci], g.ldc, beta)
						continue
					}
					microKernel(id, kcur, ap, bp, ldb, &tile[0], nr, 0)
					for r := 0; r < rows; r++ {
						dst := g.c[ci+r*g.ldc : ci+r*g.ldc+cols]
						src := tile[r*nr : r*nr+cols]
						if beta == 0 {
							copy(dst, src)
							continue
						}
						for x, v := range src {
							dst[x] = v + beta*dst[x]
						}
					}
				}
			}
		}
	}
}
