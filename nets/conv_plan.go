package nets

import (
	"sync"

	"github.com/arcadelab/arcade/internal/par"
)

// How the convolutions split a batch. A chunk is a group of images that
// one goroutine takes from its patches to its outputs: the group's patch
// matrix stays in the core's L2 cache between the im2col and the product,
// and one product over several images keeps the GEMM's tiles full where
// an image has few output positions; images with many are chunks of their
// own, whose products read and write the tensors in place. The
// chunks depend only on the shapes, never on the number of threads; each
// chunk writes its own images, the backward pass's parts (fixed runs of
// chunks, see parts) each add their chunks' weight gradients in order into
// their own partial, and the partials are added up in part order, so the
// bytes are the same at any --threads.
const (
	// convGroupFloats bounds a group's patch matrix (1 MiB of floats).
	convGroupFloats = 1 << 18
	// convMinChunks is the number of chunks a batch of at least that many
	// images is split into at least, so that threads stay balanced.
	convMinChunks = 4
	// convParallelWork is the number of multiply-adds of a whole
	// convolution from which its chunks run on the pool.
	convParallelWork = 1 << 20
	// convOwnChunk is the number of output positions from which an image
	// is a chunk of its own: its product's tiles are full enough, and
	// copying outputs in and out of a group matrix would cost more.
	convOwnChunk = 128
)

// convPlan is the split of a batch of n images into chunks of group.
type convPlan struct {
	n, group, chunks int
	parallel         bool
}

// newConvPlan splits n images of p output positions whose patch matrices
// hold colFloats floats each, for a convolution of macs multiply-adds in
// all.
func newConvPlan(n, p, colFloats, macs int) convPlan {
	if n == 0 {
		return convPlan{group: 1}
	}
	if p >= convOwnChunk {
		return convPlan{n: n, group: 1, chunks: n, parallel: macs >= convParallelWork}
	}
	c := (n*colFloats + convGroupFloats - 1) / convGroupFloats
	c = min(n, (max(c, convMinChunks)+3)&^3) // a multiple of 4: whole rounds for 2 and 4 threads
	g := (n + c - 1) / c
	return convPlan{n: n, group: g, chunks: (n + g - 1) / g, parallel: macs >= convParallelWork}
}

// run calls fn(lo, hi) for each chunk of images [lo, hi), on the pool
// when the plan says so.
func (p convPlan) run(fn func(lo, hi int)) {
	if p.parallel {
		par.For(p.n, p.group, fn)
		return
	}
	for lo := 0; lo < p.n; lo += p.group {
		fn(lo, min(lo+p.group, p.n))
	}
}

// convParts is how many parts the chunks of a convolution on the pool go
// in for the backward pass: the weight's and bias's gradients are summed
// over each part's chunks in one partial (the weight's by the products
// themselves), and the partials added up. Four: whole rounds for 2 and 4
// threads.
const convParts = 4

// parts returns how many parts the backward pass's chunks go in: one when
// the chunks run in order on one thread anyway, else convParts (at most
// one a chunk). Like the chunks, it depends on the shapes only.
func (p convPlan) parts() int {
	if !p.parallel {
		return 1
	}
	return min(p.chunks, convParts)
}

// partChunks returns the chunks [c0, c1) of part pt of parts.
func (p convPlan) partChunks(pt, parts int) (c0, c1 int) {
	return pt * p.chunks / parts, (pt + 1) * p.chunks / parts
}

// runParts calls fn(lo, hi) for parts [lo, hi) of parts, on the pool when
// the plan says so.
func (p convPlan) runParts(parts int, fn func(lo, hi int)) {
	if p.parallel {
		par.For(parts, 1, fn)
		return
	}
	fn(0, parts)
}

// threads is how many chunks may run at once.
func (p convPlan) threads() int {
	if p.parallel {
		return min(par.Threads(), p.chunks)
	}
	return 1
}

// convScratch is one goroutine's buffers for a chunk: a patch matrix, a
// matrix on the other side of the product, and the phase planes of
// kernels.Im2col.
type convScratch struct{ col, mat, phases []float32 }

// scratchList holds an op's scratch buffers, one per chunk running at
// once: a chunk takes one and gives it back. The buffers are sized before
// the chunks start, so that a replayed op allocates nothing.
type scratchList struct {
	mu                 sync.Mutex
	free               []*convScratch
	colN, matN, phaseN int
}

// reserve makes sure that count sets of buffers of colN, matN and phaseN
// floats are free.
func (l *scratchList) reserve(count, colN, matN, phaseN int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.colN, l.matN, l.phaseN = colN, matN, phaseN
	for len(l.free) < count {
		l.free = append(l.free, new(convScratch))
	}
	for _, s := range l.free {
		s.col, s.mat, s.phases = grow(s.col, colN), grow(s.mat, matN), grow(s.phases, phaseN)
	}
}

func (l *scratchList) get() *convScratch {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) == 0 { // more chunks at once than reserved for: still correct
		return &convScratch{col: make([]float32, l.colN), mat: make([]float32, l.matN), phases: make([]float32, l.phaseN)}
	}
	s := l.free[len(l.free)-1]
	l.free = l.free[:len(l.free)-1]
	return s
}

func (l *scratchList) put(s *convScratch) {
	l.mu.Lock()
	l.free = append(l.free, s)
	l.mu.Unlock()
}
