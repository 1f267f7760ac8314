package window

import (
	"errors"
	"fmt"
	"image"

	"github.com/arcadelab/arcade/envs"
	"github.com/hajimehoshi/ebiten/v2"
)

// Viewer is a game a window shows: a Watch or a Play.
type Viewer interface {
	ebiten.Game
	// Close saves a GIF recording in progress.
	Close() error
}

// Run opens a window titled title at the viewer's size, runs it until it
// quits or the window closes, and saves any recording in progress.
func Run(v Viewer, title string) error {
	ebiten.SetWindowTitle(title)
	ebiten.SetWindowSize(v.Layout(0, 0))
	err := ebiten.RunGame(v)
	if cerr := v.Close(); err == nil {
		err = cerr
	}
	return err
}

// view is what Watch and Play share: the env's picture scaled up, the
// observation picture, the panel beside them, the speed, the keys that
// work in both, screenshots and GIF recordings.
type view struct {
	env    envs.Env
	in     Input
	out    outputs
	frames int // quit after this many updates; 0: never
	lake   *lakeMap

	speed   speed
	paused  bool
	noPanel bool
	wait    int // updates since the last step
	updates int

	rec          *recording
	message      string // the last file saved, or an error
	messageUntil int    // the update until which the message shows

	size    image.Point // the env's picture
	scale   int         // screen pixels per picture pixel
	frame   *image.RGBA // the picture, with any overlay
	gameImg *ebiten.Image
	obs     *obsView
	obsImg  *ebiten.Image
	panelX  int // the panel's left edge
	panelW  int
	panelH  int
}

// newView sets up the pictures of env (whose registry name is name) and
// the speed; the caller lays out its panel and sets panelW and panelH.
func newView(env envs.Env, name string, in Input, out outputs, frames int) (*view, error) {
	v := &view{env: env, in: in, out: out, frames: frames}
	if v.in == nil {
		v.in = Keyboard{}
	}
	v.size = envs.RenderSize(env)
	if v.size.X <= 0 || v.size.Y <= 0 {
		return nil, errors.New(name + " draws no picture (RenderSize)")
	}
	v.scale = max(1, 640/max(v.size.X, v.size.Y))
	v.speed = speed{ticks: naturalTicks(name, env), steps: 1}
	v.panelX = v.size.X * v.scale
	v.obs = newObsView(env.ObservationSpace(), panelMinW-2*pad, maxObsH)
	v.frame = image.NewRGBA(image.Rectangle{Max: v.size})
	v.gameImg = ebiten.NewImage(v.size.X, v.size.Y)
	v.obsImg = ebiten.NewImage(v.obs.pic.Rect.Dx(), v.obs.pic.Rect.Dy())
	return v, nil
}

// render draws the env's picture, with the lake's overlay, into v.frame.
func (v *view) render() {
	v.env.Render(v.frame)
	if v.lake != nil {
		v.lake.draw(v.frame)
	}
}

// refresh brings the pictures up to date with the env and obs.
func (v *view) refresh(obs envs.Obs) {
	v.render()
	v.gameImg.WritePixels(v.frame.Pix)
	v.obs.draw(obs)
	v.obsImg.WritePixels(v.obs.pic.Pix)
}

// recordStep adds the env's picture to the recording, if one is on.
func (v *view) recordStep() {
	if v.rec == nil {
		return
	}
	v.render()
	if v.rec.add(v.frame) {
		v.stopRecording()
	}
}

// commonKeys handles quitting and the keys of both games, and reports
// whether the game should end.
func (v *view) commonKeys(layout func(int, int) (int, int)) bool {
	v.updates++
	in := v.in
	if anyJust(in, keysQuit...) || v.frames > 0 && v.updates >= v.frames {
		return true
	}
	if anyJust(in, keysFaster...) {
		v.speed.faster()
	}
	if anyJust(in, keysSlower...) {
		v.speed.slower()
	}
	if in.JustPressed(ebiten.KeyTab) {
		v.noPanel = !v.noPanel
		ebiten.SetWindowSize(layout(0, 0))
	}
	if in.JustPressed(ebiten.KeyG) {
		v.toggleRecording()
	}
	return false
}

// due reports whether the game should step in this update: every
// speed.ticks updates while running.
func (v *view) due() bool {
	if v.paused {
		return false
	}
	v.wait++
	if v.wait < v.speed.ticks {
		return false
	}
	v.wait = 0
	return true
}

// shoot saves a screenshot of the window when S was pressed.
func (v *view) shoot(layout func(int, int) (int, int), draw func(*ebiten.Image)) {
	if v.in.JustPressed(ebiten.KeyS) {
		w, h := layout(0, 0)
		path, err := screenshot(v.out, w, h, draw)
		v.say(path, err)
	}
}

// quit saves a recording in progress and ends the game.
func (v *view) quit() error {
	if err := v.Close(); err != nil {
		return err
	}
	return ebiten.Termination
}

// Close saves a GIF recording in progress.
func (v *view) Close() error {
	if v.rec == nil {
		return nil
	}
	rec := v.rec
	v.rec = nil
	return rec.save()
}

// toggleRecording starts a GIF with the current picture, or saves the
// one in progress.
func (v *view) toggleRecording() {
	if v.rec != nil {
		v.stopRecording()
		return
	}
	rec, err := startRecording(v.out, v.speed)
	if err != nil {
		v.say("", err)
		return
	}
	v.rec = rec
	v.rec.add(v.frame)
}

func (v *view) stopRecording() {
	path := v.rec.path
	v.say(path, v.Close())
}

// say shows "saved path", or the error, for three seconds.
func (v *view) say(path string, err error) {
	v.message = "saved " + path
	if err != nil {
		v.message = err.Error()
	}
	v.messageUntil = v.updates + 3*ebiten.DefaultTPS
}

// notes returns the saved-file message while it shows and the
// recording's progress.
func (v *view) notes() []string {
	var parts []string
	if v.updates < v.messageUntil {
		parts = append(parts, v.message)
	}
	if v.rec != nil {
		parts = append(parts, fmt.Sprintf("REC %d frames", v.rec.gif.Len()))
	}
	return parts
}

// layout is the picture and, unless Tab hid it, the panel beside it.
func (v *view) layout() (int, int) {
	w, h := v.size.X*v.scale, v.size.Y*v.scale
	if v.noPanel {
		return w, h
	}
	return w + v.panelW, max(h, v.panelH)
}

// drawGame paints the background and the picture, and reports whether
// the panel shows.
func (v *view) drawGame(screen *ebiten.Image) bool {
	screen.Fill(screenBackground)
	drawScaled(screen, v.gameImg, 0, 0, v.scale)
	if v.noPanel {
		return false
	}
	b := screen.Bounds()
	fill(screen, image.Rect(v.panelX, 0, v.panelX+1, b.Max.Y), panelEdge)
	return true
}

// drawObs paints the observation's heading and picture with its top-left
// corner at (x, y), in cols characters.
func (v *view) drawObs(screen *ebiten.Image, x, y, cols int) {
	text(screen, fit("observation "+v.obs.describe, cols), x, y)
	y += lineH
	drawScaled(screen, v.obsImg, x, y, v.obs.scale)
	for _, l := range v.obs.labels() {
		text(screen, l.text, x+l.x, y+l.y)
	}
}
