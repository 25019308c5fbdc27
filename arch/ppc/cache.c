/* ppc data-cache maintenance by VA range: dcbst (clean), dcbf (clean +
 * invalidate, and invalidate: see below), then sync. The
 * stride is 32 bytes, the smallest block of the e500 family, so it is
 * right on every core whatever the real block (64 bytes on e500mc, e5500
 * and e6500; QEMU's e6500 model says 32); dcache_line_size() reports the
 * device tree's d-cache-line-size (64 by default), the alignment a DMA
 * buffer needs. QEMU models no caches: these only have to be legal. */
#include "cache.h"
#include "compiler.h"

#define STRIDE 32
size_t ppc_dcache_line = 64;

size_t dcache_line_size(void) { return ppc_dcache_line; }

#define DC_RANGE(fn, insn)                                                  \
void fn(const void *start, size_t len)                                      \
{                                                                           \
    uintptr_t p = ALIGN_DOWN((uintptr_t)start, STRIDE), end = (uintptr_t)start + len; \
    for (; p < end; p += STRIDE)                                            \
        __asm__ __volatile__(insn " 0,%0" :: "r"(p) : "memory");            \
    __asm__ __volatile__("sync" ::: "memory");                              \
}

DC_RANGE(dcache_clean_range, "dcbst")
/* Invalidation by dcbf, not dcbi: every caller is a DMA path, where a line
 * the CPU has not written since the buffer was mapped is clean, and dcbf
 * then discards it as dcbi would. QEMU executes dcbi as a load and a store
 * of a byte, which undoes a device write landing between the two (the
 * dma-maintenance control lost an edu round trip in 1 of ~7 runs). */
DC_RANGE(dcache_inval_range, "dcbf")
DC_RANGE(dcache_clean_inval_range, "dcbf")
