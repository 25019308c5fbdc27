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

/* stlr/ldar in the access's size (b, h, w or x register), as Linux's. */
#define __smp_store_release(p, v) do {                                        \
    __typeof__(*(p)) __v = (v);                                               \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "store_release size"); \
    switch (sizeof(*(p))) {                                                   \
    case 1:                                                                   \
        __asm__ __volatile__("stlrb %w1, %0" : "=Q"(*(p))                     \
                             : "rZ"((unsigned char)(unsigned long)__v) : "memory"); \
        break;                                                                \
    case 2:                                                                   \
        __asm__ __volatile__("stlrh %w1, %0" : "=Q"(*(p))                     \
                             : "rZ"((unsigned short)(unsigned long)__v) : "memory"); \
        break;                                                                \
    case 4:                                                                   \
        __asm__ __volatile__("stlr %w1, %0" : "=Q"(*(p))                      \
                             : "rZ"((unsigned int)(unsigned long)__v) : "memory"); \
        break;                                                                \
    default:                                                                  \
        __asm__ __volatile__("stlr %x1, %0" : "=Q"(*(p))                      \
                             : "rZ"((unsigned long)__v) : "memory");          \
        break;                                                                \
    }                                                                         \
} while (0)

#define __smp_load_acquire(p) ({                                              \
    union { __typeof__(*(p)) v; unsigned long l; unsigned int i;              \
            unsigned short h; unsigned char b; } __u;                         \
    _Static_assert(sizeof(*(p)) == 1 || sizeof(*(p)) == 2 ||                  \
                   sizeof(*(p)) == 4 || sizeof(*(p)) == 8, "load_acquire size"); \
    switch (sizeof(*(p))) {                                                   \
    case 1:                                                                   \
        __asm__ __volatile__("ldarb %w0, %1" : "=r"(__u.b) : "Q"(*(p)) : "memory"); \
        break;                                                                \
    case 2:                                                                   \
        __asm__ __volatile__("ldarh %w0, %1" : "=r"(__u.h) : "Q"(*(p)) : "memory"); \
        break;                                                                \
    case 4:                                                                   \
        __asm__ __volatile__("ldar %w0, %1" : "=r"(__u.i) : "Q"(*(p)) : "memory"); \
        break;                                                                \
    default:                                                                  \
        __asm__ __volatile__("ldar %0, %1" : "=r"(__u.l) : "Q"(*(p)) : "memory"); \
        break;                                                                \
    }                                                                         \
    __u.v; })

#endif
