/* ppc relaxed read-modify-write primitives (lwarx/stwcx.) and the fences
 * the generic layer wraps them in, as Linux's powerpc atomics do on a CPU
 * with lwsync: ACQUIRE = lwsync after the op (PPC_ACQUIRE_BARRIER, which
 * Linux patches from isync to lwsync on e500mc and later), RELEASE =
 * lwsync before it (PPC_RELEASE_BARRIER), fully ordered = sync on both
 * sides (PPC_ATOMIC_ENTRY/EXIT_BARRIER). This is a 32-bit image: long is
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

#define __PPC_CMPXCHG(name, type)                                            \
static inline type arch_cmpxchg##name(type *p, type o, type n)                 \
{                                                                              \
    type old;                                                                  \
    __asm__ __volatile__(                                                      \
        "1: lwarx   %0,0,%2\n"                                                 \
        "   cmpw    0,%0,%3\n"                                                 \
        "   bne-    2f\n"                                                      \
        "   stwcx.  %4,0,%2\n"                                                 \
        "   bne-    1b\n"                                                      \
        "2:\n"                                                                 \
        : "=&r"(old), "+m"(*p) : "r"(p), "r"(o), "r"(n) : "cc");               \
    return old;                                                                \
}
__PPC_CMPXCHG(32_relaxed, uint32_t)
__PPC_CMPXCHG(_long_relaxed, unsigned long)

#define arch_atomic_acquire_fence()   __asm__ __volatile__("lwsync" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("lwsync" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("sync" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("sync" ::: "memory")

#endif
