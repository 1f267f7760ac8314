package envs

import (
	"fmt"
	"image"
	"math/rand/v2"
)

// snake's channels.
const (
	snHead = iota
	snBody
	snFood
)

// snakeCell is the size of a grid cell in pictures, in pixels.
const snakeCell = 16

// Snake is the classic game on a square grid.
//
// # Description
//
// A snake moves one cell per step; eating the food makes it one cell
// longer and puts new food on a random free cell. It dies on hitting a
// wall or itself, or starving.
//
// # Action Space
//
// Discrete(5): 0 NOOP (keep going), 1 LEFT, 2 RIGHT, 3 UP, 4 DOWN; turning
// straight back is ignored (the snake keeps going).
//
// # Observation Space
//
// uint8 [3, size, size] of 0/1, channels head, body (every other cell of
// the snake, the cell behind the head among them, which shows the
// direction), food.
//
// # Rewards
//
// +1 per food eaten.
//
// # Starting State
//
// A snake of 3 cells in the middle row heading right, its head in the
// middle column; food on a random free cell.
//
// # Episode End
//
// Terminated when the head leaves the grid or runs into the body (the
// tail's cell is free, as it moves on), after 4*size*size steps without
// food (starving, which ends loops), or when the snake fills the grid.
//
// # Arguments
//
// size (default 10, 5 to 32), max_steps (default 0, none).
type Snake struct {
	ep       episode
	rng      *rand.Rand
	size     int
	body     []int // cells y*size+x, ring buffer, head at body[(tail+length-1)%cap]
	tail, n  int
	occupied []bool
	dx, dy   int
	food     int
	hunger   int
	cells    []uint8
	shape    []int
	info     Info
}

// NewSnake returns an unseeded snake on a size x size grid (5 to 32).
func NewSnake(size int) *Snake {
	if size < 5 || size > 32 {
		panic(fmt.Sprintf("envs: snake: size %d outside [5, 32]", size))
	}
	n := size * size
	return &Snake{ep: episode{name: "snake", actions: 5}, size: size, body: make([]int, n), occupied: make([]bool, n),
		cells: make([]uint8, 3*n), shape: []int{3, size, size}, info: newInfo()}
}

// Seed reseeds the env's generator.
func (s *Snake) Seed(seed uint64) { s.rng = newRNG(seed, streamGame); s.ep.seed() }

// ActionSpace is NOOP, LEFT, RIGHT, UP, DOWN.
func (s *Snake) ActionSpace() Discrete {
	return Discrete{N: 5, Names: snakeActions}
}

var snakeActions = []string{"NOOP", "LEFT", "RIGHT", "UP", "DOWN"}

// ObservationSpace is uint8 [3, size, size] of 0/1.
func (s *Snake) ObservationSpace() Box { return uniformBox(Uint8, 0, 1, s.shape...) }

// Reset lays out a new snake and food.
func (s *Snake) Reset() (Obs, Info) {
	s.ep.reset()
	clear(s.occupied)
	mid := s.size / 2
	s.tail, s.n = 0, 0
	for x := mid - 2; x <= mid; x++ {
		s.grow(mid*s.size + x)
	}
	s.dx, s.dy, s.hunger = 1, 0, 0
	s.placeFood()
	clear(s.info)
	return s.observe(), s.info
}

// head is the head's cell.
func (s *Snake) head() int { return s.body[(s.tail+s.n-1)%len(s.body)] }

// grow adds cell as the new head.
func (s *Snake) grow(cell int) {
	s.body[(s.tail+s.n)%len(s.body)] = cell
	s.occupied[cell] = true
	s.n++
}

// placeFood puts food on a uniformly random free cell; -1 when none is.
func (s *Snake) placeFood() {
	free := len(s.body) - s.n
	s.food = -1
	if free == 0 {
		return
	}
	k := s.rng.IntN(free)
	for c, o := range s.occupied {
		if !o {
			if k == 0 {
				s.food = c
				return
			}
			k--
		}
	}
}

// Step turns (unless that reverses the snake) and moves one cell.
func (s *Snake) Step(action int) (Obs, float64, bool, bool, Info) {
	s.ep.step(action)
	dx, dy := s.dx, s.dy
	switch action {
	case 1:
		dx, dy = -1, 0
	case 2:
		dx, dy = 1, 0
	case 3:
		dx, dy = 0, -1
	case 4:
		dx, dy = 0, 1
	}
	if dx != -s.dx || dy != -s.dy {
		s.dx, s.dy = dx, dy
	}
	h := s.head()
	x, y := h%s.size+s.dx, h/s.size+s.dy
	reward, dead := 0.0, x < 0 || x >= s.size || y < 0 || y >= s.size
	if !dead {
		next := y*s.size + x
		if next == s.food {
			reward, s.hunger = 1, 0
			s.grow(next)
			s.placeFood()
		} else {
			s.occupied[s.body[s.tail]] = false // the tail moves on first
			s.tail = (s.tail + 1) % len(s.body)
			s.n--
			dead = s.occupied[next]
			s.grow(next)
			s.hunger++
		}
	}
	done := dead || s.hunger >= 4*s.size*s.size || s.food < 0
	s.ep.end(done)
	clear(s.info)
	return s.observe(), reward, done, false, s.info
}

func (s *Snake) observe() Obs {
	clear(s.cells)
	n := s.size * s.size
	for i := range s.n {
		s.cells[n*snBody+s.body[(s.tail+i)%len(s.body)]] = 1
	}
	h := s.head()
	s.cells[n*snBody+h] = 0
	s.cells[n*snHead+h] = 1
	if s.food >= 0 {
		s.cells[n*snFood+s.food] = 1
	}
	return Obs{Shape: s.shape, U8: s.cells}
}

// RenderSize is 16 pixels per cell.
func (s *Snake) RenderSize() image.Point { return image.Pt(s.size*snakeCell, s.size*snakeCell) }

// Render draws the grid: body, head, food.
func (s *Snake) Render(dst *image.RGBA) {
	checkRenderTarget("snake", dst, s.RenderSize())
	drawGrid(dst, s.cells, s.size, s.size, snakeCell, rgb(12, 20, 12),
		[]paint{rgb(250, 220, 60), rgb(80, 200, 90), rgb(230, 70, 70)}, []int{snFood, snBody, snHead})
}
