/* Running work on several CPUs at once (kvm-unit-tests' on-cpus.c in
 * spirit): the boot CPU hands each secondary a function through its
 * percpu work slot and an IPI; the secondaries wait for work in
 * on_cpus_idle(). */
#ifndef ORDERLY_ON_CPUS_H
#define ORDERLY_ON_CPUS_H

#include "compiler.h"

struct percpu;

/* Run fn(idx, arg) on `n` online CPUs at once (idx 0 is the calling boot
 * CPU, 1..n-1 the first n-1 secondaries) behind a start rendezvous, and
 * wait up to timeout_ms (0: the bootargs timeout=) for all of them. A CPU
 * that faults fails the test; one that does not finish is marked lost and
 * fails the test. Returns the number of CPUs that did not complete
 * normally (0 = all fine). */
int on_cpus(int n, void (*fn)(int idx, void *arg), void *arg, unsigned timeout_ms);

/* As on_cpus(), on the given CPUs: cpus[0] must be 0 (the caller). */
int on_cpu_list(int n, const int *cpus, void (*fn)(int idx, void *arg), void *arg,
                unsigned timeout_ms);

/* How much of `ms` the host ran cpus[0..n) at once (n up to
 * ON_CPUS_PROBE_MAX, cpus[0] = 0), in percent: each publishes a heartbeat
 * and counts the iterations that saw every peer's move; the slowest
 * CPU's share (a faster one sees a slower peer move only on some of its
 * iterations, even when both run all the time). Pacing and rendezvous
 * cannot tell: a host that runs vCPUs by turns (one free core, TCG's
 * single thread) keeps them in step too. -1 if a CPU failed (the test
 * has failed). */
#define ON_CPUS_PROBE_MAX 8
int on_cpus_together_pct(int n, const int *cpus, unsigned ms);

/* Which logical CPU on_cpus() gave index idx. */
int on_cpus_cpu(int idx);

/* ---- for the runner and the boot flow ---- */
/* After a test (or its timeout): any CPU still running its work is lost. */
void on_cpus_reap(void);
/* A secondary that came online waits here for work, for good. */
__noreturn void on_cpus_idle(struct percpu *pc);

#endif
