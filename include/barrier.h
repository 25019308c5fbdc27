/* Generic memory barriers, derived from the arch's primitives in the
 * asm-generic/barrier.h pattern (DESIGN.md section 3).
 *
 * The arch supplies __smp_mb/__smp_rmb/__smp_wmb, mb/rmb/wmb, dma_rmb/dma_wmb
 * and may supply __smp_store_release/__smp_load_acquire. This header derives:
 *  - smp_*(): the real barrier in an SMP build, a compiler barrier when the
 *    image is built uniprocessor (SMP=n, CONFIG_SMP undefined);
 *  - virt_*(): always the real barrier, because a uniprocessor guest still
 *    shares memory with an SMP host (the seed patch's reason for them).
 */
#ifndef ORDERLY_BARRIER_H
#define ORDERLY_BARRIER_H

#include "compiler.h"
#include <asm/barrier.h>

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
/* Only Alpha needs a real barrier for dependent loads. */
#ifndef __smp_read_barrier_depends
#define __smp_read_barrier_depends() do { } while (0)
#endif
#ifndef read_barrier_depends
#define read_barrier_depends() do { } while (0)
#endif

#ifdef CONFIG_SMP
#define smp_mb()                 __smp_mb()
#define smp_rmb()                __smp_rmb()
#define smp_wmb()                __smp_wmb()
#define smp_store_release(p, v)  __smp_store_release(p, v)
#define smp_load_acquire(p)      __smp_load_acquire(p)
#define smp_store_mb(var, v)     __smp_store_mb(var, v)
#define smp_mb__before_atomic()  __smp_mb__before_atomic()
#define smp_mb__after_atomic()   __smp_mb__after_atomic()
#define smp_read_barrier_depends() __smp_read_barrier_depends()
#else
#define smp_mb()                 barrier()
#define smp_rmb()                barrier()
#define smp_wmb()                barrier()
#define smp_store_release(p, v)  do { barrier(); WRITE_ONCE(*(p), (v)); } while (0)
#define smp_load_acquire(p)      ({ __typeof__(*(p)) ___v = READ_ONCE(*(p)); barrier(); ___v; })
#define smp_store_mb(var, v)     do { WRITE_ONCE(var, v); barrier(); } while (0)
#define smp_mb__before_atomic()  barrier()
#define smp_mb__after_atomic()   barrier()
#define smp_read_barrier_depends() do { } while (0)
#endif

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
