/* ppc (Book III-E) interrupt masking on MSR[EE]: external input (MPIC),
 * decrementer and doorbell all honour it. wrtee/wrteei change only EE. */
#ifndef ASM_PPC_IRQFLAGS_H
#define ASM_PPC_IRQFLAGS_H

#include <stdbool.h>

#define PPC_MSR_EE 0x8000UL

static inline void arch_local_irq_enable(void)
{ __asm__ __volatile__("wrteei 1" ::: "memory"); }
static inline void arch_local_irq_disable(void)
{ __asm__ __volatile__("wrteei 0" ::: "memory"); }
static inline unsigned long arch_local_save_flags(void)
{ unsigned long f; __asm__ __volatile__("mfmsr %0" : "=r"(f) :: "memory"); return f; }
static inline unsigned long arch_local_irq_save(void)
{ unsigned long f = arch_local_save_flags(); arch_local_irq_disable(); return f; }
static inline void arch_local_irq_restore(unsigned long f)
{ __asm__ __volatile__("wrtee %0" :: "r"(f) : "memory"); }
static inline bool arch_irqs_disabled(void)
{ return (arch_local_save_flags() & PPC_MSR_EE) == 0; }

/* For one negative control only (tests/irq/compiler_barrier.c): the same
 * instructions without the "memory" clobber, so that the compiler may move,
 * merge or drop memory accesses across them. Nothing else may use them. */
static inline void arch_local_irq_enable_noclobber(void)
{ __asm__ __volatile__("wrteei 1" : :); }
static inline void arch_local_irq_disable_noclobber(void)
{ __asm__ __volatile__("wrteei 0" : :); }
static inline unsigned long arch_local_irq_save_noclobber(void)
{
    unsigned long f;
    __asm__ __volatile__("mfmsr %0" : "=r"(f));
    arch_local_irq_disable_noclobber();
    return f;
}
static inline void arch_local_irq_restore_noclobber(unsigned long f)
{ __asm__ __volatile__("wrtee %0" :: "r"(f)); }

#endif
