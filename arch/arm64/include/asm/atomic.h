/* arm64 relaxed read-modify-write primitives (LL/SC: ldxr/stxr) and the
 * fences the generic layer wraps them in. LL/SC rather than LSE so that
 * the same image runs on every ARMv8.0 core (cortex-a57/a72). The full
 * fence pair is "dmb ish" after the op, as Linux's LL/SC fallbacks give. */
#ifndef ASM_ARM64_ATOMIC_H
#define ASM_ARM64_ATOMIC_H

#include <stdint.h>

#define __ARM64_FETCH_OP(name, type, w, insn)                                \
static inline type arch_fetch_##name(type *p, type v)                          \
{                                                                              \
    type old, tmp; unsigned int fail;                                          \
    __asm__ __volatile__(                                                      \
        "1: ldxr  %" w "0, %3\n"                                               \
        "   " insn " %" w "1, %" w "0, %" w "4\n"                             \
        "   stxr  %w2, %" w "1, %3\n"                                          \
        "   cbnz  %w2, 1b\n"                                                   \
        : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(*p) : "r"(v));            \
    return old;                                                                \
}

__ARM64_FETCH_OP(add32_relaxed, uint32_t, "w", "add")
__ARM64_FETCH_OP(and32_relaxed, uint32_t, "w", "and")
__ARM64_FETCH_OP(or32_relaxed, uint32_t, "w", "orr")
__ARM64_FETCH_OP(xor32_relaxed, uint32_t, "w", "eor")
__ARM64_FETCH_OP(add_long_relaxed, unsigned long, "", "add")
__ARM64_FETCH_OP(and_long_relaxed, unsigned long, "", "and")
__ARM64_FETCH_OP(or_long_relaxed, unsigned long, "", "orr")
__ARM64_FETCH_OP(xor_long_relaxed, unsigned long, "", "eor")

#define __ARM64_XCHG(name, type, w)                                          \
static inline type arch_xchg##name(type *p, type v)                            \
{                                                                              \
    type old; unsigned int fail;                                               \
    __asm__ __volatile__(                                                      \
        "1: ldxr  %" w "0, %2\n"                                               \
        "   stxr  %w1, %" w "3, %2\n"                                          \
        "   cbnz  %w1, 1b\n"                                                   \
        : "=&r"(old), "=&r"(fail), "+Q"(*p) : "r"(v));                        \
    return old;                                                                \
}
__ARM64_XCHG(32_relaxed, uint32_t, "w")
__ARM64_XCHG(_long_relaxed, unsigned long, "")

#define __ARM64_CMPXCHG(name, type, w)                                       \
static inline type arch_cmpxchg##name(type *p, type o, type n)                 \
{                                                                              \
    type old; unsigned int fail;                                               \
    __asm__ __volatile__(                                                      \
        "1: ldxr  %" w "0, %2\n"                                               \
        "   cmp   %" w "0, %" w "3\n"                                          \
        "   b.ne  2f\n"                                                        \
        "   stxr  %w1, %" w "4, %2\n"                                          \
        "   cbnz  %w1, 1b\n"                                                   \
        "2:\n"                                                                 \
        : "=&r"(old), "=&r"(fail), "+Q"(*p) : "r"(o), "r"(n) : "cc");         \
    return old;                                                                \
}
__ARM64_CMPXCHG(32_relaxed, uint32_t, "w")
__ARM64_CMPXCHG(_long_relaxed, unsigned long, "")

/* ACQUIRE after / RELEASE before a relaxed RMW: dmb ish is stronger than
 * the ldaxr/stlxr forms Linux uses, and correct. */
#define arch_atomic_acquire_fence()   __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("dmb ish" ::: "memory")

#endif
