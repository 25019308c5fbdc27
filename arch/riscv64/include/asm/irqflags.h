/* riscv64 interrupt masking on sstatus.SIE (bit 1). The per-source enables
 * in sie stay set; SIE alone decides whether a pending interrupt is taken
 * in S-mode, and wfi still wakes on a pending enabled source when it is
 * clear. */
#ifndef ASM_RISCV64_IRQFLAGS_H
#define ASM_RISCV64_IRQFLAGS_H

#include <stdbool.h>

#define SR_SIE  (1UL << 1)

static inline void arch_local_irq_enable(void)
{ __asm__ __volatile__("csrsi sstatus, %0" :: "i"(SR_SIE) : "memory"); }
static inline void arch_local_irq_disable(void)
{ __asm__ __volatile__("csrci sstatus, %0" :: "i"(SR_SIE) : "memory"); }
static inline unsigned long arch_local_save_flags(void)
{ unsigned long f; __asm__ __volatile__("csrr %0, sstatus" : "=r"(f) :: "memory"); return f; }
static inline unsigned long arch_local_irq_save(void)
{
    unsigned long f;
    __asm__ __volatile__("csrrci %0, sstatus, %1" : "=r"(f) : "i"(SR_SIE) : "memory");
    return f;
}
/* Back to exactly the state saved (Linux only ever sets here, since its
 * restore always follows a save; try_call() may restore over code that
 * enabled interrupts in between). */
static inline void arch_local_irq_restore(unsigned long f)
{
    if (f & SR_SIE)
        arch_local_irq_enable();
    else
        arch_local_irq_disable();
}
static inline bool arch_irqs_disabled(void)
{ return (arch_local_save_flags() & SR_SIE) == 0; }

/* For one negative control only (tests/irq/compiler_barrier.c): the same
 * instructions without the "memory" clobber, so that the compiler may move,
 * merge or drop memory accesses across them. Nothing else may use them. */
static inline void arch_local_irq_enable_noclobber(void)
{ __asm__ __volatile__("csrsi sstatus, %0" :: "i"(SR_SIE)); }
static inline void arch_local_irq_disable_noclobber(void)
{ __asm__ __volatile__("csrci sstatus, %0" :: "i"(SR_SIE)); }
static inline unsigned long arch_local_irq_save_noclobber(void)
{
    unsigned long f;
    __asm__ __volatile__("csrrci %0, sstatus, %1" : "=r"(f) : "i"(SR_SIE));
    return f;
}
static inline void arch_local_irq_restore_noclobber(unsigned long f)
{
    if (f & SR_SIE)
        arch_local_irq_enable_noclobber();
    else
        arch_local_irq_disable_noclobber();
}

#endif
