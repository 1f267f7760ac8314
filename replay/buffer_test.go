package replay

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/arcadelab/arcade/internal/par"
	"github.com/stretchr/testify/require"
)

// stackEnv imitates an env behind a FrameStack wrapper: random frames of
// F values, stacks of k frames oldest first, all k slots holding the first
// frame after reset.
type stackEnv struct {
	rng   *rand.Rand
	k, F  int
	stack []uint8
}

func (e *stackEnv) reset() []uint8 {
	e.stack = make([]uint8, e.k*e.F)
	for i := range e.F {
		e.stack[i] = uint8(e.rng.IntN(256))
	}
	for f := 1; f < e.k; f++ {
		copy(e.stack[f*e.F:], e.stack[:e.F])
	}
	return append([]uint8(nil), e.stack...)
}

func (e *stackEnv) step() []uint8 {
	copy(e.stack, e.stack[e.F:])
	for i := range e.F {
		e.stack[(e.k-1)*e.F+i] = uint8(e.rng.IntN(256))
	}
	return append([]uint8(nil), e.stack...)
}

// step is one recorded transition, with where the reference model puts it.
type step struct {
	obs, next              []uint8
	action                 int
	reward                 float64
	terminated, truncated  bool
	episode, t, globalSlot int // episode number, step within it, slots written before its obs
}

// history drives a buffer with random episodes and keeps every step, to
// compute what the buffer must hold from scratch.
type history struct {
	steps   []step
	written int // slots written in all: the ring holds the last Capacity of them
	open    bool
	env     stackEnv
}

func addStep[T uint8 | float32](b *Buffer, conv func([]uint8) []T, add func([]T, int, float64, []T, bool, bool), h *history, rng *rand.Rand, endProb float64) {
	var obs []uint8
	s := step{action: rng.IntN(6), reward: float64(rng.IntN(7) - 3)}
	if h.open {
		last := h.steps[len(h.steps)-1]
		obs, s.episode, s.t, s.globalSlot = last.next, last.episode, last.t+1, h.written-1
	} else {
		obs, s.globalSlot = h.env.reset(), h.written
		if n := len(h.steps); n > 0 {
			s.episode = h.steps[n-1].episode + 1
		}
		h.written++
	}
	s.obs, s.next = obs, h.env.step()
	h.written++
	switch u := rng.Float64(); {
	case u < endProb:
		s.terminated = true
	case u < 2*endProb:
		s.truncated = true
	}
	h.open = !s.terminated && !s.truncated
	h.steps = append(h.steps, s)
	add(conv(s.obs), s.action, s.reward, conv(s.next), s.terminated, s.truncated)
}

// expected returns the batch row of step i computed from the history, and
// whether the buffer must be able to sample it.
func (h *history) expected(i, k, n, capacity int, gamma float64) (obs, next []uint8, ret, disc float64, terminal, ok bool) {
	s := h.steps[i]
	if s.globalSlot-min(k-1, s.t) < h.written-capacity { // a frame of its stack was overwritten
		return
	}
	disc = 1
	for m := range n {
		if i+m >= len(h.steps) || h.steps[i+m].episode != s.episode {
			return
		}
		e := h.steps[i+m]
		ret += disc * float64(float32(e.reward))
		disc *= gamma
		if e.terminated || e.truncated || m == n-1 {
			return s.obs, e.next, ret, disc, e.terminated, true
		}
	}
	return
}

func u8s(v []uint8) []uint8 { return v }

func f32s(v []uint8) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func floats(v []uint8, scale float32) []float32 {
	out := make([]float32, len(v))
	Scale(out, v, scale)
	return out
}

// TestRingMatchesHistory drives small rings through thousands of random
// steps, episodes of every length and many overwrites, and checks after
// each step that exactly the transitions that should be sampleable are,
// and that each rebuilt row (stack, n-step return, bootstrap stack,
// discount, terminal) equals the one computed from the recorded steps.
func TestRingMatchesHistory(t *testing.T) {
	cases := []struct {
		k, n, capacity int
		dtype          DType
		prioritized    bool
		endProb        float64
	}{
		{4, 3, 29, U8, false, 0.1},
		{4, 3, 29, U8, true, 0.1},
		{4, 1, 6, U8, false, 0.2},
		{1, 1, 3, U8, true, 0.3},
		{2, 5, 8, F32, false, 0.1},
		{1, 3, 50, F32, true, 0.02},
		{3, 2, 40, U8, false, 0.45},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("k%d_n%d_cap%d_%v_prio%v", c.k, c.n, c.capacity, c.dtype, c.prioritized), func(t *testing.T) {
			const F, gamma = 6, 0.9
			cfg := Config{Capacity: c.capacity, ObsShape: []int{c.k, 2, 3}, DType: c.dtype, FrameStack: c.k, Scale: 1,
				NStep: c.n, Gamma: gamma, Prioritized: c.prioritized, Alpha: 0.6, Eps: 1e-6}
			b, err := New(cfg)
			require.NoError(t, err)
			rng := rand.New(rand.NewPCG(1, uint64(c.k*100+c.n)))
			h := &history{env: stackEnv{rng: rand.New(rand.NewPCG(2, 3)), k: c.k, F: F}}
			batch := b.NewBatch(1)
			for range 1500 {
				if c.dtype == U8 {
					addStep(b, u8s, b.AddU8, h, rng, c.endProb)
				} else {
					addStep(b, f32s, b.AddF32, h, rng, c.endProb)
				}
				require.NoError(t, b.check())
				want := 0
				for i := range h.steps {
					obs, next, ret, disc, terminal, ok := h.expected(i, c.k, c.n, c.capacity, gamma)
					if h.steps[i].globalSlot < h.written-c.capacity {
						continue
					}
					j := h.steps[i].globalSlot % c.capacity
					require.Equal(t, ok, b.flags[j]&flagReady != 0, "step %d in slot %d", i, j)
					if !ok {
						continue
					}
					want++
					b.row(batch, 0, j)
					require.Equal(t, floats(obs, 1), batch.Obs, "obs of step %d", i)
					require.Equal(t, floats(next, 1), batch.NextObs, "bootstrap obs of step %d", i)
					require.Equal(t, h.steps[i].action, batch.Actions[0])
					require.Equal(t, float32(ret), batch.Returns[0])
					require.Equal(t, float32(disc), batch.Discounts[0])
					require.Equal(t, terminal, batch.Terminal[0])
				}
				require.Equal(t, want, b.Len())
			}
		})
	}
}

func TestSampleScalesPixels(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.Scale = 20, []int{2, 1, 3}, 2, 1.0/255
	b, err := New(cfg)
	require.NoError(t, err)
	obs := []uint8{0, 51, 255, 0, 51, 255}
	next := []uint8{0, 51, 255, 102, 1, 2}
	b.AddU8(obs, 1, 0.5, next, true, false)
	batch := b.NewBatch(1)
	b.Sample(batch, rand.New(rand.NewPCG(1, 1)), 1)
	s := float32(1.0 / 255)
	require.Equal(t, []float32{0, 51 * s, 1, 0, 51 * s, 1}, batch.Obs)
	require.Equal(t, []float32{0, 51 * s, 1, 102 * s, 1 * s, 2 * s}, batch.NextObs)
	require.Equal(t, []float32{0.5}, batch.Returns)
	require.Equal(t, []bool{true}, batch.Terminal)
}

// TestUniformSampling checks that uniform sampling hits every sampleable
// slot about equally often and never another one: 200,000 draws over
// N slots give each a binomial count with standard deviation
// sqrt(p(1-p)/draws) of its frequency; the tolerance is 5 of them.
func TestUniformSampling(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.NStep = 40, []int{4, 1, 2}, 4, 2
	b, err := New(cfg)
	require.NoError(t, err)
	h := &history{env: stackEnv{rng: rand.New(rand.NewPCG(5, 5)), k: 4, F: 2}}
	rng := rand.New(rand.NewPCG(6, 6))
	for range 57 {
		addStep(b, u8s, b.AddU8, h, rng, 0.1)
	}
	N := b.Len()
	require.Greater(t, N, 20)
	counts := make([]int, cfg.Capacity)
	batch := b.NewBatch(100)
	const draws = 200_000
	for range draws / 100 {
		b.Sample(batch, rng, 1)
		for _, j := range batch.Indices {
			counts[j]++
		}
	}
	p := 1 / float64(N)
	tol := 5 * math.Sqrt(p*(1-p)/draws)
	for j, c := range counts {
		if b.flags[j]&flagReady == 0 {
			require.Zero(t, c, "slot %d is not sampleable", j)
			continue
		}
		require.InDelta(t, p, float64(c)/draws, tol, "slot %d", j)
	}
}

func TestSampleIsDeterministic(t *testing.T) {
	build := func() *Buffer {
		cfg := DefaultConfig()
		cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.NStep, cfg.Prioritized = 64, []int{4, 2, 2}, 4, 3, true
		b, err := New(cfg)
		require.NoError(t, err)
		h := &history{env: stackEnv{rng: rand.New(rand.NewPCG(7, 7)), k: 4, F: 4}}
		rng := rand.New(rand.NewPCG(8, 8))
		for range 100 {
			addStep(b, u8s, b.AddU8, h, rng, 0.05)
		}
		return b
	}
	b1, b2 := build(), build()
	x1, x2, x3 := b1.NewBatch(16), b2.NewBatch(16), b2.NewBatch(16)
	defer par.SetThreads(par.SetThreads(1))
	b1.Sample(x1, rand.New(rand.NewPCG(9, 1)), 0.5)
	par.SetThreads(2)
	b2.Sample(x2, rand.New(rand.NewPCG(9, 1)), 0.5)
	b2.Sample(x3, rand.New(rand.NewPCG(9, 2)), 0.5)
	require.Equal(t, x1, x2, "same state, same seed, 1 and 2 threads")
	require.NotEqual(t, x1.Indices, x3.Indices)
}

func TestAddRejectsWhatFrameStackCannotGive(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Capacity, cfg.ObsShape, cfg.FrameStack = 20, []int{2, 1, 2}, 2
	newBuf := func() *Buffer {
		b, err := New(cfg)
		require.NoError(t, err)
		return b
	}
	cases := []struct {
		name string
		do   func(b *Buffer)
		msg  string
	}{
		{"wrong length", func(b *Buffer) { b.AddU8([]uint8{1, 2}, 0, 0, []uint8{1, 2, 3, 4}, false, false) }, "replay: Add got obs of 2 values and next of 4, want 4 (shape [2 1 2])"},
		{"action", func(b *Buffer) { b.AddU8([]uint8{1, 2, 1, 2}, 256, 0, []uint8{1, 2, 3, 4}, false, false) }, "replay: action 256 outside [0, 255]"},
		{"reward", func(b *Buffer) { b.AddU8([]uint8{1, 2, 1, 2}, 0, 1e39, []uint8{1, 2, 3, 4}, false, false) }, "replay: reward 1e+39 is not a finite float32"},
		{"first stack", func(b *Buffer) { b.AddU8([]uint8{1, 2, 1, 3}, 0, 0, []uint8{1, 3, 3, 4}, false, false) },
			"replay: the first observation of an episode must repeat its frame in all 2 stack slots, as FrameStack gives it after Reset"},
		{"not shifted", func(b *Buffer) { b.AddU8([]uint8{1, 2, 1, 2}, 0, 0, []uint8{9, 2, 3, 4}, false, false) },
			"replay: next is not obs shifted by one frame, as FrameStack gives it"},
		{"out of order", func(b *Buffer) {
			b.AddU8([]uint8{1, 2, 1, 2}, 0, 0, []uint8{1, 2, 3, 4}, false, false)
			b.AddU8([]uint8{1, 2, 1, 2}, 0, 0, []uint8{1, 2, 3, 4}, false, false)
		}, "replay: obs is not the next observation of the previous Add; add every step in order and flag episode ends"},
		{"dtype", func(b *Buffer) { b.AddF32([]float32{1, 2, 1, 2}, 0, 0, []float32{1, 2, 3, 4}, false, false) },
			"replay: AddF32 on a buffer of uint8 observations; use AddU8"},
		{"empty", func(b *Buffer) { b.Sample(b.NewBatch(2), rand.New(rand.NewPCG(1, 1)), 1) },
			"replay: Sample from a buffer with no sampleable transition; wait until Len() > 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBuf()
			require.PanicsWithValue(t, c.msg, func() { c.do(b) })
			require.NoError(t, b.check(), "a rejected Add changes nothing")
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	base := DefaultConfig()
	base.Capacity, base.ObsShape = 100, []int{4, 84, 84}
	cases := []struct {
		edit func(c *Config)
		msg  string
	}{
		{func(c *Config) { c.ObsShape = nil }, "replay: observation shape []: want 1 to 4 dimensions"},
		{func(c *Config) { c.ObsShape = []int{4, 0} }, "replay: observation shape [4 0]: every dimension must be at least 1"},
		{func(c *Config) { c.FrameStack = 3 }, "replay: frame stack 3: the observation shape [4 84 84] must be [3, frame...]"},
		{func(c *Config) { c.NStep = 0 }, "replay: n-step 0: want 1 to 64"},
		{func(c *Config) { c.FrameStack, c.NStep, c.Capacity = 4, 3, 7 }, "replay: capacity 7: want 8 (n-step + frame stack + 1) to 4294967296"},
		{func(c *Config) { c.Capacity = -1 }, "replay: capacity -1: want 3 (n-step + frame stack + 1) to 4294967296"},
		{func(c *Config) { c.Gamma = 1.5 }, "replay: gamma 1.5: want a value in [0, 1]"},
		{func(c *Config) { c.Scale = 0 }, "replay: scale 0: want a finite value above 0"},
		{func(c *Config) { c.Alpha = -0.1 }, "replay: alpha -0.1: want a value in [0, 1]"},
		{func(c *Config) { c.Eps = 0 }, "replay: eps 0: want a finite value above 0"},
		{func(c *Config) { c.DType = 7 }, "replay: dtype DType(7): want U8 or F32"},
	}
	for _, c := range cases {
		cfg := base
		c.edit(&cfg)
		_, err := New(cfg)
		require.EqualError(t, err, c.msg)
	}
}

// TestBytesPerSlot measures what New allocates for 84x84 frames: the frame
// and 7 bytes per slot, plus 32 for the two trees of prioritized replay at
// a power-of-two capacity. At 1,000,000 slots (trees of 2^20 leaves, 33.6
// bytes a slot) that is 7.06 GB uniform and 7.10 GB prioritized.
func TestBytesPerSlot(t *testing.T) {
	const capacity = 1 << 14
	for _, prioritized := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.Prioritized = capacity, []int{4, 84, 84}, 4, prioritized
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b, err := New(cfg)
		require.NoError(t, err)
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(b)
		perSlot := float64(after.TotalAlloc-before.TotalAlloc) / capacity
		want := 84*84 + 7.0
		if prioritized {
			want += 32
		}
		// The Buffer struct itself (about 1.4 KB with its 256-entry table)
		// adds 0.09 bytes a slot at this capacity.
		require.InDelta(t, want, perSlot, 0.25, "prioritized %v", prioritized)
	}
}

func TestSampleAndAddAllocateNothing(t *testing.T) {
	for _, prioritized := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Capacity, cfg.ObsShape, cfg.FrameStack, cfg.NStep, cfg.Prioritized = 200, []int{4, 4, 4}, 4, 3, prioritized
		b, err := New(cfg)
		require.NoError(t, err)
		h := &history{env: stackEnv{rng: rand.New(rand.NewPCG(1, 2)), k: 4, F: 16}}
		rng := rand.New(rand.NewPCG(3, 4))
		for range 300 {
			addStep(b, u8s, b.AddU8, h, rng, 0.05)
		}
		batch := b.NewBatch(32)
		td := make([]float32, 32)
		require.Zero(t, testing.AllocsPerRun(20, func() {
			b.Sample(batch, rng, 0.4)
			b.UpdatePriorities(batch.Indices, td)
		}))
		if h.open { // end the running episode, so that each Add below starts one
			b.AddU8(h.steps[len(h.steps)-1].next, 0, 0, h.env.step(), true, false)
		}
		obs, next := h.env.reset(), h.env.step()
		require.Zero(t, testing.AllocsPerRun(1, func() { b.AddU8(obs, 0, 1, next, true, false) }))
	}
}
