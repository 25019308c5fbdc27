/* Ticket spinlocks on the generic atomics: fair across cores, ACQUIRE on
 * lock and RELEASE on unlock as memory-barriers.txt specifies. They stay
 * real in a uniprocessor (SMP=n) build because the image's own framework
 * shares them across real cores there. */
#ifndef ORDERLY_SPINLOCK_H
#define ORDERLY_SPINLOCK_H

#include "atomic.h"
#include "irqflags.h"
#include <asm/processor.h>

typedef struct {
    atomic_t next;      /* ticket dispenser */
    int owner;          /* ticket now being served */
} spinlock_t;

#define SPINLOCK_INIT { ATOMIC_INIT(0), 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
    atomic_set(&l->next, 0);
    WRITE_ONCE(l->owner, 0);
}

/* spin_lock() in its two halves, for a caller that must be able to stop
 * waiting (the litmus engine abandons an instance whose lock is never
 * released): take a ticket, then poll until it is served (ACQUIRE). A
 * ticket taken is never given back: a caller that stops waiting leaves
 * the lock unusable, and abandons whatever it protects with it. */
static inline int spin_lock_ticket(spinlock_t *l)
{
    return atomic_fetch_add_relaxed(1, &l->next);
}

static inline bool spin_lock_served(spinlock_t *l, int ticket)
{
    return virt_load_acquire(&l->owner) == ticket;
}

static inline void spin_lock(spinlock_t *l)
{
    int ticket = spin_lock_ticket(l);
    while (!spin_lock_served(l, ticket))
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    int owner = READ_ONCE(l->owner);
    if (atomic_read(&l->next) != owner)
        return false;
    return atomic_cmpxchg_acquire(&l->next, owner, owner + 1) == owner;
}

static inline void spin_unlock(spinlock_t *l)
{
    virt_store_release(&l->owner, l->owner + 1);
}

static inline bool spin_is_locked(spinlock_t *l)
{
    return atomic_read(&l->next) != READ_ONCE(l->owner);
}

/* Lock followed by a full barrier (smp_mb__after_spinlock). */
#define smp_mb__after_spinlock() virt_mb()

/* An unlock followed by a lock (of any lock, on this CPU) made a full
 * barrier, as RCU's smp_mb__after_unlock_lock(): a real barrier only
 * where RELEASE then ACQUIRE does not already order a store before a
 * later load (ARCH_WEAK_RELEASE_ACQUIRE: powerpc's lwsync), as in Linux.
 * virt_mb(), as smp_mb__after_spinlock(): the locks it completes stay
 * real in a uniprocessor build. */
#ifdef ARCH_WEAK_RELEASE_ACQUIRE
#define smp_mb__after_unlock_lock() virt_mb()
#else
#define smp_mb__after_unlock_lock() do { } while (0)
#endif

#define spin_lock_irqsave(l, flags) \
    do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
    do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif
