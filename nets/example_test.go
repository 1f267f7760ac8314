package nets_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/arcadelab/arcade/nets"
)

// A training loop: one tape replayed every step, an optimizer, a loss.
// Here a linear layer learns y = 2x - 1 by SGD.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	layer := nets.NewLinear(rng, 1, 1)
	opt := nets.NewSGD(layer.Params(), nets.SGDConfig{LR: 0.1})
	x := nets.FromData([]float32{-1, 0, 1, 2}, 4, 1)
	y := nets.FromData([]float32{-3, -1, 1, 3}, 4, 1)
	tp := nets.NewTape()
	for range 200 {
		tp.Reset()
		opt.ZeroGrad()
		loss := nets.MSE(tp, layer.Forward(tp, x), y, nets.ReduceMean)
		loss.Backward()
		opt.Step()
	}
	fmt.Printf("w %.3f b %.3f\n", layer.W.Data[0], layer.B.Data[0])
	// Output: w 2.000 b -1.000
}

// scaleOp is a custom op: c·x. Any package can define ops this way.
type scaleOp struct {
	x *nets.Tensor
	c float32
}

// Scale records c·x on tp.
func Scale(tp *nets.Tape, x *nets.Tensor, c float32) *nets.Tensor {
	op, out := nets.Record[scaleOp](tp, x.Shape, x)
	op.x, op.c = x, c
	for i, v := range x.Data {
		out.Data[i] = c * v
	}
	return out
}

// Backward: dx += c·dy.
func (op *scaleOp) Backward(out *nets.Tensor) {
	if dx := op.x.GradBuf(); dx != nil {
		for i, g := range out.Grad {
			dx[i] += op.c * g
		}
	}
}

func ExampleRecord() {
	x := nets.FromData([]float32{1, 2, 3}, 3).SetRequiresGrad(true)
	tp := nets.NewTape()
	loss := nets.SumAll(tp, nets.Square(tp, Scale(tp, x, 3))) // Σ (3x)², d/dx = 18x
	loss.Backward()
	fmt.Println(loss.Item(), x.Grad)
	// Output: 126 [18 36 54]
}

// Saving and loading parameters as safetensors.
func ExampleSaveTensors() {
	dir, _ := os.MkdirTemp("", "nets")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	src := nets.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
	if err := nets.SaveTensors(path, src.Params(), map[string]string{"note": "demo"}); err != nil {
		fmt.Println(err)
	}
	dst := nets.NewLinear(rand.New(rand.NewPCG(2, 2)), 3, 2)
	meta, err := nets.LoadTensors(path, dst.Params())
	fmt.Println(meta["note"], err, dst.W.Data[0] == src.W.Data[0])
	_, err = nets.LoadTensors(path, nets.NewLinear(rand.New(rand.NewPCG(2, 2)), 2, 2).Params())
	fmt.Println(err != nil)
	// Output:
	// demo <nil> true
	// true
}
