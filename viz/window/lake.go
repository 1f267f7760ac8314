package window

import (
	"image"
	"image/color"
	"math"

	"github.com/arcadelab/arcade/agents"
	"github.com/arcadelab/arcade/agents/rollout"
	"github.com/arcadelab/arcade/envs"
	"github.com/arcadelab/arcade/viz/img"
)

// lakeMap is what a FrozenLake run shows over the map: the state values
// V(s) = max_a Q(s, a) as a heatmap and the greedy action as an arrow, on
// every cell but the holes, the goal and the agent's own cell (which the
// env draws as it is).
type lakeMap struct {
	lake       *envs.FrozenLake
	rows, cols int
	cell       int // pixels per cell in the env's picture
	values     []float64
	greedy     []int
	terminal   []bool
	lo, hi     float64 // the values' range over the non-terminal cells
}

// The arrow's colour, and how much of the heatmap shows through the ice.
var arrowColour = color.RGBA{16, 16, 24, 255}

const heatAlpha = 0.6

// newLakeMap returns the overlay of policy p on the FrozenLake under env,
// or nil when env is not a FrozenLake. It asks p once for every state's
// Q-values, as one batch of the observations the env would give.
func newLakeMap(env envs.Env, p agents.Policy) *lakeMap {
	lake, ok := envs.Unwrap(env).(*envs.FrozenLake)
	if !ok {
		return nil
	}
	n, size := lake.NumStates(), envs.RenderSize(env)
	cols := int(math.Round(math.Sqrt(float64(n) * float64(size.X) / float64(size.Y))))
	m := &lakeMap{lake: lake, rows: n / cols, cols: cols, cell: size.X / cols,
		values: make([]float64, n), greedy: make([]int, n), terminal: make([]bool, n)}
	space := env.ObservationSpace()
	batch := envs.Obs{Shape: append([]int{n}, space.Shape...)}
	if space.Dtype == envs.Uint8 { // the state's index
		batch.U8 = make([]uint8, n)
		for s := range n {
			batch.U8[s] = uint8(s)
		}
	} else { // one-hot
		batch.F32 = make([]float32, n*n)
		for s := range n {
			batch.F32[s*n+s] = 1
		}
	}
	A := p.NumActions()
	q := make([]float32, n*A)
	p.QValues(batch, q)
	m.lo, m.hi = math.Inf(1), math.Inf(-1)
	for s, outcomes := range lake.P() {
		m.terminal[s] = len(outcomes[0]) == 1 && outcomes[0][0].Next == s && outcomes[0][0].Terminated
		row := q[s*A : (s+1)*A]
		m.greedy[s] = rollout.Greedy(row)
		m.values[s] = float64(row[m.greedy[s]])
		if !m.terminal[s] {
			m.lo, m.hi = math.Min(m.lo, m.values[s]), math.Max(m.hi, m.values[s])
		}
	}
	return m
}

// heat returns the heatmap colour of state s.
func (m *lakeMap) heat(s int) color.RGBA {
	t := 0.5
	if m.hi > m.lo {
		t = (m.values[s] - m.lo) / (m.hi - m.lo)
	}
	return img.Colormap(t)
}

// draw paints the overlay onto the env's picture dst.
func (m *lakeMap) draw(dst *image.RGBA) {
	agent := m.lake.State()
	for s := range m.values {
		if m.terminal[s] || s == agent {
			continue
		}
		x0, y0 := s%m.cols*m.cell, s/m.cols*m.cell
		inner := image.Rect(x0+1, y0+1, x0+m.cell-1, y0+m.cell-1)
		blend(dst, inner, m.heat(s), heatAlpha)
		drawArrow(dst, x0+m.cell/2, y0+m.cell/2, m.cell*3/8, m.greedy[s], arrowColour)
	}
}

// blend mixes c into r of dst with weight alpha.
func blend(dst *image.RGBA, r image.Rectangle, c color.RGBA, alpha float64) {
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-alpha) + float64(b)*alpha)) }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := dst.RGBAAt(x, y)
			dst.SetRGBA(x, y, color.RGBA{mix(p.R, c.R), mix(p.G, c.G), mix(p.B, c.B), 255})
		}
	}
}

// lakeDirs are FrozenLake's actions as unit steps (dx, dy): LEFT, DOWN,
// RIGHT, UP.
var lakeDirs = [4][2]int{{-1, 0}, {0, 1}, {1, 0}, {0, -1}}

// drawArrow draws an arrow centred on (cx, cy), reaching r pixels towards
// FrozenLake direction a: a shaft 3 pixels wide and a head.
func drawArrow(dst *image.RGBA, cx, cy, r, a int, c color.RGBA) {
	dx, dy := lakeDirs[a][0], lakeDirs[a][1]
	// along is the distance from the centre in the arrow's direction,
	// across the distance to the side.
	for along := -r; along <= r; along++ {
		half := 1 // the shaft
		if head := r / 2; along > r-head {
			half = r - along // the head narrows to its tip
		} else if along > r-head-1 {
			half = head
		}
		for across := -half; across <= half; across++ {
			x, y := cx+along*dx-across*dy, cy+along*dy+across*dx
			dst.SetRGBA(x, y, c)
		}
	}
}
