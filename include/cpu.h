/* CPU state changes that leave a reason behind: a CPU that never came
 * online, one lost while running work, one parked out of the way. */
#ifndef ORDERLY_CPU_H
#define ORDERLY_CPU_H

#include "percpu.h"

/* STARTING -> FAILED with the reason (printf-style), unless the CPU got
 * further first; true if this call marked it. */
bool cpu_start_failed(struct percpu *pc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The CPU is gone for the rest of the run (did not finish its work,
 * faulted outside a test): said once on the console, kept for reports. */
void cpu_mark_lost(int cpu, const char *why);
/* The calling CPU stops for good: interrupts off, waiting for nothing. */
__noreturn void cpu_park(void);

/* Off and on again through the firmware (arch_cpu_off, arch_cpu_start),
 * from the boot CPU, each waiting up to timeout_ms for the firmware to
 * report the new state (and, for cpu_up, for the CPU to come online).
 * 0, or a CPU_ERR_* with the reason in why; a CPU that went off but does
 * not come back is left OFF for the caller to name. */
int cpu_down(int cpu, unsigned timeout_ms, char *why, size_t len);
int cpu_up(int cpu, unsigned timeout_ms, char *why, size_t len);
/* On the CPU that cpu_down() asked: turn off; back on, it starts afresh
 * at the secondary entry. Returns never (a refusal parks it, LOST). */
__noreturn void cpu_die(struct percpu *pc);

#endif
