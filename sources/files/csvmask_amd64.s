#include "textflag.h"

// MASK16 classifies the 16 bytes at off(SI): bit i of ereg is set when
// byte i is the delimiter (X8) or a line break (X9), of qreg when it is a
// quote (X10) or a line break.
#define MASK16(off, ereg, qreg) \
	MOVOU off(SI), X0; \
	MOVO X0, X1; \
	PCMPEQB X8, X1; \
	MOVO X0, X2; \
	PCMPEQB X9, X2; \
	PCMPEQB X10, X0; \
	POR X2, X1; \
	POR X2, X0; \
	PMOVMSKB X1, ereg; \
	PMOVMSKB X0, qreg

// func csvMasksSSE2(b []byte, chars uint64, ends, quotes []uint64)
TEXT ·csvMasksSSE2(SB), NOSPLIT, $0-80
	MOVQ b_base+0(FP), SI
	MOVQ chars+24(FP), AX
	MOVQ ends_base+32(FP), DI
	MOVQ ends_len+40(FP), CX
	MOVQ quotes_base+56(FP), R8
	MOVQ $0x0101010101010101, DX
	ANDQ $0xff, AX
	IMULQ DX, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x0a0a0a0a0a0a0a0a, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x2222222222222222, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10
	TESTQ CX, CX
	JZ done

loop:
	MASK16(0, AX, BX)
	MASK16(16, R9, R10)
	SHLQ $16, R9
	SHLQ $16, R10
	ORQ R9, AX
	ORQ R10, BX
	MASK16(32, R9, R10)
	SHLQ $32, R9
	SHLQ $32, R10
	ORQ R9, AX
	ORQ R10, BX
	MASK16(48, R9, R10)
	SHLQ $48, R9
	SHLQ $48, R10
	ORQ R9, AX
	ORQ R10, BX
	MOVQ AX, (DI)
	MOVQ BX, (R8)
	ADDQ $64, SI
	ADDQ $8, DI
	ADDQ $8, R8
	DECQ CX
	JNZ loop

done:
	RET
