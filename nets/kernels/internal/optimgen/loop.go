package main

import (
	"fmt"
	"slices"
)

// loop emits one loop's body: vector operations on named values. A name
// is one of the kernel's scalars (broadcast before the loops) or a value
// of the loops, which keeps one register in every loop of the function.
//
// The fast way (slow false) computes in float32 vectors. The slow way
// computes half a vector at offset BX: its values are float32
// in the registers' low halves; products, quotients and roots are made in
// float64 (in the temporaries) and rounded to float32.
type loop struct {
	s     isa
	k     kernel
	e     emitter
	names *[]string // the loops' values, in order of first use
	reads []string  // the arrays the loop reads, in order
	lay   layout
	slow  bool
}

// num returns the register number of the scalar or value v.
func (l *loop) num(v string) int {
	if i := slices.Index(l.k.scalars, v); i >= 0 {
		return i
	}
	i := slices.Index(*l.names, v)
	if i < 0 {
		*l.names = append(*l.names, v)
		i = len(*l.names) - 1
	}
	return l.lay.values + i
}

// reg returns the register of v: the whole vector, or its low half on the
// slow way.
func (l *loop) reg(v string) string {
	if l.slow {
		return fmt.Sprintf("%s%d", l.s.half, l.num(v))
	}
	return fmt.Sprintf("%s%d", l.s.reg, l.num(v))
}

// wide returns a register holding v in float64 on the slow way: a scalar
// converted once (AVX-512) or into temporary w, a value into temporary w.
func (l *loop) wide(v string, w int) string {
	if i := slices.Index(l.k.scalars, v); i >= 0 && l.s.avx512() {
		return fmt.Sprintf("Z%d", l.lay.wide+i)
	}
	r := fmt.Sprintf("%s%d", l.s.reg, w)
	l.e.ins("VCVTPS2PD %s, %s", l.reg(v), r)
	return r
}

// addr returns the address of the current vector, or half vector, of
// array a.
func (l *loop) addr(a string) string {
	if l.slow {
		return addr(l.k, a, "BX")
	}
	return addr(l.k, a, "AX")
}

// load sets v to the current vector of array a.
func (l *loop) load(v, a string) {
	if !slices.Contains(l.reads, a) {
		l.reads = append(l.reads, a)
	}
	l.e.ins("VMOVUPS %s, %s // %s = %s[j]", l.addr(a), l.reg(v), v, a)
}

// store writes v to the current vector of array a.
func (l *loop) store(a, v string) {
	l.e.ins("VMOVUPS %s, %s // %s[j] = %s", l.reg(v), l.addr(a), a, v)
}

// exact sets dst = x sym y with the float32 instruction ins (Go
// assembly's operand order: the second source first); sums need no
// assist, so the slow way makes them in float32 too.
func (l *loop) exact(ins, sym, dst, x, y string) {
	l.e.ins("%s %s, %s, %s // %s = %s%s%s", ins, l.reg(y), l.reg(x), l.reg(dst), dst, x, sym, y)
}

// rounded sets dst = x sym y with the float32 instruction ins, or on the
// slow way with its float64 twin ins64 and a rounding to float32.
func (l *loop) rounded(ins, ins64, sym, dst, x, y string) {
	if !l.slow {
		l.exact(ins, sym, dst, x, y)
		return
	}
	wx, wy := l.wide(x, l.lay.w1), l.wide(y, l.lay.w2)
	w := fmt.Sprintf("%s%d", l.s.reg, l.lay.w1)
	l.e.ins("%s %s, %s, %s", ins64, wy, wx, w)
	l.e.ins("%s %s, %s // %s = %s%s%s", l.s.narrow, w, l.reg(dst), dst, x, sym, y)
}

// average updates a running average kept in memory at a, through the
// register of v: v ← beta·v + c·g, or beta·v + (c·g)·g when squared (a
// mean of squares), then stores v back.
func (l *loop) average(v, a, beta, c string, squared bool) {
	l.load(v, a)
	l.mul(v, beta, v)
	l.mul("t", c, "g")
	if squared {
		l.mul("t", "t", "g")
	}
	l.add(v, v, "t")
	l.store(a, v)
}

func (l *loop) mul(dst, x, y string) { l.rounded("VMULPS", "VMULPD", "*", dst, x, y) }
func (l *loop) div(dst, x, y string) { l.rounded("VDIVPS", "VDIVPD", " / ", dst, x, y) }
func (l *loop) add(dst, x, y string) { l.exact("VADDPS", " + ", dst, x, y) }
func (l *loop) sub(dst, x, y string) { l.exact("VSUBPS", " - ", dst, x, y) }

// sqrt sets dst = √x.
func (l *loop) sqrt(dst, x string) {
	if !l.slow {
		l.e.ins("VSQRTPS %s, %s // %s = sqrt(%s)", l.reg(x), l.reg(dst), dst, x)
		return
	}
	w := fmt.Sprintf("%s%d", l.s.reg, l.lay.w1)
	l.e.ins("VSQRTPD %s, %s", l.wide(x, l.lay.w1), w)
	l.e.ins("%s %s, %s // %s = sqrt(%s)", l.s.narrow, w, l.reg(dst), dst, x)
}
