/* Per-CPU one-shot timer shared by a test (timer_set_user) and the test
 * watchdog (timer_set_watchdog): the arch timer is armed for whichever
 * deadline comes first. The watchdog's expiry goes to a hook the runner
 * registers (include/irq.h). */
#include "arch.h"
#include "console.h"
#include "irq.h"
#include "percpu.h"
#include <irqflags.h>

static void (*watchdog_hook)(void);

void irq_set_watchdog_hook(void (*hook)(void)) { watchdog_hook = hook; }

static void reprogram(struct percpu *pc)
{
    uint64_t a = pc->user_deadline, b = pc->watchdog_deadline, next, now;

    next = !a ? b : !b ? a : MIN(a, b);
    if (!next) {
        arch_timer_cancel();
        return;
    }
    now = arch_counter();
    arch_timer_arm(next > now ? next - now : 1);
}

void timer_set_user(uint64_t ticks)
{
    timer_set_user_at(ticks ? arch_counter() + ticks : 0);
}

void timer_set_user_at(uint64_t deadline)
{
    struct percpu *pc = this_cpu();
    unsigned long f = local_irq_save();
    pc->user_deadline = deadline;
    reprogram(pc);
    local_irq_restore(f);
}

void irq_set_timer_hook(void (*fn)(void))
{
    WRITE_ONCE(this_cpu()->timer_hook, fn);
}

void irq_set_ipi_hook(void (*fn)(void))
{
    WRITE_ONCE(this_cpu()->ipi_hook, fn);
}

void timer_set_watchdog(uint64_t deadline)
{
    struct percpu *pc = this_cpu();
    unsigned long f = local_irq_save();
    pc->watchdog_deadline = deadline;
    reprogram(pc);
    local_irq_restore(f);
}

void irq_timer(void)
{
    struct percpu *pc = this_cpu();
    uint64_t now = arch_counter();

    if (pc->user_deadline && now >= pc->user_deadline) {
        pc->user_deadline = 0;
        WRITE_ONCE(pc->timer_irqs, pc->timer_irqs + 1);
        void (*hook)(void) = READ_ONCE(pc->timer_hook);
        if (hook)
            hook();
    }
    if (pc->watchdog_deadline && now >= pc->watchdog_deadline) {
        pc->watchdog_deadline = 0;
        reprogram(pc);
        if (watchdog_hook)
            watchdog_hook();            /* may unwind out of this handler */
    }
    reprogram(pc);
}

void irq_ipi(void)
{
    struct percpu *pc = this_cpu();

    void (*hook)(void) = READ_ONCE(pc->ipi_hook);

    WRITE_ONCE(pc->ipis, pc->ipis + 1);
    if (hook)
        hook();
}

void irq_unexpected(unsigned id)
{
    pr("# cpu %d: unexpected interrupt %u (acknowledged and ignored)\n", smp_processor_id(), id);
}
