/* What the interrupt tests (tests/irq/) share: whether interrupts can be
 * tested at all, waiting for a count to move, a hook that stamps the
 * counter when an interrupt arrives, and latency statistics. */
#ifndef ORDERLY_TESTS_IRQTEST_H
#define ORDERLY_TESTS_IRQTEST_H

#include "compiler.h"
#include "percpu.h"

/* No controller is a failure when the DT was there to describe one; with
 * no DT at all (platform defaults) the interrupt tests cannot run: the
 * test is failed or skipped with the reason, and false returned. */
bool have_irq_controller(void);

/* Wait up to ms for *count to move from `from`; true if it did. */
bool wait_count(const unsigned long *count, unsigned long from, unsigned ms);

/* Per-CPU stamps of the test's interrupt hooks (irq_set_timer_hook,
 * irq_set_ipi_hook): the counter at the hook's entry, then the count,
 * published with release so that a reader of count sees `at`. */
struct irq_stamp {
    uint64_t at;
    unsigned long count;
} __aligned(64);
/* One per CPU, from have_irq_controller(), which every test that uses
 * them calls first. */
extern struct irq_stamp *timer_stamp, *ipi_stamp;
void stamp_timer_hook(void);
void stamp_ipi_hook(void);
/* The stamp's count, read with acquire (its `at` is then current). */
unsigned long stamp_count(const struct irq_stamp *s);
/* Wait up to ms for the stamp's count to move from `from`; true if it did. */
bool wait_stamp(const struct irq_stamp *s, unsigned long from, unsigned ms);

/* Minimum, median and maximum of n samples (v is sorted in place). */
struct lat_stats {
    uint64_t min, median, max;
    unsigned n;
};
void lat_stats(uint64_t *v, unsigned n, struct lat_stats *out);
/* ticks of the CPU's counter as microseconds with two decimals, "12.34". */
const char *ticks_us(uint64_t ticks, char *buf, size_t len);

#endif
