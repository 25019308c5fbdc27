/* riscv64 CPU-local helpers used by generic code, and CSR access for the
 * arch files. tp holds the per-CPU pointer (the compiler never allocates
 * it); sscratch holds the hart id from entry (arch_boot_hwid). */
#ifndef ASM_RISCV64_PROCESSOR_H
#define ASM_RISCV64_PROCESSOR_H

#include <stdint.h>

/* Zihintpause `pause` (a FENCE hint, so harmless where not implemented):
 * QEMU ends the translation block on it, letting other vCPUs run
 * (DESIGN.md section 6). Spelled as a word for older assemblers. */
static inline void cpu_relax(void) { __asm__ __volatile__(".4byte 0x0100000f" ::: "memory"); }
static inline void arch_wfi(void) { __asm__ __volatile__("wfi" ::: "memory"); }

static inline void *arch_percpu_ptr(void)
{ void *p; __asm__ __volatile__("mv %0, tp" : "=r"(p)); return p; }
static inline void arch_set_percpu_ptr(void *p)
{ __asm__ __volatile__("mv tp, %0" :: "r"(p) : "memory"); }

#define csr_read(csr) ({ unsigned long __v;                                   \
    __asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) \
    __asm__ __volatile__("csrw " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) \
    __asm__ __volatile__("csrs " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) \
    __asm__ __volatile__("csrc " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")

static inline void local_flush_tlb_all(void) { __asm__ __volatile__("sfence.vma" ::: "memory"); }

#endif
