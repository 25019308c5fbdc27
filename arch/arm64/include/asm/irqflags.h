/* arm64 interrupt masking on PSTATE.I (DAIF bit 7). */
#ifndef ASM_ARM64_IRQFLAGS_H
#define ASM_ARM64_IRQFLAGS_H

#include <stdbool.h>

static inline void arch_local_irq_enable(void)
{ __asm__ __volatile__("msr daifclr, #2" ::: "memory"); }
static inline void arch_local_irq_disable(void)
{ __asm__ __volatile__("msr daifset, #2" ::: "memory"); }
static inline unsigned long arch_local_save_flags(void)
{ unsigned long f; __asm__ __volatile__("mrs %0, daif" : "=r"(f) :: "memory"); return f; }
static inline unsigned long arch_local_irq_save(void)
{ unsigned long f = arch_local_save_flags(); arch_local_irq_disable(); return f; }
static inline void arch_local_irq_restore(unsigned long f)
{ __asm__ __volatile__("msr daif, %0" :: "r"(f) : "memory"); }
static inline bool arch_irqs_disabled(void)
{ return (arch_local_save_flags() & (1UL << 7)) != 0; }

/* For one negative control only (tests/irq/compiler_barrier.c): the same
 * instructions without the "memory" clobber, so that the compiler may move,
 * merge or drop memory accesses across them. Nothing else may use them. */
static inline void arch_local_irq_enable_noclobber(void)
{ __asm__ __volatile__("msr daifclr, #2" : :); }
static inline void arch_local_irq_disable_noclobber(void)
{ __asm__ __volatile__("msr daifset, #2" : :); }
static inline unsigned long arch_local_irq_save_noclobber(void)
{
    unsigned long f;
    __asm__ __volatile__("mrs %0, daif" : "=r"(f));
    arch_local_irq_disable_noclobber();
    return f;
}
static inline void arch_local_irq_restore_noclobber(unsigned long f)
{ __asm__ __volatile__("msr daif, %0" :: "r"(f)); }

#endif
