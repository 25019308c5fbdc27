/* ppc entry (ePAPR), secondary entry (ePAPR spin table), the TLB1 switch
 * that rebuilds a CPU's translations without losing the page it runs
 * from, the IVPR/IVOR setup and the idle wait.
 *
 * Everything here runs in 32-bit mode (MSR[CM] = 0) on e500mc, e5500 and
 * e6500. On the 64-bit cores the GPRs are 64 bits wide and `lis` sign-
 * extends, so values headed for SPRs or compared with cmplw are built so
 * that only their low 32 bits matter. */
#include "ppc.h"

#define LOADADDR(reg, sym)  lis reg, sym@ha; addi reg, reg, sym@l

/* MSR = MSR_KERNEL through rfi (mtmsr cannot set ME under QEMU); clobbers
 * r0, r4, LR, SRR0/1. */
.macro SET_MSR_KERNEL
    lis     r0, MSR_KERNEL@h
    ori     r0, r0, MSR_KERNEL@l
    mtspr   SPRN_SRR1, r0
    bl      98f
98: mflr    r4
    addi    r4, r4, 99f - 98b               /* not r0: addi r0,r0,x is li */
    mtspr   SPRN_SRR0, r4
    rfi
99:
.endm

    .section .text.head, "ax"
    .globl _start
_start:
    /* ePAPR: r3 = DTB, r6 = 0x45504150 ("EPAP"), r7 = size of the initial
     * mapping; MSR = 0 (interrupts off). One TLB1 entry maps the image. */
    mr      r31, r3
    mr      r30, r6
    mr      r29, r7
    SET_MSR_KERNEL                  /* FP on before any C (newlib saves FPRs), ME on */
    bl      ppc_set_vectors
    /* Clear BSS (the boot stack lives there, so no stack yet). */
    LOADADDR(r4, __bss_start)
    LOADADDR(r5, __bss_end)
    li      r0, 0
1:  cmplw   r4, r5
    bge     2f
    stw     r0, 0(r4)
    addi    r4, r4, 4
    b       1b
2:  LOADADDR(r1, boot_stack_top)
    li      r0, 0
    stwu    r0, -16(r1)             /* terminate the back chain */
    li      r2, 0
    LOADADDR(r13, _SDA_BASE_)
    LOADADDR(r4, percpu_boot)       /* this_cpu() works from here on */
    mtspr   SPRN_SPRG2, r4
    mr      r3, r31
    mr      r4, r30
    mr      r5, r29
    bl      ppc_boot_main           /* never returns */
    b       .

/* Entered by a CPU released from the ePAPR spin table: r3 = its boot slot
 * {stack top, struct percpu *, hwid}, MSR as left by the firmware, a
 * 64 MiB TLB1 entry around this code, r1 unset. */
    .globl ppc_secondary_entry
ppc_secondary_entry:
    mr      r31, r3
    SET_MSR_KERNEL
    bl      ppc_set_vectors
    /* This CPU's own TLB1 entries, from the table the boot CPU built. */
    LOADADDR(r3, ppc_tlb_tab)
    LOADADDR(r4, ppc_tlb_n)
    lwz     r4, 0(r4)
    bl      ppc_tlb1_switch
    mr      r30, r3
    lwz     r1, 0(r31)              /* slot->stack */
    li      r0, 0
    stwu    r0, -16(r1)
    li      r2, 0
    LOADADDR(r13, _SDA_BASE_)
    lwz     r3, 4(r31)              /* slot->percpu */
    mtspr   SPRN_SPRG2, r3
    mr      r4, r30
    bl      ppc_secondary_main      /* never returns */
    b       .

/* IVPR = the image's first 64 KiB, IVORn = offset of vector stub n.
 * Leaf, r3/r4 only, no stack. The IVORs every e500mc/e5500/e6500 has
 * (0-15, 33-41), and IVOR32 on e6500, the only one with it (writing an SPR
 * a core lacks is an illegal instruction). */
.macro SETIVOR spr, label
    li      r4, 0
    ori     r4, r4, \label@l
    mtspr   \spr, r4
.endm
    .globl ppc_set_vectors
ppc_set_vectors:
    lis     r3, _start@h
    mtspr   SPRN_IVPR, r3
    SETIVOR 400, ppc_ivor0
    SETIVOR 401, ppc_ivor1
    SETIVOR 402, ppc_ivor2
    SETIVOR 403, ppc_ivor3
    SETIVOR 404, ppc_ivor4
    SETIVOR 405, ppc_ivor5
    SETIVOR 406, ppc_ivor6
    SETIVOR 407, ppc_ivor7
    SETIVOR 408, ppc_ivor8
    SETIVOR 409, ppc_ivor9
    SETIVOR 410, ppc_ivor10
    SETIVOR 411, ppc_ivor11
    SETIVOR 412, ppc_ivor12
    SETIVOR 413, ppc_ivor13
    SETIVOR 414, ppc_ivor14
    SETIVOR 415, ppc_ivor15
    SETIVOR SPRN_IVOR33, ppc_ivor33
    SETIVOR SPRN_IVOR34, ppc_ivor34
    SETIVOR SPRN_IVOR35, ppc_ivor35
    SETIVOR SPRN_IVOR36, ppc_ivor36
    SETIVOR SPRN_IVOR37, ppc_ivor37
    SETIVOR SPRN_IVOR38, ppc_ivor38
    SETIVOR SPRN_IVOR39, ppc_ivor39
    SETIVOR SPRN_IVOR40, ppc_ivor40
    SETIVOR SPRN_IVOR41, ppc_ivor41
    mfspr   r3, SPRN_PVR
    srwi    r3, r3, 16
    cmplwi  r3, 0x8040                      /* e6500: IVOR32 exists (AltiVec) */
    bne     1f
    SETIVOR SPRN_IVOR32, ppc_ivor32
1:  isync
    blr

/* int ppc_tlb1_switch(const struct tlb1_entry *tab (r3), unsigned n (r4))
 *
 * Replace every TLB1 entry of this CPU (including IPROT entries a firmware
 * left) by tab[0..n) in ESEL 0..n-1, and flash-invalidate TLB0, without
 * pulling the page out from under the running code:
 *   1. tlbsx finds the entry that maps this code; a copy of it goes into a
 *      spare slot with TS=1 (address space 1);
 *   2. rfi into AS1 (MSR[IS|DS]); now only that copy translates;
 *   3. invalidate all other TLB1 entries, flash-invalidate TLB0, write the
 *      new AS0 entries;
 *   4. rfi back to AS0 (the new entries must map this code and tab);
 *   5. drop the AS1 copy.
 * Leaf: no stack, r0 and r3-r12 clobbered, interrupts must be off.
 * Returns 0, -1 (this code is not mapped by TLB1), -2 (n too large). */
    .globl ppc_tlb1_switch
ppc_tlb1_switch:
    mflr    r12
    mfmsr   r11
    mfspr   r10, SPRN_TLB1CFG
    andi.   r10, r10, TLBnCFG_NENTRY        /* r10 = TLB1 entries */
    addi    r9, r10, -2
    cmplw   r4, r9
    bgt     90f
    sync
    bl      1f
1:  mflr    r5                              /* an address in this code */
    li      r6, 0
    mtspr   SPRN_MAS6, r6                   /* search PID 0, AS 0 */
    isync
    tlbsx   0, r5
    mfspr   r6, SPRN_MAS1
    andis.  r7, r6, MAS1_VALID@h
    beq     91f
    mfspr   r7, SPRN_MAS0
    andis.  r8, r7, MAS0_TLBSEL1@h
    beq     91f                             /* a TLB0 page: not handled */
    rlwinm  r8, r7, 16, 20, 31              /* its ESEL */
    addi    r9, r10, -1                     /* spare slot: the last one ... */
    cmplw   r8, r9
    bne     2f
    addi    r9, r9, -1                      /* ... unless that is the one in use */
2:  lis     r7, MAS0_TLBSEL1@h
    rlwimi  r7, r9, 16, 4, 15
    mtspr   SPRN_MAS0, r7
    lis     r0, MAS1_IPROT@h
    andc    r6, r6, r0
    ori     r6, r6, MAS1_TS                 /* the copy lives in AS1 */
    mtspr   SPRN_MAS1, r6                   /* MAS2/3/7 still hold the tlbsx result */
    isync
    tlbwe
    isync
    ori     r6, r11, MSR_IS | MSR_DS
    mtspr   SPRN_SRR1, r6
    bl      3f
3:  mflr    r6
    addi    r6, r6, 4f - 3b
    mtspr   SPRN_SRR0, r6
    rfi
4:  /* AS1: invalidate every other TLB1 entry (tlbwe overrides IPROT). */
    li      r8, 0
5:  cmplw   r8, r10
    bge     6f
    cmplw   r8, r9
    beq     55f
    lis     r7, MAS0_TLBSEL1@h
    rlwimi  r7, r8, 16, 4, 15
    mtspr   SPRN_MAS0, r7
    li      r6, 0
    mtspr   SPRN_MAS1, r6
    mtspr   SPRN_MAS2, r6
    mtspr   SPRN_MAS3, r6
    mtspr   SPRN_MAS7, r6
    isync
    tlbwe
55: addi    r8, r8, 1
    b       5b
6:  isync
    li      r6, MMUCSR0_TLB0FI
    mtspr   SPRN_MMUCSR0, r6
7:  mfspr   r6, SPRN_MMUCSR0
    andi.   r6, r6, MMUCSR0_TLB0FI
    bne     7b
    isync
    /* The new AS0 entries, ESEL 0..n-1. */
    li      r8, 0
    mr      r5, r3
8:  cmplw   r8, r4
    bge     9f
    lis     r7, MAS0_TLBSEL1@h
    rlwimi  r7, r8, 16, 4, 15
    mtspr   SPRN_MAS0, r7
    lwz     r6, 0(r5)
    mtspr   SPRN_MAS1, r6
    lwz     r6, 4(r5)
    mtspr   SPRN_MAS2, r6
    lwz     r6, 8(r5)
    mtspr   SPRN_MAS3, r6
    lwz     r6, 12(r5)
    mtspr   SPRN_MAS7, r6
    isync
    tlbwe
    addi    r5, r5, 16
    addi    r8, r8, 1
    b       8b
9:  isync
    mtspr   SPRN_SRR1, r11                  /* back to AS0 */
    bl      10f
10: mflr    r6
    addi    r6, r6, 11f - 10b
    mtspr   SPRN_SRR0, r6
    rfi
11: lis     r7, MAS0_TLBSEL1@h
    rlwimi  r7, r9, 16, 4, 15
    mtspr   SPRN_MAS0, r7
    li      r6, 0
    mtspr   SPRN_MAS1, r6
    isync
    tlbwe                                   /* drop the AS1 copy */
    isync
    mtlr    r12
    li      r3, 0
    blr
90: mtlr    r12
    li      r3, -2
    blr
91: mtlr    r12
    li      r3, -1
    blr

/* void arch_wfi(void): sleep until an interrupt. `wait` only wakes for an
 * interrupt MSR[EE] lets through, so EE is opened around it; the vector
 * code moves an interrupt taken with SRR0 == ppc_wait_insn past the wait
 * (the "lost wake-up" window between wrteei 1 and wait). The interrupt is
 * handled inside arch_wfi: the caller's irqs-off section is not breached
 * anywhere else, and the caller's MSR[EE] is restored on return. */
    .globl arch_wfi
arch_wfi:
    mfmsr   r4
    wrteei  1
    .globl ppc_wait_insn
ppc_wait_insn:
    wait
    wrtee   r4
    blr

/* void ppc_halt(void): stop this CPU for good (EE off: wait never ends). */
    .globl ppc_halt
ppc_halt:
    wrteei  0
1:  wait
    b       1b

    .bss
    .balign 16
boot_stack:     .space 16384
    .globl boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
