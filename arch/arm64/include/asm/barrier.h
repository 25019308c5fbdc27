/* arm64 barriers, with the instruction choices of Linux's
 * arch/arm64/include/asm/barrier.h: full-system dsb for the mandatory
 * barriers (they must order against devices), outer-shareable dmb for
 * DMA, inner-shareable dmb for SMP, and stlr/ldar for release/acquire. */
#ifndef ASM_ARM64_BARRIER_H
#define ASM_ARM64_BARRIER_H

#define isb()       __asm__ __volatile__("isb" ::: "memory")
#define dmb(opt)    __asm__ __volatile__("dmb " #opt ::: "memory")
#define dsb(opt)    __asm__ __volatile__("dsb " #opt ::: "memory")

#define mb()        dsb(sy)
#define rmb()       dsb(ld)
#define wmb()       dsb(st)

#define dma_mb()    dmb(osh)
#define dma_rmb()   dmb(oshld)
#define dma_wmb()   dmb(oshst)

#define __smp_mb()  dmb(ish)
#define __smp_rmb() dmb(ishld)
#define __smp_wmb() dmb(ishst)

/* Any size Linux's arm64 allows (1, 2, 4, 8 bytes; virtio's ring indices
 * are 16-bit). SFX is the instruction's size suffix, W the operand's
 * register width ("w" or ""). */
#define __arm64_stlr(sfx, w, p, v, type) \
    __asm__ __volatile__("stlr" sfx " %" w "1, %0" : "=Q"(*(p)) : "rZ"((type)(unsigned long)(v)) : "memory")
#define __arm64_ldar(sfx, w, p, out) \
    __asm__ __volatile__("ldar" sfx " %" w "0, %1" : "=r"(out) : "Q"(*(p)) : "memory")

#define __smp_store_release(p, v) do {                                        \
    __typeof__(*(p)) __v = (v);                                               \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "store_release size"); \
    if (sizeof(*(p)) == 1)                                                    \
        __arm64_stlr("b", "w", p, __v, unsigned int);                         \
    else if (sizeof(*(p)) == 2)                                               \
        __arm64_stlr("h", "w", p, __v, unsigned int);                         \
    else if (sizeof(*(p)) == 4)                                               \
        __arm64_stlr("", "w", p, __v, unsigned int);                          \
    else                                                                      \
        __arm64_stlr("", "", p, __v, unsigned long);                          \
} while (0)

#define __smp_load_acquire(p) ({                                              \
    union { __typeof__(*(p)) v; unsigned long l; unsigned int i;              \
            unsigned short h; unsigned char b; } __u;                         \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "load_acquire size"); \
    if (sizeof(*(p)) == 1)                                                    \
        __arm64_ldar("b", "w", p, __u.b);                                     \
    else if (sizeof(*(p)) == 2)                                               \
        __arm64_ldar("h", "w", p, __u.h);                                     \
    else if (sizeof(*(p)) == 4)                                               \
        __arm64_ldar("", "w", p, __u.i);                                      \
    else                                                                      \
        __arm64_ldar("", "", p, __u.l);                                       \
    __u.v; })

#endif
