/* riscv64 read-modify-write primitives and the fences the generic layer
 * (include/atomic.h) uses, as Linux's RISC-V atomics do:
 *   - RMW ops are single AMOs (amoadd/amoand/amoor/amoxor/amoswap) and
 *     cmpxchg is an LR/SC loop;
 *   - _relaxed: no .aq/.rl; _acquire: .aq (cmpxchg: sc then fence r,rw);
 *     _release: .rl; _fence (fully ordered): .aqrl (cmpxchg: sc.rl then
 *     fence rw,rw), RVWMO's RCsc AMOs being fully ordered;
 *   - the fences for a generic layer that wraps _relaxed ops itself:
 *     ACQUIRE after an op fence r,rw, RELEASE before one fence rw,w, full
 *     ordering fence rw,rw on both sides.
 * ARCH_HAS_ORDERED_ATOMICS says the ordered forms exist, for a generic
 * layer that takes them (the proposed include/atomic.h change); without
 * it the generic layer gives the same guarantees with the fences. */
#ifndef ASM_RISCV64_ATOMIC_H
#define ASM_RISCV64_ATOMIC_H

#include <stdint.h>

#define ARCH_HAS_ORDERED_ATOMICS 1

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
    __RISCV_AMO(name, type, insn, sz ".aq", _acquire)                          \
    __RISCV_AMO(name, type, insn, sz ".rl", _release)                          \
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
__RISCV_XCHG(32, uint32_t, "w.aq", _acquire)
__RISCV_XCHG(32, uint32_t, "w.rl", _release)
__RISCV_XCHG(32, uint32_t, "w.aqrl", _fence)
__RISCV_XCHG(_long, unsigned long, "d", _relaxed)
__RISCV_XCHG(_long, unsigned long, "d.aq", _acquire)
__RISCV_XCHG(_long, unsigned long, "d.rl", _release)
__RISCV_XCHG(_long, unsigned long, "d.aqrl", _fence)

/* arch_cmpxchg<size><order>(p, old, new): the value found. LR/SC as in
 * Linux: relaxed lr/sc; acquire lr.aq ... sc (Linux: sc then fence r,rw);
 * release lr ... sc.rl; fully ordered lr ... sc.rl then fence rw,rw.
 * lr.w sign-extends, so the expected 32-bit value is compared
 * sign-extended too. */
#define __RISCV_CMPXCHG(name, type, ctype, lr, sc, post)                       \
static inline type arch_cmpxchg##name(type *p, type o, type n)                 \
{                                                                              \
    unsigned long found, fail;                                                 \
    __asm__ __volatile__(                                                      \
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
__RISCV_CMPXCHG(32_relaxed, uint32_t, int32_t, "lr.w", "sc.w", "")
__RISCV_CMPXCHG(32_acquire, uint32_t, int32_t, "lr.w", "sc.w", "fence r, rw")
__RISCV_CMPXCHG(32_release, uint32_t, int32_t, "lr.w", "sc.w.rl", "")
__RISCV_CMPXCHG(32_fence, uint32_t, int32_t, "lr.w", "sc.w.rl", "fence rw, rw")
__RISCV_CMPXCHG(_long_relaxed, unsigned long, long, "lr.d", "sc.d", "")
__RISCV_CMPXCHG(_long_acquire, unsigned long, long, "lr.d", "sc.d", "fence r, rw")
__RISCV_CMPXCHG(_long_release, unsigned long, long, "lr.d", "sc.d.rl", "")
__RISCV_CMPXCHG(_long_fence, unsigned long, long, "lr.d", "sc.d.rl", "fence rw, rw")

/* ACQUIRE after / RELEASE before a relaxed RMW; full ordering around one. */
#define arch_atomic_acquire_fence()   __asm__ __volatile__("fence r, rw" ::: "memory")
#define arch_atomic_release_fence()   __asm__ __volatile__("fence rw, w" ::: "memory")
#define arch_atomic_pre_full_fence()  __asm__ __volatile__("fence rw, rw" ::: "memory")
#define arch_atomic_post_full_fence() __asm__ __volatile__("fence rw, rw" ::: "memory")

#endif
