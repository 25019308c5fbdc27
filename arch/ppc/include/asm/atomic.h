/* ppc relaxed read-modify-write primitives (lwarx/stwcx.) and the fences
 * the generic layer wraps them in, as Linux's powerpc atomics do on a CPU
 * with lwsync: ACQUIRE = lwsync after the op (PPC_ACQUIRE_BARRIER, which
 * Linux patches from isync to lwsync on e500mc and later), RELEASE =
 * lwsync before it (PPC_RELEASE_BARRIER), fully ordered = sync on both
 * sides (the generic fallback's smp_mb() pair; for cmpxchg, Linux's own
 * PPC_ATOMIC_ENTRY/EXIT_BARRIER, below). This is a 32-bit image: long is
 * 32 bits, so the _long forms are the 32-bit ones. */
#ifndef ASM_PPC_ATOMIC_H
#define ASM_PPC_ATOMIC_H

#include <stdint.h>

#define __PPC_FETCH_OP(name, type, insn)                                     \
static inline type arch_fetch_##name(type *p, type v)                          \
{                                                                              \
    type old, tmp;                                                             \
    __asm__ __volatile__(                                                      \
        "1: lwarx   %0,0,%3\n"                                                 \
        "   " insn " %1,%0,%4\n"                                               \
        "   stwcx.  %1,0,%3\n"                                                 \
        "   bne-    1b\n"                                                      \
        : "=&r"(old), "=&r"(tmp), "+m"(*p) : "r"(p), "r"(v) : "cc");          \
    return old;                                                                \
}

__PPC_FETCH_OP(add32_relaxed, uint32_t, "add")
__PPC_FETCH_OP(and32_relaxed, uint32_t, "and")
__PPC_FETCH_OP(or32_relaxed, uint32_t, "or")
__PPC_FETCH_OP(xor32_relaxed, uint32_t, "xor")
__PPC_FETCH_OP(add_long_relaxed, unsigned long, "add")
__PPC_FETCH_OP(and_long_relaxed, unsigned long, "and")
__PPC_FETCH_OP(or_long_relaxed, unsigned long, "or")
__PPC_FETCH_OP(xor_long_relaxed, unsigned long, "xor")

#define __PPC_XCHG(name, type)                                               \
static inline type arch_xchg##name(type *p, type v)                            \
{                                                                              \
    type old;                                                                  \
    __asm__ __volatile__(                                                      \
        "1: lwarx   %0,0,%2\n"                                                 \
        "   stwcx.  %3,0,%2\n"                                                 \
        "   bne-    1b\n"                                                      \
        : "=&r"(old), "+m"(*p) : "r"(p), "r"(v) : "cc");                       \
    return old;                                                                \
}
__PPC_XCHG(32_relaxed, uint32_t)
__PPC_XCHG(_long_relaxed, unsigned long)

/* arch_cmpxchg<size>_<order>(p, o, n): the value found. As Linux's
 * __cmpxchg_u32*: fully ordered = sync before (PPC_ATOMIC_ENTRY_BARRIER)
 * and sync after (PPC_ATOMIC_EXIT_BARRIER), acquire = lwsync after
 * (PPC_ACQUIRE_BARRIER on a core with lwsync), release = lwsync before
 * (PPC_RELEASE_BARRIER); the barrier after the loop is skipped when the
 * compare fails (bne- 2f jumps past it). */
#define __PPC_CMPXCHG(name, type, pre, post)                                 \
static inline type arch_cmpxchg##name(type *p, type o, type n)                 \
{                                                                              \
    type old;                                                                  \
    __asm__ __volatile__(                                                      \
        pre "\n"                                                               \
        "1: lwarx   %0,0,%2\n"                                                 \
        "   cmpw    0,%0,%3\n"                                                 \
        "   bne-    2f\n"                                                      \
        "   stwcx.  %4,0,%2\n"                                                 \
        "   bne-    1b\n"                                                      \
        post "\n"                                                              \
        "2:\n"                                                                 \
        : "=&r"(old), "+m"(*p) : "r"(p), "r"(o), "r"(n) : "cc", "memory");     \
    return old;                                                                \
}
#define __PPC_CMPXCHG_ORDERS(name, type)                                     \
    __PPC_CMPXCHG(name##_relaxed, type, "", "")                                \
    __PPC_CMPXCHG(name##_acquire, type, "", "lwsync")                          \
    __PPC_CMPXCHG(name##_release, type, "lwsync", "")                          \
    __PPC_CMPXCHG(name##_fence, type, "sync", "sync")
#define ARCH_ATOMIC_ORDERED_CMPXCHG 1
__PPC_CMPXCHG_ORDERS(32, uint32_t)
__PPC_CMPXCHG_ORDERS(_long, unsigned long)

#define arch_atomic_acquire_fence()   __asm__ __volatile__("lwsync" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("lwsync" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("sync" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("sync" ::: "memory")

#endif
