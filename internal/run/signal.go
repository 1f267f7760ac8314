package run

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// ErrInterrupted is returned by a training loop that stopped on Ctrl-C
// (SIGINT) or SIGTERM after saving a checkpoint. The CLI turns it into exit
// status 130 and a line naming the run directory.
var ErrInterrupted = errors.New("interrupted")

// WithInterrupt returns a context that is cancelled on the first SIGINT or
// SIGTERM. Training loops poll Interrupted(ctx) between steps, save a
// checkpoint and return ErrInterrupted. The first signal is caught and then
// the default handling is restored, so a second Ctrl-C ends the process at
// once (checkpoints are written atomically, so nothing good is lost).
func WithInterrupt(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-ctx.Done():
		}
		signal.Stop(sig)
	}()
	return ctx, cancel
}

// Interrupted reports, without blocking, whether ctx has been cancelled.
func Interrupted(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}
