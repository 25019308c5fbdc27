/* ppc CPU-local helpers used by generic code. */
#ifndef ASM_PPC_PROCESSOR_H
#define ASM_PPC_PROCESSOR_H

#include <stdint.h>

/* HMT_low; HMT_medium, as Linux's cpu_relax(). qemu-system-ppc64 ends the
 * translation block on these `or rN,rN,rN` hints and lets other vCPUs run
 * (DESIGN.md section 6: spin loops must yield on 2 host cores). */
static inline void cpu_relax(void)
{ __asm__ __volatile__("or 1,1,1\n\tor 2,2,2" ::: "memory"); }

/* Sleep until an interrupt (head.S): opens MSR[EE] around `wait`, so a
 * pending interrupt is taken (and handled) inside; restores EE after. */
void arch_wfi(void);

/* The struct percpu * of this CPU lives in SPRG2. */
static inline void *arch_percpu_ptr(void)
{ void *p; __asm__ __volatile__("mfspr %0, 274" : "=r"(p)); return p; }
static inline void arch_set_percpu_ptr(void *p)
{ __asm__ __volatile__("mtspr 274, %0" :: "r"(p) : "memory"); }

#endif
