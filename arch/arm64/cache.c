/* arm64 data-cache maintenance by VA to the point of coherency. */
#include "cache.h"
#include "compiler.h"
#include <asm/processor.h>

size_t dcache_line_size(void)
{
    uint64_t ctr = read_sysreg(ctr_el0);
    return 4UL << ((ctr >> 16) & 0xf);      /* DminLine, in words */
}

#define DC_RANGE(fn, op)                                                    \
void fn(const void *start, size_t len)                                      \
{                                                                           \
    size_t line = dcache_line_size();                                       \
    uintptr_t p = ALIGN_DOWN((uintptr_t)start, line), end = (uintptr_t)start + len; \
    for (; p < end; p += line)                                              \
        __asm__ __volatile__("dc " #op ", %0" :: "r"(p) : "memory");        \
    __asm__ __volatile__("dsb sy" ::: "memory");                            \
}

DC_RANGE(dcache_clean_range, cvac)
DC_RANGE(dcache_inval_range, ivac)
DC_RANGE(dcache_clean_inval_range, civac)
