/* arm64 entry: Linux arm64 Image header, EL3/EL2 -> EL1, stack, BSS, FP,
 * then C. Secondaries enter at secondary_entry (PSCI CPU_ON or spin-table)
 * with the MMU off and find their stack by MPIDR in cpu_boot_table. */



    .section .text.head, "ax"
    .global _start
_start:
    /* Image header (Documentation/arch/arm64/booting.rst). code0 jumps over it. */
    b       primary_entry
    .long   0
    .quad   0x200000                /* text_offset: load 2 MiB above a 2 MiB-aligned base */
    .quad   _image_size             /* image_size (incl. bss), from the linker script */
    .quad   0x2                     /* flags: LE, 4K pages; bit 3 clear: base near start of RAM */
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .long   0                       /* res5: no PE/COFF header */

primary_entry:
    mov     x19, x0                 /* DTB from the Image protocol (0 for an ELF) */
    mrs     x20, CurrentEL
    lsr     x20, x20, #2
    bl      drop_to_el1             /* returns at EL1 with DAIF masked */
    /* Is this the boot CPU? QEMU secure=on starts every core here at once:
     * the first one to claim boot_claim wins, the rest park in the pen. */
    adrp    x1, boot_claim
    add     x1, x1, :lo12:boot_claim
    mov     w2, #1
1:  ldaxr   w3, [x1]
    cbnz    w3, park_in_pen
    stxr    w4, w2, [x1]
    cbnz    w4, 1b

    adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1
    bl      enable_fp
    /* Clear BSS (boot_claim lives in .data, not here). */
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
2:  cmp     x1, x2
    b.hs    3f
    str     xzr, [x1], #8
    b       2b
3:  adrp    x1, vectors
    add     x1, x1, :lo12:vectors
    msr     vbar_el1, x1
    isb
    mov     x0, x19                 /* dtb */
    mov     x1, x20                 /* entry EL */
    bl      arm64_boot_main         /* never returns */
    b       .

/* Cores that found the boot claim taken (all cores started at once) wait
 * here, with the MMU off, until the boot CPU publishes their stack in
 * cpu_boot_table; then they go the way of any secondary. */
park_in_pen:
    bl      enable_fp
    adrp    x1, pen_arrivals
    add     x1, x1, :lo12:pen_arrivals
1:  ldxr    w2, [x1]
    add     w2, w2, #1
    stxr    w3, w2, [x1]
    cbnz    w3, 1b
    b       find_stack

    .global secondary_entry
secondary_entry:
    bl      drop_to_el1
    bl      enable_fp
find_stack:
    /* Look our MPIDR up in cpu_boot_table[cpu_boot_count] {u64 hwid, u64
     * stack, u64 percpu}: the count first (published after the pointer). */
    mrs     x1, mpidr_el1           /* hwid = Aff3 | Aff2..Aff0 */
    and     x2, x1, #0xffffff
    lsr     x3, x1, #32
    and     x3, x3, #0xff
    orr     x1, x2, x3, lsl #32
1:  adrp    x8, cpu_boot_count
    ldr     x8, [x8, :lo12:cpu_boot_count]
    adrp    x3, cpu_boot_table
    ldr     x3, [x3, :lo12:cpu_boot_table]
    mov     x4, #0
2:  cmp     x4, x8
    b.hs    5f
    add     x5, x3, x4, lsl #4
    add     x5, x5, x4, lsl #3      /* entry = table + idx * 24 */
    ldr     x6, [x5, #8]            /* stack; 0 = slot not published yet */
    cbz     x6, 3f
    ldr     x7, [x5]
    cmp     x7, x1
    b.eq    4f
3:  add     x4, x4, #1
    b       2b
    /* Not published (yet): a pen core waits for the boot CPU; a core started
     * by PSCI/spin-table always finds its slot (it was published first). */
5:  wfe
    b       1b
4:  /* MMU on before the first store to the stack, so this core never
     * writes non-cacheable over lines the boot CPU may hold in its cache. */
    adrp    x9, arm64_mmu_boot_regs
    add     x9, x9, :lo12:arm64_mmu_boot_regs
    ldp     x10, x11, [x9]          /* mair, tcr */
    ldp     x12, x13, [x9, #16]     /* ttbr0, sctlr */
    msr     mair_el1, x10
    msr     tcr_el1, x11
    msr     ttbr0_el1, x12
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    msr     sctlr_el1, x13
    isb
    mov     sp, x6
    ldr     x0, [x5, #16]
    adrp    x1, vectors
    add     x1, x1, :lo12:vectors
    msr     vbar_el1, x1
    isb
    bl      arm64_secondary_main    /* never returns */
    b       .

/* Enter EL1h from EL3 or EL2 with everything EL1 needs allowed: AArch64 at
 * EL1, FP/SIMD untrapped, the physical counter/timer readable, GICv3 system
 * registers usable from EL1. Returns to the caller at EL1, DAIF masked. */
drop_to_el1:
    mrs     x9, CurrentEL
    lsr     x9, x9, #2
    cmp     x9, #1
    b.eq    9f
    cmp     x9, #3
    b.ne    from_el2
    /* EL3: RW=1 (lower ELs AArch64), NS stays 0 (Secure EL1 keeps the GIC's
     * group 0 interrupts visible without programming the GIC from EL3). */
    mov     x10, #(1 << 10)
    msr     scr_el3, x10
    msr     cptr_el3, xzr
    mov     x10, #0x0800
    movk    x10, #0x30d0, lsl #16
    msr     sctlr_el1, x10
    mov     x10, #0x3c5             /* EL1h, DAIF masked */
    msr     spsr_el3, x10
    msr     elr_el3, lr
    isb
    eret
from_el2:
    mov     x10, #(1 << 31)         /* HCR_EL2.RW: EL1 is AArch64; nothing trapped */
    msr     hcr_el2, x10
    mov     x10, #3                 /* CNTHCTL_EL2: EL1PCTEN | EL1PCEN */
    msr     cnthctl_el2, x10
    msr     cntvoff_el2, xzr
    mov     x10, #0x33ff            /* CPTR_EL2: no FP/SIMD trap */
    msr     cptr_el2, x10
    msr     hstr_el2, xzr
    mrs     x10, id_aa64pfr0_el1    /* GICv3 system registers implemented? */
    ubfx    x10, x10, #24, #4
    cbz     x10, 1f
    mrs     x10, S3_4_C12_C9_5      /* ICC_SRE_EL2 */
    orr     x10, x10, #0xf          /* SRE | DFB | DIB | Enable (EL1 may use SRE) */
    msr     S3_4_C12_C9_5, x10
    isb
1:  msr     vttbr_el2, xzr
    mov     x10, #0x0800            /* SCTLR_EL1 RES1-safe value, MMU off */
    movk    x10, #0x30d0, lsl #16
    msr     sctlr_el1, x10
    mov     x10, #0x3c5
    msr     spsr_el2, x10
    msr     elr_el2, lr
    isb
    eret
9:  ret

enable_fp:
    mov     x10, #(3 << 20)         /* CPACR_EL1.FPEN: no trap at EL0/EL1 */
    msr     cpacr_el1, x10
    isb
    ret

    .data
    .balign 8
    .global boot_claim, pen_arrivals
boot_claim:     .long 0
pen_arrivals:   .long 0

    .bss
    .balign 16
boot_stack:     .space 16384
boot_stack_top:
