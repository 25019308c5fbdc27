/* CPU state changes with a reason (include/cpu.h). */
#include "arch.h"
#include "clock.h"
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

/* ---- off and on again ---- */

__noreturn void cpu_die(struct percpu *pc)
{
    char why[96];

    local_irq_disable();
    arch_timer_cancel();
    pc->user_deadline = pc->watchdog_deadline = 0;
    virt_mb();                  /* everything this CPU wrote, before it says OFF */
    cpu_state_set(pc, CPU_OFF);
    arch_cpu_off(why, sizeof(why));
    /* Still here: the firmware refused. */
    console_lock();
    snprintf(pc->fail_reason, sizeof(pc->fail_reason), "%s", why);
    console_unlock();
    cpu_state_set(pc, CPU_LOST);
    cpu_park();
}

/* Poll the firmware for want until the deadline; the last answer in *got. */
static bool wait_power(const struct percpu *pc, int want, uint64_t deadline, int *got, char *why,
                       size_t len)
{
    for (;;) {
        *got = arch_cpu_power_state(pc->hwid, why, len);
        if (*got == want || *got < 0 || arch_counter() >= deadline)
            return *got == want;
        udelay(100);
    }
}

static const char *power_name(int s)
{
    static const char *const names[] = { "ON", "OFF", "ON_PENDING", "OFF_PENDING" };
    return s >= 0 && s < 4 ? names[s] : "an error";
}

int cpu_down(int cpu, unsigned timeout_ms, char *why, size_t len)
{
    struct percpu *pc = &percpu[cpu];
    uint64_t deadline = arch_counter() + ms_to_ticks(timeout_ms);
    int got;

    if (cpu <= 0 || cpu >= nr_cpus_possible || !cpu_state_change(pc, CPU_ONLINE, CPU_GOING_OFF)) {
        snprintf(why, len, "cpu %d is not an online secondary", cpu);
        return CPU_ERR_INVALID;
    }
    arch_send_ipi(cpu);         /* out of on_cpus_idle's wfi, to cpu_die() */
    while (cpu_state(pc) == CPU_GOING_OFF && arch_counter() < deadline)
        cpu_relax();
    switch (cpu_state(pc)) {
    case CPU_GOING_OFF:
        snprintf(why, len, "cpu %d did not act on the request to turn off within %u ms", cpu,
                 timeout_ms);
        cpu_mark_lost(cpu, why);
        return CPU_ERR_FAILED;
    case CPU_OFF:
        break;
    default:
        snprintf(why, len, "cpu %d could not turn off: %s", cpu, pc->fail_reason);
        return CPU_ERR_FAILED;
    }
    if (!wait_power(pc, CPU_POWER_OFF, deadline, &got, why, len)) {
        if (got >= 0)
            snprintf(why, len, "cpu %d (hwid 0x%llx) still %s %u ms after it turned itself off",
                     cpu, (unsigned long long)pc->hwid, power_name(got), timeout_ms);
        return got < 0 ? got : CPU_ERR_FAILED;
    }
    return 0;
}

int cpu_up(int cpu, unsigned timeout_ms, char *why, size_t len)
{
    struct percpu *pc = &percpu[cpu];
    uint64_t deadline = arch_counter() + ms_to_ticks(timeout_ms);
    int r, got;

    if (cpu <= 0 || cpu >= nr_cpus_possible || !cpu_state_change(pc, CPU_OFF, CPU_STARTING)) {
        snprintf(why, len, "cpu %d is not a secondary that was turned off", cpu);
        return CPU_ERR_INVALID;
    }
    if ((r = arch_cpu_start(&pc->desc, pc->stack_top, why, len)) != 0) {
        cpu_state_change(pc, CPU_STARTING, CPU_OFF);
        return r;
    }
    while (cpu_state(pc) == CPU_STARTING && arch_counter() < deadline)
        cpu_relax();
    if (!cpu_state_change(pc, CPU_STARTING, CPU_OFF) && cpu_state(pc) == CPU_ONLINE) {
        /* Online by its own word; the firmware must agree. */
        if (!wait_power(pc, CPU_POWER_ON, deadline, &got, why, len)) {
            if (got >= 0)
                snprintf(why, len, "cpu %d (hwid 0x%llx) online but the firmware says %s", cpu,
                         (unsigned long long)pc->hwid, power_name(got));
            return got < 0 ? got : CPU_ERR_FAILED;
        }
        return 0;
    }
    snprintf(why, len, "cpu %d (hwid 0x%llx) did not come back online within %u ms", cpu,
             (unsigned long long)pc->hwid, timeout_ms);
    return CPU_ERR_FAILED;
}
