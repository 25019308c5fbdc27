/* riscv64 read-modify-write primitives and the fences the generic layer
 * (include/atomic.h) uses, as Linux's RISC-V atomics (asm/atomic.h,
 * asm/cmpxchg.h) have them:
 *   - fetch ops and xchg are single AMOs (amoadd/amoand/amoor/amoxor/
 *     amoswap): _relaxed plain, fully ordered (_fence) .aqrl; _acquire and
 *     _release are the generic fallbacks, the relaxed AMO followed by
 *     "fence r, rw" / preceded by "fence rw, w" (RISCV_ACQUIRE_BARRIER,
 *     RISCV_RELEASE_BARRIER), as in Linux;
 *   - cmpxchg is an LR/SC loop: relaxed lr/sc; acquire lr/sc then
 *     "fence r, rw"; release "fence rw, w" then lr/sc; fully ordered lr,
 *     sc.rl then "fence rw, rw". A failed compare branches past the
 *     trailing fence. */
#ifndef ASM_RISCV64_ATOMIC_H
#define ASM_RISCV64_ATOMIC_H

#include <stdint.h>

#define ARCH_ATOMIC_FENCE_RMW 1
#define ARCH_ATOMIC_ORDERED_CMPXCHG 1

/* arch_fetch_<op><size><order>(p, v): old value. */
#define __RISCV_AMO(name, type, insn, sfx, order)                             \
static inline type arch_fetch_##name##order(type *p, type v)                   \
{                                                                              \
    type old;                                                                  \
    __asm__ __volatile__(insn "." sfx " %0, %2, %1"                            \
                         : "=r"(old), "+A"(*p) : "r"(v) : "memory");           \
    return old;                                                                \
}
#define __RISCV_AMO_ORDERS(name, type, insn, sz)                               \
    __RISCV_AMO(name, type, insn, sz, _relaxed)                                \
    __RISCV_AMO(name, type, insn, sz ".aqrl", _fence)

__RISCV_AMO_ORDERS(add32, uint32_t, "amoadd", "w")
__RISCV_AMO_ORDERS(and32, uint32_t, "amoand", "w")
__RISCV_AMO_ORDERS(or32, uint32_t, "amoor", "w")
__RISCV_AMO_ORDERS(xor32, uint32_t, "amoxor", "w")
__RISCV_AMO_ORDERS(add_long, unsigned long, "amoadd", "d")
__RISCV_AMO_ORDERS(and_long, unsigned long, "amoand", "d")
__RISCV_AMO_ORDERS(or_long, unsigned long, "amoor", "d")
__RISCV_AMO_ORDERS(xor_long, unsigned long, "amoxor", "d")

/* arch_xchg<size><order>(p, v): old value. */
#define __RISCV_XCHG(name, type, sfx, order)                                  \
static inline type arch_xchg##name##order(type *p, type v)                     \
{                                                                              \
    type old;                                                                  \
    __asm__ __volatile__("amoswap." sfx " %0, %2, %1"                          \
                         : "=r"(old), "+A"(*p) : "r"(v) : "memory");           \
    return old;                                                                \
}
__RISCV_XCHG(32, uint32_t, "w", _relaxed)
__RISCV_XCHG(32, uint32_t, "w.aqrl", _fence)
__RISCV_XCHG(_long, unsigned long, "d", _relaxed)
__RISCV_XCHG(_long, unsigned long, "d.aqrl", _fence)

/* arch_cmpxchg<size><order>(p, old, new): the value found. lr.w
 * sign-extends, so the expected 32-bit value is compared sign-extended
 * too. */
#define __RISCV_CMPXCHG(name, type, ctype, pre, lr, sc, post)                  \
static inline type arch_cmpxchg##name(type *p, type o, type n)                 \
{                                                                              \
    unsigned long found, fail;                                                 \
    __asm__ __volatile__(                                                      \
        "   " pre "\n"                                                         \
        "1: " lr " %0, %2\n"                                                   \
        "   bne  %0, %3, 2f\n"                                                 \
        "   " sc " %1, %z4, %2\n"                                              \
        "   bnez %1, 1b\n"                                                     \
        "   " post "\n"                                                        \
        "2:\n"                                                                 \
        : "=&r"(found), "=&r"(fail), "+A"(*p)                                  \
        : "r"((unsigned long)(ctype)o), "rJ"(n) : "memory");                   \
    return (type)found;                                                        \
}
#define __RISCV_CMPXCHG_ORDERS(name, type, ctype, sz)                          \
    __RISCV_CMPXCHG(name##_relaxed, type, ctype, "", "lr." sz, "sc." sz, "")   \
    __RISCV_CMPXCHG(name##_acquire, type, ctype, "", "lr." sz, "sc." sz, "fence r, rw") \
    __RISCV_CMPXCHG(name##_release, type, ctype, "fence rw, w", "lr." sz, "sc." sz, "") \
    __RISCV_CMPXCHG(name##_fence, type, ctype, "", "lr." sz, "sc." sz ".rl", "fence rw, rw")
__RISCV_CMPXCHG_ORDERS(32, uint32_t, int32_t, "w")
__RISCV_CMPXCHG_ORDERS(_long, unsigned long, long, "d")

/* ACQUIRE after / RELEASE before a relaxed RMW; full ordering around one. */
#define arch_atomic_acquire_fence()   __asm__ __volatile__("fence r, rw" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("fence rw, w" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("fence rw, rw" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("fence rw, rw" ::: "memory")

#endif
