/* arm64 CPU-local helpers used by generic code. */
#ifndef ASM_ARM64_PROCESSOR_H
#define ASM_ARM64_PROCESSOR_H

#include <stdint.h>

/* `yield` tells QEMU's TCG to let other vCPUs run (DESIGN.md section 6). */
static inline void cpu_relax(void) { __asm__ __volatile__("yield" ::: "memory"); }
static inline void arch_wfi(void) { __asm__ __volatile__("dsb sy\n wfi" ::: "memory"); }

static inline void *arch_percpu_ptr(void)
{ void *p; __asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(p)); return p; }
static inline void arch_set_percpu_ptr(void *p)
{ __asm__ __volatile__("msr tpidr_el1, %0" :: "r"(p) : "memory"); }

#define read_sysreg(r) ({ uint64_t __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ __volatile__("msr " #r ", %x0" :: "rZ"((uint64_t)(v)) : "memory")

#endif
