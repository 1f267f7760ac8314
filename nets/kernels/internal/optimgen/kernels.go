package main

// The kernels, each the float32 operations of its Go loop (optim_go.go)
// in the same order. t is a product or quotient about to be added.
var kernels = []kernel{
	{
		name:    "adam",
		arrays:  []string{"p", "grad", "m", "v"},
		scalars: []string{"b1", "c1", "b2", "c2", "alpha", "eps", "decay", "wd"},
		flags:   []string{"weight decay"},
		valid:   func(int) bool { return true },
		body:    adam,
	},
	{
		name:    "rmsprop",
		arrays:  []string{"p", "grad", "v", "gAvg", "buf"},
		scalars: []string{"alpha", "c", "eps", "mu", "wd", "lr"},
		flags:   []string{"weight decay", "centered", "momentum"},
		valid:   func(int) bool { return true },
		body:    rmsprop,
	},
	{
		name:    "dqnRMSProp",
		arrays:  []string{"p", "grad", "nsq", "gAvg", "delta"},
		scalars: []string{"rho", "c", "eps", "mu", "neglr"},
		flags:   []string{"momentum"},
		valid:   func(int) bool { return true },
		body:    dqnRMSProp,
	},
	{
		name:    "sgd",
		arrays:  []string{"p", "grad", "buf"},
		scalars: []string{"lr", "wd", "mu", "damp"},
		flags:   []string{"weight decay", "momentum", "first step", "nesterov"},
		// the first step and Nesterov's correction are the momentum's
		valid: func(f int) bool { return f&sgdMomentum != 0 || f&(sgdFirst|sgdNesterov) == 0 },
		body:  sgd,
	},
}

// adam: flag 1 is weight decay.
//
//	if decay { p ← p·decay; g ← g + wd·p }
//	m ← b1·m + c1·g
//	v ← b2·v + (c2·g)·g
//	p ← p - (alpha·m) / (√v + eps)
func adam(l *loop, f int) {
	l.load("g", "grad")
	decay := f&1 != 0
	if decay {
		l.load("p", "p")
		l.mul("p", "p", "decay")
		l.mul("t", "wd", "p")
		l.add("g", "g", "t")
	}
	l.average("m", "m", "b1", "c1", false)
	l.average("v", "v", "b2", "c2", true)
	l.sqrt("s", "v")
	l.add("s", "s", "eps")
	l.mul("t", "alpha", "m")
	l.div("t", "t", "s")
	if !decay {
		l.load("p", "p")
	}
	l.sub("p", "p", "t")
	l.store("p", "p")
}

// rmsprop: flags 1 weight decay, 2 centered, 4 momentum.
//
//	if wd { g ← g + wd·p }
//	v ← alpha·v + (c·g)·g
//	centered: gAvg ← alpha·gAvg + c·g;  s ← √(v - gAvg·gAvg) + eps
//	otherwise: s ← √v + eps
//	momentum: buf ← mu·buf + g/s;  p ← p - lr·buf
//	otherwise: p ← p - (lr·g)/s
func rmsprop(l *loop, f int) {
	wd, centered, momentum := f&1 != 0, f&2 != 0, f&4 != 0
	l.load("g", "grad")
	l.load("p", "p")
	if wd {
		l.mul("t", "wd", "p")
		l.add("g", "g", "t")
	}
	l.average("v", "v", "alpha", "c", true)
	if centered {
		l.average("a", "gAvg", "alpha", "c", false)
		l.mul("t", "a", "a")
		l.sub("s", "v", "t")
		l.sqrt("s", "s")
	} else {
		l.sqrt("s", "v")
	}
	l.add("s", "s", "eps")
	if momentum {
		l.load("b", "buf")
		l.mul("b", "mu", "b")
		l.div("t", "g", "s")
		l.add("b", "b", "t")
		l.store("buf", "b")
		l.mul("t", "lr", "b")
	} else {
		l.mul("t", "lr", "g")
		l.div("t", "t", "s")
	}
	l.sub("p", "p", "t")
	l.store("p", "p")
}

// dqnRMSProp: flag 1 is momentum.
//
//	n ← rho·n + (c·g)·g
//	gAvg ← rho·gAvg + c·g
//	d ← (neglr·g) / √((n - gAvg·gAvg) + eps)
//	momentum: d ← d + mu·delta;  delta ← d
//	p ← p + d
func dqnRMSProp(l *loop, f int) {
	l.load("g", "grad")
	l.average("n", "nsq", "rho", "c", true)
	l.average("a", "gAvg", "rho", "c", false)
	l.mul("t", "a", "a")
	l.sub("s", "n", "t")
	l.add("s", "s", "eps")
	l.sqrt("s", "s")
	l.mul("d", "neglr", "g")
	l.div("d", "d", "s")
	if f&1 != 0 {
		l.load("b", "delta")
		l.mul("t", "mu", "b")
		l.add("d", "d", "t")
		l.store("delta", "d")
	}
	l.load("p", "p")
	l.add("p", "p", "d")
	l.store("p", "p")
}

// The flags of sgd.
const (
	sgdWeightDecay = 1
	sgdMomentum    = 2
	sgdFirst       = 4
	sgdNesterov    = 8
)

// sgd:
//
//	if wd { g ← g + wd·p }
//	momentum: buf ← g on the first step, mu·buf + damp·g after;
//	          g ← g + mu·buf (Nesterov) or buf
//	p ← p - lr·g
func sgd(l *loop, f int) {
	l.load("g", "grad")
	l.load("p", "p")
	if f&sgdWeightDecay != 0 {
		l.mul("t", "wd", "p")
		l.add("g", "g", "t")
	}
	u := "g" // the update's direction
	if f&sgdMomentum != 0 {
		b := "g" // the momentum buffer
		if f&sgdFirst == 0 {
			b = "b"
			l.load("b", "buf")
			l.mul("b", "mu", "b")
			l.mul("t", "damp", "g")
			l.add("b", "b", "t")
		}
		l.store("buf", b)
		if f&sgdNesterov != 0 {
			l.mul("t", "mu", b)
			l.add("g", "g", "t")
		} else {
			u = b
		}
	}
	l.mul("t", "lr", u)
	l.sub("p", "p", "t")
	l.store("p", "p")
}
