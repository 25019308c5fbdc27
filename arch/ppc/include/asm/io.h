/* ppc MMIO. Native accesses are big-endian; the generic readX/writeX are
 * little-endian (PCI) and byte-swap, the big-endian helpers do not. The
 * ordering hooks are those of Linux's arch/powerpc/include/asm/io.h:
 *   read:  sync; load; twi 0,v,0; isync   (the load completes - its value
 *          is known - before anything later starts)
 *   write: sync; store                    (earlier stores, e.g. a DMA
 *          buffer, and earlier MMIO are performed first)
 * The _relaxed forms are the ordered ones (ARCH_IO_RELAXED_IS_ORDERED):
 * the Power ISA performs guarded caching-inhibited loads in order among
 * themselves and stores among themselves, but may perform a store to a
 * device after a later load from it; Linux's ppc32 readl_relaxed() is
 * readl() for that reason.
 * Below the generic interface: in_/out_ accessors with Linux's names and
 * the same ordering, including the byte-reversing lhbrx/lwbrx/sthbrx/
 * stwbrx forms for little-endian (PCI) registers. No 64-bit accessors:
 * a 32-bit image has no single 64-bit load/store (ld/std). */
#ifndef ASM_PPC_IO_H
#define ASM_PPC_IO_H

#include <stdint.h>

#define ARCH_IO_RELAXED_IS_ORDERED 1
/* e500 inbound PCI windows snoop (PIWAR[SNOOP]) and the cores are coherent
 * among themselves: DMA is coherent without a "dma-coherent" in the DT, as
 * Linux's ppc32 assumes without CONFIG_NOT_COHERENT_CACHE. */
#define ARCH_DMA_DEFAULT_COHERENT 1

static inline uint8_t __raw_readb(const volatile void *a)
{ uint8_t v; __asm__ __volatile__("lbz %0,0(%1)" : "=r"(v) : "b"(a) : "memory"); return v; }
static inline uint16_t __raw_readw(const volatile void *a)
{ uint16_t v; __asm__ __volatile__("lhz %0,0(%1)" : "=r"(v) : "b"(a) : "memory"); return v; }
static inline uint32_t __raw_readl(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("lwz %0,0(%1)" : "=r"(v) : "b"(a) : "memory"); return v; }
static inline void __raw_writeb(uint8_t v, volatile void *a)
{ __asm__ __volatile__("stb %0,0(%1)" :: "r"(v), "b"(a) : "memory"); }
static inline void __raw_writew(uint16_t v, volatile void *a)
{ __asm__ __volatile__("sth %0,0(%1)" :: "r"(v), "b"(a) : "memory"); }
static inline void __raw_writel(uint32_t v, volatile void *a)
{ __asm__ __volatile__("stw %0,0(%1)" :: "r"(v), "b"(a) : "memory"); }

/* For the io/ compiler-barrier negative control only: the 32-bit access
 * without the "memory" clobber, the mistake of a hand-written accessor.
 * GCC may then delete or move normal memory accesses around it, or reuse
 * a value loaded before it (tests/io/order.c shows that it does). */
static inline uint32_t __raw_readl_noclobber(const volatile void *a)
{ uint32_t v; __asm__ __volatile__("lwz %0,0(%1)" : "=r"(v) : "b"(a)); return v; }
static inline void __raw_writel_noclobber(uint32_t v, volatile void *a)
{ __asm__ __volatile__("stw %0,0(%1)" :: "r"(v), "b"(a)); }

#define __io_br()   __asm__ __volatile__("sync" ::: "memory")
#define __io_ar(v)  __asm__ __volatile__("twi 0,%0,0\n\tisync" :: "r"(v) : "memory")
#define __io_bw()   __asm__ __volatile__("sync" ::: "memory")
#define __io_aw()   do { } while (0)

/* A writeX() under a spinlock is not ordered before the unlocking store
 * by the lock's lwsync (lwsync does not cover cache-inhibited stores);
 * mmiowb() is the sync that does it. */
#define mmiowb()    __asm__ __volatile__("sync" ::: "memory")

#define __PPC_MMIO_IN(name, type, insn)                                      \
static inline type name(const volatile void *a)                                \
{                                                                              \
    type v;                                                                    \
    __asm__ __volatile__("sync\n\t" insn " %0,0,%1\n\ttwi 0,%0,0\n\tisync"      \
                         : "=r"(v) : "r"(a) : "memory");                       \
    return v;                                                                  \
}
#define __PPC_MMIO_OUT(name, type, insn)                                     \
static inline void name(volatile void *a, type v)                              \
{                                                                              \
    __asm__ __volatile__("sync\n\t" insn " %0,0,%1" :: "r"(v), "r"(a) : "memory"); \
}
__PPC_MMIO_IN(in_8, uint8_t, "lbzx")
__PPC_MMIO_IN(in_be16, uint16_t, "lhzx")
__PPC_MMIO_IN(in_be32, uint32_t, "lwzx")
__PPC_MMIO_IN(in_le16, uint16_t, "lhbrx")
__PPC_MMIO_IN(in_le32, uint32_t, "lwbrx")
__PPC_MMIO_OUT(out_8, uint8_t, "stbx")
__PPC_MMIO_OUT(out_be16, uint16_t, "sthx")
__PPC_MMIO_OUT(out_be32, uint32_t, "stwx")
__PPC_MMIO_OUT(out_le16, uint16_t, "sthbrx")
__PPC_MMIO_OUT(out_le32, uint32_t, "stwbrx")

#endif
