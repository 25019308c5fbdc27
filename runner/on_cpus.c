/* Work on several CPUs at once (include/on_cpus.h): the boot CPU's side
 * (dispatch, rendezvous, waiting with a deadline) and the secondaries'
 * idle loop that runs what it is given. */
#include "arch.h"
#include "clock.h"
#include "cpu.h"
#include "on_cpus.h"
#include "options.h"
#include "percpu.h"
#include "report.h"
#include <asm/processor.h>
#include <atomic.h>
#include <irq.h>
#include <irqflags.h>
#include <stdio.h>
#include <string.h>

static struct {
    void (*fn)(int, void *);
    void *arg;
    int n;
    atomic_t arrived;
    int go;
    int *cpu_of;                /* per call index, as many as CPUs */
    int *came;                  /* per call index: reached the rendezvous */
    int *asleep;                /* per call index: waiting for go in wfi */
    int *cpus;                  /* on_cpus()'s list */
    unsigned *before;           /* work_faults at dispatch */
} oc;

int on_cpus_cpu(int idx) { return idx >= 0 && idx < oc.n ? oc.cpu_of[idx] : -1; }

static unsigned timeout_or_default(unsigned ms) { return ms ? ms : run_options()->timeout_ms; }

/* ---- the secondaries' side ---- */

/* How long a worker spins for go before it sleeps, in a call with more
 * than OC_SPIN_ONLY_CPUS CPUs. Spinning keeps the start tight (litmus and
 * virt/ tests use a few CPUs, and want them running together); with many,
 * QEMU's vCPU threads share few host CPUs (and multi-threaded TCG ignores
 * yield hints), so spinning waiters would starve the boot CPU that is
 * still dispatching. */
#define OC_SPIN_US 1000
#define OC_SPIN_ONLY_CPUS 4

static void oc_trampoline(int idx, void *unused)
{
    bool may_sleep = oc.n > OC_SPIN_ONLY_CPUS;
    /* (A counter read takes QEMU's global lock: not for the few-CPU calls.) */
    uint64_t spin_end = may_sleep ? arch_counter() + us_to_ticks(OC_SPIN_US) : 0;

    (void)unused;
    WRITE_ONCE(oc.came[idx], 1);
    atomic_inc(&oc.arrived);
    while (!virt_load_acquire(&oc.go)) {
        if (!may_sleep || arch_counter() < spin_end) {
            cpu_relax();
            continue;
        }
        /* Say so, then look at go once more: the boot CPU stores go, then
         * looks at asleep (both sides with a full barrier between), so
         * either it sees us asleep and sends an IPI, or we see go. The IPI
         * stays pending while interrupts are masked, so wfi cannot miss it. */
        unsigned long f = local_irq_save();
        WRITE_ONCE(oc.asleep[idx], 1);
        virt_mb();
        if (!virt_load_acquire(&oc.go))
            arch_wfi();
        WRITE_ONCE(oc.asleep[idx], 0);
        local_irq_restore(f);
    }
    oc.fn(idx, oc.arg);
}

static void oc_go(void)
{
    virt_store_release(&oc.go, 1);
    if (oc.n <= OC_SPIN_ONLY_CPUS)
        return;                 /* nobody sleeps: the start as tight as it was */
    virt_mb();
    for (int i = 1; i < oc.n; i++)
        if (READ_ONCE(oc.asleep[i]))
            arch_send_ipi(oc.cpu_of[i]);
}

/* One piece of work; a fault inside it comes back here. */
static void run_work(struct percpu *pc)
{
    jmp_buf jb;
    unsigned seq = pc->work_seq;

    if (setjmp(jb) == 0) {
        WRITE_ONCE(pc->recover, &jb);
        pc->work_fn(pc->work_idx, pc->work_arg);
    } else {
        WRITE_ONCE(pc->work_faults, pc->work_faults + 1);
    }
    WRITE_ONCE(pc->recover, NULL);
    local_irq_disable();
    timer_set_user(0);
    virt_store_release(&pc->done_seq, seq);
}

__noreturn void on_cpus_idle(struct percpu *pc)
{
    for (;;) {
        /* Sleep until an IPI announces work; the IPI stays pending while
         * interrupts are masked, so checking then waiting cannot miss it. */
        local_irq_disable();
        if (READ_ONCE(pc->work_seq) == pc->done_seq && cpu_state(pc) == CPU_ONLINE)
            arch_wfi();
        local_irq_enable();
        if (cpu_state(pc) == CPU_GOING_OFF)
            cpu_die(pc);
        if (cpu_state(pc) != CPU_ONLINE)
            cpu_park();
        if (virt_load_acquire(&pc->work_seq) != pc->done_seq)
            run_work(pc);
    }
}

/* ---- the boot CPU's side ---- */

static bool dispatch(int cpu, int idx)
{
    struct percpu *pc = &percpu[cpu];

    if (READ_ONCE(pc->work_seq) != READ_ONCE(pc->done_seq))
        return false;                   /* still busy with something else */
    pc->work_fn = oc_trampoline;
    pc->work_arg = NULL;
    pc->work_idx = idx;
    virt_store_release(&pc->work_seq, pc->work_seq + 1);
    arch_send_ipi(cpu);
    return true;
}

static bool wait_until(uint64_t deadline, const unsigned *a, const unsigned *b)
{
    while (READ_ONCE(*a) != READ_ONCE(*b)) {
        if (arch_counter() >= deadline)
            return false;
        cpu_relax();
    }
    return true;
}

int on_cpus(int n, void (*fn)(int idx, void *arg), void *arg, unsigned timeout_ms)
{
    int *cpus = PERCPU_TABLE(oc.cpus), have = 1;

    cpus[0] = 0;
    for (int c = 1; c < nr_cpus_possible && have < n; c++)
        if (cpu_online(c))
            cpus[have++] = c;
    if (have < n) {
        test_fail("on_cpus: needs %d cpus, %d online", n, have);
        return n;
    }
    return on_cpu_list(n, cpus, fn, arg, timeout_ms);
}

int on_cpu_list(int n, const int *cpus, void (*fn)(int idx, void *arg), void *arg,
                unsigned timeout_ms)
{
    int bad = 0;
    unsigned ms = timeout_or_default(timeout_ms), *before = PERCPU_TABLE(oc.before);
    uint64_t deadline;

    if (n < 1 || n > nr_cpus_possible || cpus[0] != 0) {
        test_fail("on_cpu_list: bad cpu list");
        return n;
    }
    PERCPU_TABLE(oc.cpu_of);
    PERCPU_TABLE(oc.came);
    PERCPU_TABLE(oc.asleep);
    for (int i = 0; i < nr_cpus_possible; i++) {
        oc.cpu_of[i] = -1;
        oc.came[i] = oc.asleep[i] = 0;
    }
    for (int i = 0; i < n; i++) {
        if (i && !cpu_online(cpus[i])) {
            test_fail("on_cpu_list: cpu %d is not online", cpus[i]);
            return n;
        }
        oc.cpu_of[i] = cpus[i];
    }
    oc.fn = fn;
    oc.arg = arg;
    oc.n = n;
    atomic_set(&oc.arrived, 0);
    WRITE_ONCE(oc.go, 0);
    for (int i = 1; i < n; i++) {
        before[i] = READ_ONCE(percpu[oc.cpu_of[i]].work_faults);
        if (!dispatch(oc.cpu_of[i], i)) {
            test_fail("on_cpus: cpu %d is still busy with earlier work", oc.cpu_of[i]);
            return n;
        }
    }
    deadline = arch_counter() + ms_to_ticks(ms);
    while (atomic_read(&oc.arrived) < n - 1 && arch_counter() < deadline)
        cpu_relax();
    oc_go();
    fn(0, arg);
    for (int i = 1; i < n; i++) {
        struct percpu *pc = &percpu[oc.cpu_of[i]];
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq)) {
            char why[80];
            snprintf(why, sizeof(why), "did not %s %s within %u ms",
                     READ_ONCE(oc.came[i]) ? "finish" : "start", test_current_name(), ms);
            test_fail("cpu %d %s", oc.cpu_of[i], why);
            cpu_mark_lost(oc.cpu_of[i], why);
            bad++;
        } else if (READ_ONCE(pc->work_faults) != before[i]) {
            bad++;
        }
    }
    virt_mb();          /* the workers' results are visible from here on */
    return bad;
}

void on_cpus_reap(void)
{
    uint64_t deadline = arch_counter() + ms_to_ticks(100);

    oc_go();                    /* a late worker must not sleep through the end */
    for (int c = 1; c < nr_cpus_possible; c++) {
        struct percpu *pc = &percpu[c];
        if (cpu_state(pc) != CPU_ONLINE)
            continue;
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq))
            cpu_mark_lost(c, "still busy when its test ended");
    }
}

/* ---- how much the host runs CPUs together ---- */

static struct probe { int beat; uint64_t iters, together; } __aligned(64) probe[ON_CPUS_PROBE_MAX];
static struct { int n; uint64_t ticks; } probe_call;

static void probe_worker(int idx, void *unused)
{
    int n = probe_call.n, last[ON_CPUS_PROBE_MAX] = { 0 };
    uint64_t end = arch_counter() + probe_call.ticks, iters = 0, together = 0;

    (void)unused;
    for (int beat = 1; arch_counter() < end; beat = beat == 0x7fffffff ? 1 : beat + 1, iters++) {
        bool all = true;
        WRITE_ONCE(probe[idx].beat, beat);
        for (int o = 0; o < n; o++) {
            if (o == idx)
                continue;
            int v = READ_ONCE(probe[o].beat);
            all &= v != last[o];
            last[o] = v;
        }
        together += all;
    }
    probe[idx].iters = iters;
    probe[idx].together = together;
}

int on_cpus_together_pct(int n, const int *cpus, unsigned ms)
{
    int pct = 0;

    if (n < 2 || n > ON_CPUS_PROBE_MAX)
        return n < 2 ? 100 : 0;
    memset(probe, 0, sizeof(probe));
    probe_call.n = n;
    probe_call.ticks = ms_to_ticks(ms);
    if (on_cpu_list(n, cpus, probe_worker, NULL, 10000 + ms))
        return -1;
    for (int i = 0; i < n; i++)
        if (probe[i].iters)
            pct = MAX(pct, (int)(probe[i].together * 100 / probe[i].iters));
    return pct;
}
