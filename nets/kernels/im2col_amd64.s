//go:build !noasm

#include "textflag.h"

// The row copies of Im2col and Col2im in AVX-512F (written by hand, see
// im2col_amd64.go for their Go definitions): blocks of rows (one block a
// channel), 16 floats a vector, the last partial vector under a mask;
// strided rows by permutes for steps 2 and 4 (copies) and 2 (additions),
// by gathers and scatters for the others.
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

// PERMUTED sets up the permuting loops of steps 2 and 4 (in place of
// gathers and scatters), for DX the step: R13 the whole vectors of a row
// but the last, K7 the mask of the last one's elements (1 to 16 of them),
// K3, K4, K5, K6 the masks of the four vectors of 16 that its strided
// elements span, AX the blocks again.
#define PERMUTED \
	MOVQ  n+32(FP), CX; \
	DECQ  CX; \
	MOVQ  CX, R13; \
	SHRQ  $4, R13; \
	ANDQ  $15, CX; \
	MOVL  $2, BX; \
	SHLL  CX, BX; \
	DECL  BX; \
	KMOVW BX, K7; \
	IMULQ CX, DX; \
	INCQ  DX; \
	MASKAT(0, K3); \
	MASKAT(16, K4); \
	MASKAT(32, K5); \
	MASKAT(48, K6); \
	MOVQ  blocks+16(FP), AX

// MASKAT sets K to the mask of the first DX - off lanes (0 to 16).
#define MASKAT(off, K) \
	MOVQ    DX, CX; \
	SUBQ    $off, CX; \
	XORL    BX, BX; \
	CMPQ    CX, BX; \
	CMOVQLT BX, CX; \
	MOVL    $16, BX; \
	CMPQ    CX, BX; \
	CMOVQGT BX, CX; \
	MOVL    $1, BX; \
	SHLL    CX, BX; \
	DECL    BX; \
	KMOVW   BX, K

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
	JNE  cstrided

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

// Steps 2 and 4: 2 or 4 vectors of the source row, permuted into one.
cstrided:
	MOVQ step+72(FP), DX
	CMPQ DX, $2
	JEQ  cperm
	CMPQ DX, $4
	JNE  gblock

cperm:
	PERMUTED
	CMPQ step+72(FP), $2
	JNE  p4block

p2block:
	BLOCK(done)

p2row:
	TESTQ R8, R8
	JZ    p2next
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

p2vec:
	TESTQ     CX, CX
	JZ        p2tail
	VMOVUPS   (DX), Z4
	VMOVUPS   64(DX), Z5
	VPERMT2PS Z5, Z1, Z4
	VMOVUPS   Z4, (BX)
	ADDQ      $128, DX
	ADDQ      $64, BX
	DECQ      CX
	JMP       p2vec

p2tail:
	VMOVUPS.Z (DX), K3, Z4
	VMOVUPS.Z 64(DX), K4, Z5
	VPERMT2PS Z5, Z1, Z4
	VMOVUPS   Z4, K7, (BX)
	ADDQ      R10, DI
	ADDQ      R11, SI
	DECQ      R8
	JMP       p2row

p2next:
	NEXT(p2block)

p4block:
	BLOCK(done)

p4row:
	TESTQ R8, R8
	JZ    p4next
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

p4vec:
	TESTQ      CX, CX
	JZ         p4tail
	VMOVUPS    (DX), Z4
	VMOVUPS    64(DX), Z5
	VMOVUPS    128(DX), Z6
	VMOVUPS    192(DX), Z7
	VPERMT2PS  Z5, Z1, Z4
	VPERMT2PS  Z7, Z1, Z6
	VSHUFF32X4 $0x44, Z6, Z4, Z4
	VMOVUPS    Z4, (BX)
	ADDQ       $256, DX
	ADDQ       $64, BX
	DECQ       CX
	JMP        p4vec

p4tail:
	VMOVUPS.Z  (DX), K3, Z4
	VMOVUPS.Z  64(DX), K4, Z5
	VMOVUPS.Z  128(DX), K5, Z6
	VMOVUPS.Z  192(DX), K6, Z7
	VPERMT2PS  Z5, Z1, Z4
	VPERMT2PS  Z7, Z1, Z6
	VSHUFF32X4 $0x44, Z6, Z4, Z4
	VMOVUPS    Z4, K7, (BX)
	ADDQ       R10, DI
	ADDQ       R11, SI
	DECQ       R8
	JMP        p4row

p4next:
	NEXT(p4block)

done:
	VZEROUPPER
	RET

// func addRowsAVX512(dst, src *float32, blocks, rows, n, dstBlock, srcBlock, dstStride, srcStride, step int)
TEXT ·addRowsAVX512(SB), NOSPLIT, $0-80
	SETUP
	JNE  astrided

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

// Step 2: the source vector spread over the even lanes of two vectors of
// the image row by permutes, added and stored under the mask of the even
// lanes (K5 for whole vectors; K3 and K4 cut to the even lanes for the
// last).
astrided:
	CMPQ step+72(FP), $2
	JNE  sblock
	MOVQ $2, DX
	PERMUTED
	MOVL         $0x5555, BX
	KMOVW        BX, K5
	KANDW        K5, K3, K3
	KANDW        K5, K4, K4
	VMOVDQU32    iota32<>(SB), Z10
	VPSRLD       $1, Z10, Z10
	MOVL         $8, BX
	VPBROADCASTD BX, Z11
	VPADDD       Z10, Z11, Z11

e2block:
	BLOCK(adone)

e2row:
	TESTQ R8, R8
	JZ    e2next
	MOVQ  DI, BX
	MOVQ  SI, DX
	MOVQ  R13, CX

e2vec:
	TESTQ   CX, CX
	JZ      e2tail
	VMOVUPS (DX), Z4
	VPERMPS Z4, Z10, Z5
	VPERMPS Z4, Z11, Z6
	VMOVUPS (BX), Z7
	VMOVUPS 64(BX), Z8
	VADDPS  Z5, Z7, K5, Z7
	VADDPS  Z6, Z8, K5, Z8
	VMOVUPS Z7, K5, (BX)
	VMOVUPS Z8, K5, 64(BX)
	ADDQ    $64, DX
	ADDQ    $128, BX
	DECQ    CX
	JMP     e2vec

e2tail:
	VMOVUPS.Z (DX), K7, Z4
	VPERMPS   Z4, Z10, Z5
	VPERMPS   Z4, Z11, Z6
	VMOVUPS.Z (BX), K3, Z7
	VMOVUPS.Z 64(BX), K4, Z8
	VADDPS    Z5, Z7, K3, Z7
	VADDPS    Z6, Z8, K4, Z8
	VMOVUPS   Z7, K3, (BX)
	VMOVUPS   Z8, K4, 64(BX)
	ADDQ      R10, DI
	ADDQ      R11, SI
	DECQ      R8
	JMP       e2row

e2next:
	NEXT(e2block)

adone:
	VZEROUPPER
	RET
