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
    int *cpus;                  /* on_cpus()'s list */
    unsigned *before;           /* work_faults at dispatch */
} oc;

int on_cpus_cpu(int idx) { return idx >= 0 && idx < oc.n ? oc.cpu_of[idx] : -1; }

static unsigned timeout_or_default(unsigned ms) { return ms ? ms : run_options()->timeout_ms; }

/* ---- the secondaries' side ---- */

static void oc_trampoline(int idx, void *unused)
{
    (void)unused;
    atomic_inc(&oc.arrived);
    while (!virt_load_acquire(&oc.go))
        cpu_relax();
    oc.fn(idx, oc.arg);
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
    for (int i = 0; i < nr_cpus_possible; i++)
        oc.cpu_of[i] = -1;
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
    virt_store_release(&oc.go, 1);
    fn(0, arg);
    for (int i = 1; i < n; i++) {
        struct percpu *pc = &percpu[oc.cpu_of[i]];
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq)) {
            char why[80];
            snprintf(why, sizeof(why), "did not finish %s within %u ms", test_current_name(), ms);
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

    WRITE_ONCE(oc.go, 1);
    for (int c = 1; c < nr_cpus_possible; c++) {
        struct percpu *pc = &percpu[c];
        if (cpu_state(pc) != CPU_ONLINE)
            continue;
        if (!wait_until(deadline, &pc->done_seq, &pc->work_seq))
            cpu_mark_lost(c, "still busy when its test ended");
    }
}
