package gan

import (
	"fmt"
	"math/rand/v2"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/nets/models"
)

// LeNet is the Classifier of arcade's LeNet-5 (models.LeNet): its
// penultimate layer's 84 activations are the features.
type LeNet struct{ Net *models.LeNet }

// classifyBatch is the images per forward pass.
const classifyBatch = 1000

// Classify returns the LeNet features and predicted digits of n images, in
// evaluation mode.
func (c LeNet) Classify(images []float32, n int) ([]float32, int, []int) {
	if len(images) != n*784 {
		panic(fmt.Sprintf("gan: %d values for %d images of 784", len(images), n))
	}
	f := models.LeNetFeatures
	feats := make([]float32, n*f)
	pred := make([]int, 0, n)
	var am []int
	for lo := 0; lo < n; lo += classifyBatch {
		hi := min(lo+classifyBatch, n)
		x := nets.FromData(images[lo*784:hi*784], hi-lo, 784)
		h := c.Net.Features(nil, x)
		copy(feats[lo*f:hi*f], h.Data)
		am = nets.ArgMax(c.Net.FC3.Forward(nil, h), am)
		pred = append(pred, am...)
	}
	return feats, f, pred
}

// Accuracy returns the fraction of test's digits c predicts right.
func (c LeNet) Accuracy(test data.Digits) float64 {
	_, _, pred := c.Classify(test.Images, test.N)
	right := 0
	for i, p := range pred {
		if p == test.Labels[i] {
			right++
		}
	}
	return float64(right) / float64(max(test.N, 1))
}

// TrainLeNet trains a LeNet on train for the evaluation when no trained
// one is given: Adam 1e-3, batches of 128, no dropout, epochs passes, all
// draws from seed. progress, if not nil, is told the batches done.
func TrainLeNet(train data.Digits, epochs int, seed uint64, progress func(done, total int64)) LeNet {
	s := imgset.FromDigits(train)
	net := models.NewLeNet(rand.New(rand.NewPCG(seed, 1)), 0, nil)
	opt := nets.NewAdam(net.Params(), nets.DefaultAdamConfig())
	const batch = 128
	nb := nets.NumBatches(s.N, batch)
	x := nets.New(batch, 784)
	labels := make([]int, batch)
	perm := make([]int, s.N)
	tp := nets.NewTape()
	for e := range epochs {
		nets.Permutation(rand.New(rand.NewPCG(seed, 2+uint64(e))), perm)
		for b := range nb {
			idx := nets.Batch(perm, b, batch)
			s.Gather(x, idx)
			for i, k := range idx {
				labels[i] = s.Labels[k]
			}
			tp.Reset()
			opt.ZeroGrad()
			nets.CrossEntropy(tp, net.Forward(tp, x), labels[:len(idx)], nets.ReduceMean).Backward()
			opt.Step()
			if progress != nil {
				progress(int64(e*nb+b+1), int64(epochs*nb))
			}
		}
	}
	return LeNet{Net: net}
}
