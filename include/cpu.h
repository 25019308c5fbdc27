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

#endif
