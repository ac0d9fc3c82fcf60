#include "textflag.h"

// MASK16 classifies the 16 bytes at off(SI): bit i of dreg is set when
// byte i is an ASCII digit ((c-'0') <= 9 unsigned), of ureg when it is an
// upper-case ASCII letter ((c-'A') <= 25 unsigned), of creg when it is ':'.
#define MASK16(off, dreg, ureg, creg) \
	MOVOU off(SI), X0; \
	MOVO X0, X4; \
	PCMPEQB X12, X4; \
	PMOVMSKB X4, creg; \
	MOVO X0, X1; \
	PSUBB X8, X0; \
	MOVO X0, X2; \
	PMINUB X9, X2; \
	PCMPEQB X2, X0; \
	PMOVMSKB X0, dreg; \
	PSUBB X10, X1; \
	MOVO X1, X3; \
	PMINUB X11, X3; \
	PCMPEQB X3, X1; \
	PMOVMSKB X1, ureg

// func byteMasksSSE2(b []byte, d, u, c []uint64)
TEXT ·byteMasksSSE2(SB), NOSPLIT, $0-96
	MOVQ b_base+0(FP), SI
	MOVQ d_base+24(FP), DI
	MOVQ d_len+32(FP), CX
	MOVQ u_base+48(FP), R8
	MOVQ c_base+72(FP), R13
	MOVQ $0x3a3a3a3a3a3a3a3a, AX
	MOVQ AX, X12
	PUNPCKLQDQ X12, X12
	MOVQ $0x3030303030303030, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x0909090909090909, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x4141414141414141, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10
	MOVQ $0x1919191919191919, AX
	MOVQ AX, X11
	PUNPCKLQDQ X11, X11
	TESTQ CX, CX
	JZ done

loop:
	MASK16(0, AX, BX, R11)
	MASK16(16, R9, R10, R12)
	SHLQ $16, R9
	SHLQ $16, R10
	SHLQ $16, R12
	ORQ R9, AX
	ORQ R10, BX
	ORQ R12, R11
	MASK16(32, R9, R10, R12)
	SHLQ $32, R9
	SHLQ $32, R10
	SHLQ $32, R12
	ORQ R9, AX
	ORQ R10, BX
	ORQ R12, R11
	MASK16(48, R9, R10, R12)
	SHLQ $48, R9
	SHLQ $48, R10
	SHLQ $48, R12
	ORQ R9, AX
	ORQ R10, BX
	ORQ R12, R11
	MOVQ AX, (DI)
	MOVQ BX, (R8)
	MOVQ R11, (R13)
	ADDQ $64, SI
	ADDQ $8, DI
	ADDQ $8, R8
	ADDQ $8, R13
	DECQ CX
	JNZ loop

done:
	RET

// func byteMaskSSE2(b []byte, m []uint64, c uint64)
// m[k] gets bit i set when b[64k+i] is the byte c (len(b) is 64*len(m)).
TEXT ·byteMaskSSE2(SB), NOSPLIT, $0-56
	MOVQ b_base+0(FP), SI
	MOVQ m_base+24(FP), DI
	MOVQ m_len+32(FP), CX
	MOVQ c+48(FP), AX
	MOVQ $0x0101010101010101, BX
	IMULQ BX, AX
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	TESTQ CX, CX
	JZ mdone

mloop:
	MOVOU 0(SI), X0
	PCMPEQB X1, X0
	PMOVMSKB X0, AX
	MOVOU 16(SI), X2
	PCMPEQB X1, X2
	PMOVMSKB X2, BX
	SHLQ $16, BX
	ORQ BX, AX
	MOVOU 32(SI), X3
	PCMPEQB X1, X3
	PMOVMSKB X3, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVOU 48(SI), X4
	PCMPEQB X1, X4
	PMOVMSKB X4, BX
	SHLQ $48, BX
	ORQ BX, AX
	MOVQ AX, (DI)
	ADDQ $64, SI
	ADDQ $8, DI
	DECQ CX
	JNZ mloop

mdone:
	RET
