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

static inline void spin_lock(spinlock_t *l)
{
    int ticket = atomic_fetch_add_relaxed(1, &l->next);
    while (virt_load_acquire(&l->owner) != ticket)
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

#define spin_lock_irqsave(l, flags) \
    do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
    do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif
