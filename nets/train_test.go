package nets_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

func TestPermutationAndBatches(t *testing.T) {
	perm := make([]int, 10)
	nets.Permutation(rand.New(rand.NewPCG(1, 2)), perm)
	again := make([]int, 10)
	nets.Permutation(rand.New(rand.NewPCG(1, 2)), again)
	require.Equal(t, perm, again, "seeded")
	sorted := slices.Clone(perm)
	slices.Sort(sorted)
	require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted)

	require.Equal(t, 4, nets.NumBatches(10, 3))
	require.Equal(t, perm[9:], nets.Batch(perm, 3, 3), "the last batch is short")
	require.Equal(t, 1, nets.NumBatches(10, 10), "full batch")
	require.Equal(t, perm, nets.Batch(perm, 0, 10))
	require.Equal(t, 10, nets.NumBatches(10, 1), "online")
	require.Equal(t, perm[4:5], nets.Batch(perm, 4, 1))
}

func TestTrainValSplit(t *testing.T) {
	train, val := nets.TrainValSplit(rand.New(rand.NewPCG(3, 4)), 100, 10)
	require.Len(t, val, 10)
	require.Len(t, train, 90)
	all := append(slices.Clone(train), val...)
	slices.Sort(all)
	for i, v := range all {
		require.Equal(t, i, v)
	}
	require.True(t, slices.IsSorted(val))
}

func TestEarlyStopping(t *testing.T) {
	w := nets.FromData([]float32{0}, 1)
	e := nets.NewEarlyStopping(2, []nets.Param{{Name: "w", Tensor: w}})
	scores := []float64{0.5, 0.7, 0.6, 0.7, 0.65}
	stopAt := -1
	for epoch, s := range scores {
		w.Data[0] = float32(epoch)
		if e.Observe(epoch, s) {
			stopAt = epoch
			break
		}
	}
	require.Equal(t, 3, stopAt, "two epochs without a strictly better score")
	require.Equal(t, 1, e.BestEpoch)
	e.Restore()
	require.Equal(t, float32(1), w.Data[0])
	require.Equal(t, "w", e.BestParams()[0].Name)
}

func TestShiftImages(t *testing.T) {
	img := []float32{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	// Find shifts drawn by a fixed seed; check each against the definition
	// out[y][x] = in[y-dy][x-dx].
	seen := map[[2]int]bool{}
	for seed := uint64(0); len(seen) < 9 && seed < 200; seed++ {
		got := slices.Clone(img)
		nets.ShiftImages(rand.New(rand.NewPCG(seed, 0)), got, 3, 3, 1)
		r := rand.New(rand.NewPCG(seed, 0))
		dx, dy := r.IntN(3)-1, r.IntN(3)-1
		seen[[2]int{dx, dy}] = true
		for y := 0; y < 3; y++ {
			for x := 0; x < 3; x++ {
				want := float32(0)
				if sy, sx := y-dy, x-dx; sy >= 0 && sy < 3 && sx >= 0 && sx < 3 {
					want = img[sy*3+sx]
				}
				require.Equal(t, want, got[y*3+x], "shift (%d, %d) at (%d, %d)", dx, dy, x, y)
			}
		}
	}
	require.Len(t, seen, 9, "every shift in [-1, 1]² was drawn")
	require.Panics(t, func() { nets.ShiftImages(rand.New(rand.NewPCG(1, 1)), make([]float32, 10), 3, 3, 1) })
}
