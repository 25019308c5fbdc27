/* Helpers of the interrupt tests (tests/irq/irqtest.h). */
#include "arch.h"
#include "boot.h"
#include "clock.h"
#include "irqtest.h"
#include "report.h"
#include <asm/processor.h>
#include <barrier.h>
#include <stdio.h>

struct irq_stamp *timer_stamp, *ipi_stamp;

bool have_irq_controller(void)
{
    PERCPU_TABLE(timer_stamp);
    PERCPU_TABLE(ipi_stamp);
    if (arch_irq_controller()[0] != 'n')
        return true;
    if (boot_info.dtb)
        test_fail("no interrupt controller found in the device tree");
    else
        test_skip("no device tree: interrupt controller unknown");
    return false;
}

bool wait_count(const unsigned long *count, unsigned long from, unsigned ms)
{
    uint64_t end = arch_counter() + ms_to_ticks(ms);
    while (READ_ONCE(*count) == from && arch_counter() < end)
        cpu_relax();
    return READ_ONCE(*count) != from;
}


static void stamp(struct irq_stamp *s)
{
    WRITE_ONCE(s->at, arch_counter());
    virt_store_release(&s->count, s->count + 1);
}

void stamp_timer_hook(void) { stamp(&timer_stamp[smp_processor_id()]); }
void stamp_ipi_hook(void) { stamp(&ipi_stamp[smp_processor_id()]); }

unsigned long stamp_count(const struct irq_stamp *s) { return virt_load_acquire(&s->count); }

bool wait_stamp(const struct irq_stamp *s, unsigned long from, unsigned ms)
{
    uint64_t end = arch_counter() + ms_to_ticks(ms);
    while (stamp_count(s) == from && arch_counter() < end)
        cpu_relax();
    return stamp_count(s) != from;
}

void lat_stats(uint64_t *v, unsigned n, struct lat_stats *out)
{
    for (unsigned i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    out->n = n;
    out->min = n ? v[0] : 0;
    out->max = n ? v[n - 1] : 0;
    out->median = n ? v[n / 2] : 0;
}

const char *ticks_us(uint64_t ticks, char *buf, size_t len)
{
    uint64_t centi = ticks * 100000000ULL / arch_counter_freq();

    snprintf(buf, len, "%llu.%02llu", (unsigned long long)(centi / 100),
             (unsigned long long)(centi % 100));
    return buf;
}
