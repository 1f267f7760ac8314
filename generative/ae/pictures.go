package ae

import (
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"

	"github.com/arcadelab/arcade/generative/internal/imgset"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/nets"
	"github.com/arcadelab/arcade/viz/img"
)

// reconGrid writes the first test images (their corrupted versions when
// the model is denoising) and their reconstructions, in rows of eight:
// originals, (noisy inputs,) reconstructions.
func (t *trainer) reconGrid(path string) error {
	s := t.test.First(gridImages)
	d := s.Dim()
	x := nets.New(s.N, d)
	s.Range(x, 0, s.N)
	clean := append([]float32(nil), x.Data...)
	if t.cfg.Noise.Kind != "" {
		imgset.Corrupt(x.Data, t.cfg.Noise.Kind, t.cfg.Noise.Level, rand.New(rand.NewPCG(t.job.Seed, streamEval)))
	}
	t.evalTp.Reset()
	logits := t.model.Decode(t.evalTp, t.model.Encode(t.evalTp, x))
	recon := make([]float32, len(logits.Data))
	sigmoidInto(recon, logits.Data)
	rows := [][]float32{clean}
	if t.cfg.Noise.Kind != "" {
		rows = append(rows, x.Data)
	}
	rows = append(rows, recon)
	data, n := interleave(rows, s.N, d, 8)
	return imgset.SaveGrid(path, data, n, s.C, s.H, s.W, 8)
}

// interleave lays out rows of 8 images taken in turn from each set: the
// first 8 of every set, then the next 8, ... It returns the images and
// their count.
func interleave(sets [][]float32, n, d, cols int) ([]float32, int) {
	var out []float32
	for lo := 0; lo < n; lo += cols {
		hi := min(lo+cols, n)
		for _, s := range sets {
			out = append(out, s[lo*d:hi*d]...)
			for range cols - (hi - lo) { // pad a short row
				out = append(out, make([]float32, d)...)
			}
		}
	}
	return out, len(out) / d
}

// sampleImages is the size of a sample grid.
const sampleImages = 64

// sampleGrid decodes codes drawn from a Gaussian with each unit's test
// mean and standard deviation (independent units), kept inside the code's
// range: what an autoencoder "generates" without a prior it was trained
// to match (compare the VAE's samples).
func (t *trainer) sampleGrid(path string, e Eval) error {
	z := t.model.CodeSize()
	h := nets.New(sampleImages, z)
	rng := rand.New(rand.NewPCG(t.job.Seed, streamSample))
	for i := range h.Data {
		v := e.CodeMean[i%z] + e.CodeStd[i%z]*rng.NormFloat64()
		switch t.model.CodeActivation() {
		case ReLU:
			v = max(v, 0)
		case Sigmoid:
			v = min(max(v, 0), 1)
		}
		h.Data[i] = float32(v)
	}
	t.evalTp.Reset()
	logits := t.model.Decode(t.evalTp, h)
	out := make([]float32, len(logits.Data))
	sigmoidInto(out, logits.Data)
	return imgset.SaveGrid(path, out, sampleImages, t.test.C, t.test.H, t.test.W, 8)
}

// Unit views: at most this many units are drawn.
const (
	maxUnits       = 64  // rows of units.png
	topImages      = 8   // test images per unit
	maxWeightUnits = 128 // images of weights.png
)

// WriteUnitViews writes units.png (TopActivating) and weights.png
// (WeightImages) into dir.
func WriteUnitViews(dir string, m Autoencoder, s imgset.Set) error {
	images, n := TopActivating(m, s, topImages)
	err := atomicfile.WriteFunc(filepath.Join(dir, "units.png"), func(w io.Writer) error {
		return imgset.WriteGrid(w, images, n, s.C, s.H, s.W, topImages, false)
	})
	if err != nil {
		return err
	}
	return atomicfile.WriteFunc(filepath.Join(dir, "weights.png"), func(w io.Writer) error {
		return WriteWeights(w, m, s.C, s.H, s.W)
	})
}

// WriteUnits draws the test images that activate each code unit most
// (TopActivating), a row of topImages per unit, as a PNG.
func WriteUnits(w io.Writer, m Autoencoder, test data.Digits) error {
	s := imgset.FromDigits(test)
	images, n := TopActivating(m, s, topImages)
	return imgset.WriteGrid(w, images, n, s.C, s.H, s.W, topImages, false)
}

// TopActivating returns, for each code unit (the maxUnits of largest
// variance over s when there are more, in unit order), the k images of s
// that activate it most, strongest first: the first of the two views of
// what a unit learned. It returns the images, one row of k per unit, and
// their count.
func TopActivating(m Autoencoder, s imgset.Set, k int) ([]float32, int) {
	z, d := m.CodeSize(), s.Dim()
	codes := make([]float32, s.N*z)
	tp := &nets.Tape{NoGrad: true}
	x := nets.New(evalBatch, d)
	for lo := 0; lo < s.N; lo += evalBatch {
		hi := min(lo+evalBatch, s.N)
		s.Range(x, lo, hi)
		tp.Reset()
		copy(codes[lo*z:hi*z], m.Encode(tp, x).Data)
	}
	units := make([]int, z)
	for i := range units {
		units[i] = i
	}
	if z > maxUnits {
		std := make([]float64, z)
		for i := range z {
			sum, sq := 0.0, 0.0
			for n := range s.N {
				v := float64(codes[n*z+i])
				sum, sq = sum+v, sq+v*v
			}
			mu := sum / float64(s.N)
			std[i] = math.Sqrt(max(sq/float64(s.N)-mu*mu, 0))
		}
		sort.SliceStable(units, func(a, b int) bool { return std[units[a]] > std[units[b]] })
		units = units[:maxUnits]
		sort.Ints(units)
	}
	k = min(k, s.N)
	var out []float32
	order := make([]int, s.N)
	for _, u := range units {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return codes[order[a]*z+u] > codes[order[b]*z+u] })
		for _, i := range order[:k] {
			out = append(out, s.Image(i)...)
		}
	}
	return out, len(units) * k
}

// weighted is a model whose first layer's units each have a weight row
// over the whole input (dense) or a filter (conv).
type weighted interface {
	FirstWeights() *nets.Tensor
}

// WriteWeights draws the input weights of the first layer's units (at
// most maxWeightUnits), each stretched to its own range: the second view
// of what a unit learned, the input pattern that excites the unit most
// among inputs of a given norm. A dense unit's weights are drawn as an
// image of c×h×w; a convolution's filters [units, c, kh, kw] as small
// images of kh×kw, enlarged.
func WriteWeights(w io.Writer, m Autoencoder, c, h, wd int) error {
	fw, ok := m.(weighted)
	if !ok {
		return fmt.Errorf("ae: %T has no first-layer weights to draw", m)
	}
	wt := fw.FirstWeights()
	n := min(wt.Shape[0], maxWeightUnits)
	switch {
	case wt.Rank() == 2 && wt.Shape[1] == c*h*wd:
		return imgset.WriteGrid(w, wt.Data[:n*c*h*wd], n, c, h, wd, 16, true)
	case wt.Rank() == 4 && wt.Shape[1] == c:
		kh, kw := wt.Shape[2], wt.Shape[3]
		big := img.Scale(img.Grid(wt.Data[:n*c*kh*kw], n, c, kh, kw, img.GridOptions{Cols: 8, Pad: 1, Normalize: true}), 8)
		return png.Encode(w, big)
	}
	return fmt.Errorf("ae: first-layer weights %v are neither rows of %dx%dx%d images nor filters of %d channels", wt.Shape, c, h, wd, c)
}
