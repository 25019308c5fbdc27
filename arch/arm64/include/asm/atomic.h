/* arm64 read-modify-write primitives, every order, as Linux's arm64
 * atomics are (asm/atomic_ll_sc.h, asm/atomic_lse.h, asm/cmpxchg.h):
 *  - LL/SC (ARMv8.0, e.g. cortex-a57/a72): relaxed ldxr/stxr; acquire
 *    ldaxr/stxr; release ldxr/stlxr; fully ordered ldxr/stlxr then
 *    "dmb ish". A cmpxchg whose compare fails branches past its
 *    barrier: it orders nothing, as memory-barriers.txt allows.
 *  - LSE (ARMv8.1 atomics, e.g. -cpu max): one instruction per op,
 *    ldadd/ldclr/ldset/ldeor, swp, cas, with no suffix (relaxed), "a"
 *    (acquire), "l" (release) or "al" (fully ordered), no barrier.
 * Which one runs is chosen at boot from ID_AA64ISAR0_EL1.Atomic
 * (arch/arm64/mmu.c sets arm64_lse_atomics once the MMU is on; until then
 * LL/SC, which every core has), as Linux's alternatives patch it. */
#ifndef ASM_ARM64_ATOMIC_H
#define ASM_ARM64_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_ATOMIC_ACQREL_RMW 1
#define ARCH_ATOMIC_FENCE_RMW 1
#define ARCH_ATOMIC_ORDERED_CMPXCHG 1

/* The cores have the LSE atomics and the image uses them. */
extern bool arm64_lse_atomics;

#define __LSE_PREAMBLE ".arch_extension lse\n"

/* One order, as Linux names its pieces: the LL/SC load and store
 * suffixes, the barrier after a successful LL/SC op, the LSE suffix. */
#define __ARM64_ORDERS(X, ...)                                               \
    X(__VA_ARGS__, relaxed, , , , )                                          \
    X(__VA_ARGS__, acquire, a, , , a)                                        \
    X(__VA_ARGS__, release, , l, , l)                                        \
    X(__VA_ARGS__, fence, , l, dmb ish, al)

/* arch_fetch_<op><size>_<order>(p, v): the old value. LSE has no "and":
 * ldclr clears the bits set in its operand, so it takes ~v (lse_not). */
#define __ARM64_FETCH_OP(name, type, w, llsc, lse, lse_not, order, acq, rel, mb, al) \
static inline type arch_fetch_##name##_##order(type *p, type v)               \
{                                                                              \
    type old, tmp; unsigned int fail;                                          \
    if (arm64_lse_atomics) {                                                   \
        __asm__ __volatile__(__LSE_PREAMBLE                                    \
            "   " lse #al " %" w "2, %" w "0, %1\n"                            \
            : "=r"(old), "+Q"(*p) : "r"(lse_not v) : "memory");                \
        return old;                                                            \
    }                                                                          \
    __asm__ __volatile__(                                                      \
        "   prfm  pstl1strm, %3\n"                                             \
        "1: ld" #acq "xr %" w "0, %3\n"                                        \
        "   " llsc " %" w "1, %" w "0, %" w "4\n"                             \
        "   st" #rel "xr %w2, %" w "1, %3\n"                                   \
        "   cbnz  %w2, 1b\n"                                                   \
        "   " #mb "\n"                                                         \
        : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(*p) : "r"(v) : "memory"); \
    return old;                                                                \
}
__ARM64_ORDERS(__ARM64_FETCH_OP, add32, uint32_t, "w", "add", "ldadd", )
__ARM64_ORDERS(__ARM64_FETCH_OP, and32, uint32_t, "w", "and", "ldclr", ~)
__ARM64_ORDERS(__ARM64_FETCH_OP, or32, uint32_t, "w", "orr", "ldset", )
__ARM64_ORDERS(__ARM64_FETCH_OP, xor32, uint32_t, "w", "eor", "ldeor", )
__ARM64_ORDERS(__ARM64_FETCH_OP, add_long, unsigned long, "", "add", "ldadd", )
__ARM64_ORDERS(__ARM64_FETCH_OP, and_long, unsigned long, "", "and", "ldclr", ~)
__ARM64_ORDERS(__ARM64_FETCH_OP, or_long, unsigned long, "", "orr", "ldset", )
__ARM64_ORDERS(__ARM64_FETCH_OP, xor_long, unsigned long, "", "eor", "ldeor", )

/* arch_xchg<size>_<order>(p, v): the old value. */
#define __ARM64_XCHG(name, type, w, order, acq, rel, mb, al)                 \
static inline type arch_xchg##name##_##order(type *p, type v)                  \
{                                                                              \
    type old; unsigned int fail;                                               \
    if (arm64_lse_atomics) {                                                   \
        __asm__ __volatile__(__LSE_PREAMBLE                                    \
            "   swp" #al " %" w "2, %" w "0, %1\n"                             \
            : "=r"(old), "+Q"(*p) : "r"(v) : "memory");                        \
        return old;                                                            \
    }                                                                          \
    __asm__ __volatile__(                                                      \
        "   prfm  pstl1strm, %2\n"                                             \
        "1: ld" #acq "xr %" w "0, %2\n"                                        \
        "   st" #rel "xr %w1, %" w "3, %2\n"                                   \
        "   cbnz  %w1, 1b\n"                                                   \
        "   " #mb "\n"                                                         \
        : "=&r"(old), "=&r"(fail), "+Q"(*p) : "r"(v) : "memory");             \
    return old;                                                                \
}
__ARM64_ORDERS(__ARM64_XCHG, 32, uint32_t, "w")
__ARM64_ORDERS(__ARM64_XCHG, _long, unsigned long, "")

/* arch_cmpxchg<size>_<order>(p, o, n): the value found. LL/SC: a failed
 * compare leaves by 2f, past the barrier. */
#define __ARM64_CMPXCHG(name, type, w, order, acq, rel, mb, al)              \
static inline type arch_cmpxchg##name##_##order(type *p, type o, type n)       \
{                                                                              \
    type old, tmp;                                                             \
    if (arm64_lse_atomics) {                                                   \
        tmp = o;                                                               \
        __asm__ __volatile__(__LSE_PREAMBLE                                    \
            "   cas" #al " %" w "0, %" w "2, %1\n"                             \
            : "+r"(tmp), "+Q"(*p) : "r"(n) : "memory");                        \
        return tmp;                                                            \
    }                                                                          \
    __asm__ __volatile__(                                                      \
        "   prfm  pstl1strm, %2\n"                                             \
        "1: ld" #acq "xr %" w "0, %2\n"                                        \
        "   eor   %" w "1, %" w "0, %" w "3\n"                                 \
        "   cbnz  %" w "1, 2f\n"                                               \
        "   st" #rel "xr %w1, %" w "4, %2\n"                                   \
        "   cbnz  %w1, 1b\n"                                                   \
        "   " #mb "\n"                                                         \
        "2:\n"                                                                 \
        : "=&r"(old), "=&r"(tmp), "+Q"(*p) : "r"(o), "r"(n) : "memory");      \
    return old;                                                                \
}
__ARM64_ORDERS(__ARM64_CMPXCHG, 32, uint32_t, "w")
__ARM64_ORDERS(__ARM64_CMPXCHG, _long, unsigned long, "")

/* Fences for whatever the generic layer still wraps itself (nothing on
 * arm64 now: every order above is the arch's own). */
#define arch_atomic_acquire_fence()   __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("dmb ish" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("dmb ish" ::: "memory")

#endif
