package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Pool is a fixed set of worker goroutines that run the chunks of one
// parallel loop at a time. The caller's goroutine takes part in every loop,
// so a Pool of 1 thread runs everything inline and starts no goroutines.
//
// Determinism: the chunks of a loop are fixed by the loop's (total, grain),
// never by the number of threads. Which worker runs which chunk varies from
// run to run, so a chunk must write only its own outputs; results that
// combine chunks (sums) are combined by the caller in chunk order.
type Pool struct {
	threads int
	mu      sync.Mutex // one loop at a time; a nested or concurrent loop runs inline
	wake    []chan struct{}
	wg      sync.WaitGroup

	// The loop being run, set under mu before the workers are woken.
	fn     func(lo, hi int)
	total  int
	grain  int
	chunks int64
	next   atomic.Int64
}

// New returns a pool that runs loops on threads goroutines (the caller's
// included). threads < 1 means runtime.GOMAXPROCS(0).
func New(threads int) *Pool {
	if threads < 1 {
		threads = runtime.GOMAXPROCS(0)
	}
	p := &Pool{threads: threads, wake: make([]chan struct{}, threads-1)}
	for i := range p.wake {
		p.wake[i] = make(chan struct{})
		go p.work(p.wake[i])
	}
	return p
}

// Threads reports how many goroutines run a loop.
func (p *Pool) Threads() int { return p.threads }

// Close stops the pool's workers. The pool must not be used afterwards.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.wake {
		close(c)
	}
	p.wake = nil
}

// Chunks reports how many chunks For splits total into for a grain.
func Chunks(total, grain int) int {
	if total <= 0 {
		return 0
	}
	if grain < 1 {
		panic("par: grain must be positive")
	}
	return (total + grain - 1) / grain
}

// For calls fn(lo, hi) for the chunks [0, grain), [grain, 2*grain), ... of
// [0, total), the last one possibly shorter, spread over the pool's
// threads, and returns when all have run. Chunk c covers
// [c*grain, min((c+1)*grain, total)) whatever the number of threads.
//
// For allocates nothing when fn does not escape anew on every call: in hot
// paths keep the closure in a struct field built once.
func (p *Pool) For(total, grain int, fn func(lo, hi int)) {
	n := Chunks(total, grain)
	if n == 0 {
		return
	}
	if n == 1 || p.threads == 1 || !p.mu.TryLock() {
		for c := 0; c < n; c++ {
			lo := c * grain
			fn(lo, min(lo+grain, total))
		}
		return
	}
	defer p.mu.Unlock()
	p.fn, p.total, p.grain, p.chunks = fn, total, grain, int64(n)
	p.next.Store(0)
	helpers := min(len(p.wake), n-1)
	p.wg.Add(helpers)
	for _, c := range p.wake[:helpers] {
		c <- struct{}{}
	}
	// A woken worker waits in this P's run-next slot, which other Ps do not
	// steal at once; yielding lets it start here while an idle P picks the
	// caller up, instead of the caller running every chunk itself.
	runtime.Gosched()
	p.runChunks()
	p.wg.Wait()
	p.fn = nil
}

// runChunks takes chunks of the current loop until none are left.
func (p *Pool) runChunks() {
	for {
		c := p.next.Add(1) - 1
		if c >= p.chunks {
			return
		}
		lo := int(c) * p.grain
		p.fn(lo, min(lo+p.grain, p.total))
	}
}

func (p *Pool) work(wake chan struct{}) {
	for range wake {
		p.runChunks()
		p.wg.Done()
	}
}

var (
	defaultMu   sync.Mutex
	defaultPool = New(0)
)

// Default returns the process-wide pool that arcade's kernels use. Its size
// is set by SetThreads (the CLI's --threads) and starts at GOMAXPROCS.
func Default() *Pool {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	return defaultPool
}

// SetThreads replaces the default pool with one of n threads (n < 1 means
// GOMAXPROCS) and returns the previous size. Call it between loops, not
// during one.
func SetThreads(n int) (previous int) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	previous = defaultPool.threads
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	if n != previous {
		old := defaultPool
		defaultPool = New(n)
		old.Close()
	}
	return previous
}

// For runs a loop on the default pool; see Pool.For.
func For(total, grain int, fn func(lo, hi int)) { Default().For(total, grain, fn) }

// Threads reports the size of the default pool.
func Threads() int { return Default().Threads() }
