// Package window is arcade's Ebiten viewer: the only package that links
// Ebiten (whose package init opens the display), used by the arcade-view
// binary alone. Games follow Ebiten's split: Update advances state at a
// fixed rate and reads the keyboard, Draw only reads state, Layout fixes
// the logical screen size. Its tests need a display; make test runs them
// under xvfb-run.
package window
