package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Permutation fills perm with a permutation of 0..len(perm)-1 drawn from
// rng (Fisher-Yates): the order of one epoch's examples.
func Permutation(rng *rand.Rand, perm []int) {
	for i := range perm {
		perm[i] = i
	}
	rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
}

// NumBatches returns how many mini-batches of size cover n examples, the
// last one possibly smaller. size = n is full-batch gradient descent, size
// 1 online (stochastic) gradient descent.
func NumBatches(n, size int) int {
	if size < 1 {
		panic(fmt.Sprintf("nets: batch size %d", size))
	}
	return (n + size - 1) / size
}

// Batch returns the indices of mini-batch b of an epoch ordered by perm.
func Batch(perm []int, b, size int) []int {
	lo := b * size
	return perm[lo:min(lo+size, len(perm))]
}

// TrainValSplit holds out nVal of n examples, chosen by rng, for
// validation; both index lists come back sorted.
func TrainValSplit(rng *rand.Rand, n, nVal int) (train, val []int) {
	if nVal < 0 || nVal > n {
		panic(fmt.Sprintf("nets: %d validation examples out of %d", nVal, n))
	}
	perm := make([]int, n)
	Permutation(rng, perm)
	val, train = slices.Clone(perm[:nVal]), slices.Clone(perm[nVal:])
	slices.Sort(val)
	slices.Sort(train)
	return train, val
}

// EarlyStopping stops training when a validation score (higher is better)
// has not improved for Patience epochs, and keeps a copy of the best
// parameters to restore (Prechelt 1998; Goodfellow et al. 2016, 7.8).
type EarlyStopping struct {
	Patience  int     // epochs without improvement before stopping; 0 never stops
	Best      float64 // the best score so far (-Inf before the first)
	BestEpoch int     // the epoch that scored it (-1 before the first)
	Bad       int     // epochs since then
	params    []Param
	best      []Param // a copy of params at the best epoch, same names
}

// NewEarlyStopping watches params with the given patience.
func NewEarlyStopping(patience int, params []Param) *EarlyStopping {
	e := &EarlyStopping{Patience: patience, Best: math.Inf(-1), BestEpoch: -1, params: params}
	for _, p := range params {
		e.best = append(e.best, Param{p.Name, p.Clone()})
	}
	return e
}

// Observe records the score of epoch; on a new best (strictly higher) it
// copies the parameters. It reports whether training should stop.
func (e *EarlyStopping) Observe(epoch int, score float64) bool {
	if score > e.Best {
		e.Best, e.BestEpoch, e.Bad = score, epoch, 0
		for i, p := range e.params {
			copy(e.best[i].Data, p.Data)
		}
		return false
	}
	e.Bad++
	return e.Patience > 0 && e.Bad >= e.Patience
}

// Restore copies the best parameters back (nothing before any Observe).
func (e *EarlyStopping) Restore() {
	if e.BestEpoch < 0 {
		return
	}
	for i, p := range e.params {
		copy(p.Data, e.best[i].Data)
	}
}

// BestParams returns the copy of the best parameters, named as the
// parameters are: save it (best.safetensors) or load a saved one into it.
func (e *EarlyStopping) BestParams() []Param { return e.best }

// ShiftImages moves each h×w image of data (one channel, stored one after
// the other) by a random offset of up to maxShift pixels in x and in y,
// drawn from rng, filling the uncovered border with zeros: the data
// augmentation of MNIST by small translations.
func ShiftImages(rng *rand.Rand, data []float32, h, w, maxShift int) {
	if h <= 0 || w <= 0 || len(data)%(h*w) != 0 || maxShift < 0 || maxShift >= min(h, w) {
		panic(fmt.Sprintf("nets: ShiftImages of %d values as %dx%d images by up to %d", len(data), h, w, maxShift))
	}
	for lo := 0; lo < len(data); lo += h * w {
		dx := rng.IntN(2*maxShift+1) - maxShift
		dy := rng.IntN(2*maxShift+1) - maxShift
		shiftImage(data[lo:lo+h*w], h, w, dx, dy)
	}
}

// shiftImage sets img[y][x] = img[y-dy][x-dx] (0 outside) in place,
// moving rows in an order that reads each source row before overwriting it.
func shiftImage(img []float32, h, w, dx, dy int) {
	row := func(y int) {
		dst, sy := img[y*w:(y+1)*w], y-dy
		if sy < 0 || sy >= h {
			clear(dst)
			return
		}
		src := img[sy*w : (sy+1)*w]
		if dx >= 0 {
			copy(dst[dx:], src[:w-dx])
			clear(dst[:dx])
		} else {
			copy(dst[:w+dx], src[-dx:])
			clear(dst[w+dx:])
		}
	}
	if dy > 0 {
		for y := h - 1; y >= 0; y-- {
			row(y)
		}
	} else {
		for y := 0; y < h; y++ {
			row(y)
		}
	}
}
