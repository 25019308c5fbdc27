/* Generic memory barriers, derived from the arch's primitives in the
 * asm-generic/barrier.h pattern (DESIGN.md section 3).
 *
 * The arch may supply mb/rmb/wmb, dma_mb/dma_rmb/dma_wmb, __smp_mb/
 * __smp_rmb/__smp_wmb and __smp_store_release/__smp_load_acquire; whatever
 * it leaves out falls back here to the next stronger one, as in Linux
 * (rmb and wmb to mb, dma_* to the mandatory ones, __smp_* to the
 * mandatory ones, release/acquire to a full barrier around the access).
 * This header derives:
 *  - smp_*(): the real barrier in an SMP build, a compiler barrier when the
 *    image is built uniprocessor (SMP=n, CONFIG_SMP undefined);
 *  - virt_*(): always the real barrier, because a uniprocessor guest still
 *    shares memory with an SMP host (the seed patch's reason for them).
 *    The image's own framework (locks, rendezvous, CPU start) spans real
 *    cores in an SMP=n build too, so it uses virt_*() where it needs
 *    ordering: exactly their meaning.
 * Nothing outside this header and the arch's asm/barrier.h names __smp_*.
 */
#ifndef ORDERLY_BARRIER_H
#define ORDERLY_BARRIER_H

#include "compiler.h"
#include <asm/barrier.h>

/* ---- mandatory barriers ---- */
#ifndef mb
#define mb()    barrier()
#endif
#ifndef rmb
#define rmb()   mb()
#endif
#ifndef wmb
#define wmb()   mb()
#endif
#ifndef dma_mb
#define dma_mb()    mb()
#endif
#ifndef dma_rmb
#define dma_rmb()   rmb()
#endif
#ifndef dma_wmb
#define dma_wmb()   wmb()
#endif
/* Only Alpha needs a real barrier for dependent loads. */
#ifndef read_barrier_depends
#define read_barrier_depends() do { } while (0)
#endif

/* ---- the SMP primitives (arch-private names) ---- */
#ifndef __smp_mb
#define __smp_mb()  mb()
#endif
#ifndef __smp_rmb
#define __smp_rmb() rmb()
#endif
#ifndef __smp_wmb
#define __smp_wmb() wmb()
#endif
#ifndef __smp_store_release
#define __smp_store_release(p, v) do { __smp_mb(); WRITE_ONCE(*(p), (v)); } while (0)
#endif
#ifndef __smp_load_acquire
#define __smp_load_acquire(p) ({                 \
    __typeof__(*(p)) ___v = READ_ONCE(*(p));      \
    __smp_mb();                                   \
    ___v; })
#endif
#ifndef __smp_store_mb
#define __smp_store_mb(var, v) do { WRITE_ONCE(var, v); __smp_mb(); } while (0)
#endif
#ifndef __smp_mb__before_atomic
#define __smp_mb__before_atomic() __smp_mb()
#endif
#ifndef __smp_mb__after_atomic
#define __smp_mb__after_atomic()  __smp_mb()
#endif
#ifndef __smp_read_barrier_depends
#define __smp_read_barrier_depends() read_barrier_depends()
#endif

/* ---- smp_*(): real in an SMP build, compiler barriers without SMP ---- */
#ifdef CONFIG_SMP
#ifndef smp_mb
#define smp_mb()                 __smp_mb()
#endif
#ifndef smp_rmb
#define smp_rmb()                __smp_rmb()
#endif
#ifndef smp_wmb
#define smp_wmb()                __smp_wmb()
#endif
#ifndef smp_store_release
#define smp_store_release(p, v)  __smp_store_release(p, v)
#endif
#ifndef smp_load_acquire
#define smp_load_acquire(p)      __smp_load_acquire(p)
#endif
#ifndef smp_store_mb
#define smp_store_mb(var, v)     __smp_store_mb(var, v)
#endif
#ifndef smp_mb__before_atomic
#define smp_mb__before_atomic()  __smp_mb__before_atomic()
#endif
#ifndef smp_mb__after_atomic
#define smp_mb__after_atomic()   __smp_mb__after_atomic()
#endif
#ifndef smp_read_barrier_depends
#define smp_read_barrier_depends() __smp_read_barrier_depends()
#endif
#else   /* !CONFIG_SMP */
#ifndef smp_mb
#define smp_mb()                 barrier()
#endif
#ifndef smp_rmb
#define smp_rmb()                barrier()
#endif
#ifndef smp_wmb
#define smp_wmb()                barrier()
#endif
#ifndef smp_store_release
#define smp_store_release(p, v)  do { barrier(); WRITE_ONCE(*(p), (v)); } while (0)
#endif
#ifndef smp_load_acquire
#define smp_load_acquire(p)      ({ __typeof__(*(p)) ___v = READ_ONCE(*(p)); barrier(); ___v; })
#endif
#ifndef smp_store_mb
#define smp_store_mb(var, v)     do { WRITE_ONCE(var, v); barrier(); } while (0)
#endif
#ifndef smp_mb__before_atomic
#define smp_mb__before_atomic()  barrier()
#endif
#ifndef smp_mb__after_atomic
#define smp_mb__after_atomic()   barrier()
#endif
#ifndef smp_read_barrier_depends
#define smp_read_barrier_depends() do { } while (0)
#endif
#endif  /* CONFIG_SMP */

/* memory-barriers.txt's older name for smp_store_mb(). */
#define set_mb(var, v)            smp_store_mb(var, v)

/* ---- virt_*(): always the real SMP barrier ---- */
#define virt_mb()                 __smp_mb()
#define virt_rmb()                __smp_rmb()
#define virt_wmb()                __smp_wmb()
#define virt_read_barrier_depends() __smp_read_barrier_depends()
#define virt_store_mb(var, v)     __smp_store_mb(var, v)
#define virt_mb__before_atomic()  __smp_mb__before_atomic()
#define virt_mb__after_atomic()   __smp_mb__after_atomic()
#define virt_store_release(p, v)  __smp_store_release(p, v)
#define virt_load_acquire(p)      __smp_load_acquire(p)

/* Dependency-ordered pointer publication (RCU's two halves). */
#define rcu_assign_pointer(p, v)  smp_store_release(&(p), (v))
#define rcu_dereference(p)        ({ __typeof__(p) ___p = READ_ONCE(p); smp_read_barrier_depends(); ___p; })

/* Tell the reader which flavour this image was built as. */
#ifdef CONFIG_SMP
#define ORDERLY_SMP_BUILD 1
#else
#define ORDERLY_SMP_BUILD 0
#endif

#endif
