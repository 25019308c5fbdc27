/* arm64 MMIO: single ldr/str of each size, and Linux's ordering hooks:
 * writeX() is preceded by a dma_wmb-strength barrier (dmb oshst) so normal
 * stores (a DMA buffer) are visible first; readX() is followed by dmb oshld
 * so it completes before later loads. */
#ifndef ASM_ARM64_IO_H
#define ASM_ARM64_IO_H

#include <stdint.h>

#define ARCH_HAS_IO64 1

static inline uint8_t __raw_readb(const volatile void *a)
{ uint8_t v; __asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint16_t __raw_readw(const volatile void *a)
{ uint16_t v; __asm__ __volatile__("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint32_t __raw_readl(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint64_t __raw_readq(const volatile void *a)
{ uint64_t v; __asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void __raw_writeb(uint8_t v, volatile void *a)
{ __asm__ __volatile__("strb %w0, [%1]" :: "rZ"(v), "r"(a) : "memory"); }
static inline void __raw_writew(uint16_t v, volatile void *a)
{ __asm__ __volatile__("strh %w0, [%1]" :: "rZ"(v), "r"(a) : "memory"); }
static inline void __raw_writel(uint32_t v, volatile void *a)
{ __asm__ __volatile__("str %w0, [%1]" :: "rZ"(v), "r"(a) : "memory"); }
static inline void __raw_writeq(uint64_t v, volatile void *a)
{ __asm__ __volatile__("str %x0, [%1]" :: "rZ"(v), "r"(a) : "memory"); }

/* For the io/ compiler-barrier negative control only: the 32-bit access
 * without the "memory" clobber, the mistake of a hand-written accessor.
 * GCC may then delete or move normal memory accesses around it, or reuse
 * a value loaded before it (tests/io/order.c shows that it does). */
static inline uint32_t __raw_readl_noclobber(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a)); return v; }
static inline void __raw_writel_noclobber(uint32_t v, volatile void *a)
{ __asm__ __volatile__("str %w0, [%1]" :: "rZ"(v), "r"(a)); }

#define __io_br()   do { } while (0)
#define __io_ar(v)  do { (void)(v); __asm__ __volatile__("dmb oshld" ::: "memory"); } while (0)
#define __io_bw()   __asm__ __volatile__("dmb oshst" ::: "memory")
#define __io_aw()   do { } while (0)

#endif
