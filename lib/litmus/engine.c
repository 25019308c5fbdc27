/* The litmus engine: runs a generated litmus test on the target's CPUs the
 * way litmus7 does it (DESIGN.md section 5), and judges the outcome.
 *
 * Batches: each synchronisation starts `batch` independent instances of
 * the test's locations; every thread sweeps all of them, so threads that
 * start together keep racing on the same instance; they pace each other
 * (litmus_pace()) so that a delayed one does not end up sweeping alone.
 * After a batch the threads tally its final states and set up the next
 * batch in the other arena (the test's generated count loop). Per batch,
 * from the run's seed: which CPU runs which thread, whether the locations
 * share a cache line or each get their own, their order, the instance
 * stride and start, a start skew per thread; per round of batches (one
 * wake-up of the CPUs): which CPUs take part. The one-synchronisation-
 * per-run mode (litmus.mode=sync) is kept for comparison. */
#include "arch.h"
#include "console.h"
#include "clock.h"
#include "irq.h"
#include "litmus.h"
#include "on_cpus.h"
#include "percpu.h"
#include <asm/processor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE            64
#define ARENA_SIZE      (256 * 1024)
#define MAX_INST        1024
/* Batches per round (one wake-up of the CPUs, one choice of CPUs): a
 * round costs ~100 us of dispatch and set-up, a batch ~80 us on QEMU. A
 * round also ends after ROUND_MS (a slow test, deadlocks), so that the
 * boot CPU gets back to re-arm the watchdog and print progress. */
#define ROUND_BATCHES   64
#define ROUND_MS        2000
/* The most a round may take before its CPUs count as lost: shorter than
 * the watchdog (LITMUS_TIMEOUT_MS), re-armed before each round. */
#define ROUND_TIMEOUT_MS 15000
/* Progress lines while a test runs longer than this (the host runner's
 * idle timeout is 30 s). */
#define PROGRESS_MS     5000
/* Waits that can deadlock (include/litmus.h): polls a waiting peer must
 * be seen making before the wait is judged a deadlock, and a time bound
 * for anything else (a peer still running may be a preempted vCPU that
 * will finish: waiting for it is right, so the bound is long). */
#define LOCK_MOVES      64
#define LOCK_WAIT_MS    1000
/* The must-see rule (unseen_must_see()): a shape this platform must show
 * is judged "not seen" only after this many batches that raced (every
 * thread started before any finished, paced throughout) while the host ran
 * the CPUs together. Pacing alone cannot tell: a host that runs the vCPUs
 * by turns (one free core, TCG's single thread) keeps them in step too. So
 * while such a shape is unseen, a PROBE_MS probe follows each round and
 * weighs its raced batches. The weakest of LITMUS_MUST_SEE shows ~4 times
 * per batch on an idle host (README, Litmus). */
#define RACED_ENOUGH    32
#define PROBE_MS        5
/* How long a must-see shape may go on, past its tenfold budget, while it
 * has fewer than RACED_ENOUGH such batches. */
#define MUST_SEE_MAX_MS 5000

static uint32_t opt_runs = 1000000;
static uint32_t opt_ms = 300;
static uint32_t opt_batch = 1024;
/* Pacing (include/litmus.h): each platform.mk picks the step and window
 * that measured best on it (README, Benchmarks). */
#ifndef LITMUS_STEP
#define LITMUS_STEP 8
#endif
#ifndef LITMUS_WINDOW
#define LITMUS_WINDOW 8
#endif
static uint32_t opt_step = LITMUS_STEP, opt_window = LITMUS_WINDOW;
static char opt_mode[BOOTARG_STR_MAX] = "batch";
static bool opt_litmus7, opt_serialize;
static char opt_cpus[BOOTARG_STR_MAX];
#ifndef LITMUS_MUST_SEE
#define LITMUS_MUST_SEE ""
#endif
static char opt_must_see[BOOTARG_STR_MAX] = LITMUS_MUST_SEE;

/* A zero budget would judge nothing: refused at boot (BOOTARG_U32_POS). */
OPTION(litmus_runs, "litmus.runs", BOOTARG_U32_POS, &opt_runs,
       "litmus: most runs per test (default 1000000, at least 1)");
OPTION(litmus_ms, "litmus.ms", BOOTARG_U32_POS, &opt_ms,
       "litmus: most milliseconds per test (default 300, at least 1)");
OPTION(litmus_batch, "litmus.batch", BOOTARG_U32_POS, &opt_batch,
       "litmus: instances per synchronisation in batch mode (default 1024, 1 to 1024)");
OPTION(litmus_step, "litmus.step", BOOTARG_U32, &opt_step,
       "litmus: pacing, instances between progress checks (a power of 2; default from platform.mk)");
OPTION(litmus_window, "litmus.window", BOOTARG_U32, &opt_window,
       "litmus: pacing, instances a thread may run ahead of a peer (default from platform.mk)");
OPTION(litmus_mode, "litmus.mode", BOOTARG_STR, opt_mode,
       "litmus: batch (default) or sync (one synchronisation per run)");
OPTION(litmus_must_see, "litmus.must_see", BOOTARG_STR, opt_must_see,
       "litmus: globs of allowed tests this platform must show (default from platform.mk)");
OPTION(litmus_litmus7, "litmus.litmus7", BOOTARG_FLAG, &opt_litmus7,
       "litmus: also print results in litmus7's vocabulary (as # lines)");
OPTION(litmus_cpus, "litmus.cpus", BOOTARG_STR, opt_cpus,
       "litmus: pin every test to these CPUs, e.g. 0,5 (the boot CPU 0 first: it runs each round)");
OPTION(litmus_serialize, "litmus.serialize", BOOTARG_FLAG, &opt_serialize,
       "litmus: negative control: the threads of a batch take turns (must-see shapes must fail)");

/* Two arenas: while the threads record batch k's instances in one, they
 * set up batch k+1's, laid out afresh, in the other. */
static uint8_t arena[2][ARENA_SIZE] __aligned(4096);
/* Each thread's registers packed per instance (out[th] + i * nregs[th]):
 * a thread writes only its own lines during a sweep, and the count loop
 * reads them as dense streams. */
static long regs[LITMUS_MAX_THREADS][MAX_INST * LITMUS_MAX_REGS] __aligned(LINE);

/* One batch's random choices, drawn from the seed before it runs. */
struct plan {
    struct litmus_layout layout;            /* in arena[this plan's slot] */
    int thread_of[LITMUS_MAX_THREADS];      /* on_cpus index -> litmus thread */
    uint32_t skew[LITMUS_MAX_THREADS];      /* cpu_relax() spins before starting */
};
static const struct litmus_layout no_layout;    /* zero instances */

/* Everything a round needs; read by every participating CPU. */
static struct batch {
    const struct litmus_test *t;
    bool sync_mode;
    struct plan plan[2];
    struct plan *cur, *next;                /* this batch; the one after (NULL: none) */
    atomic_t batch_count, run_count;        /* barriers: between batches, per run (sync) */
    atomic_t count_next;                    /* next instance to record and reset */
    int batch_sense, run_sense;
    bool unpaced;                           /* a peer stalled: this batch runs free */
    bool solo;                              /* a thread finished before a peer started */
    struct litmus_progress progress[LITMUS_MAX_THREADS];   /* last instance started */
    int batches_left;
    uint64_t deadline, round_deadline, batches, runs_cap;
    uint64_t raced;                         /* batches neither solo nor unpaced */
    /* the must-see rule: raced batches of each round times the share of
     * the probe after it that the CPUs ran together (percent) */
    uint64_t raced_together, probes, together_sum;
} b;

static struct litmus_hist h;                            /* the test's outcome */
static struct litmus_hist hpart[LITMUS_MAX_THREADS] __aligned(LINE);   /* per thread, per round */

/* ---- reproducible randomness ---- */
static uint64_t rng;
static uint64_t choices;    /* digest of every random choice made: same seed, same digest */

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    uint64_t x = rng * 0x2545F4914F6CDD1DULL;
    choices = (choices ^ x) * 0x100000001b3ULL;
    return x;
}

static uint32_t rnd_below(uint32_t n) { return (uint32_t)(rnd() % n); }

static uint64_t hash_name(const char *s)
{
    uint64_t x = 0xcbf29ce484222325ULL;
    while (*s)
        x = (x ^ (uint8_t)*s++) * 0x100000001b3ULL;
    return x;
}

/* ---- layout ---- */

/* Where a batch's instances go in arena[slot]: each location on its own
 * cache line or all on one, the instance stride, the order of the
 * locations and the start, all from the seed. */
static void place_locations(const struct litmus_test *t, int slot, struct litmus_layout *l)
{
    bool spread = rnd_below(2);
    size_t align = spread ? LINE : 16, inst = 0, base = (size_t)rnd_below(8) * LINE;
    int order[LITMUS_MAX_LOCS];

    for (int k = 0; k < t->nlocs; k++)
        order[k] = k;
    for (int k = t->nlocs - 1; k > 0; k--) {            /* shuffle the order */
        int j = (int)rnd_below((uint32_t)k + 1);
        int tmp = order[k];
        order[k] = order[j];
        order[j] = tmp;
    }
    for (int k = 0; k < t->nlocs; k++) {                /* each at its place, in that order */
        l->off[order[k]] = inst;
        inst += ALIGN_UP(MAX(t->locs[order[k]].size, (size_t)1), align);
    }
    inst = ALIGN_UP(MAX(inst, (size_t)1), LINE) * (1 + rnd_below(2));
    l->base = arena[slot] + base;
    l->stride = inst;
    l->n = (int)MIN((size_t)MIN(opt_batch, MAX_INST), (ARENA_SIZE - base) / inst);
}

/* ---- the threads ---- */

/* Sense-reversing barrier among the n threads of a round. Built on the
 * arch's atomics and the virt_*() barriers, which stay real when SMP=n. */
static void barrier_wait(atomic_t *count, int *sense, int n, int *local_sense)
{
    *local_sense = !*local_sense;
    if (atomic_fetch_add(1, count) == n - 1) {
        atomic_set(count, 0);
        virt_store_release(sense, *local_sense);
    } else {
        while (virt_load_acquire(sense) != *local_sense)
            cpu_relax();
    }
}

/* A wait of a thread of a lock test (include/litmus.h): poll ready(),
 * publishing a heartbeat; give up when no one can make it ready any
 * more: every other thread of the instance has finished (or abandoned
 * it) or is itself waiting, seen polling LOCK_MOVES times, or after
 * LOCK_WAIT_MS whatever the others do (a preempted vCPU). */
static bool wait_until_ready(bool (*ready)(const void *p, int v), const void *p, int v,
                             struct litmus_sync *ls, int th, int nth)
{
    int seen[LITMUS_MAX_THREADS] = { 0 }, moves[LITMUS_MAX_THREADS] = { 0 }, beat = 0;
    uint64_t start = arch_counter(), bound = ms_to_ticks(LOCK_WAIT_MS);

    for (unsigned spins = 1;; spins++) {
        if (ready(p, v)) {
            WRITE_ONCE(ls->st[th], LITMUS_RUNNING);
            return true;
        }
        beat = beat == 0x7fffffff ? 1 : beat + 1;
        WRITE_ONCE(ls->st[th], beat);
        bool stuck = spins > LOCK_MOVES;
        for (int o = 0; o < nth; o++) {
            int s = o == th ? LITMUS_DONE : READ_ONCE(ls->st[o]);
            if (s == LITMUS_DONE)
                continue;
            if (s == LITMUS_RUNNING) {
                moves[o] = 0;
                stuck = false;
                continue;
            }
            if (s != seen[o]) {
                seen[o] = s;
                moves[o]++;
            }
            if (moves[o] < LOCK_MOVES)
                stuck = false;
        }
        if (stuck || (!(spins & 255) && arch_counter() - start > bound))
            break;
        cpu_relax();
    }
    litmus_thread_done(ls, th);
    return false;
}

static bool lock_served(const void *l, int ticket)
{
    return spin_lock_served((spinlock_t *)l, ticket);
}

/* The slow path of litmus_spin_lock(): the lock is held. */
bool litmus_lock_wait(spinlock_t *l, int ticket, struct litmus_sync *ls, int th, int nth)
{
    return wait_until_ready(lock_served, l, ticket, ls, th, nth);
}

/* Grace periods (include/litmus.h): a reader is inside while its count
 * is odd. */
void litmus_rcu_enter(struct litmus_sync *ls, int domain, int th)
{
    WRITE_ONCE(ls->rcu[domain][th], ls->rcu[domain][th] + 1);
    virt_mb();
}

void litmus_rcu_exit(struct litmus_sync *ls, int domain, int th)
{
    virt_mb();
    WRITE_ONCE(ls->rcu[domain][th], ls->rcu[domain][th] + 1);
}

static bool section_left(const void *count, int seen)
{
    return READ_ONCE(*(const int *)count) != seen;
}

bool litmus_synchronize(struct litmus_sync *ls, int domain, int th, int nth)
{
    virt_mb();
    for (int o = 0; o < nth; o++) {
        int seen = o == th ? 0 : READ_ONCE(ls->rcu[domain][o]);
        if ((seen & 1) && !wait_until_ready(section_left, &ls->rcu[domain][o], seen, ls, th, nth))
            return false;
    }
    virt_mb();
    return true;
}

/* The slow path of litmus_pace() (include/litmus.h): a peer is more than
 * `window` instances behind. */
void litmus_pace_wait(struct litmus_progress *prog, int i, int window, int nthreads)
{
    if (READ_ONCE(b.unpaced))
        return;
    for (int o = 0; o < nthreads; o++) {
        for (unsigned spins = 0; READ_ONCE(prog[o].v) + window < i; spins++) {
            /* A peer that is not running (more vCPUs than host cores) would
             * make lockstep crawl: give up pacing for the rest of the batch. */
            if (spins > (1u << 16)) {
                WRITE_ONCE(b.unpaced, true);
                return;
            }
            cpu_relax();
        }
    }
}

/* The control litmus.serialize: thread th starts when th - 1 is done. */
static void wait_turn(int th)
{
    WRITE_ONCE(b.unpaced, true);
    for (unsigned spins = 0; th && READ_ONCE(b.progress[th - 1].v) < MAX_INST; spins++) {
        if (spins > (1u << 24))
            break;              /* a lost peer: on_cpu_list() will say so */
        cpu_relax();
    }
}

/* A thread done with its sweep while a peer has not started it: the
 * batch did not race (a starved vCPU, or the serialize control). */
static void note_solo(int th, int nthreads)
{
    for (int o = 0; o < nthreads; o++)
        if (o != th && READ_ONCE(b.progress[o].v) < 0)
            WRITE_ONCE(b.solo, true);
}

static void sweep(const struct litmus_test *t, const struct litmus_layout *l, int th, int *local_sense)
{
    if (opt_serialize && !b.sync_mode)      /* sync mode's per-run barrier would wait forever */
        wait_turn(th);
    if (b.sync_mode) {
        WRITE_ONCE(b.progress[th].v, 0);
        for (int i = 0; i < l->n; i++) {
            void *loc[LITMUS_MAX_LOCS];
            barrier_wait(&b.run_count, &b.run_sense, t->nthreads, local_sense);
            litmus_locs(l, i, t->nlocs, loc);
            t->thread[th](loc, regs[th] + (size_t)i * t->nregs[th]);
        }
        note_solo(th, t->nthreads);
        WRITE_ONCE(b.progress[th].v, MAX_INST + (int)opt_window);
        return;
    }
    struct litmus_sweep s = {
        .layout = l, .out = regs[th], .progress = b.progress, .th = th,
        .step_mask = (int)opt_step - 1, .window = (int)opt_window,
    };
    t->sweep[th](&s);
    note_solo(th, t->nthreads);
    /* nobody waits for a finished thread (MAX_INST: nor takes turns after it) */
    WRITE_ONCE(b.progress[th].v, MAX_INST + (int)opt_window);
}

/* Threads take chunks of instances to record and reset as they come, so
 * a thread that is slower (a remote cache, a delayed vCPU) takes fewer. */
#define COUNT_CHUNK 64

/* Record cur's instances and set up next's (either may have none). */
static void record_and_reset(const struct litmus_test *t, int idx, const struct litmus_layout *cur,
                             const struct litmus_layout *next)
{
    struct litmus_view v = { .cur = cur, .next = next };
    int n = MAX(cur->n, next->n);

    for (int th = 0; th < t->nthreads; th++)
        v.out[th] = regs[th];
    for (;;) {
        int from = atomic_fetch_add(COUNT_CHUNK, &b.count_next);
        if (from >= n)
            break;
        t->count(&v, from, MIN(from + COUNT_CHUNK, n), &hpart[idx]);
    }
}

static bool plan_batch(const struct litmus_test *t, struct plan *p);

/* Before a batch: no thread has started, none has counted. */
static void start_batch(const struct litmus_test *t)
{
    for (int i = 0; i < t->nthreads; i++)
        b.progress[i].v = -(int)opt_window;
    b.unpaced = false;
    b.solo = false;
    atomic_set(&b.count_next, 0);
}

/* After a batch (boot CPU, all others waiting): the next one becomes
 * current, and the one after it is planned if the budgets allow. */
static void advance(const struct litmus_test *t)
{
    struct plan *done = b.cur;

    b.raced += !b.solo && !b.unpaced;
    b.cur = b.next;
    b.next = b.cur && plan_batch(t, done) ? done : NULL;
    start_batch(t);
}

/* One round: the same CPUs run batch after batch without being woken
 * again. After each batch the threads record it and set up the next one
 * (its layout already drawn, in the other arena); then the boot CPU
 * (index 0) plans the one after. */
static void worker(int idx, void *arg)
{
    const struct litmus_test *t = b.t;
    int batch_sense = b.batch_sense, run_sense = b.run_sense;

    (void)arg;
    record_and_reset(t, idx, &no_layout, &b.cur->layout);      /* the round's first batch */
    barrier_wait(&b.batch_count, &b.batch_sense, t->nthreads, &batch_sense);
    if (idx == 0)
        atomic_set(&b.count_next, 0);
    for (;;) {
        barrier_wait(&b.batch_count, &b.batch_sense, t->nthreads, &batch_sense);
        const struct plan *p = READ_ONCE(b.cur);
        if (!p)
            break;
        int th = p->thread_of[idx];
        for (uint32_t s = p->skew[th]; s; s--)
            cpu_relax();
        sweep(t, &p->layout, th, &run_sense);
        barrier_wait(&b.batch_count, &b.batch_sense, t->nthreads, &batch_sense);
        record_and_reset(t, idx, &p->layout, b.next ? &b.next->layout : &no_layout);
        barrier_wait(&b.batch_count, &b.batch_sense, t->nthreads, &batch_sense);
        if (idx == 0)
            advance(t);
    }
}

/* ---- outcome ---- */

/* A pointer as litmus_ptr_obs() coded it: "x", "a[1]", or the number. */
static size_t format_value(const struct litmus_test *t, const struct litmus_var *var, long v,
                           char *buf, size_t len)
{
    long code = LITMUS_PTR_CODE(0, 0) - v;

    if (var->is_ptr && code >= 0 && code < LITMUS_PTR_CODES) {
        const struct litmus_loc *loc = &t->locs[code % LITMUS_MAX_LOCS];
        long i = code / LITMUS_MAX_LOCS;
        if (loc->size == loc->elem && i == 0)
            return (size_t)snprintf(buf, len, "%s", loc->name);
        return (size_t)snprintf(buf, len, "%s[%ld]", loc->name, i);
    }
    return (size_t)snprintf(buf, len, "%ld", v);
}

static void format_state(const struct litmus_test *t, const long *val, char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = 0;
    for (int k = 0; k < t->nobs && o < len; k++) {
        o += (size_t)snprintf(buf + o, len - o, "%s=", t->obs[k].name);
        if (o < len)
            o += format_value(t, &t->obs[k], val[k], buf + o, len - o);
        if (o < len)
            o += (size_t)snprintf(buf + o, len - o, "; ");
    }
}

/* ---- one test ---- */
bool litmus_must_see(const char *name)
{
    return glob_match_list(opt_must_see, name);
}

/* ---- placement: which CPUs take part in a round ---- */

/* Where a round's CPUs sit relative to the boot CPU (which always takes
 * part: it runs the rounds), from /cpus/cpu-map: threads of one core, cores
 * of one cluster, other clusters or sockets; ANY where the map says
 * nothing. Each round draws a kind the online CPUs allow, so a board's
 * results say where a reordering shows (YAML placement:). */
enum placement { PL_THREADS, PL_CLUSTER, PL_ACROSS, PL_ANY, PL_PINNED, PL_KINDS };
static const char *const placement_name[PL_KINDS] = {
    "threads of one core", "cores of one cluster", "across clusters", "any", "pinned (litmus.cpus=)",
};
static struct {
    uint64_t rounds, runs, witnesses;
} placed[PL_KINDS];
static enum placement round_placement;

static enum placement placement_of(int c)
{
    const struct cpu_desc *a = &percpu[0].desc, *d = &percpu[c].desc;

    if (a->core < 0 || d->core < 0)
        return PL_ANY;
    if (a->socket != d->socket || a->cluster != d->cluster)
        return PL_ACROSS;
    return a->core == d->core ? PL_THREADS : PL_CLUSTER;
}

/* litmus.cpus=: the list, or 0 if none is set; -1 after saying why the
 * test cannot use it (a skip). */
static int pinned_cpus(const struct litmus_test *t, int *cpus)
{
    const char *s = opt_cpus;
    int n = 0;

    if (!*s)
        return 0;
    while (*s && n < LITMUS_MAX_THREADS) {
        char *end;
        long c = strtol(s, &end, 10);
        if (end == s || c < 0 || c >= nr_cpus_possible || (*end && *end != ',')) {
            test_skip("litmus.cpus=%s: not a list of CPU numbers below %d", opt_cpus, nr_cpus_possible);
            return -1;
        }
        bool twice = false;
        for (int i = 0; i < n; i++)
            twice |= cpus[i] == c;
        if ((n == 0 && c != 0) || twice || (n && !cpu_online((int)c))) {
            test_skip("litmus.cpus=%s: cpu %ld %s", opt_cpus, c,
                      n == 0 ? "first: the list starts with the boot CPU 0" : twice ? "twice" : "is not online");
            return -1;
        }
        cpus[n++] = (int)c;
        s = *end ? end + 1 : end;
    }
    if (n < t->nthreads) {
        test_skip("litmus.cpus=%s names %d cpus, the test has %d threads", opt_cpus, n, t->nthreads);
        return -1;
    }
    return n;
}

/* The boot CPU and, from the kinds of placement the online CPUs allow,
 * one drawn at random and a random subset of the CPUs of that kind. */
static void choose_cpus(const struct litmus_test *t, int *cpus)
{
    static int *pool_of;
    int *pool = PERCPU_TABLE(pool_of), n = 0, count[PL_KINDS] = { 0 }, kinds[PL_KINDS], nkinds = 0;
    enum placement kind;

    if (pinned_cpus(t, cpus) > 0) {
        round_placement = PL_PINNED;
        return;
    }
    for (int c = 1; c < nr_cpus_possible; c++)
        if (cpu_online(c))
            count[placement_of(c)]++;
    for (int k = 0; k < PL_PINNED; k++)
        if (count[k] >= t->nthreads - 1)
            kinds[nkinds++] = k;
    /* too few of any one kind: any online CPU (ANY) */
    kind = nkinds ? (enum placement)kinds[rnd_below((uint32_t)nkinds)] : PL_ANY;
    for (int c = 1; c < nr_cpus_possible; c++)
        if (cpu_online(c) && (!nkinds || placement_of(c) == kind))
            pool[n++] = c;
    round_placement = kind;
    cpus[0] = 0;
    for (int i = 1; i < t->nthreads; i++) {
        int j = i - 1 + (int)rnd_below((uint32_t)(n - (i - 1)));
        int tmp = pool[i - 1];
        pool[i - 1] = pool[j];
        pool[j] = tmp;
        cpus[i] = pool[i - 1];
    }
}

/* Executions run: judged, removed by the filter, or deadlocked. */
static uint64_t executions(const struct litmus_hist *x)
{
    return litmus_hist_runs(x) + x->filtered_out + x->deadlocked;
}

static uint64_t runs_so_far(void)
{
    uint64_t n = executions(&h);
    for (int i = 0; i < LITMUS_MAX_THREADS; i++)
        n += executions(&hpart[i]);
    return n;
}

/* Draw one batch's choices into p, if the round and the budgets allow
 * another batch: which CPU runs which thread, the layout (in the arena
 * of p's slot), the start skews. */
static bool plan_batch(const struct litmus_test *t, struct plan *p)
{
    uint64_t now = arch_counter();

    if (--b.batches_left < 0 || runs_so_far() >= b.runs_cap || now >= b.deadline ||
        now >= b.round_deadline)
        return false;
    for (int i = 0; i < t->nthreads; i++)
        p->thread_of[i] = i;
    for (int i = t->nthreads - 1; i > 0; i--) {
        int j = (int)rnd_below((uint32_t)i + 1);
        int tmp = p->thread_of[i];
        p->thread_of[i] = p->thread_of[j];
        p->thread_of[j] = tmp;
    }
    place_locations(t, (int)(p - b.plan), &p->layout);
    for (int i = 0; i < t->nthreads; i++)
        p->skew[i] = rnd_below(64);
    b.batches++;
    return true;
}

/* A round: new CPUs, then up to ROUND_BATCHES batches, fewer if a budget
 * runs out. False if a CPU failed (the test has failed). */
static bool run_round(const struct litmus_test *t)
{
    int cpus[LITMUS_MAX_THREADS];

    choose_cpus(t, cpus);
    atomic_set(&b.batch_count, 0);
    atomic_set(&b.run_count, 0);
    b.batches_left = ROUND_BATCHES;
    b.round_deadline = arch_counter() + ms_to_ticks(ROUND_MS);
    b.cur = plan_batch(t, &b.plan[0]) ? &b.plan[0] : NULL;
    b.next = b.cur && plan_batch(t, &b.plan[1]) ? &b.plan[1] : NULL;
    start_batch(t);
    if (!b.cur)
        return true;
    virt_mb();
    enum placement kind = round_placement;
    uint64_t runs = litmus_hist_runs(&h), pos = h.pos_runs;
    bool ok = on_cpu_list(t->nthreads, cpus, worker, NULL, MIN(10000 + opt_ms, ROUND_TIMEOUT_MS)) == 0;
    for (int i = 0; i < t->nthreads; i++)
        litmus_hist_merge(&h, &hpart[i]);
    placed[kind].rounds++;
    placed[kind].runs += litmus_hist_runs(&h) - runs;
    placed[kind].witnesses += h.pos_runs - pos;
    return ok;
}

/* The probe (on_cpus_together_pct()) on CPUs drawn as a round's are;
 * -1 if a CPU failed (the test has failed). */
static int probe_together_pct(const struct litmus_test *t)
{
    int cpus[LITMUS_MAX_THREADS];

    choose_cpus(t, cpus);
    return on_cpus_together_pct(t->nthreads, cpus, PROBE_MS);
}

static const char *expect_name(enum litmus_expect e)
{
    static const char *const names[] = { "Never", "Sometimes", "Always", "DEADLOCK", "unspecified" };
    return names[e];
}

static const char *observation(void)
{
    return h.pos_runs == 0 ? "Never" : h.neg_runs == 0 ? "Always" : "Sometimes";
}

static void print_litmus7(const struct litmus_test *t, uint64_t us)
{
    static const char *const kind[] = { "Allowed", "Forbidden", "Required" };
    char buf[160];
    bool validated = t->quant == LT_EXISTS ? h.pos_runs > 0 : t->quant == LT_FORALL ? h.neg_runs == 0 : h.pos_runs == 0;

    test_diag("Test %s %s", t->name, kind[t->quant]);
    test_diag("Histogram (%d states)", h.nstates);
    for (int s = 0; s < h.nstates; s++) {
        format_state(t, h.val[s], buf, sizeof(buf));
        test_diag("%-8llu%s>%s", (unsigned long long)h.count[s], h.pos[s] ? "*" : ":", buf);
    }
    test_diag("%s", validated ? "Ok" : "No");
    test_diag("Witnesses");
    test_diag("Positive: %llu, Negative: %llu", (unsigned long long)h.pos_runs, (unsigned long long)h.neg_runs);
    test_diag("Condition %s is %svalidated", t->cond_text, validated ? "" : "NOT ");
    test_diag("Observation %s %s %llu %llu", t->name, observation(), (unsigned long long)h.pos_runs,
              (unsigned long long)h.neg_runs);
    test_diag("Time %s %llu.%02llu", t->name, (unsigned long long)(us / 1000000),
              (unsigned long long)(us / 10000 % 100));
}

static void report(const struct litmus_test *t, uint64_t us, uint64_t batches)
{
    char buf[160];
    unsigned long long pos = h.pos_runs, runs = litmus_hist_runs(&h);

    test_yaml("expected: %s", expect_name(t->expect));
    if (t->datarace)
        test_yaml("datarace: herd7 flags a data race (Result: ... DATARACE); not checked here");
    test_yaml("condition: '%s'", t->cond_text);
    test_yaml("file: %s", t->file);
    test_yaml("mode: %s", b.sync_mode ? "sync" : "batch");
    if (!b.sync_mode)
        test_yaml("pacing: step %u, window %u", opt_step, opt_window);
    test_yaml("runs: %llu", runs);
    test_yaml("witnesses: %llu", pos);
    if (t->locks)
        test_yaml("deadlocked: %llu", (unsigned long long)h.deadlocked);
    test_yaml("batches: %llu", (unsigned long long)batches);
    test_yaml("raced: %llu", (unsigned long long)b.raced);
    test_yaml("placement:");
    for (int k = 0; k < PL_KINDS; k++)
        if (placed[k].rounds)
            test_yaml("  - {cpus: %s, rounds: %llu, runs: %llu, witnesses: %llu}", placement_name[k],
                      (unsigned long long)placed[k].rounds, (unsigned long long)placed[k].runs,
                      (unsigned long long)placed[k].witnesses);
    test_yaml("seed: 0x%llx", (unsigned long long)test_seed());
    test_yaml("choices: 0x%016llx", (unsigned long long)choices);
    test_yaml("time_us: %llu", (unsigned long long)us);
    test_yaml("runs_per_s: %llu", us ? (unsigned long long)(executions(&h) * 1000000 / us) : 0ULL);
    if (h.filtered_out)
        test_yaml("filtered_out: %llu", (unsigned long long)h.filtered_out);
    test_yaml("histogram:");
    for (int s = 0; s < h.nstates; s++) {
        format_state(t, h.val[s], buf, sizeof(buf));
        test_yaml("  - '%llu %s> %s'", (unsigned long long)h.count[s], h.pos[s] ? "*" : ":", buf);
    }
    if (h.other)
        test_yaml("  - '%llu in states beyond the first %d'", (unsigned long long)h.other, LITMUS_MAX_STATES);
    if (h.deadlocked)
        test_yaml("  - '%llu deadlocked (excluded from the condition)'", (unsigned long long)h.deadlocked);
    if (opt_litmus7)
        print_litmus7(t, us);
}

/* An allowed shape the platform must show (LITMUS_MUST_SEE), not seen.
 * The probe measures how much of the time the host ran these CPUs
 * together; raced batches times that share estimate the batches that
 * really ran at once. RACED_ENOUGH of those and the harness had its
 * chance (fail). Fewer: either the harness stopped racing CPUs that did
 * run together (many batches, few raced: fail), or the host gave them no
 * time together (a skip with the numbers: the barrier is not judged). */
static void unseen_must_see(unsigned long long runs)
{
    unsigned long long raced = b.raced, batches = b.batches;
    int together = b.probes ? (int)(b.together_sum / b.probes) : 0;

    test_yaml("probe: {rounds: %llu, ms: %d, together_pct: %d, raced_together: %llu}",
              (unsigned long long)b.probes, PROBE_MS, together, (unsigned long long)(b.raced_together / 100));
    /* (messages within report.c's 160 characters) */
    if (b.raced_together >= RACED_ENOUGH * 100ull)
        test_fail("must-see shape not seen in %llu runs, %llu of %llu batches raced, CPUs together %d%%: "
                  "barrier too strong, or harness lost sensitivity", runs, raced, batches, together);
    else if (together >= 10 && batches >= 4 * RACED_ENOUGH && raced * 100 * 4 < batches * (unsigned)together)
        test_fail("the harness lost its concurrency: %llu of %llu batches raced, CPUs together %d%% of "
                  "probes (must-see, %llu runs)", raced, batches, together, runs);
    else
        test_skip("could not establish concurrency: %llu of %llu batches raced, CPUs together %d%% of "
                  "probes (host load, or one TCG thread): not judged", raced, batches, together);
}

/* The verdict (DESIGN.md section 5), on the judged executions: those that
 * completed and that the filter kept. None judged is never a pass. */
static void verdict(const struct litmus_test *t)
{
    unsigned long long pos = h.pos_runs, neg = h.neg_runs, runs = litmus_hist_runs(&h);
    unsigned long long dead = h.deadlocked, filtered = h.filtered_out, all = executions(&h);
    bool bad = (t->expect == LT_NEVER && pos) || (t->expect == LT_ALWAYS && neg);
    char more[64] = "";

    if (dead)
        snprintf(more, sizeof(more), "; %llu deadlocked", dead);
    if (all == 0) {
        test_fail("no execution ran within the budget (litmus.runs=%u, litmus.ms=%u)", opt_runs, opt_ms);
        return;
    }
    if (t->expect == LT_DEADLOCK) {
        if (runs + filtered == 0)
            test_note("deadlock: all %llu executions deadlocked", dead);
        else
            test_fail("expected DEADLOCK (every execution deadlocks), but %llu of %llu completed",
                      runs + filtered, all);
        return;
    }
    if (runs == 0) {
        if (!filtered)
            test_fail("every execution deadlocked (%llu): herd7's DEADLOCK, but the test says %s",
                      dead, expect_name(t->expect));
        else
            test_fail("0 judged runs: the filter removed all %llu executions%s", filtered, more);
        return;
    }
    if (!ORDERLY_SMP_BUILD && t->smp_degraded && (t->expect == LT_NEVER || t->expect == LT_ALWAYS)) {
        /* The seed patch's point: these are compiler barriers here, so
         * across real cores these shapes may break. Never a pass. */
        test_todo("uniprocessor build, only compiler barriers: %s: %s %llu of %llu%s", t->smp_degraded,
                  bad ? "forbidden state seen" : "forbidden state not seen", bad ? pos : 0, runs, more);
        return;
    }
    if (bad) {
        test_fail("%s state seen: %llu of %llu%s", t->expect == LT_NEVER ? "forbidden" : "required-state violation",
                  t->expect == LT_NEVER ? pos : neg, runs, more);
        test_note("%s: seen %llu of %llu", t->expect == LT_NEVER ? "never" : "always",
                  t->expect == LT_NEVER ? pos : neg, runs);
    } else if (t->expect == LT_NEVER) {
        test_note("never: 0 of %llu%s", runs, more);
    } else if (t->expect == LT_ALWAYS) {
        test_note("always: %llu of %llu%s", runs, runs, more);
    } else if (pos) {
        test_note("%s: seen %llu of %llu%s", t->expect == LT_UNSPECIFIED ? "no Result: line, reported"
                  : "allowed", pos, runs, more);
    } else if (litmus_must_see(t->name)) {
        unseen_must_see(runs);
    } else {
        test_note("%s: not seen in %llu%s", t->expect == LT_UNSPECIFIED ? "no Result: line, reported"
                  : "allowed", runs, more);
    }
}

/* litmus.step must be a power of two (it is a mask in the sweep loop). */
static void check_pacing(void)
{
    if (opt_step == 0 || (opt_step & (opt_step - 1)) || opt_step > MAX_INST) {
        pr_warn("bootargs: litmus.step=%u is not a power of 2 up to %d; using %d\n", opt_step, MAX_INST,
                LITMUS_STEP);
        opt_step = LITMUS_STEP;
    }
    if (opt_window > MAX_INST)
        opt_window = MAX_INST;
}

/* After a round of an unseen must-see shape: weigh its raced batches by
 * how much of a probe the host ran the CPUs together. */
static bool weigh_round(const struct litmus_test *t, uint64_t raced)
{
    int together = probe_together_pct(t);

    if (together < 0)
        return false;
    b.raced_together += raced * (unsigned)together;
    b.together_sum += (unsigned)together;
    b.probes++;
    return true;
}

/* Run t within the budgets; false if the CPUs failed us (test failed). */
static bool execute(const struct litmus_test *t, bool sync_mode, uint64_t *us, uint64_t *batches)
{
    uint64_t start = arch_counter(), budget = ms_to_ticks(opt_ms);

    check_pacing();
    memset(&h, 0, sizeof(h));
    memset(hpart, 0, sizeof(hpart));
    rng = test_seed() ^ hash_name(t->name);
    if (!rng)
        rng = 1;
    choices = 0;
    b.t = t;
    b.sync_mode = sync_mode;
    b.batches = 0;
    b.raced = 0;
    memset(placed, 0, sizeof(placed));
    b.raced_together = b.probes = b.together_sum = 0;
    b.deadline = start + budget;
    b.runs_cap = opt_runs;
    uint64_t progress = start, beat = ms_to_ticks(PROGRESS_MS);
    for (int extensions = 0;;) {
        uint64_t now = arch_counter();
        /* A long budget: say so, and keep the watchdog off a test that
         * makes progress (every round completed is progress). */
        if (now - progress >= beat) {
            progress = now;
            test_diag("%s: %llu executions in %llu ms, going on", t->name,
                      (unsigned long long)executions(&h), (unsigned long long)(ticks_to_us(now - start) / 1000));
        }
        timer_set_watchdog(now + ms_to_ticks(LITMUS_TIMEOUT_MS));
        if (executions(&h) >= b.runs_cap || now >= b.deadline) {
            /* A shape this platform must show gets up to 10x its budgets
             * before it is judged unseen (unseen_must_see()), and so does a test
             * with no judged run yet (its filter removed them all, or they
             * deadlocked) before "0 judged runs": a loaded host starves
             * vCPUs, and the first batches of a test run cold. */
            bool short_of_seen = !h.pos_runs && litmus_must_see(t->name);
            bool short_of_judged = !litmus_hist_runs(&h) && t->expect != LT_DEADLOCK;
            /* ...and a must-see shape goes on while it has raced too few
             * batches (a starved host), up to MUST_SEE_MAX_MS. */
            bool starved = short_of_seen && b.raced_together < RACED_ENOUGH * 100ull &&
                           now - start < ms_to_ticks(MUST_SEE_MAX_MS);
            if ((!short_of_seen && !short_of_judged) || (++extensions >= 10 && !starved))
                break;
            b.deadline = arch_counter() + budget;
            b.runs_cap += opt_runs;
        }
        uint64_t raced = b.raced;
        if (!run_round(t) || (!h.pos_runs && litmus_must_see(t->name) && !weigh_round(t, b.raced - raced)))
            return false;           /* on_cpu_list() already failed the test */
    }
    *batches = b.batches;
    *us = ticks_to_us(arch_counter() - start);
    return true;
}

void litmus_run(const struct litmus_test *t)
{
    uint64_t us, batches;

    int pinned[LITMUS_MAX_THREADS];

    if (t->nthreads > num_online_cpus()) {
        test_skip("needs %d cpus, %d online", t->nthreads, num_online_cpus());
        return;
    }
    if (pinned_cpus(t, pinned) < 0)
        return;                     /* it said why (a skip) */
    if (!execute(t, !strcmp(opt_mode, "sync"), &us, &batches))
        return;
    report(t, us, batches);
    verdict(t);
}

bool litmus_measure(const struct litmus_test *t, bool sync_mode, struct litmus_result *r)
{
    uint64_t batches;
    int pinned[LITMUS_MAX_THREADS];

    if (t->nthreads > num_online_cpus() || pinned_cpus(t, pinned) < 0 ||
        !execute(t, sync_mode, &r->us, &batches))
        return false;
    r->runs = litmus_hist_runs(&h);   /* judged runs */
    r->witnesses = h.pos_runs;
    return true;
}
