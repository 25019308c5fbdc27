/* ppc barriers (e500mc, e5500, e6500), with the instruction choices of
 * Linux's arch/powerpc/include/asm/barrier.h for a CPU that has lwsync
 * (CONFIG_PPC_E500MC, where LWSYNC and SMPWMB both resolve to lwsync):
 *  - the mandatory barriers are `sync`: they must order cache-inhibited
 *    (device) accesses too, which lwsync and mbar do not cover together;
 *  - smp_rmb/smp_wmb/dma_rmb/dma_wmb and release/acquire are lwsync, which
 *    orders everything except a store followed by a load in cacheable
 *    memory;
 *  - smp_mb is sync (the store->load case).
 * lwsync does not exist on e500v1/v2 (there Linux uses sync and mbar);
 * this image targets e500mc and later only.
 * mbar (= eieio on other cores) orders cache-inhibited guarded accesses
 * among themselves; it is provided for drivers but not used by the
 * generic primitives. isync is context synchronising (acquire after a
 * control dependency, or after SPR writes). */
#ifndef ASM_PPC_BARRIER_H
#define ASM_PPC_BARRIER_H

#define isync()     __asm__ __volatile__("isync" ::: "memory")
#define ppc_sync()  __asm__ __volatile__("sync" ::: "memory")
#define lwsync()    __asm__ __volatile__("lwsync" ::: "memory")
#define mbar()      __asm__ __volatile__("mbar" ::: "memory")
#define eieio()     __asm__ __volatile__("mbar" ::: "memory")   /* same opcode */

#define mb()        ppc_sync()
#define rmb()       ppc_sync()
#define wmb()       ppc_sync()

#define dma_mb()    ppc_sync()
#define dma_rmb()   lwsync()
#define dma_wmb()   lwsync()

#define __smp_mb()  ppc_sync()
#define __smp_rmb() lwsync()
#define __smp_wmb() lwsync()

/* lwsync RELEASE then lwsync ACQUIRE leaves a store before a later load
 * unordered: an unlock+lock is no full barrier without
 * smp_mb__after_unlock_lock() (include/spinlock.h), as in Linux. */
#define ARCH_WEAK_RELEASE_ACQUIRE 1

#define __smp_store_release(p, v) do {                                        \
    _Static_assert(sizeof(*(p)) <= sizeof(long), "store_release size");       \
    lwsync();                                                                 \
    WRITE_ONCE(*(p), (v));                                                    \
} while (0)

#define __smp_load_acquire(p) ({                                              \
    _Static_assert(sizeof(*(p)) <= sizeof(long), "load_acquire size");        \
    __typeof__(*(p)) ___v = READ_ONCE(*(p));                                  \
    lwsync();                                                                 \
    ___v; })

#endif
