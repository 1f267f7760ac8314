//go:build !noasm

// Elementwise kernels (elem.go), hand-written: ReLU forward and backward
// and a sum of squares, each in AVX-512F (16 lanes) and AVX2 (8 lanes).
// elem_amd64.go gives each one's Go loop; the bits are the Go loop's.
//
// Register map:
//   SI, DI, R8   the arrays, in argument order
//   AX           byte offset of the current vector in every array
//   CX           4*n, the end offset (SumSquares: iterations left)
//   Z0/Y0 ...    as each function's comment says
//
// Loop structure (each function): set the constants; then, a vector (or
// 32 floats) at a time: load, compute, store; AX += vector bytes; repeat
// while AX < CX; VZEROUPPER; RET.

#include "textflag.h"

// func reluAVX512(y, x *float32, n int)
// Z0 x, Z1 0, Z2 the |x| mask; K1 x > 0 or NaN.
// y = |x| where x > 0 or x is NaN, +0 elsewhere: Go's max(x, 0).
TEXT ·reluAVX512(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHLQ $2, CX
	XORQ AX, AX
	VPXORD Z1, Z1, Z1
	MOVL $0x7fffffff, DX
	VPBROADCASTD DX, Z2

reluloop512:
	VMOVUPS (SI)(AX*1), Z0
	VCMPPS $0x16, Z1, Z0, K1 // not x <= 0 (unordered: NaN too)
	VPANDD.Z Z2, Z0, K1, Z0  // |x| there, 0 elsewhere
	VMOVUPS Z0, (DI)(AX*1)
	ADDQ $64, AX
	CMPQ AX, CX
	JLT reluloop512
	VZEROUPPER
	RET

// func reluAVX2(y, x *float32, n int)
// Y0 x, Y1 0, Y2 the |x| mask, Y3 x > 0 or NaN.
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHLQ $2, CX
	XORQ AX, AX
	VXORPS Y1, Y1, Y1
	MOVL $0x7fffffff, DX
	MOVQ DX, X2
	VPBROADCASTD X2, Y2

reluloop2:
	VMOVUPS (SI)(AX*1), Y0
	VCMPPS $0x16, Y1, Y0, Y3 // not x <= 0 (unordered: NaN too)
	VANDPS Y2, Y0, Y0        // |x|
	VANDPS Y3, Y0, Y0        // there, 0 elsewhere
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	CMPQ AX, CX
	JLT reluloop2
	VZEROUPPER
	RET

// func reluBackwardAVX512(dx, dy, x *float32, n int)
// Z0 x, Z1 dx, Z2 0, Z3 dy; K1 x > 0.
// dx += dy where x > 0 (a masked add: the other lanes keep dx's bits).
TEXT ·reluBackwardAVX512(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), R8
	MOVQ n+24(FP), CX
	SHLQ $2, CX
	XORQ AX, AX
	VPXORD Z2, Z2, Z2

relubackloop512:
	VMOVUPS (R8)(AX*1), Z0
	VCMPPS $0x1e, Z2, Z0, K1 // x > 0 (ordered: not NaN)
	VMOVUPS (DI)(AX*1), Z1
	VMOVUPS (SI)(AX*1), Z3
	VADDPS Z1, Z3, K1, Z1    // dy + dx there (dy first, as Go's loop adds), dx elsewhere
	VMOVUPS Z1, (DI)(AX*1)
	ADDQ $64, AX
	CMPQ AX, CX
	JLT relubackloop512
	VZEROUPPER
	RET

// func reluBackwardAVX2(dx, dy, x *float32, n int)
// Y0 x > 0, Y1 dx, Y2 0, Y3 dy, then dy + dx.
TEXT ·reluBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), R8
	MOVQ n+24(FP), CX
	SHLQ $2, CX
	XORQ AX, AX
	VXORPS Y2, Y2, Y2

relubackloop2:
	VMOVUPS (R8)(AX*1), Y0
	VCMPPS $0x1e, Y2, Y0, Y0 // x > 0 (ordered: not NaN)
	VMOVUPS (DI)(AX*1), Y1
	VMOVUPS (SI)(AX*1), Y3
	VADDPS Y1, Y3, Y3        // dy + dx (dy first, as Go's loop adds)
	VBLENDVPS Y0, Y3, Y1, Y1 // dx + dy there, dx elsewhere
	VMOVUPS Y1, (DI)(AX*1)
	ADDQ $32, AX
	CMPQ AX, CX
	JLT relubackloop2
	VZEROUPPER
	RET

// func sumSquaresAVX512(x *float32, n int, acc *[32]float64)
// Z0..Z3 acc[0:8], acc[8:16], acc[16:24], acc[24:32]; Z4..Z7 the 32
// floats of an iteration in float64. Each square is exact in float64, so
// the fused multiply-add rounds once, as the Go loop's addition does.
TEXT ·sumSquaresAVX512(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ acc+16(FP), DI
	SHRQ $5, CX
	VMOVUPD (DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3

sumloop512:
	VCVTPS2PD (SI), Z4
	VCVTPS2PD 32(SI), Z5
	VCVTPS2PD 64(SI), Z6
	VCVTPS2PD 96(SI), Z7
	VFMADD231PD Z4, Z4, Z0
	VFMADD231PD Z5, Z5, Z1
	VFMADD231PD Z6, Z6, Z2
	VFMADD231PD Z7, Z7, Z3
	ADDQ $128, SI
	DECQ CX
	JNZ sumloop512
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	VZEROUPPER
	RET

// func sumSquaresAVX2(x *float32, n int, acc *[32]float64)
// Y0..Y7 acc[4i:4i+4]; Y8..Y11 four floats each in float64.
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ acc+16(FP), DI
	SHRQ $5, CX
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7

sumloop2:
	VCVTPS2PD (SI), Y8
	VCVTPS2PD 16(SI), Y9
	VCVTPS2PD 32(SI), Y10
	VCVTPS2PD 48(SI), Y11
	VFMADD231PD Y8, Y8, Y0
	VFMADD231PD Y9, Y9, Y1
	VFMADD231PD Y10, Y10, Y2
	VFMADD231PD Y11, Y11, Y3
	VCVTPS2PD 64(SI), Y8
	VCVTPS2PD 80(SI), Y9
	VCVTPS2PD 96(SI), Y10
	VCVTPS2PD 112(SI), Y11
	VFMADD231PD Y8, Y8, Y4
	VFMADD231PD Y9, Y9, Y5
	VFMADD231PD Y10, Y10, Y6
	VFMADD231PD Y11, Y11, Y7
	ADDQ $128, SI
	DECQ CX
	JNZ sumloop2
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VZEROUPPER
	RET
