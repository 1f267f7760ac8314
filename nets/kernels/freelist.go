package kernels

import "sync"

// freeList keeps objects for reuse, as sync.Pool does, but never lets them
// go at a garbage collection. A sync.Pool emptied by the collector refills
// with fresh allocations (and fresh packing buffers), so a training step
// that allocates nothing after warm-up would allocate again after any
// collection, and more often the busier the machine. The list holds as
// many objects as were ever in use at once: one per concurrent product.
type freeList[T any] struct {
	mu    sync.Mutex
	items []*T
	alloc func() *T
}

// get returns a free object, or a new one when none is free.
func (f *freeList[T]) get() *T {
	f.mu.Lock()
	if n := len(f.items); n > 0 {
		x := f.items[n-1]
		f.items[n-1] = nil
		f.items = f.items[:n-1]
		f.mu.Unlock()
		return x
	}
	f.mu.Unlock()
	return f.alloc()
}

// put hands x back for a later get.
func (f *freeList[T]) put(x *T) {
	f.mu.Lock()
	f.items = append(f.items, x)
	f.mu.Unlock()
}
