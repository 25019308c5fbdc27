/* arm64 arch-private declarations shared by the files of this port
 * (nothing outside arch/arm64 includes it). */
#ifndef ARCH_ARM64_ARM64_H
#define ARCH_ARM64_ARM64_H

#include "compiler.h"

/* head.S: the secondaries' entry, and the count of cores that reached the
 * pen (all cores started at once: ELF at EL3). */
extern char secondary_entry[];
extern uint32_t pen_arrivals;

/* mmu.c: {mair, tcr, ttbr0, sctlr}, read by secondary_entry with the MMU off. */
extern uint64_t arm64_mmu_boot_regs[4];

/* cpu.c: use the LSE atomics from now on if the core has them (asm/atomic.h). */
void arm64_select_atomics(void);

/* gic.c: acknowledge the pending interrupt and hand it to the generic code. */
void irq_arm64_dispatch(void);

#endif
