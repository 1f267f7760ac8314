package replay

import (
	"math/rand/v2"
	"testing"
)

// pixelEpisode is an episode of 84x84x4 stacks as FrameStack gives them,
// made once, so that adding it costs only the buffer's work.
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

// add adds the episode's next step to b, starting over after the last,
// which terminates.
func (e *pixelEpisode) add(b *Buffer) {
	i := e.t % len(e.obs)
	e.t++
	b.AddU8(e.obs[i], i%4, 1, e.next[i], i == len(e.obs)-1, false)
}

func pixelBuffer(tb testing.TB, capacity, nStep int, prioritized bool) *Buffer {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.Scale = capacity, []int{4, 84, 84}, 4, 1.0/255
	cfg.NStep, cfg.Prioritized = nStep, prioritized
	b, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func BenchmarkAdd84x84x4(b *testing.B) {
	buf := pixelBuffer(b, 10_000, 3, true)
	p := newPixelEpisode(500)
	for range 10_000 { // wrap once: every Add overwrites
		p.add(buf)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.add(buf)
	}
}

func benchmarkSample(b *testing.B, prioritized bool) {
	buf := pixelBuffer(b, 50_000, 3, prioritized)
	p := newPixelEpisode(500)
	for range 50_000 {
		p.add(buf)
	}
	batch := buf.NewBatch(32)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		buf.Sample(batch, rng, 0.4)
	}
}

func BenchmarkSampleUniformB32(b *testing.B)     { benchmarkSample(b, false) }
func BenchmarkSamplePrioritizedB32(b *testing.B) { benchmarkSample(b, true) }

func BenchmarkUpdatePrioritiesB32(b *testing.B) {
	buf := pixelBuffer(b, 50_000, 3, true)
	p := newPixelEpisode(500)
	for range 50_000 {
		p.add(buf)
	}
	batch := buf.NewBatch(32)
	buf.Sample(batch, rand.New(rand.NewPCG(1, 2)), 0.4)
	td := make([]float32, 32)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		td[i%32] = float32(i % 17)
		buf.UpdatePriorities(batch.Indices, td)
	}
}
