//go:build !noasm

#include "textflag.h"

// Max pooling over 2x2 windows in AVX-512F (written by hand, see pool.go
// for the Go loops they match and pool_amd64.go): 16 outputs a step, from
// two vectors of each input row, the last partial step under masks (the
// loads zero the lanes they skip, the stores leave them). Floats are
// compared as order keys (poolKey): the bits with the magnitude flipped
// under a minus sign, every NaN 0x7fffffff.

DATA poolEvens<>+0(SB)/4, $0
DATA poolEvens<>+4(SB)/4, $2
DATA poolEvens<>+8(SB)/4, $4
DATA poolEvens<>+12(SB)/4, $6
DATA poolEvens<>+16(SB)/4, $8
DATA poolEvens<>+20(SB)/4, $10
DATA poolEvens<>+24(SB)/4, $12
DATA poolEvens<>+28(SB)/4, $14
DATA poolEvens<>+32(SB)/4, $16
DATA poolEvens<>+36(SB)/4, $18
DATA poolEvens<>+40(SB)/4, $20
DATA poolEvens<>+44(SB)/4, $22
DATA poolEvens<>+48(SB)/4, $24
DATA poolEvens<>+52(SB)/4, $26
DATA poolEvens<>+56(SB)/4, $28
DATA poolEvens<>+60(SB)/4, $30
GLOBL poolEvens<>(SB), RODATA|NOPTR, $64

DATA poolPairsLo<>+0(SB)/4, $0
DATA poolPairsLo<>+4(SB)/4, $0
DATA poolPairsLo<>+8(SB)/4, $1
DATA poolPairsLo<>+12(SB)/4, $1
DATA poolPairsLo<>+16(SB)/4, $2
DATA poolPairsLo<>+20(SB)/4, $2
DATA poolPairsLo<>+24(SB)/4, $3
DATA poolPairsLo<>+28(SB)/4, $3
DATA poolPairsLo<>+32(SB)/4, $4
DATA poolPairsLo<>+36(SB)/4, $4
DATA poolPairsLo<>+40(SB)/4, $5
DATA poolPairsLo<>+44(SB)/4, $5
DATA poolPairsLo<>+48(SB)/4, $6
DATA poolPairsLo<>+52(SB)/4, $6
DATA poolPairsLo<>+56(SB)/4, $7
DATA poolPairsLo<>+60(SB)/4, $7
GLOBL poolPairsLo<>(SB), RODATA|NOPTR, $64

DATA poolPairsHi<>+0(SB)/4, $8
DATA poolPairsHi<>+4(SB)/4, $8
DATA poolPairsHi<>+8(SB)/4, $9
DATA poolPairsHi<>+12(SB)/4, $9
DATA poolPairsHi<>+16(SB)/4, $10
DATA poolPairsHi<>+20(SB)/4, $10
DATA poolPairsHi<>+24(SB)/4, $11
DATA poolPairsHi<>+28(SB)/4, $11
DATA poolPairsHi<>+32(SB)/4, $12
DATA poolPairsHi<>+36(SB)/4, $12
DATA poolPairsHi<>+40(SB)/4, $13
DATA poolPairsHi<>+44(SB)/4, $13
DATA poolPairsHi<>+48(SB)/4, $14
DATA poolPairsHi<>+52(SB)/4, $14
DATA poolPairsHi<>+56(SB)/4, $15
DATA poolPairsHi<>+60(SB)/4, $15
GLOBL poolPairsHi<>(SB), RODATA|NOPTR, $64

// KEY sets dst to the order keys of the floats in src, tmp clobbered and
// K3 with it; Z31 holds 0x7fffffff in every lane.
#define KEY(src, dst, tmp) \
	VPSRAD $31, src, tmp; \
	VPANDD Z31, tmp, tmp; \
	VPXORD tmp, src, dst; \
	VCMPPS $3, src, src, K3; \
	VMOVDQA32 Z31, K3, dst

// MASKS sets R11 to the outputs of this step, min(R9, 16), K1 to their
// mask and K4 and K5 to the masks of the 2·R11 input lanes in the low and
// high vectors of a row; AX and CX clobbered.
#define MASKS \
	MOVQ $16, CX; \
	CMPQ R9, CX; \
	CMOVQLT R9, CX; \
	MOVQ CX, R11; \
	MOVQ $1, AX; \
	SHLQ CX, AX; \
	DECQ AX; \
	KMOVW AX, K1; \
	SHLQ $1, CX; \
	MOVQ $1, AX; \
	SHLQ CX, AX; \
	DECQ AX; \
	KMOVW AX, K4; \
	SHRQ $16, AX; \
	KMOVW AX, K5

// func maxPoolAVX512(y, x *float32, rows, w, n int)
//
// DI y, SI the current top row, R10 the bytes of a row, R8 the rows left,
// R9 the outputs left in the row, DX the step's top input (the bottom one
// R10 further). Z0..Z3 the top and bottom rows' low and high vectors,
// Z4..Z7 their keys; Z30 the even lanes' indices.
TEXT ·maxPoolAVX512(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ w+24(FP), R10
	SHLQ $2, R10
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z31
	VMOVDQU32 poolEvens<>(SB), Z30

maxRow:
	MOVQ SI, DX
	MOVQ n+32(FP), R9

maxStep:
	MASKS
	VMOVDQU32.Z (DX), K4, Z0
	VMOVDQU32.Z 64(DX), K5, Z1
	VMOVDQU32.Z (DX)(R10*1), K4, Z2
	VMOVDQU32.Z 64(DX)(R10*1), K5, Z3
	KEY(Z0, Z4, Z8)
	KEY(Z1, Z5, Z8)
	KEY(Z2, Z6, Z8)
	KEY(Z3, Z7, Z8)
	VPMAXSD Z6, Z4, Z4       // columnwise maxima
	VPMAXSD Z7, Z5, Z5
	VPSHUFD $0xb1, Z4, Z8    // swap each pair of lanes
	VPSHUFD $0xb1, Z5, Z9
	VPMAXSD Z8, Z4, Z4       // each window's maximum, twice
	VPMAXSD Z9, Z5, Z5
	VPERMT2D Z5, Z30, Z4     // once: the even lanes of Z4:Z5
	VPSRAD $31, Z4, Z8       // back from keys to floats
	VPANDD Z31, Z8, Z8
	VPXORD Z8, Z4, Z4
	VMOVDQU32 Z4, K1, (DI)
	LEAQ (DI)(R11*4), DI
	ADDQ $128, DX
	SUBQ R11, R9
	JNZ maxStep

	LEAQ (SI)(R10*2), SI
	DECQ R8
	JNZ maxRow
	VZEROUPPER
	RET

// SELECT sets K2 to the lanes of keys k (swapped pairs in s) that are the
// first maximum of their pair: even lanes k >= s, odd lanes k > s
// (K6 and K7 hold the even and odd lanes); K3 clobbered.
#define SELECT(k, s) \
	VPCMPD $5, s, k, K6, K2; \
	VPCMPD $6, s, k, K7, K3; \
	KORW K3, K2, K2

// func maxPoolBackwardAVX512(dx, x, dy *float32, rows, w, n int)
//
// DI dx's and SI x's current top rows, R8 dy, R10 the bytes of a row, R12
// the rows left, R9 the outputs left in the row, DX the step's top input
// and R13 its dx (the bottom ones R10 further). Z20 and Z21 the step's dy
// spread over the low and high vectors' pairs of lanes; Z12..Z15 each
// pair's row maxima; Z16, Z17, Z22 and Z23 the four vectors of dx.
TEXT ·maxPoolBackwardAVX512(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), R8
	MOVQ rows+24(FP), R12
	MOVQ w+32(FP), R10
	SHLQ $2, R10
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z31
	VMOVDQU32 poolPairsLo<>(SB), Z28
	VMOVDQU32 poolPairsHi<>(SB), Z29
	MOVL $0x5555, AX
	KMOVW AX, K6
	MOVL $0xaaaa, AX
	KMOVW AX, K7

backRow:
	MOVQ SI, DX
	MOVQ DI, R13
	MOVQ n+40(FP), R9

backStep:
	MASKS
	VMOVDQU32.Z (DX), K4, Z0
	VMOVDQU32.Z 64(DX), K5, Z1
	VMOVDQU32.Z (DX)(R10*1), K4, Z2
	VMOVDQU32.Z 64(DX)(R10*1), K5, Z3
	KEY(Z0, Z4, Z8)
	KEY(Z1, Z5, Z8)
	KEY(Z2, Z6, Z8)
	KEY(Z3, Z7, Z8)
	VPSHUFD $0xb1, Z4, Z8
	VPSHUFD $0xb1, Z5, Z9
	VPSHUFD $0xb1, Z6, Z10
	VPSHUFD $0xb1, Z7, Z11
	VPMAXSD Z8, Z4, Z12
	VPMAXSD Z9, Z5, Z13
	VPMAXSD Z10, Z6, Z14
	VPMAXSD Z11, Z7, Z15
	VMOVUPS.Z (R8), K1, Z18
	VPERMPS Z18, Z28, Z20
	VPERMPS Z18, Z29, Z21

	// Every vector of dx loaded before any is stored: a masked store
	// blocks the later loads that its whole vector's width overlaps (a
	// short row's last vector reaches into the next row).
	VMOVUPS.Z (R13), K4, Z16
	VMOVUPS.Z 64(R13), K5, Z17
	VMOVUPS.Z (R13)(R10*1), K4, Z22
	VMOVUPS.Z 64(R13)(R10*1), K5, Z23

	// Top row, low vector: its pair's first maximum, not below the bottom pair's.
	SELECT(Z4, Z8)
	VPCMPD $5, Z14, Z12, K2, K2
	VADDPS Z20, Z16, K2, Z16
	// Top row, high vector.
	SELECT(Z5, Z9)
	VPCMPD $5, Z15, Z13, K2, K2
	VADDPS Z21, Z17, K2, Z17
	// Bottom row, low vector: its pair's first maximum, above the top pair's.
	SELECT(Z6, Z10)
	VPCMPD $6, Z12, Z14, K2, K2
	VADDPS Z20, Z22, K2, Z22
	// Bottom row, high vector.
	SELECT(Z7, Z11)
	VPCMPD $6, Z13, Z15, K2, K2
	VADDPS Z21, Z23, K2, Z23
	VMOVUPS Z16, K4, (R13)
	VMOVUPS Z17, K5, 64(R13)
	VMOVUPS Z22, K4, (R13)(R10*1)
	VMOVUPS Z23, K5, 64(R13)(R10*1)

	LEAQ (R8)(R11*4), R8
	ADDQ $128, DX
	ADDQ $128, R13
	SUBQ R11, R9
	JNZ backStep

	LEAQ (SI)(R10*2), SI
	LEAQ (DI)(R10*2), DI
	DECQ R12
	JNZ backRow
	VZEROUPPER
	RET
