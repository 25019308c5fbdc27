/* Index/data register pairs shared by several users (memory-barriers.txt,
 * "Interrupts" and "Locks vs I/O accesses"): each user selects its own key
 * and reads the data; a sequence is torn when another user's select lands
 * between the two accesses, and the data read is not the key's. Run on
 * every pair the drivers registered (include/io_pair.h), with the
 * protection the doc prescribes and, as the hidden negative controls
 * (tests/controls.cfg), without it.
 *
 * QEMU (DESIGN.md section 9): two CPUs do interleave on an unlocked pair
 * (QEMU takes its global lock per access, not per sequence); an ISR lands
 * inside the window only because the window has a loop in it (TCG takes
 * interrupts between translation blocks), so the window is a short delay
 * loop, as a real driver's would be between the two accesses. Counter reads
 * stay out of it (they are I/O in QEMU and serialise). */
#include "arch.h"
#include "clock.h"
#include "io_pair.h"
#include "irq.h"
#include "percpu.h"
#include "test.h"
#include <io.h>
#include <irqflags.h>
#include <spinlock.h>

static uint32_t opt_ms = 50, opt_delay = 100, opt_period_us = 50;
OPTION(io_ms, "io.ms", BOOTARG_U32, &opt_ms, "how long the users run on each pair (ms)");
OPTION(io_delay, "io.delay", BOOTARG_U32, &opt_delay,
       "loop iterations between the index and the data access (the window)");
OPTION(io_period, "io.isr_period_us", BOOTARG_U32, &opt_period_us,
       "period of the timer ISR that shares the pair (microseconds)");

#define MAX_USERS 8

/* How the users of a pair make the two accesses one step. */
enum protect {
    BARE,           /* nothing: the negative controls */
    IRQ_OFF,        /* local_irq_save: enough against this CPU's own ISR */
    LOCK,           /* spin_lock: enough between CPUs without ISRs */
    LOCK_IRQ,       /* spin_lock_irqsave: CPUs and an ISR that takes the lock */
};

/* A pair with the keys whose data differ, and what each key reads. */
struct pair_run {
    const struct io_pair *p;
    uint32_t key[IO_PAIR_MAX_KEYS], expect[IO_PAIR_MAX_KEYS];
    unsigned nkeys;
    enum protect protect;
    bool isr;                           /* user 0's timer ISR uses the pair too */
    /* per CPU: between taking a ticket of p->lock and releasing it */
    bool *in_lock;
    bool stop;                          /* user 0 says the time is up */
    unsigned long torn[MAX_USERS], done[MAX_USERS];
    unsigned long isr_runs, isr_torn, isr_deadlocks;
    bool lock_lost;                     /* a ticket not served within LOCK_BOUND_MS */
};

/* Far beyond one sequence under the lock (~100 us): only a CPU lost while
 * holding the lock makes a waiter reach it. */
#define LOCK_BOUND_MS 1000

static void window(void)
{
    for (unsigned i = 0; i < READ_ONCE(opt_delay); i++)
        barrier();
}

/* One index/data sequence; true when the data is the key's. */
static bool sequence(const struct pair_run *r, unsigned k)
{
    r->p->select(r->p, r->key[k]);
    window();
    return r->p->read(r->p) == r->expect[k];
}

/* Learn each key's data under the driver's lock; keep keys whose data no
 * other kept key has (a torn read must be told from a good one). */
static bool learn(struct pair_run *r, const struct io_pair *p)
{
    unsigned long flags;
    bool *in_lock = PERCPU_TABLE(r->in_lock);

    for (int c = 0; c < nr_cpus_possible; c++)
        in_lock[c] = false;
    *r = (struct pair_run){ .p = p, .in_lock = in_lock };
    spin_lock_irqsave(p->lock, flags);
    for (unsigned i = 0; i < p->nkeys; i++) {
        bool dup = false;
        uint32_t v;

        p->select(p, p->keys[i]);
        v = p->read(p);
        for (unsigned j = 0; j < r->nkeys; j++)
            dup |= r->expect[j] == v;
        if (!dup) {
            r->key[r->nkeys] = p->keys[i];
            r->expect[r->nkeys++] = v;
        }
    }
    spin_unlock_irqrestore(p->lock, flags);
    return r->nkeys >= 2;
}

static bool have_pairs(void)
{
    if (io_pair_at(0))
        return true;
    test_skip("no index/data register pair: no fw_cfg, PCI config pair or edu found");
    return false;
}

/* The waits below spin with interrupts off (the ISR, and irqsave users),
 * where the test's watchdog cannot end them: bounded, through spin_lock()'s
 * two halves, and a lost holder ends the run by name. A trylock loop
 * cannot stand in: against a ticket lock's queue it starves. */
static bool take_lock(struct pair_run *r)
{
    uint64_t end = clock_deadline_ms(LOCK_BOUND_MS);
    int ticket;

    if (READ_ONCE(r->lock_lost))
        return false;       /* wedged: a ticket left behind is never served */
    ticket = spin_lock_ticket(r->p->lock);
    for (unsigned spins = 1; !spin_lock_served(r->p->lock, ticket); spins++) {
        if (!(spins & 255) && clock_passed(end))
            goto lost;
        cpu_relax();
    }
    return true;
lost:
    WRITE_ONCE(r->lock_lost, true);
    WRITE_ONCE(r->stop, true);
    return false;
}

/* One user's protected sequence. */
static bool protected_sequence(struct pair_run *r, unsigned k)
{
    bool *in_lock = &r->in_lock[smp_processor_id()];
    unsigned long flags = 0;
    bool ok = true, locked = false;

    if (r->protect == IRQ_OFF || r->protect == LOCK_IRQ)
        flags = local_irq_save();
    if (r->protect >= LOCK) {
        WRITE_ONCE(*in_lock, true);
        locked = take_lock(r);
    }
    if (locked || r->protect < LOCK)
        ok = sequence(r, k);
    if (locked) {
        mmiowb();       /* the device writes before the unlock (the doc's driver shape) */
        spin_unlock(r->p->lock);
    }
    if (r->protect >= LOCK)
        WRITE_ONCE(*in_lock, false);
    if (r->protect == IRQ_OFF || r->protect == LOCK_IRQ)
        local_irq_restore(flags);
    return ok;
}

/* ---- the ISR that shares the pair with user 0 ---- */

static struct pair_run *isr_run;

/* The ISR takes the lock when the users do. If the code it interrupted is
 * inside the lock (holding it, or holding a ticket and waiting for its
 * turn: the same with a ticket lock) that is the deadlock memory-
 * barriers.txt describes; it is counted instead of spun on forever. Other
 * CPUs release the lock within a sequence, so waiting for them ends. */
static void isr_sequence(void)
{
    struct pair_run *r = isr_run;
    bool locked = r->protect >= LOCK;

    r->isr_runs++;
    if (locked && READ_ONCE(r->in_lock[smp_processor_id()])) {
        r->isr_deadlocks++;
    } else if (!locked) {
        r->isr_torn += !sequence(r, r->nkeys - 1);
    } else if (take_lock(r)) {
        r->isr_torn += !sequence(r, r->nkeys - 1);
        spin_unlock(r->p->lock);
    }
    timer_set_user(us_to_ticks(opt_period_us));
}

static void isr_start(struct pair_run *r)
{
    isr_run = r;
    irq_set_timer_hook(isr_sequence);
    timer_set_user(us_to_ticks(opt_period_us));
    local_irq_enable();
}

static void isr_stop(void)
{
    local_irq_disable();
    timer_set_user(0);
    irq_set_timer_hook(NULL);
}

/* ---- running the users ---- */

/* The negative control of take_lock() (io/lock-holder-lost): user 1 takes
 * the lock and keeps it, as a CPU lost while holding it would. */
static bool lose_holder;

/* Users run for io.ms; user 0 keeps the time, between sequences (a counter
 * read is an I/O access in QEMU: never inside the window). */
static void user_cpu(int idx, void *arg)
{
    struct pair_run *r = arg;
    unsigned k = (unsigned)idx % (r->nkeys - (r->isr ? 1 : 0));
    uint64_t end = clock_deadline_ms(opt_ms);

    if (lose_holder && idx == 1) {
        spin_lock(r->p->lock);
        return;
    }
    if (idx == 0 && r->isr)
        isr_start(r);
    /* Stop looked at every sequence and the time every 8: where a
     * contended lock changes hands only when the host schedules the holder
     * (TCG's single thread: every 100 ms), 64 sequences take seconds. */
    for (unsigned n = 1; !READ_ONCE(r->stop); n++) {
        r->torn[idx] += !protected_sequence(r, k);
        r->done[idx]++;
        if (idx == 0 && !(n & 7) && clock_passed(end))
            WRITE_ONCE(r->stop, true);
    }
    if (idx == 0 && r->isr)
        isr_stop();
}

static unsigned long sum(const unsigned long *a, int n)
{
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

/* Two CPUs: the doc's shape, and on a 2-core host more vCPUs than cores
 * only make a contended ticket lock crawl (a preempted waiter stalls all). */
static int users(void) { return MIN(num_online_cpus(), 2); }

struct pair_result {
    const char *name;
    unsigned long seqs, torn, isr_runs, isr_torn, isr_deadlocks;
    bool lock_lost;
};

static void judge(const struct pair_result *p, bool isr)
{
    if (!check(!p->lock_lost, "%s: a ticket of the lock was not served within %d ms: a CPU was lost "
               "holding it, and the lock is wedged", p->name, LOCK_BOUND_MS))
        return;
    if (isr && !check(p->isr_runs > 0, "%s: the timer ISR never ran: nothing was judged", p->name))
        return;
    check(p->torn == 0, "%s: %lu of %lu sequences torn (%lu of them in the ISR)", p->name, p->torn,
          p->seqs, p->isr_torn);
    check(p->isr_deadlocks == 0, "%s: %lu ISRs found the lock held by the code they interrupted "
          "(deadlock: the lock was taken without disabling interrupts)", p->name, p->isr_deadlocks);
}

/* Every pair with `cpus` users (and the ISR): one YAML entry per pair,
 * then the checks. Returns the sequences judged. */
static unsigned long run_pairs(int cpus, enum protect protect, bool isr)
{
    static struct pair_run pr;   /* not "r": ppc gas reads "r.0" as a register */
    struct pair_result res[4];
    unsigned long judged = 0;
    const struct io_pair *p;
    int n = 0;

    test_yaml("pairs:");
    for (int i = 0; (p = io_pair_at(i)) && n < (int)ARRAY_SIZE(res); i++) {
        if (!learn(&pr, p) || (isr && pr.nkeys < 2)) {
            test_yaml("  - {pair: \"%s\", skipped: \"fewer than 2 keys with distinct data\"}", p->name);
            continue;
        }
        pr.protect = protect;
        pr.isr = isr;
        if (on_cpus(cpus, user_cpu, &pr, 0))
            return 0;
        res[n] = (struct pair_result){ .name = p->name, .torn = sum(pr.torn, cpus) + pr.isr_torn,
                                       .seqs = sum(pr.done, cpus) + pr.isr_runs, .isr_runs = pr.isr_runs,
                                       .isr_torn = pr.isr_torn, .isr_deadlocks = pr.isr_deadlocks,
                                       .lock_lost = pr.lock_lost };
        test_yaml("  - {pair: \"%s\", cpus: %d, sequences: %lu, torn: %lu, isr_runs: %lu, "
                  "isr_torn: %lu, isr_deadlocks: %lu}", p->name, cpus, res[n].seqs, res[n].torn,
                  pr.isr_runs, pr.isr_torn, pr.isr_deadlocks);
        judged += res[n++].seqs;
    }
    for (int i = 0; i < n; i++)
        judge(&res[i], isr);
    check(judged > 0, "no pair could be judged");
    return judged;
}

static bool have_timer(void)
{
    if (arch_irq_controller()[0] != 'n')
        return true;
    test_skip("no interrupt controller: no timer ISR to share the pair with");
    return false;
}

#define PAIR_TEST(id, name_, cpus_, protect_, isr_, hidden_, what)                  \
    TEST(id, .name = name_, .min_cpus = (cpus_) > 1 ? 2 : 1, .flags = hidden_)       \
    {                                                                              \
        int n = (cpus_) > 1 ? users() : 1;                                         \
        if (!have_pairs() || ((isr_) && !have_timer()))                            \
            return;                                                                \
        unsigned long seqs = run_pairs(n, protect_, isr_);                          \
        test_note("%lu sequences, %d cpu(s)%s, %s", seqs, n, (isr_) ? " and a timer ISR" : "", \
                  what);                                                           \
    }

PAIR_TEST(io_locked, "io/locked-index-data", 2, LOCK, false, 0, "under spin_lock")
PAIR_TEST(io_isr, "io/isr-index-data", 1, IRQ_OFF, true, 0, "driver under local_irq_save")
PAIR_TEST(io_irqsave_smp, "io/irqsave-lock-smp", 2, LOCK_IRQ, true, 0,
          "under spin_lock_irqsave, the ISR taking the lock")
/* Negative controls (tests/controls.cfg): each must fail for its reason. */
PAIR_TEST(io_unlocked, "io/unlocked-index-data", 2, BARE, false, TEST_HIDDEN, "no lock")
PAIR_TEST(io_isr_irqs_on, "io/isr-index-data-irqs-on", 1, BARE, true, TEST_HIDDEN,
          "interrupts left on")
PAIR_TEST(io_lock_no_irqsave, "io/lock-no-irqsave-smp", 2, LOCK, true, TEST_HIDDEN,
          "spin_lock without irqsave, the ISR taking the lock")
TEST(io_lock_holder_lost, .name = "io/lock-holder-lost", .min_cpus = 2, .flags = TEST_HIDDEN)
{
    if (!have_pairs())
        return;
    lose_holder = true;
    run_pairs(2, LOCK_IRQ, false);
    lose_holder = false;
}
