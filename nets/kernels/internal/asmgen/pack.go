package main

import "fmt"

// packHeader documents the AVX-512 packing routines.
var packHeader = []string{
	"copyPanelAVX512(dst, dstW, src, ld, w, kc, alpha) copies kc rows of w <= 32 floats",
	"(ld apart) into rows of dstW <= 32 floats, scaled by alpha, zero in columns w..dstW-1:",
	"  K1, K2  load masks of lanes 0..15 and 16..31 (w)     K3, K4  store masks (dstW)",
	"  SI src row   DI dst row   DX ld in bytes   R10 dstW in bytes   CX rows left",
	"  Z0, Z1 the row   Z31 alpha",
	"",
	"interleaveAVX512(dst, dstW, lanes, src, ld, rows, kc, alpha) transposes rows <= 16",
	"rows of kc floats (ld apart) into kc rows of dstW floats, of which it writes the",
	"first lanes <= 16: dst[p*dstW+r] = alpha*src[r*ld+p], zero for rows <= r < lanes.",
	"It works on 16 x 16 blocks, 16 k steps at a time:",
	"  load rows 0..rows-1 into Z0..Z15 (masked to the k steps left), zero the others",
	"  transpose in four rounds of 16 shuffles, between Z0..Z15 and Z16..Z31:",
	"    VUNPCKLPS/HPS pairs of rows, VUNPCKLPD/HPD pairs of those (4 x 4 blocks in each",
	"    128-bit lane), then two rounds of VSHUFF32X4 that transpose the 4 x 4 grid of",
	"    128-bit blocks; Z(c) ends up holding k step c of rows 0..15",
	"  store Z(c) for each k step c of the block under the lane mask",
	"  K1 load mask (k steps of the block)   K2 store mask (lanes)",
	"  SI src block   R11 src row   DI dst row   DX ld in bytes   R8 dstW in bytes",
	"  R9 rows   R10 k steps left   BX k steps of this block",
	"",
	fmt.Sprintf("dotsNx%dAVX512(k, a, b, out), N = 1..%d, computes the N x %d dot products", dotCols, dotRows, dotCols),
	fmt.Sprintf("out[i*%d+j] = sum_p a[i][p] * b[j][p] of rows a[i] and b[j] of k floats:", dotCols),
	"  Z(i*6+j) accumulates 16 lanes of dot product (i, j); Z24.. rows of A; Z28 a row of B",
	"  R8..R11 rows of A   AX, BX, DX, SI, DI, R12 rows of B   R13 offset   CX chunks left",
	"  loop k/16 times: load 16 floats of each row of A, then of each row of B and FMA",
	"  it with every row of A; then once more under the mask K1 for the k%16 left",
	"  reduce each accumulator: add its 256-bit halves (VSHUFF64X2), 128-bit halves,",
	"  64-bit halves and 32-bit halves (VPERMILPS); store lane 0 to out",
}

// The dot-product kernels' tile: up to dotRows rows of A against dotCols
// rows of B, dotRows*dotCols accumulators.
const dotRows, dotCols = 4, 6

// masks emits K = the mask of lanes [0, min(n, 16)) and K' = that of
// lanes [16, n), for n in register reg (clobbers AX, BX, CX).
func masks(e emitter, reg, lo, hi string) {
	e.ins("MOVQ %s, CX", reg)
	e.ins("MOVL $0xffff, BX")
	e.ins("BZHIL CX, BX, AX")
	e.ins("KMOVW AX, %s", lo)
	e.ins("SUBQ $16, CX")
	e.ins("XORL AX, AX")
	e.ins("CMPQ CX, $0")
	e.ins("CMOVQLT AX, CX")
	e.ins("BZHIL CX, BX, AX")
	e.ins("KMOVW AX, %s", hi)
}

func copyPanel(e emitter) {
	e.line("// func copyPanelAVX512(dst *float32, dstW int, src *float32, ld, w, kc int, alpha float32)")
	e.line("TEXT ·copyPanelAVX512(SB), NOSPLIT, $0-52")
	e.ins("MOVQ w+32(FP), R9")
	masks(e, "R9", "K1", "K2")
	e.ins("MOVQ dstW+8(FP), R10")
	masks(e, "R10", "K3", "K4")
	e.ins("SHLQ $2, R10")
	e.ins("MOVQ dst+0(FP), DI")
	e.ins("MOVQ src+16(FP), SI")
	e.ins("MOVQ ld+24(FP), DX")
	e.ins("SHLQ $2, DX")
	e.ins("MOVQ kc+40(FP), CX")
	e.ins("VBROADCASTSS alpha+48(FP), Z31")
	e.label("copyloop")
	e.ins("VMOVUPS.Z (SI), K1, Z0")
	e.ins("VMOVUPS.Z 64(SI), K2, Z1")
	e.ins("VMULPS.Z Z31, Z0, K1, Z0") // +0, not alpha*0, in the padding
	e.ins("VMULPS.Z Z31, Z1, K2, Z1")
	e.ins("VMOVUPS Z0, K3, (DI)")
	e.ins("VMOVUPS Z1, K4, 64(DI)")
	e.ins("ADDQ DX, SI")
	e.ins("ADDQ R10, DI")
	e.ins("DECQ CX")
	e.ins("JNZ copyloop")
	e.ins("VZEROUPPER")
	e.ins("RET")
}

func z(i int) string { return fmt.Sprintf("Z%d", i) }

func interleave(e emitter) {
	e.line("// func interleaveAVX512(dst *float32, dstW, lanes int, src *float32, ld, rows, kc int, alpha float32)")
	e.line("TEXT ·interleaveAVX512(SB), NOSPLIT, $0-60")
	e.ins("MOVQ lanes+16(FP), CX")
	e.ins("MOVL $0xffff, BX")
	e.ins("BZHIL CX, BX, AX")
	e.ins("KMOVW AX, K2")
	e.ins("MOVQ dst+0(FP), DI")
	e.ins("MOVQ dstW+8(FP), R8")
	e.ins("SHLQ $2, R8")
	e.ins("MOVQ src+24(FP), SI")
	e.ins("MOVQ ld+32(FP), DX")
	e.ins("SHLQ $2, DX")
	e.ins("MOVQ rows+40(FP), R9")
	e.ins("MOVQ kc+48(FP), R10")
	e.label("block")
	e.ins("MOVQ $16, BX")
	e.ins("CMPQ R10, BX")
	e.ins("CMOVQLT R10, BX")
	e.ins("MOVQ BX, CX")
	e.ins("MOVL $0xffff, AX")
	e.ins("BZHIL CX, AX, AX")
	e.ins("KMOVW AX, K1")
	e.ins("MOVQ SI, R11")
	for r := 0; r < 16; r++ {
		e.ins("CMPQ R9, $%d", r)
		e.ins("JLE zero%d", r)
		e.ins("VMOVUPS.Z (R11), K1, %s", z(r))
		e.ins("VMULPS.BCST alpha+56(FP), %s, %s", z(r), z(r))
		if r < 15 {
			e.ins("ADDQ DX, R11")
		}
	}
	e.ins("JMP transpose")
	for r := 0; r < 16; r++ {
		e.label(fmt.Sprintf("zero%d", r))
		e.ins("VPXORD %s, %s, %s", z(r), z(r), z(r))
	}
	e.label("transpose")
	// rows R in Z0..Z15; T in Z16..Z31; U in Z0..Z15; X in Z16..Z31; O in Z0..Z15
	for i := 0; i < 8; i++ {
		e.ins("VUNPCKLPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i))
		e.ins("VUNPCKHPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i+1))
	}
	for g := 0; g < 4; g++ {
		t := func(i int) string { return z(16 + 4*g + i) }
		e.ins("VUNPCKLPD %s, %s, %s", t(2), t(0), z(4*g))
		e.ins("VUNPCKHPD %s, %s, %s", t(2), t(0), z(4*g+1))
		e.ins("VUNPCKLPD %s, %s, %s", t(3), t(1), z(4*g+2))
		e.ins("VUNPCKHPD %s, %s, %s", t(3), t(1), z(4*g+3))
	}
	for j := 0; j < 4; j++ {
		x := func(q int) string { return z(16 + 4*j + q) }
		e.ins("VSHUFF32X4 $0x44, %s, %s, %s", z(4+j), z(j), x(0))
		e.ins("VSHUFF32X4 $0xee, %s, %s, %s", z(4+j), z(j), x(1))
		e.ins("VSHUFF32X4 $0x44, %s, %s, %s", z(12+j), z(8+j), x(2))
		e.ins("VSHUFF32X4 $0xee, %s, %s, %s", z(12+j), z(8+j), x(3))
	}
	for j := 0; j < 4; j++ {
		x := func(q int) string { return z(16 + 4*j + q) }
		e.ins("VSHUFF32X4 $0x88, %s, %s, %s", x(2), x(0), z(j))
		e.ins("VSHUFF32X4 $0xdd, %s, %s, %s", x(2), x(0), z(4+j))
		e.ins("VSHUFF32X4 $0x88, %s, %s, %s", x(3), x(1), z(8+j))
		e.ins("VSHUFF32X4 $0xdd, %s, %s, %s", x(3), x(1), z(12+j))
	}
	for c := 0; c < 16; c++ {
		e.ins("VMOVUPS %s, K2, (DI)", z(c))
		e.ins("ADDQ R8, DI")
		if c < 15 {
			e.ins("CMPQ BX, $%d", c+1)
			e.ins("JEQ next")
		}
	}
	e.label("next")
	e.ins("ADDQ $64, SI")
	e.ins("SUBQ BX, R10")
	e.ins("JNZ block")
	e.ins("VZEROUPPER")
	e.ins("RET")
}

func dots(e emitter, rows int) {
	name := fmt.Sprintf("dots%dx%dAVX512", rows, dotCols)
	aRegs := []string{"R8", "R9", "R10", "R11"}
	bRegs := []string{"AX", "BX", "DX", "SI", "DI", "R12"}
	acc := func(i, j int) string { return z(i*dotCols + j) }
	e.line(fmt.Sprintf("// func %s(k int, a *[%d]*float32, b *[%d]*float32, out *[%d]float32)", name, dotRows, dotCols, dotRows*dotCols))
	e.line(fmt.Sprintf("TEXT ·%s(SB), NOSPLIT, $0-32", name))
	e.ins("MOVQ a+8(FP), CX")
	for i := 0; i < rows; i++ {
		e.ins("MOVQ %d(CX), %s", 8*i, aRegs[i])
	}
	e.ins("MOVQ b+16(FP), CX")
	for j := 0; j < dotCols; j++ {
		e.ins("MOVQ %d(CX), %s", 8*j, bRegs[j])
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < dotCols; j++ {
			e.ins("VPXORD %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
		}
	}
	e.ins("XORQ R13, R13")
	e.ins("MOVQ k+0(FP), CX")
	e.ins("SHRQ $4, CX")
	e.ins("JZ tail")
	step := func(mask string) {
		for i := 0; i < rows; i++ {
			e.ins("VMOVUPS%s (%s)(R13*1), %s%s", mask, aRegs[i], mask2(mask), z(24+i))
		}
		for j := 0; j < dotCols; j++ {
			e.ins("VMOVUPS%s (%s)(R13*1), %sZ28", mask, bRegs[j], mask2(mask))
			for i := 0; i < rows; i++ {
				e.ins("VFMADD231PS Z28, %s, %s", z(24+i), acc(i, j))
			}
		}
	}
	e.label("loop")
	step("")
	e.ins("ADDQ $64, R13")
	e.ins("DECQ CX")
	e.ins("JNZ loop")
	e.label("tail")
	e.ins("MOVQ k+0(FP), CX")
	e.ins("ANDQ $15, CX")
	e.ins("JZ reduce")
	e.ins("MOVL $1, AX")
	e.ins("SHLL CX, AX")
	e.ins("DECL AX")
	e.ins("KMOVW AX, K1")
	e.ins("MOVQ b+16(FP), CX") // AX held b[0]
	e.ins("MOVQ 0(CX), AX")
	step(".Z")
	e.label("reduce")
	e.ins("MOVQ out+24(FP), CX")
	for i := 0; i < rows; i++ {
		for j := 0; j < dotCols; j++ {
			r := acc(i, j)
			e.ins("VSHUFF64X2 $0x4e, %s, %s, Z30", r, r)
			e.ins("VADDPS Z30, %s, %s", r, r)
			e.ins("VSHUFF64X2 $0xb1, %s, %s, Z30", r, r)
			e.ins("VADDPS Z30, %s, %s", r, r)
			e.ins("VPERMILPS $0x4e, %s, Z30", r)
			e.ins("VADDPS Z30, %s, %s", r, r)
			e.ins("VPERMILPS $0xb1, %s, Z30", r)
			e.ins("VADDPS Z30, %s, %s", r, r)
			e.ins("VMOVSS X%d, %d(CX)", i*dotCols+j, 4*(i*dotCols+j))
		}
	}
	e.ins("VZEROUPPER")
	e.ins("RET")
}

// mask2 is the mask operand of a masked load, "" for an unmasked one.
func mask2(mask string) string {
	if mask == "" {
		return ""
	}
	return "K1, "
}
