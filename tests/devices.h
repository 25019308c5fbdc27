/* What the device tests share: the devices of this run, or the verdict
 * that says why there is none. */
#ifndef ORDERLY_TESTS_DEVICES_H
#define ORDERLY_TESTS_DEVICES_H

#include "clock.h"
#include "edu.h"
#include "report.h"
#include <asm/processor.h>

/* The edu, or NULL after a skip (the platform has none) or a failure (it
 * has one the image cannot use). */
static inline struct edu *test_edu(void)
{
    bool present;
    const char *why;
    struct edu *e = edu_get(&why, &present);

    if (!e && present)
        test_fail("%s", why);
    else if (!e)
        test_skip("%s", why);
    return e;
}

/* Wait (bounded) until edu's handler has run more than `seen` times. */
static inline bool wait_edu_irq(const struct edu *e, unsigned long seen, unsigned ms)
{
    uint64_t end = clock_deadline_ms(ms);

    while (READ_ONCE(e->irqs) == seen && !clock_passed(end))
        cpu_relax();
    return READ_ONCE(e->irqs) != seen;
}

/* What edu's factorial register must give, in its 32 bits. */
static inline uint32_t edu_factorial_want(uint32_t n)
{
    uint32_t r = 1;
    while (n > 1)
        r *= n--;
    return r;
}

#endif
