# arcade: the two commands of the README are "make demo" and "make test".
GO ?= go

# Packages that link Ebiten need a display: their tests run under Xvfb.
VIEW_PKGS := ./viz/window/... ./cmd/arcade-view/...
HEADLESS_PKGS = $(shell $(GO) list ./... | grep -v -e /viz/window -e /cmd/arcade-view)
# Packages that start goroutines, tested again under the race detector.
RACE_PKGS := ./internal/par/... ./internal/run/... ./replay/... ./nets/kernels/... ./nets/... ./envs/... ./generative/embed/... ./generative/seq2seq/... ./generative/charlm/... ./agents/... ./generative/vae/...
# Packages with assembly, tested again with the pure-Go fallback.
ASM_PKGS := ./nets/kernels/... ./nets/rnn/...

.PHONY: setup build view demo test vet bench clean

## setup: install the Debian packages the viewer and its tests need (idempotent)
setup:
	@./.ci/install-deps.sh

## build: the headless CLI, pure Go, no display needed
build:
	CGO_ENABLED=0 $(GO) build -o bin/arcade ./cmd/arcade

## view: the window, arcade-view (cgo, X11/GL)
view: setup
	$(GO) build -o bin/arcade-view ./cmd/arcade-view

## demo: the main job: train DQN on Catch (about 10 s), evaluate it, draw its curves, watch it play where there is a display
DEMO_RUN := runs/demo-catch-$(shell date +%s)
demo: build
	bin/arcade version
	bin/arcade train dqn --env catch --out $(DEMO_RUN)
	bin/arcade eval $(DEMO_RUN) --episodes 1000 --epsilon 0
	bin/arcade eval $(DEMO_RUN) --episodes 1 --epsilon 0 --record $(DEMO_RUN)/episode.gif
	@echo "learning curves: $(DEMO_RUN)/curves.png; one episode: $(DEMO_RUN)/episode.gif"
	@if [ -n "$$DISPLAY" ] && [ -x bin/arcade-view ]; then bin/arcade-view watch $(DEMO_RUN); \
	else echo "to watch the agent play: make view, then bin/arcade-view watch $(DEMO_RUN) (needs a display)"; fi

## test: vet, every test headless, the race detector, the pure-Go kernels, the viewer under Xvfb
test: setup
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test $(HEADLESS_PKGS)
	$(GO) test -race $(RACE_PKGS)
	$(if $(ASM_PKGS),$(GO) test -tags noasm $(ASM_PKGS))
	xvfb-run -a $(GO) test $(VIEW_PKGS)

## bench: the Go benchmarks (arcade bench compares with peers)
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(HEADLESS_PKGS)

clean:
	rm -rf bin
