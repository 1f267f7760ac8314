package gradcheck

import (
	"math/rand/v2"
	"testing"

	"github.com/arcadelab/arcade/nets"
	"github.com/stretchr/testify/require"
)

// cubeOp is x³ with a backward kernel that can be made wrong on purpose.
type cubeOp struct {
	x     *nets.Tensor
	wrong bool
}

func cube(tp *nets.Tape, x *nets.Tensor, wrong bool) *nets.Tensor {
	op, y := nets.Record[cubeOp](tp, x.Shape, x)
	op.x, op.wrong = x, wrong
	for i, v := range x.Data {
		y.Data[i] = v * v * v
	}
	return y
}

// Backward: dx += 3x² dy (2x² dy when wrong).
func (op *cubeOp) Backward(y *nets.Tensor) {
	dx := op.x.GradBuf()
	if dx == nil {
		return
	}
	k := float32(3)
	if op.wrong {
		k = 2
	}
	for i, g := range y.Grad {
		dx[i] += k * op.x.Data[i] * op.x.Data[i] * g
	}
}

func input() *nets.Tensor {
	x := nets.New(2, 3)
	nets.Uniform(rand.New(rand.NewPCG(1, 1)), x, 0.5, 1.5)
	return x
}

func TestCheckAcceptsACorrectOpAndCatchesAWrongOne(t *testing.T) {
	x := input()
	before := append([]float32{}, x.Data...)
	require.NoError(t, Check(func(tp *nets.Tape) *nets.Tensor { return cube(tp, x, false) }, []*nets.Tensor{x}, Options{}))
	require.Equal(t, before, x.Data, "inputs are left as they were")
	err := Check(func(tp *nets.Tape) *nets.Tensor { return cube(tp, x, true) }, []*nets.Tensor{x}, Options{})
	require.ErrorContains(t, err, "input 0 [2 3] element 0")
}

func TestCheckCatchesAnOpThatChangesItsInput(t *testing.T) {
	x := input()
	err := Check(func(tp *nets.Tape) *nets.Tensor {
		x.Data[0]++
		return cube(tp, x, false)
	}, []*nets.Tensor{x}, Options{})
	require.ErrorContains(t, err, "f changed its values")
}

func TestCheckCatchesAnOutputThatIgnoresTheInputs(t *testing.T) {
	x := input()
	err := Check(func(tp *nets.Tape) *nets.Tensor { return cube(tp, nets.Detach(tp, x), false) }, []*nets.Tensor{x}, Options{})
	require.ErrorContains(t, err, "does not depend on any input")
}
