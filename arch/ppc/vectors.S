/* ppc exception vectors. IVPR points at the image's first 64 KiB and IVORn
 * at stub n below (head.S). Every stub saves a full frame on the current
 * stack and calls ppc_exception(vec, frame) in cpu.c, with MSR[FP] and
 * MSR[ME] set and MSR[EE] clear: C may use newlib (FP registers), a machine
 * check (which clears ME) re-arms ME, and the generic code may longjmp out
 * of the handler straight back into a test runner (kernel/exceptions.c,
 * kernel/irq.c), which then keeps running with FP and ME on.
 *
 * Three save/restore pairs: SRR0/1 + rfi (everything ordinary), CSRR0/1 +
 * rfci (critical input, watchdog, doorbell critical), MCSRR0/1 + rfmci
 * (machine check, which also reports MCSR/MCAR as ESR/DEAR), DSRR0/1 +
 * rfdi (debug). */
#include "ppc.h"

#define FRAME       (EF_SIZE + EF_GAP)
#define SPRN_DSRR0  574
#define SPRN_DSRR1  575

#define CLS_NORMAL  0
#define CLS_CRIT    1
#define CLS_MCHECK  2
#define CLS_DEBUG   3

.macro VEC n, cls
    .balign 16
    .globl ppc_ivor\n
ppc_ivor\n:
    stwu    r1, -FRAME(r1)
    stw     r3, EF_GPR+12(r1)
    li      r3, \n
    b       ppc_exc_\cls
.endm

    .section .text.vectors, "ax"
    .balign 16
    VEC 0,  crit        /* critical input */
    VEC 1,  mcheck      /* machine check */
    VEC 2,  normal      /* data storage */
    VEC 3,  normal      /* instruction storage */
    VEC 4,  normal      /* external input (MPIC) */
    VEC 5,  normal      /* alignment */
    VEC 6,  normal      /* program */
    VEC 7,  normal      /* floating-point unavailable */
    VEC 8,  normal      /* system call */
    VEC 9,  normal      /* auxiliary processor unavailable */
    VEC 10, normal      /* decrementer */
    VEC 11, normal      /* fixed-interval timer */
    VEC 12, crit        /* watchdog */
    VEC 13, normal      /* data TLB error */
    VEC 14, normal      /* instruction TLB error */
    VEC 15, debug       /* debug */
    VEC 32, normal      /* AltiVec unavailable (e6500 only) */
    VEC 33, normal      /* embedded FP data / AltiVec assist */
    VEC 34, normal      /* embedded FP round */
    VEC 35, normal      /* performance monitor */
    VEC 36, normal      /* processor doorbell (the IPI) */
    VEC 37, crit        /* processor doorbell critical */
    VEC 38, normal      /* guest processor doorbell */
    VEC 39, crit        /* guest processor doorbell critical */
    VEC 40, normal      /* hypervisor system call */
    VEC 41, normal      /* hypervisor privilege */

/* r1 = frame, r3 = vector number, the interrupted r3 saved. */
.macro EXC_COMMON cls, clsnum, srr0, srr1, cause, addr, rfinsn
ppc_exc_\cls:
    stw     r0, EF_GPR+0(r1)
    addi    r0, r1, FRAME
    stw     r0, EF_GPR+4(r1)                /* r1 as it was */
    stw     r2, EF_GPR+8(r1)
    stmw    r4, EF_GPR+16(r1)               /* r4..r31 */
    stw     r3, EF_VEC(r1)
    li      r0, \clsnum
    stw     r0, EF_CLASS(r1)
    mfspr   r4, \srr0
    stw     r4, EF_SRR0(r1)
    mfspr   r5, \srr1
    stw     r5, EF_SRR1(r1)
    mflr    r6
    stw     r6, EF_LR(r1)
    mfcr    r7
    stw     r7, EF_CR(r1)
    mfctr   r8
    stw     r8, EF_CTR(r1)
    mfxer   r9
    stw     r9, EF_XER(r1)
    mfspr   r10, \cause
    stw     r10, EF_ESR(r1)
    mfspr   r11, \addr
    stw     r11, EF_DEAR(r1)
    mfmsr   r0
    ori     r0, r0, MSR_FP                  /* FP on; EE stays off */
    mtmsr   r0
    isync
    andi.   r0, r0, MSR_ME
    bne     1f
    /* ME is clear (a machine check cleared it): set it through rfi, which
     * needs SRR0/1; keep the values they had for whatever we interrupted. */
    mfspr   r5, SPRN_SRR0
    stw     r5, EF_XSRR0(r1)
    mfspr   r5, SPRN_SRR1
    stw     r5, EF_XSRR1(r1)
    mfmsr   r0
    ori     r0, r0, MSR_KERNEL
    mtspr   SPRN_SRR1, r0
    bl      2f
2:  mflr    r5
    addi    r5, r5, 3f - 2b
    mtspr   SPRN_SRR0, r5
    rfi
3:  lwz     r5, EF_XSRR0(r1)
    mtspr   SPRN_SRR0, r5
    lwz     r5, EF_XSRR1(r1)
    mtspr   SPRN_SRR1, r5
1:
    stfd    f0, EF_FPR+0*8(r1)              /* the volatile FP state C may use */
    stfd    f1, EF_FPR+1*8(r1)
    stfd    f2, EF_FPR+2*8(r1)
    stfd    f3, EF_FPR+3*8(r1)
    stfd    f4, EF_FPR+4*8(r1)
    stfd    f5, EF_FPR+5*8(r1)
    stfd    f6, EF_FPR+6*8(r1)
    stfd    f7, EF_FPR+7*8(r1)
    stfd    f8, EF_FPR+8*8(r1)
    stfd    f9, EF_FPR+9*8(r1)
    stfd    f10, EF_FPR+10*8(r1)
    stfd    f11, EF_FPR+11*8(r1)
    stfd    f12, EF_FPR+12*8(r1)
    stfd    f13, EF_FPR+13*8(r1)
    mffs    f0
    stfd    f0, EF_FPSCR(r1)
    li      r2, 0
    lis     r13, _SDA_BASE_@ha
    addi    r13, r13, _SDA_BASE_@l
    lwz     r3, EF_VEC(r1)
    mr      r4, r1
    bl      ppc_exception                   /* (vec, frame); may not return */
    lfd     f0, EF_FPSCR(r1)
    mtfsf   0xff, f0
    lfd     f0, EF_FPR+0*8(r1)
    lfd     f1, EF_FPR+1*8(r1)
    lfd     f2, EF_FPR+2*8(r1)
    lfd     f3, EF_FPR+3*8(r1)
    lfd     f4, EF_FPR+4*8(r1)
    lfd     f5, EF_FPR+5*8(r1)
    lfd     f6, EF_FPR+6*8(r1)
    lfd     f7, EF_FPR+7*8(r1)
    lfd     f8, EF_FPR+8*8(r1)
    lfd     f9, EF_FPR+9*8(r1)
    lfd     f10, EF_FPR+10*8(r1)
    lfd     f11, EF_FPR+11*8(r1)
    lfd     f12, EF_FPR+12*8(r1)
    lfd     f13, EF_FPR+13*8(r1)
    stwcx.  r0, 0, r1                       /* drop a reservation the interrupted code held */
    lwz     r4, EF_SRR0(r1)                 /* C may have moved it (arch_wfi) */
    mtspr   \srr0, r4
    lwz     r5, EF_SRR1(r1)
    mtspr   \srr1, r5
    lwz     r6, EF_LR(r1)
    mtlr    r6
    lwz     r7, EF_CR(r1)
    mtcr    r7
    lwz     r8, EF_CTR(r1)
    mtctr   r8
    lwz     r9, EF_XER(r1)
    mtxer   r9
    lmw     r4, EF_GPR+16(r1)
    lwz     r0, EF_GPR+0(r1)
    lwz     r2, EF_GPR+8(r1)
    lwz     r3, EF_GPR+12(r1)
    lwz     r1, EF_GPR+4(r1)
    \rfinsn
.endm

    .text
    EXC_COMMON normal, CLS_NORMAL, SPRN_SRR0, SPRN_SRR1, SPRN_ESR, SPRN_DEAR, rfi
    EXC_COMMON crit, CLS_CRIT, SPRN_CSRR0, SPRN_CSRR1, SPRN_ESR, SPRN_DEAR, rfci
    EXC_COMMON mcheck, CLS_MCHECK, SPRN_MCSRR0, SPRN_MCSRR1, SPRN_MCSR, SPRN_MCAR, rfmci
    EXC_COMMON debug, CLS_DEBUG, SPRN_DSRR0, SPRN_DSRR1, SPRN_ESR, SPRN_DEAR, rfdi

    .section .note.GNU-stack, "", @progbits
