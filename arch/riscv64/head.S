/* riscv64 entry in S-mode under SBI firmware (OpenSBI): the Linux RISC-V
 * Image header (Documentation/arch/riscv/boot-image-header.rst), then
 * a0 = boot hart id, a1 = DTB. Secondaries arrive at secondary_entry from
 * SBI HSM hart_start with a0 = hart id, a1 = the opaque argument (their
 * boot slot {stack top, percpu}), satp = 0 and interrupts off. */

    .section .text.head, "ax"
    .option push
    .option norvc                   /* code0 must be one 4-byte jump */
    .global _start
_start:
    j       primary_entry           /* code0 */
    .word   0                       /* code1 */
    .dword  0x200000                /* text_offset: 2 MiB above the start of RAM */
    .dword  _image_size             /* image_size, including bss and heap */
    .dword  0                       /* flags: little-endian */
    .word   2                       /* version 0.2 */
    .word   0                       /* res1 */
    .dword  0                       /* res2 */
    .ascii  "RISCV\0\0\0"           /* magic (deprecated) */
    .ascii  "RSC\x05"               /* magic2 */
    .word   0                       /* res3: no PE/COFF header */
    .option pop

primary_entry:
    csrw    sie, zero
    csrci   sstatus, 2              /* SIE off */
    csrw    sscratch, a0            /* this hart's id, for arch_boot_hwid() */
    mv      s0, a0
    mv      s1, a1
    la      t0, trap_entry
    csrw    stvec, t0
    /* One boot hart only: any other hart that comes in here (all harts
     * started at once, or a stale SBI start address) goes to late_entry. */
    la      t0, boot_claim
    li      t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez    t1, late_entry
    la      sp, boot_stack_top
    la      tp, percpu_boot         /* the boot CPU's until percpu[] exists */
    /* Clear BSS (boot_claim lives in .data). */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  mv      a0, s0                  /* hart id */
    mv      a1, s1                  /* dtb */
    call    riscv_boot_main         /* never returns */
/* A hart that arrives at the image entry after the boot hart, or at
 * secondary_entry without its slot in a1: a loader that started every hart
 * at once, or SBI HSM hart_start handing it stale values. OpenSBI before
 * 1.3 marks the hart START_PENDING before it writes the start address and
 * argument, so a hart still on its way to the HSM wait loop can leave with
 * the previous ones (this entry point and the DTB), or with one old and one
 * new. The boot hart publishes a hart's slot {stack, percpu, hwid, flags}
 * before asking SBI to start it: a hart that finds its own (non-zero
 * stack, hwid = a0) goes on as a secondary; the others wait in wfi. */
late_entry:
    ld      t1, boot_slot_count     /* the count first: published last */
    fence   r, r
    ld      t0, boot_slots
    beqz    t1, 4f
1:  ld      t2, 0(t0)               /* stack: 0 = not published */
    beqz    t2, 2f
    ld      t3, 16(t0)              /* hwid */
    beq     t3, a0, 3f
2:  addi    t0, t0, 32
    addi    t1, t1, -1
    bnez    t1, 1b
4:  wfi
    j       late_entry
3:  fence   r, rw                   /* the slot's other fields after its stack */
    li      t1, 1
    sd      t1, 24(t0)              /* flags: did not come in the normal way */
    mv      a1, t0
    j       enter_secondary
/* Harts started early (riscv_pen_start, from arch_early_init) wait here
 * for their slot, as late_entry does but without counting as late: a0 =
 * hart id. Halted in wfi, they cost the host nothing, where OpenSBI's
 * stopped state would spin a host thread for the whole boot; an SBI IPI
 * (taken in M-mode: sie is 0 here) gets them to look again. */
    .global riscv_pen_entry
riscv_pen_entry:
    csrw    sie, zero
    csrci   sstatus, 2
1:  ld      t1, boot_slot_count
    fence   r, r
    ld      t0, boot_slots
    beqz    t1, 4f
2:  ld      t2, 0(t0)
    beqz    t2, 3f
    ld      t3, 16(t0)
    beq     t3, a0, 5f
3:  addi    t0, t0, 32
    addi    t1, t1, -1
    bnez    t1, 2b
4:  wfi
    j       1b
5:  fence   r, rw
    mv      a1, t0
    j       enter_secondary

/* A hart the image does not use (arch_cpu_park_unused): QEMU halts it in
 * wfi, where OpenSBI's stopped state would keep a host thread busy. */
    .global riscv_park_entry
riscv_park_entry:
    csrw    sie, zero
    csrci   sstatus, 2
park:
    wfi
    j       park

    .global secondary_entry
secondary_entry:
    csrw    sie, zero
    csrci   sstatus, 2
    /* a1 must be a published slot for this hart; anything else is stale. */
    ld      t2, boot_slot_count
    fence   r, r
    ld      t0, boot_slots
    sub     t1, a1, t0
    slli    t2, t2, 5               /* 32 bytes a slot */
    bgeu    t1, t2, late_entry
    andi    t1, t1, 31
    bnez    t1, late_entry
    ld      t2, 0(a1)
    beqz    t2, late_entry
    ld      t3, 16(a1)
    bne     t3, a0, late_entry
    fence   r, rw
enter_secondary:
    csrw    sscratch, a0
    la      t0, trap_entry
    csrw    stvec, t0
    ld      sp, 0(a1)               /* slot: stack top */
    ld      tp, 8(a1)               /* slot: &percpu[n] */
    call    riscv_secondary_main    /* (hartid, slot); never returns */
    j       park

    .data
    .balign 8
    .global boot_claim
boot_claim:     .word 0

    .bss
    .balign 16
boot_stack:     .space 16384
boot_stack_top:
