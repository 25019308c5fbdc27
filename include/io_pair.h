/* Index/data register pairs of the devices found: fw_cfg's selector and
 * data, a PCI host's CONFIG_ADDRESS and CONFIG_DATA, edu's liveness
 * register (write x, read ~x). memory-barriers.txt ("Interrupts", "Locks
 * vs I/O accesses") warns that two users of such a pair - two CPUs, or a
 * driver and its own ISR - interleave unless a lock or an irq-disable
 * makes the two accesses one step. A driver registers its pair with the
 * halves unlocked and the lock it uses itself, so the io/ tests can run
 * the pair the driver's way, and without it as the negative control. */
#ifndef ORDERLY_IO_PAIR_H
#define ORDERLY_IO_PAIR_H

#include "compiler.h"
#include <spinlock.h>

#define IO_PAIR_MAX_KEYS 6

struct io_pair {
    const char *name;                   /* "fw_cfg selector/data" */
    /* The two halves, unserialised: index (select) then data (read). */
    void (*select)(const struct io_pair *p, uint32_t key);
    uint32_t (*read)(const struct io_pair *p);
    spinlock_t *lock;                   /* what the driver serialises with */
    /* Keys a test may select; those whose data differ tell a torn
     * sequence from a good one. */
    uint32_t keys[IO_PAIR_MAX_KEYS];
    unsigned nkeys;
    void *priv;
};

void io_pair_register(const struct io_pair *p);
/* The registered pairs, 0.. until NULL. */
const struct io_pair *io_pair_at(int idx);

#endif
