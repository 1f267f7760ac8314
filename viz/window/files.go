package window

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/viz/img"
	"github.com/hajimehoshi/ebiten/v2"
)

// outputs names the files a game writes: dir/prefix-0001.png, -0002.png,
// ..., the first number not taken.
type outputs struct {
	dir, prefix string
}

// next returns the first free path with extension ext.
func (o outputs) next(ext string) (string, error) {
	for i := 1; i < 100000; i++ {
		p := filepath.Join(o.dir, fmt.Sprintf("%s-%04d.%s", o.prefix, i, ext))
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("%s: no free %s-NNNN.%s name", o.dir, o.prefix, ext)
}

// screenshot draws a frame of w x h with draw, reads its pixels back and
// writes them as a PNG to the next free path, which it returns. It must run
// inside the game loop (Update), where Ebiten can read pixels.
func screenshot(o outputs, w, h int, draw func(dst *ebiten.Image)) (string, error) {
	canvas := ebiten.NewImage(w, h)
	defer canvas.Deallocate()
	draw(canvas)
	pic := image.NewRGBA(image.Rect(0, 0, w, h))
	canvas.ReadPixels(pic.Pix)
	path, err := o.next("png")
	if err != nil {
		return "", err
	}
	return path, atomicfile.WriteFunc(path, func(wr io.Writer) error { return png.Encode(wr, pic) })
}

// maxRecording is the longest GIF recording, in frames; a recording that
// reaches it is saved.
const maxRecording = 5000

// recording collects one frame per agent step for a GIF.
type recording struct {
	gif  *img.GIF
	path string
}

// startRecording begins a GIF whose frames last as long as a step at s.
func startRecording(o outputs, s speed) (*recording, error) {
	path, err := o.next("gif")
	if err != nil {
		return nil, err
	}
	delay := int(math.Round(100 / s.perSecond()))
	return &recording{gif: img.NewGIF(max(2, delay)), path: path}, nil
}

// add appends a frame and reports whether the recording is full.
func (r *recording) add(frame image.Image) bool {
	r.gif.Add(frame)
	return r.gif.Len() >= maxRecording
}

// save writes the GIF.
func (r *recording) save() error {
	return atomicfile.WriteFunc(r.path, func(w io.Writer) error { return r.gif.Encode(w) })
}
