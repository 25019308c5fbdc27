/* Data shared between code and an interrupt handler (memory-barriers.txt,
 * "Interrupts"): the handler may run between any two of the code's
 * accesses unless the code turns interrupts off, and across CPUs only a
 * lock orders them. Each CPU increments a counter in a loop while its
 * timer interrupt, every irq.isr_period_us, increments the same counter;
 * the increment is a load, a short loop and a store, so a handler that
 * lands inside it loses an update (TCG only delivers between translation
 * blocks: the loop is what gives it somewhere to land). At the end the
 * counter must equal every increment made.
 *
 *   irq/isr-counter          every CPU, its own counter, local_irq_save()
 *   irq/spinlock-irqsave     every CPU, one counter, spin_lock_irqsave()
 *                            in the code and spin_lock() in the handler
 * and their negative controls (hidden, tests/controls.cfg), which must fail:
 *   irq/isr-counter-control           no local_irq_save(): lost updates
 *   irq/spinlock-nolock-control       local_irq_save() without the lock:
 *                                     lost updates across CPUs
 *   irq/spinlock-noirqsave-control    spin_lock() without irqsave: the
 *                                     handler interrupts its own CPU's
 *                                     locked section, where its spin_lock()
 *                                     would wait for ever (it is counted
 *                                     instead of taken, so the run goes on) */
#include "arch.h"
#include "clock.h"
#include "irq.h"
#include "irqtest.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>
#include <barrier.h>
#include <irqflags.h>
#include <spinlock.h>

static uint32_t opt_ms = 60;
static uint32_t opt_period_us = 40;
OPTION(irq_lock_ms, "irq.lock_ms", BOOTARG_U32, &opt_ms,
       "how long the counter and spinlock tests run at least (default 60)");
OPTION(irq_isr_period_us, "irq.isr_period_us", BOOTARG_U32, &opt_period_us,
       "their timer interrupt's period (default 40)");

enum {
    M_IRQSAVE = 1u << 0,    /* the code's increment under local_irq_save() */
    M_LOCK = 1u << 1,       /* ... and under the lock, which the handler takes too */
    M_SHARED = 1u << 2,     /* one counter for every CPU, else one each */
};
#define WINDOW_SPINS 16
/* A CPU goes on past irq.lock_ms (up to ten times it) until its handler
 * has run this often: a loaded host raises the timer's line late. */
#define MIN_ISR_RUNS 16

static unsigned mode;
static DEFINE_SPINLOCK(lock);
static unsigned long shared_counter;
static struct isr_cpu {
    unsigned long counter;          /* without M_SHARED */
    unsigned long by_code, by_isr;  /* increments made */
    unsigned long inside;           /* handlers that found the code inside its section */
    unsigned long would_deadlock;   /* ... inside its spin_lock() section */
    unsigned long contended;        /* handlers that found the lock held elsewhere */
    int in_section;
    uint64_t period;
} __aligned(64) *isr_cpu;                /* per CPU */

static unsigned long isr_runs(const struct isr_cpu *me)
{
    return READ_ONCE(me->by_isr) + READ_ONCE(me->would_deadlock);
}

static unsigned long *counter_of(struct isr_cpu *me)
{
    return mode & M_SHARED ? &shared_counter : &me->counter;
}

/* One increment with a window in it. */
static void increment(unsigned long *c)
{
    unsigned long v = READ_ONCE(*c);
    for (int i = 0; i < WINDOW_SPINS; i++)
        barrier();      /* a loop, not a yield: ppc's cpu_relax() gives the host CPU away */
    WRITE_ONCE(*c, v + 1);
}

/* The timer hook: interrupts are off here. */
static void isr(void)
{
    struct isr_cpu *me = &isr_cpu[smp_processor_id()];

    if (READ_ONCE(me->in_section)) {
        me->inside++;
        if (mode & M_LOCK) {
            me->would_deadlock++;   /* spin_lock() would wait for the code under us */
            goto rearm;
        }
    }
    if (mode & M_LOCK) {
        me->contended += spin_is_locked(&lock);
        spin_lock(&lock);
    }
    increment(counter_of(me));
    if (mode & M_LOCK)
        spin_unlock(&lock);
    me->by_isr++;
rearm:
    timer_set_user(me->period);
}

/* The code's increment, in the mode's section. */
static void section(struct isr_cpu *me, unsigned long *c)
{
    unsigned long f;

    switch (mode & (M_IRQSAVE | M_LOCK)) {
    case M_IRQSAVE | M_LOCK:                /* the API under test */
        spin_lock_irqsave(&lock, f);
        WRITE_ONCE(me->in_section, 1);
        increment(c);
        WRITE_ONCE(me->in_section, 0);
        spin_unlock_irqrestore(&lock, f);
        break;
    case M_IRQSAVE:
        f = local_irq_save();
        WRITE_ONCE(me->in_section, 1);
        increment(c);
        WRITE_ONCE(me->in_section, 0);
        local_irq_restore(f);
        break;
    case M_LOCK:    /* marked before it waits: a handler landing then would deadlock too */
        WRITE_ONCE(me->in_section, 1);
        spin_lock(&lock);
        increment(c);
        spin_unlock(&lock);
        WRITE_ONCE(me->in_section, 0);
        break;
    default:
        WRITE_ONCE(me->in_section, 1);
        increment(c);
        WRITE_ONCE(me->in_section, 0);
    }
}

static void count_on_cpu(int idx, void *arg)
{
    struct isr_cpu *me = &isr_cpu[smp_processor_id()];
    unsigned long *c = counter_of(me), f;
    uint64_t start = arch_counter(), end = start + ms_to_ticks(opt_ms);
    uint64_t give_up = start + 10 * ms_to_ticks(opt_ms);

    me->period = opt_period_us * arch_counter_freq() / 1000000 + 1;
    irq_set_timer_hook(isr);
    timer_set_user(me->period);
    /* Many increments per look at the clock (a counter read takes QEMU's
     * global lock, and the timer's line is raised under it, so handlers
     * tend to land right after one), but one when they take a lock: its
     * holder's vCPU may be off the host for a while. */
    int batch = mode & M_LOCK ? 1 : 256;

    for (uint64_t now = start; now < end || (now < give_up && isr_runs(me) < MIN_ISR_RUNS);
         now = arch_counter()) {
        for (int k = 0; k < batch; k++) {
            section(me, c);
            me->by_code++;
        }
    }
    f = local_irq_save();
    timer_set_user(0);
    irq_set_timer_hook(NULL);
    local_irq_restore(f);
}

static void count_test(unsigned m, const char *what)
{
    int n = num_online_cpus();
    unsigned long by_code = 0, by_isr = 0, inside = 0, deadlock = 0, contended = 0, sum = 0;
    unsigned long blind = 0;

    if (!have_irq_controller())
        return;
    mode = m;
    shared_counter = 0;
    PERCPU_TABLE(isr_cpu);
    for (int c = 0; c < nr_cpus_possible; c++)
        isr_cpu[c] = (struct isr_cpu){ 0 };
    virt_wmb();
    if (on_cpus(n, count_on_cpu, NULL, 10 * opt_ms + 2000))
        return;
    for (int i = 0; i < n; i++) {
        const struct isr_cpu *r = &isr_cpu[on_cpus_cpu(i)];
        by_code += r->by_code;
        by_isr += r->by_isr;
        inside += r->inside;
        deadlock += r->would_deadlock;
        contended += r->contended;
        if (!r->by_isr && !r->would_deadlock) {
            blind++;
            test_yaml("blind_cpu%d: {by_code: %lu, timer_irqs: %lu}", on_cpus_cpu(i), r->by_code,
                      READ_ONCE(percpu[on_cpus_cpu(i)].timer_irqs));
        }
        if (!(m & M_SHARED))
            check(r->counter == r->by_code + r->by_isr,
                  "cpu %d: %ld of %lu updates lost (%lu by the code, %lu by its interrupt handler)",
                  on_cpus_cpu(i), (long)(r->by_code + r->by_isr - r->counter),
                  r->by_code + r->by_isr, r->by_code, r->by_isr);
        sum += r->counter;
    }
    if (m & M_SHARED) {
        sum = shared_counter;
        check(sum == by_code + by_isr, "%ld of %lu updates lost (%lu by the code, %lu by interrupt "
              "handlers, %d cpus)", (long)(by_code + by_isr - sum), by_code + by_isr, by_code,
              by_isr, n);
    }
    if (m & M_IRQSAVE)
        check(!inside, "%lu interrupt handlers ran inside a local_irq_save() section", inside);
    check(!deadlock, "%lu interrupt handlers landed in a spin_lock() section on their own cpu: "
          "spin_lock() there would never return", deadlock);
    check(!blind, "blind: no timer interrupt ran its handler on %lu of %d cpus", blind, n);
    test_yaml("cpus: %d", n);
    test_yaml("ms: %u", (unsigned)opt_ms);
    test_yaml("isr_period_us: %u", (unsigned)opt_period_us);
    test_yaml("by_code: %lu", by_code);
    test_yaml("by_isr: %lu", by_isr);
    test_yaml("counted: %lu", sum);
    test_yaml("isr_inside_section: %lu", inside);
    if (m & M_LOCK) {
        test_yaml("isr_would_deadlock: %lu", deadlock);
        test_yaml("isr_found_lock_held: %lu", contended);
    }
    test_note("%s: %lu + %lu by handlers = %lu on %d cpus%s", what, by_code, by_isr, sum, n,
              (m & M_LOCK) && !contended ? " (no handler met the lock held elsewhere)" : "");
}

TEST(irq_isr_counter, .name = "irq/isr-counter")
{
    count_test(M_IRQSAVE, "local_irq_save");
}

TEST(irq_isr_counter_control, .name = "irq/isr-counter-control", .flags = TEST_HIDDEN)
{
    test_diag("negative control: the increment without local_irq_save()");
    count_test(0, "no irqsave");
}

TEST(irq_spinlock_irqsave, .name = "irq/spinlock-irqsave", .min_cpus = 2)
{
    count_test(M_IRQSAVE | M_LOCK | M_SHARED, "spin_lock_irqsave");
}

TEST(irq_spinlock_nolock_control, .name = "irq/spinlock-nolock-control", .flags = TEST_HIDDEN,
     .min_cpus = 2)
{
    test_diag("negative control: local_irq_save() without the lock, one counter");
    count_test(M_IRQSAVE | M_SHARED, "irqsave, no lock");
}

TEST(irq_spinlock_noirqsave_control, .name = "irq/spinlock-noirqsave-control",
     .flags = TEST_HIDDEN, .min_cpus = 2)
{
    test_diag("negative control: spin_lock() without irqsave, one counter");
    count_test(M_LOCK | M_SHARED, "spin_lock only");
}
