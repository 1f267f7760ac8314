//go:build !noasm

#include "textflag.h"

// The row copies of Im2col and Col2im in AVX-512F (written by hand, see
// im2col_amd64.go for their Go definitions): blocks of rows (one block a
// channel), 16 floats a vector, the last partial vector under a mask;
// strided rows by gathers and scatters.
// Masked loads zero the lanes they skip (.Z) and gathers start from a
// cleared register, so that no row waits for the previous row's result.

DATA iota32<>+0(SB)/8, $0x0000000100000000
DATA iota32<>+8(SB)/8, $0x0000000300000002
DATA iota32<>+16(SB)/8, $0x0000000500000004
DATA iota32<>+24(SB)/8, $0x0000000700000006
DATA iota32<>+32(SB)/8, $0x0000000900000008
DATA iota32<>+40(SB)/8, $0x0000000b0000000a
DATA iota32<>+48(SB)/8, $0x0000000d0000000c
DATA iota32<>+56(SB)/8, $0x0000000f0000000e
GLOBL iota32<>(SB), RODATA|NOPTR, $64

// setup loads the arguments common to both routines: R9 dst, R12 src (the
// current block's), AX the blocks, R10 and R11 the row strides in bytes,
// R13 the whole vectors of a row, K2 the mask of the last partial one, Z1
// the element offsets j*step of a vector, R14 the bytes a strided vector
// spans; and sets the flags by step == 1. A block's rows then go with DI
// and SI, R8 counting them.
#define SETUP \
	MOVQ n+32(FP), R9; \
	MOVQ dstStride+56(FP), R10; \
	MOVQ srcStride+64(FP), R11; \
	MOVQ step+72(FP), R12; \
	SHLQ $2, R10; \
	SHLQ $2, R11; \
	MOVQ R9, CX; \
	ANDQ $15, CX; \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K2; \
	MOVQ R9, R13; \
	SHRQ $4, R13; \
	VPBROADCASTD R12, Z3; \
	VPMULLD iota32<>(SB), Z3, Z1; \
	MOVQ R12, R14; \
	SHLQ $6, R14; \
	MOVQ blocks+16(FP), AX; \
	MOVQ dst+0(FP), R9; \
	CMPQ R12, $1; \
	MOVQ src+8(FP), R12

// BLOCK starts the current block's rows, or jumps to done after the last
// block.
#define BLOCK(done) \
	TESTQ AX, AX; \
	JZ    done; \
	MOVQ  R9, DI; \
	MOVQ  R12, SI; \
	MOVQ  rows+24(FP), R8

// NEXT moves R9 and R12 on to the next block and goes back to label start.
#define NEXT(start) \
	MOVQ dstBlock+40(FP), CX; \
	LEAQ (R9)(CX*4), R9; \
	MOVQ srcBlock+48(FP), CX; \
	LEAQ (R12)(CX*4), R12; \
	DECQ AX; \
	JMP  start

// func copyRowsAVX512(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int)
TEXT ·copyRowsAVX512(SB), NOSPLIT, $0-80
	SETUP
	JNE  gblock

cblock:
	BLOCK(done)

crow:
	TESTQ R8, R8
	JZ    cnext
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

cvec:
	TESTQ   CX, CX
	JZ      ctail
	VMOVUPS (DX), Z0
	VMOVUPS Z0, (BX)
	ADDQ    $64, DX
	ADDQ    $64, BX
	DECQ    CX
	JMP     cvec

ctail:
	VMOVUPS.Z (DX), K2, Z0
	VMOVUPS   Z0, K2, (BX)
	ADDQ    R10, DI
	ADDQ    R11, SI
	DECQ    R8
	JMP     crow

cnext:
	NEXT(cblock)

gblock:
	BLOCK(done)

grow:
	TESTQ R8, R8
	JZ    gnext
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

gvec:
	TESTQ      CX, CX
	JZ         gtail
	KXNORW     K1, K1, K1
	VPXORD     Z0, Z0, Z0
	VGATHERDPS (DX)(Z1*4), K1, Z0
	VMOVUPS    Z0, (BX)
	ADDQ       R14, DX
	ADDQ       $64, BX
	DECQ       CX
	JMP        gvec

gtail:
	KMOVW      K2, K1
	VPXORD     Z0, Z0, Z0
	VGATHERDPS (DX)(Z1*4), K1, Z0
	VMOVUPS    Z0, K2, (BX)
	ADDQ       R10, DI
	ADDQ       R11, SI
	DECQ       R8
	JMP        grow

gnext:
	NEXT(gblock)

done:
	VZEROUPPER
	RET

// func addRowsAVX512(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int)
TEXT ·addRowsAVX512(SB), NOSPLIT, $0-80
	SETUP
	JNE  sblock

ablock:
	BLOCK(adone)

arow:
	TESTQ R8, R8
	JZ    anext
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

avec:
	TESTQ   CX, CX
	JZ      atail
	VMOVUPS (BX), Z0
	VADDPS  (DX), Z0, Z0
	VMOVUPS Z0, (BX)
	ADDQ    $64, DX
	ADDQ    $64, BX
	DECQ    CX
	JMP     avec

atail:
	VMOVUPS.Z (BX), K2, Z0
	VMOVUPS.Z (DX), K2, Z4
	VADDPS    Z4, Z0, Z0
	VMOVUPS Z0, K2, (BX)
	ADDQ    R10, DI
	ADDQ    R11, SI
	DECQ    R8
	JMP     arow

anext:
	NEXT(ablock)

sblock:
	BLOCK(adone)

srow:
	TESTQ R8, R8
	JZ    snext
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

svec:
	TESTQ       CX, CX
	JZ          stail
	KXNORW      K1, K1, K1
	VPXORD      Z0, Z0, Z0
	VGATHERDPS  (BX)(Z1*4), K1, Z0
	VADDPS      (DX), Z0, Z0
	KXNORW      K1, K1, K1
	VSCATTERDPS Z0, K1, (BX)(Z1*4)
	ADDQ        $64, DX
	ADDQ        R14, BX
	DECQ        CX
	JMP         svec

stail:
	KMOVW       K2, K1
	VPXORD      Z0, Z0, Z0
	VGATHERDPS  (BX)(Z1*4), K1, Z0
	VMOVUPS.Z   (DX), K2, Z4
	VADDPS      Z4, Z0, Z0
	KMOVW       K2, K1
	VSCATTERDPS Z0, K1, (BX)(Z1*4)
	ADDQ        R10, DI
	ADDQ        R11, SI
	DECQ        R8
	JMP         srow

snext:
	NEXT(sblock)

adone:
	VZEROUPPER
	RET
