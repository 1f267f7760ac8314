package main

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/arcadelab/arcade/replay"
)

// replayBenchCapacity is the ring the replay suite measures: 100,000
// slots of 84x84 frames, about 0.7 GB per buffer.
var replayBenchCapacity = 100_000

// benchReplay measures the replay memory on 84x84x4 pixel stacks: the cost
// of Add (one thread), and sampling a batch of 32 from a full ring at each
// thread count, uniform with 1-step returns (the Nature preset) and
// prioritized with 3-step returns (rainbow-lite), each with the bytes per
// slot that New allocated. The peer is numpy gathering the same stacks by
// fancy indexing (one thread), without episode boundaries.
func benchReplay(bn *bencher) ([]benchRow, error) {
	capacity := replayBenchCapacity
	episode := newPixelEpisode(500)
	var peer struct {
		MS    float64 `json:"ms"`
		Numpy string  `json:"numpy"`
	}
	peerErr := runPeer("replay_gather.py", 1, []string{strconv.Itoa(capacity), "32"}, &peer)

	var rows []benchRow
	for _, c := range []struct {
		name        string
		nStep       int
		prioritized bool
	}{
		{"replay_sample_b32_unif_n1", 1, false},
		{"replay_sample_b32_prio_n3", 3, true},
	} {
		cfg := replay.DefaultConfig()
		cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.Scale = capacity, []int{4, 84, 84}, 4, 1.0/255
		cfg.NStep, cfg.Prioritized = c.nStep, c.prioritized
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		buf, err := replay.New(cfg)
		if err != nil {
			return nil, err
		}
		runtime.ReadMemStats(&after)
		bytesPer := float64(after.TotalAlloc-before.TotalAlloc) / float64(capacity)
		episode.t = 0 // each buffer starts with the episode's first step
		for range capacity {
			episode.add(buf)
		}
		if !c.prioritized {
			const adds = 1000
			ms := timeMS(5, func() {
				for range adds {
					episode.add(buf)
				}
			}) / adds
			rows = append(rows, benchRow{Name: "replay_add_84x84x4", Threads: 1, MS: ms, Skipped: "no peer"})
		}
		batch := buf.NewBatch(32)
		rng := rand.New(rand.NewPCG(1, 2))
		for _, th := range bn.threads {
			par.SetThreads(th)
			r := benchRow{Name: c.name, Threads: th, MS: timeMS(20, func() { buf.Sample(batch, rng, 0.4) }),
				BytesPerTransition: ptr(bytesPer)}
			r.withPeer("numpy-"+peer.Numpy, peer.MS, peerErr)
			rows = append(rows, r)
		}
		buf = nil
		debug.FreeOSMemory() // give the ring back before the next one is made
	}
	return rows, nil
}

// pixelEpisode is an episode of 84x84x4 stacks as FrameStack gives them
// (the first frame repeated after Reset, oldest frame first), made once so
// that adding it costs only the buffer's work.
type pixelEpisode struct {
	obs, next [][]uint8
	t         int
}

func newPixelEpisode(steps int) *pixelEpisode {
	const F, k = 84 * 84, 4
	e := &pixelEpisode{}
	stack := make([]uint8, k*F)
	for i := range F {
		stack[i] = uint8(i)
	}
	for f := 1; f < k; f++ {
		copy(stack[f*F:], stack[:F])
	}
	for t := range steps {
		e.obs = append(e.obs, append([]uint8(nil), stack...))
		copy(stack, stack[F:])
		for i := range F {
			stack[(k-1)*F+i] = uint8(t + 1 + i*7)
		}
		e.next = append(e.next, append([]uint8(nil), stack...))
	}
	return e
}

// add adds the episode's next step to b, starting over after the last
// step, which terminates.
func (e *pixelEpisode) add(b *replay.Buffer) {
	i := e.t % len(e.obs)
	e.t++
	b.AddU8(e.obs[i], i%4, 1, e.next[i], i == len(e.obs)-1, false)
}
