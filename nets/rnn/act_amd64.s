//go:build !noasm

#include "textflag.h"

// The constants of act.go, as float32 bits.
DATA actc<>+0(SB)/4, $0x3fb8aa3b  // log2e
DATA actc<>+4(SB)/4, $0x3f318000  // ln2Hi
DATA actc<>+8(SB)/4, $0xb95e8083  // ln2Lo
DATA actc<>+12(SB)/4, $0x39506967 // expP0
DATA actc<>+16(SB)/4, $0x3ab743ce // expP1
DATA actc<>+20(SB)/4, $0x3c088908 // expP2
DATA actc<>+24(SB)/4, $0x3d2aa9c1 // expP3
DATA actc<>+28(SB)/4, $0x3e2aaaaa // expP4
DATA actc<>+32(SB)/4, $0x3f000000 // expP5
DATA actc<>+36(SB)/4, $0x3f800000 // 1
DATA actc<>+40(SB)/4, $0x80000000 // the sign bit
DATA actc<>+44(SB)/4, $0xc2ac0000 // sigLo = -86
DATA actc<>+48(SB)/4, $0xc1900000 // -2·tanhMax = -18
DATA actc<>+52(SB)/4, $0x40000000 // 2
GLOBL actc<>(SB), RODATA|NOPTR, $56

// CONSTS broadcasts the shared constants: Y4 log2e, Y5 ln2Hi, Y6 ln2Lo,
// Y7..Y12 expP0..expP5, Y13 1, Y15 the sign bit.
#define CONSTS \
	VBROADCASTSS actc<>+0(SB), Y4  \
	VBROADCASTSS actc<>+4(SB), Y5  \
	VBROADCASTSS actc<>+8(SB), Y6  \
	VBROADCASTSS actc<>+12(SB), Y7 \
	VBROADCASTSS actc<>+16(SB), Y8 \
	VBROADCASTSS actc<>+20(SB), Y9 \
	VBROADCASTSS actc<>+24(SB), Y10 \
	VBROADCASTSS actc<>+28(SB), Y11 \
	VBROADCASTSS actc<>+32(SB), Y12 \
	VBROADCASTSS actc<>+36(SB), Y13 \
	VBROADCASTSS actc<>+40(SB), Y15

// EXPM1 takes t <= 0 in Y1 and leaves n·2^23 (as int32) in Y2 and
// q = e^r - 1 in Y3, for t = n·ln2 + r (expm1Parts); it uses Y1.
#define EXPM1 \
	VMULPS       Y4, Y1, Y2  \ // t·log2e
	VROUNDPS     $0, Y2, Y2  \ // n, to nearest even
	VFNMADD231PS Y5, Y2, Y1  \ // r = t - n·ln2Hi
	VFNMADD231PS Y6, Y2, Y1  \ // r -= n·ln2Lo
	VMOVAPS      Y7, Y3      \ // p = P0
	VFMADD213PS  Y8, Y1, Y3  \ // p = p·r + P1
	VFMADD213PS  Y9, Y1, Y3  \
	VFMADD213PS  Y10, Y1, Y3 \
	VFMADD213PS  Y11, Y1, Y3 \
	VFMADD213PS  Y12, Y1, Y3 \ // ... + P5
	VMULPS       Y1, Y3, Y3  \ // p·r
	VFMADD213PS  Y1, Y1, Y3  \ // q = (p·r)·r + r
	VCVTPS2DQ    Y2, Y2      \
	VPSLLD       $23, Y2, Y2   // n in the exponent's place

// func sigmoidsAVX2(x *float32, n int)
TEXT ·sigmoidsAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	CONSTS
	VBROADCASTSS actc<>+44(SB), Y14 // sigLo
	SHRQ $3, CX
	JZ   sigdone

sigloop:
	VMOVUPS   (SI), Y0
	VORPS     Y15, Y0, Y1      // -|x|
	VMAXPS    Y14, Y1, Y1      // t = max(-|x|, sigLo)
	EXPM1
	VADDPS    Y13, Y3, Y3      // 1 + q
	VPADDD    Y2, Y3, Y3       // e = (1 + q)·2^n
	VADDPS    Y13, Y3, Y1      // 1 + e
	VBLENDVPS Y0, Y3, Y13, Y2  // e where x's sign is set, 1 elsewhere
	VDIVPS    Y1, Y2, Y2
	VMOVUPS   Y2, (SI)
	ADDQ      $32, SI
	DECQ      CX
	JNZ       sigloop

sigdone:
	VZEROUPPER
	RET

// func tanhsAVX2(x *float32, n int)
TEXT ·tanhsAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	CONSTS
	VBROADCASTSS actc<>+48(SB), Y14 // -2·tanhMax
	SHRQ $3, CX
	JZ   tanhdone

tanhloop:
	VMOVUPS      (SI), Y0
	VORPS        Y15, Y0, Y1  // -|x|
	VADDPS       Y1, Y1, Y1   // -2|x|
	VMAXPS       Y14, Y1, Y1  // t = max(-2|x|, -2·tanhMax)
	EXPM1
	VPADDD       Y2, Y13, Y2  // s = 2^n
	VSUBPS       Y2, Y13, Y1  // 1 - s
	VFNMADD231PS Y3, Y2, Y1   // nm = (1 - s) - s·q
	VBROADCASTSS actc<>+52(SB), Y2
	VSUBPS       Y1, Y2, Y2   // 2 - nm
	VDIVPS       Y2, Y1, Y1   // tanh|x|
	VANDPS       Y15, Y0, Y0  // x's sign
	VORPS        Y0, Y1, Y1
	VMOVUPS      Y1, (SI)
	ADDQ         $32, SI
	DECQ         CX
	JNZ          tanhloop

tanhdone:
	VZEROUPPER
	RET

// func lstmBackwardAVX2(a, dG, tc, cp, dh, dc, dcPrev *float32, h, n int)
TEXT ·lstmBackwardAVX2(SB), NOSPLIT, $0-72
	MOVQ a+0(FP), SI
	MOVQ dG+8(FP), DI
	MOVQ tc+16(FP), R8
	MOVQ cp+24(FP), R9
	MOVQ dh+32(FP), R10
	MOVQ dc+40(FP), R11
	MOVQ dcPrev+48(FP), R12
	MOVQ h+56(FP), BX
	MOVQ n+64(FP), CX
	SHLQ $2, BX                     // h in bytes
	LEAQ (BX)(BX*2), R13            // 3h in bytes
	VBROADCASTSS actc<>+36(SB), Y15 // 1
	SHRQ $3, CX
	JZ   lbdone

lbloop:
	VMOVUPS (SI), Y0         // i
	VMOVUPS (SI)(BX*1), Y1   // f
	VMOVUPS (SI)(BX*2), Y2   // g
	VMOVUPS (SI)(R13*1), Y3  // o
	VMOVUPS (R8), Y4         // tanh c'
	VMOVUPS (R10), Y5        // dh'
	VMULPS  Y4, Y4, Y6
	VSUBPS  Y6, Y15, Y6      // 1 - tanh²c'
	VMULPS  Y3, Y5, Y7       // dh'·o
	VMULPS  Y6, Y7, Y7
	VADDPS  (R11), Y7, Y7    // dct = dc' + (dh'·o)·(1 - tanh²c')
	VSUBPS  Y3, Y15, Y8
	VMULPS  Y8, Y3, Y8       // o(1-o)
	VMULPS  Y4, Y8, Y8
	VMULPS  Y5, Y8, Y8
	VMOVUPS Y8, (DI)(R13*1)  // dG_o
	VSUBPS  Y0, Y15, Y9
	VMULPS  Y9, Y0, Y9       // i(1-i)
	VMULPS  Y2, Y9, Y9
	VMULPS  Y7, Y9, Y9
	VMOVUPS Y9, (DI)         // dG_i
	VSUBPS  Y1, Y15, Y10
	VMULPS  Y10, Y1, Y10     // f(1-f)
	VMULPS  (R9), Y10, Y10
	VMULPS  Y7, Y10, Y10
	VMOVUPS Y10, (DI)(BX*1)  // dG_f
	VMULPS  Y2, Y2, Y11
	VSUBPS  Y11, Y15, Y11    // 1 - g²
	VMULPS  Y0, Y11, Y11
	VMULPS  Y7, Y11, Y11
	VMOVUPS Y11, (DI)(BX*2)  // dG_g
	TESTQ   R12, R12
	JZ      lbnext
	VMULPS  Y1, Y7, Y12      // dct·f
	VADDPS  (R12), Y12, Y12
	VMOVUPS Y12, (R12)
	ADDQ    $32, R12

lbnext:
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ  lbloop

lbdone:
	VZEROUPPER
	RET

// func addAVX2(dst, x *float32, n int)
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   adddone

addloop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     addloop

adddone:
	VZEROUPPER
	RET

// func lstmCellAVX2(c, a, cp *float32, h, n int)
TEXT ·lstmCellAVX2(SB), NOSPLIT, $0-40
	MOVQ c+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ cp+16(FP), R8
	MOVQ h+24(FP), BX
	MOVQ n+32(FP), CX
	SHLQ $2, BX
	SHRQ $3, CX
	JZ   celldone

cellloop:
	VMOVUPS (SI)(BX*1), Y0  // f
	VMULPS  (R8), Y0, Y0    // f·c
	VMOVUPS (SI), Y1        // i
	VMULPS  (SI)(BX*2), Y1, Y1 // i·g
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	DECQ    CX
	JNZ     cellloop

celldone:
	VZEROUPPER
	RET

// func mulAVX2(dst, x, y *float32, n int)
TEXT ·mulAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), R8
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   muldone

mulloop:
	VMOVUPS (SI), Y0
	VMULPS  (R8), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	DECQ    CX
	JNZ     mulloop

muldone:
	VZEROUPPER
	RET
