/* CPU state changes with a reason (include/cpu.h). */
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include <irqflags.h>
#include <stdarg.h>
#include <stdio.h>

bool cpu_start_failed(struct percpu *pc, const char *fmt, ...)
{
    va_list ap;

    if (!cpu_state_change(pc, CPU_STARTING, CPU_FAILED))
        return false;
    console_lock();             /* newlib's formatter is not reentrant */
    va_start(ap, fmt);
    vsnprintf(pc->fail_reason, sizeof(pc->fail_reason), fmt, ap);
    va_end(ap);
    console_unlock();
    return true;
}

void cpu_mark_lost(int cpu, const char *why)
{
    struct percpu *pc = &percpu[cpu];

    if (cpu_state(pc) == CPU_LOST)
        return;
    console_lock();
    snprintf(pc->fail_reason, sizeof(pc->fail_reason), "%s", why);
    cpu_state_set(pc, CPU_LOST);
    pr("# cpu %d (%s) lost: %s\n", cpu, pc->desc.name ? pc->desc.name : "?", why);
    console_unlock();
}

__noreturn void cpu_park(void)
{
    local_irq_disable();
    for (;;)
        arch_wfi();
}
