package nets

import "fmt"

// Param is a trainable tensor with the stable name it has in checkpoints,
// such as "fc1.weight".
type Param struct {
	Name string
	*Tensor
}

// Prefix returns ps with prefix put before every name, as a container
// names its children's parameters ("fc1." + "weight").
func Prefix(prefix string, ps []Param) []Param {
	out := make([]Param, len(ps))
	for i, p := range ps {
		out[i] = Param{prefix + p.Name, p.Tensor}
	}
	return out
}

// ZeroGrads clears the gradients of ps.
func ZeroGrads(ps []Param) {
	for _, p := range ps {
		p.ZeroGrad()
	}
}

// Count returns the number of scalars in ps.
func Count(ps []Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}

// CopyParams copies the values of src into dst, matched by position and
// checked by name and shape: DQN's hard target-network update.
func CopyParams(dst, src []Param) {
	checkPairs("CopyParams", dst, src)
	for i := range dst {
		copy(dst[i].Data, src[i].Data)
	}
}

// Polyak moves dst towards src: dst = tau·src + (1-tau)·dst, the soft
// target update of DDPG-style agents (tau = 1 is CopyParams).
func Polyak(dst, src []Param, tau float32) {
	checkPairs("Polyak", dst, src)
	for i := range dst {
		d, s := dst[i].Data, src[i].Data
		for j := range d {
			d[j] = tau*s[j] + (1-tau)*d[j]
		}
	}
}

func checkPairs(what string, dst, src []Param) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("nets: %s of %d parameters into %d", what, len(src), len(dst)))
	}
	for i := range dst {
		if dst[i].Name != src[i].Name || dst[i].Size() != src[i].Size() {
			panic(fmt.Sprintf("nets: %s of %s %v into %s %v", what, src[i].Name, src[i].Shape, dst[i].Name, dst[i].Shape))
		}
	}
}

// checkUnique panics when two params share a name or a tensor: an
// optimizer would step a tensor twice, a checkpoint hold a name twice.
func checkUnique(what string, ps []Param) {
	names := make(map[string]bool, len(ps))
	tensors := make(map[*Tensor]string, len(ps))
	for _, p := range ps {
		if p.Tensor == nil {
			panic(fmt.Sprintf("nets: %s: parameter %q has no tensor", what, p.Name))
		}
		if names[p.Name] {
			panic(fmt.Sprintf("nets: %s: two parameters named %q", what, p.Name))
		}
		if other, ok := tensors[p.Tensor]; ok {
			panic(fmt.Sprintf("nets: %s: %q and %q are the same tensor (list a tied weight once)", what, other, p.Name))
		}
		names[p.Name], tensors[p.Tensor] = true, p.Name
	}
}
