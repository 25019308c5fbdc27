/* Atomic operations with the ordering memory-barriers.txt gives them.
 *
 * The arch supplies only relaxed (unordered) read-modify-write primitives
 * on 32-bit and native-long words, and four fences, the way Linux's
 * atomic fallbacks are built:
 *   arch_atomic_acquire_fence()   after a relaxed op  -> ACQUIRE
 *   arch_atomic_release_fence()   before a relaxed op -> RELEASE
 *   arch_atomic_pre_full_fence()  / arch_atomic_post_full_fence()
 *                                 around a relaxed op -> fully ordered
 * An arch whose RMW instructions carry the ordering themselves also
 * supplies the _acquire/_release/_fence forms of a family (see below);
 * they are then used instead, as Linux's arch overrides are.
 * Everything else is derived here, once for all arches:
 *  - value-returning ops (xchg, cmpxchg, *_return, fetch_*, *_and_test,
 *    test_and_*_bit) are fully ordered;
 *  - atomic_inc/dec/add/sub/and/or and set_bit/clear_bit are unordered;
 *  - test_and_set_bit_lock is ACQUIRE, clear_bit_unlock is RELEASE.
 * The fences stay real in a uniprocessor build: the image's own locks and
 * rendezvous still span real cores there (only smp_*() degrade).
 */
#ifndef ORDERLY_ATOMIC_H
#define ORDERLY_ATOMIC_H

#include "barrier.h"
#include <asm/atomic.h>

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i) { (i) }

#define atomic_read(v)        READ_ONCE((v)->counter)
#define atomic_set(v, i)      WRITE_ONCE((v)->counter, (i))
#define atomic_read_acquire(v)      smp_load_acquire(&(v)->counter)
#define atomic_set_release(v, i)    smp_store_release(&(v)->counter, (i))
#define atomic_long_read(v)   READ_ONCE((v)->counter)
#define atomic_long_set(v, i) WRITE_ONCE((v)->counter, (i))

/* ---- ordering wrappers around a relaxed expression ---- */
#define __atomic_op_acquire(expr) ({ __typeof__(expr) __r = (expr); arch_atomic_acquire_fence(); __r; })
#define __atomic_op_release(expr) ({ arch_atomic_release_fence(); (expr); })
#define __atomic_op_fence(expr)   ({ __typeof__(expr) __r; arch_atomic_pre_full_fence(); \
                                     __r = (expr); arch_atomic_post_full_fence(); __r; })

/* ---- ordered primitives: the arch's own, or a relaxed op in fences ----
 * As in Linux's atomic fallbacks, an arch supplies the ordered forms it
 * has instructions for and says so per family; the rest are built here
 * from _relaxed and the four fences:
 *   ARCH_ATOMIC_ACQREL_RMW       fetch ops and xchg: _acquire, _release
 *                                (arm64: ldaxr/stlxr, LSE ...a/...l)
 *   ARCH_ATOMIC_FENCE_RMW        fetch ops and xchg: _fence (arm64:
 *                                stlxr + dmb ish or LSE ...al; riscv .aqrl)
 *   ARCH_ATOMIC_ORDERED_CMPXCHG  cmpxchg: _acquire, _release, _fence, whose
 *                                trailing barrier a failed compare skips
 *                                (every arch here, as in Linux)
 * The fallbacks order even a failed cmpxchg (a fence on both sides), as
 * Linux's generic fallbacks do. */
#define __ATOMIC_ORDERED_2(prim, type, order, wrap)                                  \
static inline type arch_##prim##_##order(type *p, type v)                          \
{ return wrap(arch_##prim##_relaxed(p, v)); }
#define __ATOMIC_ORDERED_3(prim, type, order, wrap)                                  \
static inline type arch_##prim##_##order(type *p, type o, type n)                  \
{ return wrap(arch_##prim##_relaxed(p, o, n)); }
/* One order of every fetch op and xchg. */
#define __ATOMIC_RMW_ORDER(order, wrap)                                              \
    __ATOMIC_ORDERED_2(fetch_add32, uint32_t, order, wrap)                           \
    __ATOMIC_ORDERED_2(fetch_and32, uint32_t, order, wrap)                           \
    __ATOMIC_ORDERED_2(fetch_or32, uint32_t, order, wrap)                            \
    __ATOMIC_ORDERED_2(fetch_xor32, uint32_t, order, wrap)                           \
    __ATOMIC_ORDERED_2(fetch_add_long, unsigned long, order, wrap)                   \
    __ATOMIC_ORDERED_2(fetch_and_long, unsigned long, order, wrap)                   \
    __ATOMIC_ORDERED_2(fetch_or_long, unsigned long, order, wrap)                    \
    __ATOMIC_ORDERED_2(fetch_xor_long, unsigned long, order, wrap)                   \
    __ATOMIC_ORDERED_2(xchg32, uint32_t, order, wrap)                                \
    __ATOMIC_ORDERED_2(xchg_long, unsigned long, order, wrap)
#ifndef ARCH_ATOMIC_ACQREL_RMW
__ATOMIC_RMW_ORDER(acquire, __atomic_op_acquire)
__ATOMIC_RMW_ORDER(release, __atomic_op_release)
#endif
#ifndef ARCH_ATOMIC_FENCE_RMW
__ATOMIC_RMW_ORDER(fence, __atomic_op_fence)
#endif
#ifndef ARCH_ATOMIC_ORDERED_CMPXCHG
__ATOMIC_ORDERED_3(cmpxchg32, uint32_t, acquire, __atomic_op_acquire)
__ATOMIC_ORDERED_3(cmpxchg32, uint32_t, release, __atomic_op_release)
__ATOMIC_ORDERED_3(cmpxchg32, uint32_t, fence, __atomic_op_fence)
__ATOMIC_ORDERED_3(cmpxchg_long, unsigned long, acquire, __atomic_op_acquire)
__ATOMIC_ORDERED_3(cmpxchg_long, unsigned long, release, __atomic_op_release)
__ATOMIC_ORDERED_3(cmpxchg_long, unsigned long, fence, __atomic_op_fence)
#endif

/* ---- generic "fetch" family for int, from arch_fetch_<op>32_relaxed ---- */
#define __ATOMIC_FETCH_OPS(op, aop)                                                   \
static inline int atomic_fetch_##op##_relaxed(int i, atomic_t *v)                    \
{ return (int)arch_fetch_##aop##32_relaxed((uint32_t *)&v->counter, (uint32_t)i); } \
static inline int atomic_fetch_##op##_acquire(int i, atomic_t *v)                    \
{ return (int)arch_fetch_##aop##32_acquire((uint32_t *)&v->counter, (uint32_t)i); } \
static inline int atomic_fetch_##op##_release(int i, atomic_t *v)                    \
{ return (int)arch_fetch_##aop##32_release((uint32_t *)&v->counter, (uint32_t)i); } \
static inline int atomic_fetch_##op(int i, atomic_t *v)                              \
{ return (int)arch_fetch_##aop##32_fence((uint32_t *)&v->counter, (uint32_t)i); }   \
static inline long atomic_long_fetch_##op##_relaxed(long i, atomic_long_t *v)        \
{ return (long)arch_fetch_##aop##_long_relaxed((unsigned long *)&v->counter,         \
                                               (unsigned long)i); }                  \
static inline long atomic_long_fetch_##op(long i, atomic_long_t *v)                  \
{ return (long)arch_fetch_##aop##_long_fence((unsigned long *)&v->counter,           \
                                             (unsigned long)i); }                    \
static inline long atomic_long_fetch_##op##_acquire(long i, atomic_long_t *v)        \
{ return (long)arch_fetch_##aop##_long_acquire((unsigned long *)&v->counter,         \
                                               (unsigned long)i); }                  \
static inline long atomic_long_fetch_##op##_release(long i, atomic_long_t *v)        \
{ return (long)arch_fetch_##aop##_long_release((unsigned long *)&v->counter,         \
                                               (unsigned long)i); }

__ATOMIC_FETCH_OPS(add, add)
__ATOMIC_FETCH_OPS(and, and)
__ATOMIC_FETCH_OPS(or, or)
__ATOMIC_FETCH_OPS(xor, xor)

static inline int atomic_fetch_sub_relaxed(int i, atomic_t *v) { return atomic_fetch_add_relaxed(-i, v); }
static inline int atomic_fetch_sub_acquire(int i, atomic_t *v) { return atomic_fetch_add_acquire(-i, v); }
static inline int atomic_fetch_sub_release(int i, atomic_t *v) { return atomic_fetch_add_release(-i, v); }
static inline int atomic_fetch_sub(int i, atomic_t *v)         { return atomic_fetch_add(-i, v); }
static inline int atomic_fetch_andnot_relaxed(int i, atomic_t *v) { return atomic_fetch_and_relaxed(~i, v); }
static inline int atomic_fetch_andnot_acquire(int i, atomic_t *v) { return atomic_fetch_and_acquire(~i, v); }
static inline int atomic_fetch_andnot_release(int i, atomic_t *v) { return atomic_fetch_and_release(~i, v); }
static inline int atomic_fetch_andnot(int i, atomic_t *v)      { return atomic_fetch_and(~i, v); }

/* Unordered, non-value-returning: no fences at all. */
static inline void atomic_add(int i, atomic_t *v) { (void)atomic_fetch_add_relaxed(i, v); }
static inline void atomic_sub(int i, atomic_t *v) { (void)atomic_fetch_add_relaxed(-i, v); }
static inline void atomic_inc(atomic_t *v)        { (void)atomic_fetch_add_relaxed(1, v); }
static inline void atomic_dec(atomic_t *v)        { (void)atomic_fetch_add_relaxed(-1, v); }
static inline void atomic_and(int i, atomic_t *v) { (void)atomic_fetch_and_relaxed(i, v); }
static inline void atomic_or(int i, atomic_t *v)  { (void)atomic_fetch_or_relaxed(i, v); }
static inline void atomic_xor(int i, atomic_t *v) { (void)atomic_fetch_xor_relaxed(i, v); }
static inline void atomic_andnot(int i, atomic_t *v) { (void)atomic_fetch_and_relaxed(~i, v); }
static inline void atomic_long_inc(atomic_long_t *v) { (void)atomic_long_fetch_add_relaxed(1, v); }
static inline void atomic_long_add(long i, atomic_long_t *v) { (void)atomic_long_fetch_add_relaxed(i, v); }

/* *_return: new value; fully ordered unless suffixed. */
static inline int atomic_add_return_relaxed(int i, atomic_t *v) { return atomic_fetch_add_relaxed(i, v) + i; }
static inline int atomic_add_return_acquire(int i, atomic_t *v) { return atomic_fetch_add_acquire(i, v) + i; }
static inline int atomic_add_return_release(int i, atomic_t *v) { return atomic_fetch_add_release(i, v) + i; }
static inline int atomic_add_return(int i, atomic_t *v)         { return atomic_fetch_add(i, v) + i; }
static inline int atomic_sub_return_relaxed(int i, atomic_t *v) { return atomic_fetch_add_relaxed(-i, v) - i; }
static inline int atomic_sub_return_acquire(int i, atomic_t *v) { return atomic_fetch_add_acquire(-i, v) - i; }
static inline int atomic_sub_return_release(int i, atomic_t *v) { return atomic_fetch_add_release(-i, v) - i; }
static inline int atomic_sub_return(int i, atomic_t *v)         { return atomic_fetch_add(-i, v) - i; }
#define atomic_inc_return(v)          atomic_add_return(1, v)
#define atomic_inc_return_relaxed(v)  atomic_add_return_relaxed(1, v)
#define atomic_inc_return_acquire(v)  atomic_add_return_acquire(1, v)
#define atomic_inc_return_release(v)  atomic_add_return_release(1, v)
#define atomic_dec_return(v)          atomic_sub_return(1, v)
#define atomic_dec_return_relaxed(v)  atomic_sub_return_relaxed(1, v)
#define atomic_dec_return_acquire(v)  atomic_sub_return_acquire(1, v)
#define atomic_dec_return_release(v)  atomic_sub_return_release(1, v)
#define atomic_fetch_inc(v)           atomic_fetch_add(1, v)
#define atomic_fetch_inc_relaxed(v)   atomic_fetch_add_relaxed(1, v)
#define atomic_fetch_inc_acquire(v)   atomic_fetch_add_acquire(1, v)
#define atomic_fetch_inc_release(v)   atomic_fetch_add_release(1, v)
#define atomic_fetch_dec(v)           atomic_fetch_sub(1, v)
#define atomic_fetch_dec_relaxed(v)   atomic_fetch_sub_relaxed(1, v)
#define atomic_fetch_dec_acquire(v)   atomic_fetch_sub_acquire(1, v)
#define atomic_fetch_dec_release(v)   atomic_fetch_sub_release(1, v)
#define atomic_inc_and_test(v)        (atomic_inc_return(v) == 0)
#define atomic_dec_and_test(v)        (atomic_dec_return(v) == 0)
#define atomic_sub_and_test(i, v)     (atomic_sub_return(i, v) == 0)
#define atomic_add_negative(i, v)     (atomic_add_return(i, v) < 0)

/* ---- exchange ---- */
static inline int atomic_xchg_relaxed(atomic_t *v, int n)
{ return (int)arch_xchg32_relaxed((uint32_t *)&v->counter, (uint32_t)n); }
static inline int atomic_xchg_acquire(atomic_t *v, int n)
{ return (int)arch_xchg32_acquire((uint32_t *)&v->counter, (uint32_t)n); }
static inline int atomic_xchg_release(atomic_t *v, int n)
{ return (int)arch_xchg32_release((uint32_t *)&v->counter, (uint32_t)n); }
static inline int atomic_xchg(atomic_t *v, int n)
{ return (int)arch_xchg32_fence((uint32_t *)&v->counter, (uint32_t)n); }

/* cmpxchg: returns the old value. A failed cmpxchg gives no ordering
 * guarantee (memory-barriers.txt), and, as in Linux, the arch's fully
 * ordered and acquire forms skip their trailing barrier when it fails. */
static inline int atomic_cmpxchg_relaxed(atomic_t *v, int o, int n)
{ return (int)arch_cmpxchg32_relaxed((uint32_t *)&v->counter, (uint32_t)o, (uint32_t)n); }
static inline int atomic_cmpxchg_acquire(atomic_t *v, int o, int n)
{ return (int)arch_cmpxchg32_acquire((uint32_t *)&v->counter, (uint32_t)o, (uint32_t)n); }
static inline int atomic_cmpxchg_release(atomic_t *v, int o, int n)
{ return (int)arch_cmpxchg32_release((uint32_t *)&v->counter, (uint32_t)o, (uint32_t)n); }
static inline int atomic_cmpxchg(atomic_t *v, int o, int n)
{ return (int)arch_cmpxchg32_fence((uint32_t *)&v->counter, (uint32_t)o, (uint32_t)n); }

/* try_cmpxchg: true if *v was *old (and is now n); else *old is what *v
 * held. Ordered as the cmpxchg of the same suffix. */
#define __atomic_try_cmpxchg(order)                                                  \
static inline bool atomic_try_cmpxchg##order(atomic_t *v, int *old, int n)          \
{                                                                                    \
    int o = *old, r = atomic_cmpxchg##order(v, o, n);                                \
    if (r != o)                                                                      \
        *old = r;                                                                    \
    return r == o;                                                                   \
}
__atomic_try_cmpxchg()
__atomic_try_cmpxchg(_relaxed)
__atomic_try_cmpxchg(_acquire)
__atomic_try_cmpxchg(_release)

/* Conditional adds, as Linux's generic fallbacks build them: a cmpxchg
 * loop, fully ordered when the add happens and unordered when it does
 * not (the value was u: nothing was written). */
static inline int atomic_fetch_add_unless(atomic_t *v, int a, int u)
{
    int c = atomic_read(v);

    do {
        if (c == u)
            break;
    } while (!atomic_try_cmpxchg(v, &c, c + a));
    return c;
}
#define atomic_add_unless(v, a, u)  (atomic_fetch_add_unless(v, a, u) != (u))
#define atomic_inc_not_zero(v)      atomic_add_unless(v, 1, 0)
/* Decrement unless that makes it negative; returns the old value - 1. */
static inline int atomic_dec_if_positive(atomic_t *v)
{
    int c = atomic_read(v);

    do {
        if (c <= 0)
            break;
    } while (!atomic_try_cmpxchg(v, &c, c - 1));
    return c - 1;
}

/* xchg()/cmpxchg() on plain int or long lvalues, as the kernel spells them. */
#define __xchg_sized(p, n, order) ({                                              \
    __typeof__(*(p)) __o;                                                        \
    _Static_assert(sizeof(*(p)) == 4 || sizeof(*(p)) == sizeof(long), "xchg size"); \
    if (sizeof(*(p)) == 4)                                                       \
        __o = (__typeof__(*(p)))arch_xchg32##order((uint32_t *)(p), (uint32_t)(n)); \
    else                                                                         \
        __o = (__typeof__(*(p)))arch_xchg_long##order((unsigned long *)(p), (unsigned long)(n)); \
    __o; })
#define __cmpxchg_sized(p, o, n, order) ({                                        \
    __typeof__(*(p)) __r;                                                        \
    _Static_assert(sizeof(*(p)) == 4 || sizeof(*(p)) == sizeof(long), "cmpxchg size"); \
    if (sizeof(*(p)) == 4)                                                       \
        __r = (__typeof__(*(p)))arch_cmpxchg32##order((uint32_t *)(p),            \
                                      (uint32_t)(o), (uint32_t)(n));              \
    else                                                                         \
        __r = (__typeof__(*(p)))arch_cmpxchg_long##order((unsigned long *)(p),     \
                                      (unsigned long)(o), (unsigned long)(n));    \
    __r; })
#define xchg_relaxed(p, n)        __xchg_sized(p, n, _relaxed)
#define xchg_acquire(p, n)        __xchg_sized(p, n, _acquire)
#define xchg_release(p, n)        __xchg_sized(p, n, _release)
#define xchg(p, n)                __xchg_sized(p, n, _fence)
#define cmpxchg_relaxed(p, o, n)  __cmpxchg_sized(p, o, n, _relaxed)
#define cmpxchg_acquire(p, o, n)  __cmpxchg_sized(p, o, n, _acquire)
#define cmpxchg_release(p, o, n)  __cmpxchg_sized(p, o, n, _release)
#define cmpxchg(p, o, n)          __cmpxchg_sized(p, o, n, _fence)

#endif
