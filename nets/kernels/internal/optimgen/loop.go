package main

import (
	"fmt"
	"log"
	"slices"
)

// loop emits one loop's body: vector operations on named values. A name
// is one of the kernel's scalars (broadcast before the loops) or a value
// of the loops, which keeps one register in every loop of the function.
type loop struct {
	s     isa
	k     kernel
	e     emitter
	names *[]string // the loops' values, in order of first use
}

// reg returns the register of the scalar or value v.
func (l *loop) reg(v string) string {
	if i := slices.Index(l.k.scalars, v); i >= 0 {
		return fmt.Sprintf("%s%d", l.s.reg, i)
	}
	i := slices.Index(*l.names, v)
	if i < 0 {
		*l.names = append(*l.names, v)
		i = len(*l.names) - 1
	}
	return fmt.Sprintf("%s%d", l.s.reg, len(l.k.scalars)+i)
}

// addr returns the address of the current vector of array a.
func (l *loop) addr(a string) string {
	i := slices.Index(l.k.arrays, a)
	if i < 0 {
		log.Fatalf("%s: no array %q", l.k.name, a)
	}
	return fmt.Sprintf("(%s)(AX*1)", ptrRegs[i])
}

// load sets v to the current vector of array a.
func (l *loop) load(v, a string) {
	l.e.ins("VMOVUPS %s, %s // %s = %s[j]", l.addr(a), l.reg(v), v, a)
}

// store writes v to the current vector of array a.
func (l *loop) store(a, v string) {
	l.e.ins("VMOVUPS %s, %s // %s[j] = %s", l.reg(v), l.addr(a), a, v)
}

// op sets dst = x sym y with instruction ins (Go assembly's operand order:
// the second source first).
func (l *loop) op(ins, sym, dst, x, y string) {
	l.e.ins("%s %s, %s, %s // %s = %s%s%s", ins, l.reg(y), l.reg(x), l.reg(dst), dst, x, sym, y)
}

func (l *loop) mul(dst, x, y string) { l.op("VMULPS", "*", dst, x, y) }
func (l *loop) add(dst, x, y string) { l.op("VADDPS", " + ", dst, x, y) }
func (l *loop) sub(dst, x, y string) { l.op("VSUBPS", " - ", dst, x, y) }
func (l *loop) div(dst, x, y string) { l.op("VDIVPS", " / ", dst, x, y) }

// sqrt sets dst = √x.
func (l *loop) sqrt(dst, x string) {
	l.e.ins("VSQRTPS %s, %s // %s = sqrt(%s)", l.reg(x), l.reg(dst), dst, x)
}
