/* Interrupt delivery: the per-CPU timer fires on every CPU, and an IPI
 * from the boot CPU reaches every other CPU. (Masking them: disable.c.) */
#include "arch.h"
#include "clock.h"
#include "irq.h"
#include "irqtest.h"
#include "percpu.h"
#include "test.h"
#include <irqflags.h>

static volatile int *timer_result;     /* per CPU */

static void timer_on_cpu(int idx, void *arg)
{
    struct percpu *pc = this_cpu();
    unsigned long before = READ_ONCE(pc->timer_irqs);

    local_irq_enable();
    timer_set_user(ms_to_ticks(1));
    timer_result[idx] = wait_count(&pc->timer_irqs, before, 500) ? 1 : -1;
    local_irq_disable();
}

TEST(irq_timer_test, .name = "irq/timer")
{
    int n = num_online_cpus();

    if (!have_irq_controller())
        return;
    PERCPU_TABLE(timer_result);
    for (int i = 0; i < n; i++)
        timer_result[i] = 0;
    if (on_cpus(n, timer_on_cpu, NULL, 3000))
        return;
    for (int i = 0; i < n; i++)
        check(timer_result[i] == 1, "cpu %d: timer interrupt did not arrive within 500 ms",
              on_cpus_cpu(i));
    test_note("timer interrupt on %d cpus", n);
}

TEST(irq_ipi_test, .name = "irq/ipi", .min_cpus = 2)
{
    int reached = 0, tried = 0;

    if (!have_irq_controller())
        return;
    for (int c = 1; c < nr_cpus_possible; c++) {
        if (!cpu_online(c))
            continue;
        unsigned long before = READ_ONCE(percpu[c].ipis);
        tried++;
        arch_send_ipi(c);
        if (check(wait_count(&percpu[c].ipis, before, 500),
                  "IPI from cpu 0 did not reach cpu %d within 500 ms", c))
            reached++;
    }
    test_note("IPI reached %d of %d cpus", reached, tried);
}
