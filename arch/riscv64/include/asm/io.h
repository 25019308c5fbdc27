/* riscv64 MMIO: single lb/lh/lw/ld and sb/sh/sw/sd, with the fences
 * Linux's arch/riscv/include/asm/mmio.h puts around them. RISC-V orders
 * nothing between the memory and the I/O space by itself, so:
 *   readX():  fence i,ir after the load: the device read is complete
 *             before any later load (normal or I/O);
 *   writeX(): fence w,o before the store: earlier normal-memory stores
 *             (a DMA buffer) are visible to the device first; and
 *             fence o,w after it: the device store is ordered before a
 *             later normal store such as a spin_unlock (mmiowb, which
 *             the generic spinlocks do not issue themselves).
 * _relaxed forms are the bare access (same-device order comes from the
 * platform's I/O PMAs, as in Linux). */
#ifndef ASM_RISCV64_IO_H
#define ASM_RISCV64_IO_H

#include <stdint.h>

#define ARCH_HAS_IO64 1

static inline uint8_t __raw_readb(const volatile void *a)
{ uint8_t v; __asm__ __volatile__("lbu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint16_t __raw_readw(const volatile void *a)
{ uint16_t v; __asm__ __volatile__("lhu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint32_t __raw_readl(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint64_t __raw_readq(const volatile void *a)
{ uint64_t v; __asm__ __volatile__("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void __raw_writeb(uint8_t v, volatile void *a)
{ __asm__ __volatile__("sb %z0, 0(%1)" :: "rJ"(v), "r"(a) : "memory"); }
static inline void __raw_writew(uint16_t v, volatile void *a)
{ __asm__ __volatile__("sh %z0, 0(%1)" :: "rJ"(v), "r"(a) : "memory"); }
static inline void __raw_writel(uint32_t v, volatile void *a)
{ __asm__ __volatile__("sw %z0, 0(%1)" :: "rJ"(v), "r"(a) : "memory"); }
static inline void __raw_writeq(uint64_t v, volatile void *a)
{ __asm__ __volatile__("sd %z0, 0(%1)" :: "rJ"(v), "r"(a) : "memory"); }

/* For the io/ compiler-barrier negative control only: the 32-bit access
 * without the "memory" clobber, the mistake of a hand-written accessor.
 * GCC may then delete or move normal memory accesses around it, or reuse
 * a value loaded before it (tests/io/order.c shows that it does). */
static inline uint32_t __raw_readl_noclobber(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("lw %0, 0(%1)" : "=r"(v) : "r"(a)); return v; }
static inline void __raw_writel_noclobber(uint32_t v, volatile void *a)
{ __asm__ __volatile__("sw %z0, 0(%1)" :: "rJ"(v), "r"(a)); }

#define __io_br()   do { } while (0)
#define __io_ar(v)  do { (void)(v); __asm__ __volatile__("fence i, ir" ::: "memory"); } while (0)
#define __io_bw()   __asm__ __volatile__("fence w, o" ::: "memory")
#define __io_aw()   __asm__ __volatile__("fence o, w" ::: "memory")

/* Device stores before a following normal store (the lock release). */
#define mmiowb()    __asm__ __volatile__("fence o, w" ::: "memory")

#endif
