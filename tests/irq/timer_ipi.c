/* Interrupt self-tests: the per-CPU timer fires on every CPU, masking
 * interrupts holds it off, and an IPI from the boot CPU reaches every
 * other CPU. */
#include "arch.h"
#include "boot.h"
#include "clock.h"
#include "irq.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>
#include <irqflags.h>

/* No controller is a failure when the DT was there to describe one; with
 * no DT at all (platform defaults) the interrupt tests cannot run. */
static bool have_irq_controller(void)
{
    if (arch_irq_controller()[0] != 'n')
        return true;
    if (boot_info.dtb)
        test_fail("no interrupt controller found in the device tree");
    else
        test_skip("no device tree: interrupt controller unknown");
    return false;
}

static bool wait_count(const unsigned long *count, unsigned long from, unsigned ms)
{
    uint64_t end = arch_counter() + ms_to_ticks(ms);
    while (READ_ONCE(*count) == from && arch_counter() < end)
        cpu_relax();
    return READ_ONCE(*count) != from;
}

static volatile int timer_result[NR_CPUS];

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
    for (int i = 0; i < n; i++)
        timer_result[i] = 0;
    if (on_cpus(n, timer_on_cpu, NULL, 3000))
        return;
    for (int i = 0; i < n; i++)
        check(timer_result[i] == 1, "cpu %d: timer interrupt did not arrive within 500 ms",
              on_cpus_cpu(i));
    test_note("timer interrupt on %d cpus", n);
}

/* With interrupts masked the timer must not be taken (it stays pending),
 * and it must arrive as soon as they are unmasked: the second half shows
 * the first half could have seen a delivery. */
TEST(irq_disable_holds_timer, .name = "irq/disable-holds-timer")
{
    struct percpu *pc = this_cpu();
    unsigned long before = READ_ONCE(pc->timer_irqs);

    if (!have_irq_controller())
        return;
    unsigned long flags = local_irq_save();
    check(irqs_disabled(), "irqs_disabled() is false after local_irq_save()");
    timer_set_user(ms_to_ticks(1));
    udelay(20000);
    check(READ_ONCE(pc->timer_irqs) == before, "timer interrupt taken while interrupts were disabled");
    local_irq_restore(flags);
    check(!irqs_disabled(), "irqs_disabled() is true after local_irq_restore()");
    check(wait_count(&pc->timer_irqs, before, 500),
          "held-off timer interrupt did not arrive after local_irq_restore()");
    test_note("held for 20 ms, delivered on restore");
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
