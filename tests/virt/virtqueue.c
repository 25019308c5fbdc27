/* The seed patch's scenario (DESIGN.md section 9): a uniprocessor guest
 * talking to an SMP host through a virtqueue. A QEMU device cannot show
 * it (QEMU's side runs smp_mb() and its global lock between its store and
 * its load), so a second CPU plays the host: CPU 0 runs the guest driver
 * (Linux's virtio_ring.c, split ring, event index) and the first
 * secondary runs the device side the way QEMU's virtio core does. The
 * guest is built with this image's barriers, so in an SMP=n image its
 * smp_*() are compiler barriers, while the host, an SMP host, always has
 * real ones (virt_*()).
 *
 * Per virtqueue and pass p (one request, one response: a round):
 *   guest  virtqueue_get_buf(): response p-1; virtqueue_add_split() of
 *          request p+1: descriptor, ring entry, wmb, avail->idx; then
 *          virtqueue_kick_prepare(): mb, kick if vring_need_event(avail
 *          event); virtqueue_enable_cb_prepare(): used_event = last used,
 *          then virtqueue_poll(): mb, re-read used->idx, and wait for an
 *          interrupt if it has not moved.
 *   host   virtqueue_pop() until empty (rmb, descriptor, avail_event =
 *          last_avail_idx), virtio_queue_set_notification(vq, 1)
 *          (avail_event = avail->idx, smp_mb) and the re-check a device's
 *          handler loop makes; virtqueue_push() of request p (used
 *          element, wmb, used->idx); virtio_notify()'s smp_mb and
 *          vring_need_event(used_event) to decide on an interrupt.
 * Both sides sweep NQUEUES virtqueues in lockstep (as the litmus engine
 * sweeps its instances), meet after each pass, and log their decisions in
 * arrays of their own, so nothing shared but the rings' own fields is
 * touched near a race. Judged after the fact:
 *   missed interrupt  the guest waited (it saw no new used->idx) and the
 *                     host did not notify (it saw the old used_event)
 *   lost kick         the host went idle (it saw no new avail->idx) and
 *                     the guest did not kick (it saw the old avail_event)
 *   stale descriptor  the host read an avail->idx the guest published this
 *   / used element    pass, but the old descriptor; or the guest a new
 *                     used->idx but the old used element
 * The first two are store buffering, which QEMU TCG on this x86 host shows;
 * the last two message passing, which it cannot (stores stay in order with
 * stores, loads with loads): those are "allowed, not observed" here. */
#include "arch.h"
#include "clock.h"
#include "litmus.h"
#include "on_cpus.h"
#include "percpu.h"
#include "test.h"
#include <asm/processor.h>
#include <barrier.h>
#include <stdio.h>

static uint32_t opt_rounds = 100000, opt_ms = 300, opt_step = 1, opt_window = 0, opt_skew = 16;
OPTION(virt_rounds, "virt.rounds", BOOTARG_U32_POS, &opt_rounds,
       "virt: most paced rounds (a request and a response on one virtqueue) per test (default 100000, at least 1)");
OPTION(virt_ms, "virt.ms", BOOTARG_U32_POS, &opt_ms, "virt: most milliseconds per test (default 300, at least 1)");
OPTION(virt_step, "virt.step", BOOTARG_U32, &opt_step,
       "virt: pacing, virtqueues between progress checks (a power of 2, default 1)");
OPTION(virt_window, "virt.window", BOOTARG_U32, &opt_window,
       "virt: pacing, virtqueues one side may run ahead of the other (default 0)");
OPTION(virt_skew, "virt.skew", BOOTARG_U32, &opt_skew,
       "virt: most delay-loop iterations one side waits before a round (default 16)");

/* Ring entries: at most two requests are in flight, but with 32 entries
 * the event indices sit where a real ring has them, each on a cache line
 * of its own (avail->ring[32] is used_event, used->ring[32] avail_event),
 * apart from the avail and used indices they race with. */
#define QSIZE   32
#define NQUEUES 256
#define PASSES  32      /* passes per on_cpus(): logged, then tallied */

/* The split ring's layout (virtio 1.x, 2.7): the guest writes the
 * descriptors and the avail ring, the host the used ring; each part starts
 * a cache line, as the legacy layout's page alignment gives. The ring is
 * in the CPUs' own byte order: both sides are this image. */
struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring_used_elem { uint32_t id, len; };
struct vq {
    struct vring_desc desc[QSIZE];
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail __aligned(64);
    struct { uint16_t flags, idx; struct vring_used_elem ring[QSIZE]; uint16_t avail_event; } used __aligned(64);
};

/* What QEMU keeps per queue (VirtQueue), the host's alone. */
struct host_vq { uint16_t last_avail, shadow_avail, used_idx, signalled_used; };

static struct vq vqs[NQUEUES];
static struct host_vq hvqs[NQUEUES];

/* Each side's decisions, per pass of a call and virtqueue. */
enum {
    G_WAIT = 1,             /* virtqueue_poll() found nothing: wait for the interrupt */
    G_NOKICK = 2,           /* kick_prepare said the host will see request p+1 anyway */
    G_USED_WINDOW = 4,      /* the poll saw response p, pushed this pass */
    G_USED_STALE = 8,       /*   ... and read the old used element */
    H_NOTIFY = 1,           /* should_notify: interrupt the guest for response p */
    H_IDLE = 2,             /* the re-check found no request p+1: wait for its kick */
    H_DESC_WINDOW = 4,      /* popped request p+1, published this pass */
    H_DESC_STALE = 8,       /*   ... and read the old descriptor */
    UNPACED = 0x40,         /* this side waited long for the other before the round */
    BAD = 0x80,             /* the protocol itself went wrong (either side) */
};
static uint8_t guest_log[PASSES][NQUEUES] __aligned(64);
static uint8_t host_log[PASSES][NQUEUES] __aligned(64);

/* ---- the barrier flavours ---- */

/* The guest's barriers: what the image's API gives it (virt_*(), or
 * smp_*(), compiler barriers in an SMP=n build), or none at all (the
 * hidden control). The host's are always virt_*(). */
enum flavour { F_VIRT, F_SMP, F_NONE };

#define FL_MB(f) do {                                                       \
    if ((f) == F_VIRT) virt_mb(); else if ((f) == F_SMP) smp_mb(); else barrier(); \
} while (0)
#define FL_WMB(f) do {                                                      \
    if ((f) == F_VIRT) virt_wmb(); else if ((f) == F_SMP) smp_wmb(); else barrier(); \
} while (0)
#define FL_RMB(f) do {                                                      \
    if ((f) == F_VIRT) virt_rmb(); else if ((f) == F_SMP) smp_rmb(); else barrier(); \
} while (0)
#define FL_STORE_MB(f, x, v) do {                                           \
    if ((f) == F_VIRT) virt_store_mb(x, v);                                 \
    else if ((f) == F_SMP) smp_store_mb(x, v);                              \
    else { WRITE_ONCE(x, v); barrier(); }                                   \
} while (0)
#define FL_STORE_RELEASE(f, p, v) do {                                      \
    if ((f) == F_VIRT) virt_store_release(p, v);                            \
    else if ((f) == F_SMP) smp_store_release(p, v);                         \
    else { barrier(); WRITE_ONCE(*(p), v); }                                \
} while (0)
#define FL_LOAD_ACQUIRE(f, p) \
    ((f) == F_VIRT ? virt_load_acquire(p) : (f) == F_SMP ? smp_load_acquire(p) : READ_ONCE(*(p)))

/* One test: the guest's barrier at each of its sites. */
struct variant {
    enum flavour kick;      /* kick_prepare's mb after avail->idx */
    enum flavour cb;        /* the mb between used_event and the poll */
    enum flavour pub;       /* wmb before avail->idx, rmb after used->idx */
    bool store_mb;          /* used_event by store_mb() (virtqueue_get_buf's form) */
    bool release_acquire;   /* avail->idx by store_release, used->idx by load_acquire */
};

/* virtio's vring_need_event(): has the index passed event since old? */
static inline bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* Each queue starts its indices just below a wrap, a different distance
 * from it, so that vring_need_event() works across the wrap too. */
static inline uint16_t base_of(int q) { return (uint16_t)(0u - 64u - (unsigned)q); }
static inline uint64_t tag_of(int q, uint32_t n) { return (uint64_t)q << 32 | n; }

/* ---- the guest: CPU 0 ---- */

static __attribute__((always_inline)) inline uint8_t
guest_round(const struct variant v, struct vq *vq, int q, uint32_t p)
{
    const uint16_t b = base_of(q), last_used = (uint16_t)(b + p - 1);
    const uint16_t old = (uint16_t)(b + p), new_idx = (uint16_t)(old + 1);
    const uint32_t n = p + 1, head = n & (QSIZE - 1);
    uint8_t log = 0;
    uint16_t u;

    /* virtqueue_get_buf(): response p-1, pushed last pass (so visible) */
    if (p > 1) {
        u = v.release_acquire ? FL_LOAD_ACQUIRE(v.pub, &vq->used.idx) : READ_ONCE(vq->used.idx);
        if (!v.release_acquire)
            FL_RMB(v.pub);
        const struct vring_used_elem *e = &vq->used.ring[(uint16_t)(last_used - 1) & (QSIZE - 1)];
        if (u == (uint16_t)(last_used - 1) || READ_ONCE(e->len) != p - 1)
            log |= BAD;
    }
    /* virtqueue_add_split() and virtqueue_kick_prepare_split(): request p+1 */
    WRITE_ONCE(vq->desc[head].addr, tag_of(q, n));
    WRITE_ONCE(vq->desc[head].len, n);
    WRITE_ONCE(vq->avail.ring[old & (QSIZE - 1)], (uint16_t)head);
    if (v.release_acquire) {
        FL_STORE_RELEASE(v.pub, &vq->avail.idx, new_idx);
    } else {
        FL_WMB(v.pub);
        WRITE_ONCE(vq->avail.idx, new_idx);
    }
    FL_MB(v.kick);
    if (!vring_need_event(READ_ONCE(vq->used.avail_event), new_idx, old))
        log |= G_NOKICK;
    /* virtqueue_enable_cb_prepare() and virtqueue_poll(); or get_buf's
     * store_mb() of used_event and the next get_buf's more_used() */
    if (v.store_mb) {
        FL_STORE_MB(v.cb, vq->avail.used_event, last_used);
    } else {
        WRITE_ONCE(vq->avail.used_event, last_used);
        FL_MB(v.cb);
    }
    u = v.release_acquire ? FL_LOAD_ACQUIRE(v.pub, &vq->used.idx) : READ_ONCE(vq->used.idx);
    if (u == last_used)
        return log | G_WAIT;
    /* response p is there already: get_buf reads its element */
    if (!v.release_acquire)
        FL_RMB(v.pub);
    log |= G_USED_WINDOW;
    if (READ_ONCE(vq->used.ring[last_used & (QSIZE - 1)].len) != p)
        log |= G_USED_STALE;
    return log;
}

/* ---- the host: QEMU's hw/virtio/virtio.c, real barriers ---- */

/* vring_avail_idx(): into the shadow index. In the release/acquire
 * variant an acquire, which orders the pop's reads after it (else the
 * pop's smp_rmb() does). */
static __attribute__((always_inline)) inline void
host_avail_idx(const struct variant v, struct vq *vq, struct host_vq *h)
{
    h->shadow_avail = v.release_acquire ? virt_load_acquire(&vq->avail.idx) : READ_ONCE(vq->avail.idx);
}

/* virtio_queue_split_empty(): the shadow index first, then avail->idx. */
static __attribute__((always_inline)) inline bool
host_empty(const struct variant v, struct vq *vq, struct host_vq *h)
{
    if (h->shadow_avail != h->last_avail)
        return false;
    host_avail_idx(v, vq, h);
    return h->shadow_avail == h->last_avail;
}

static __attribute__((always_inline)) inline uint8_t
host_round(const struct variant v, struct vq *vq, struct host_vq *h, int q, uint32_t p)
{
    const uint16_t b = base_of(q);
    uint8_t log = 0;

    /* a device's handler loop: pop until empty, re-enable, re-check */
    do {
        while (!host_empty(v, vq, h)) {          /* virtqueue_split_pop() */
            uint32_t n = p + (uint16_t)(h->last_avail - (uint16_t)(b + p - 1));
            if (!v.release_acquire)
                virt_rmb();
            uint16_t head = READ_ONCE(vq->avail.ring[h->last_avail & (QSIZE - 1)]);
            h->last_avail++;
            WRITE_ONCE(vq->used.avail_event, h->last_avail);       /* vring_set_avail_event */
            const struct vring_desc *d = &vq->desc[head & (QSIZE - 1)];
            bool stale = READ_ONCE(d->addr) != tag_of(q, n) || READ_ONCE(d->len) != n;
            if (n == p + 1)
                log |= H_DESC_WINDOW | (stale ? H_DESC_STALE : 0);
            else if (n != p || stale)
                log |= BAD;
        }
        /* virtio_queue_split_set_notification(vq, 1) with event idx */
        host_avail_idx(v, vq, h);
        WRITE_ONCE(vq->used.avail_event, h->shadow_avail);
        virt_mb();
    } while (!host_empty(v, vq, h));
    if (h->last_avail == (uint16_t)(b + p))
        log |= H_IDLE;
    /* virtqueue_push(): virtqueue_fill() and virtqueue_flush() */
    struct vring_used_elem *e = &vq->used.ring[h->used_idx & (QSIZE - 1)];
    WRITE_ONCE(e->id, p & (QSIZE - 1));
    WRITE_ONCE(e->len, p);
    h->used_idx++;
    if (v.release_acquire) {
        virt_store_release(&vq->used.idx, h->used_idx);
    } else {
        virt_wmb();
        WRITE_ONCE(vq->used.idx, h->used_idx);
    }
    /* virtio_notify(): virtio_split_should_notify() */
    virt_mb();
    uint16_t old = h->signalled_used;
    h->signalled_used = h->used_idx;
    if (vring_need_event(READ_ONCE(vq->avail.used_event), h->used_idx, old))
        log |= H_NOTIFY;
    return log;
}

/* ---- lockstep: pacing within a pass, a meeting between passes ---- */

struct progress { int v; } __aligned(64);
static struct progress progress[2];         /* queue position in this call */
static struct progress passed[2];           /* the last pass finished */

/* One call's passes, first..first+n-1; the guest (CPU 0) ends the call
 * early, between passes, once the time budget has run out. */
static struct {
    const struct virt_test *t;
    uint32_t first, n;
    uint64_t budget, stall;     /* counter deadlines */
    bool stalled;
} call;

enum pace { PACE_QUICK, PACE_SLOW, PACE_OFF };

/* A side more than virt.window queues ahead waits for the other. Quick
 * if the other came within a few thousand spins; slow if it came later
 * (its vCPU had been descheduled: the rounds around are not paced); off
 * if the budget ran out meanwhile (the pass finishes unpaced). A short
 * wait spins plain: cpu_relax() is slow on ppc. */
static enum pace pace_wait(int me, int pos)
{
    unsigned spins = 0;

    for (; READ_ONCE(progress[!me].v) + (int)opt_window < pos; spins++) {
        if (spins < 256)
            continue;
        cpu_relax();
        if (spins > 4096 && !(spins & 1023) && clock_passed(call.budget))
            return PACE_OFF;
    }
    return spins > 4096 ? PACE_SLOW : PACE_QUICK;
}

static inline enum pace pace(int me, int pos)
{
    WRITE_ONCE(progress[me].v, pos);
    return READ_ONCE(progress[!me].v) + (int)opt_window >= pos ? PACE_QUICK : pace_wait(me, pos);
}

/* The two sides meet after pass p: each sees the other's rings and logs
 * of it. False if the other did not come within the deadline. */
static bool meet(int me, uint32_t p, uint64_t deadline)
{
    virt_store_release(&passed[me].v, (int)p);
    for (unsigned spins = 0; virt_load_acquire(&passed[!me].v) < (int)p; spins++) {
        if (spins && !(spins & 1023) && clock_passed(deadline))
            return false;
        cpu_relax();
    }
    return true;
}

struct virt_test {
    void (*guest)(uint32_t p, int pass);    /* a pass's sweep, into its log */
    void (*host)(uint32_t p, int pass);
    const struct variant *v;
    unsigned sites;         /* the guest's sites under test */
    enum flavour f;         /* their flavour */
    const char *what;       /* the barrier, as the YAML says it */
};
enum { S_CB = 1, S_KICK = 2, S_PUB = 4 };

static void side(int idx, void *arg)
{
    const struct virt_test *t = call.t;

    (void)arg;
    for (uint32_t i = 0; i < READ_ONCE(call.n); i++) {
        uint32_t p = call.first + i;
        if (idx == 0)
            t->guest(p, (int)i);
        else
            t->host(p, (int)i);
        WRITE_ONCE(progress[idx].v, (int)((i + 1) * NQUEUES));     /* nobody waits for a finished side */
        if (idx == 0 && i + 1 < call.n && clock_passed(call.budget))
            WRITE_ONCE(call.n, i + 1);              /* before meet()'s release: the host sees it */
        if (!meet(idx, p, call.stall)) {
            WRITE_ONCE(call.stalled, true);
            return;
        }
    }
}

/* Before each round one side waits a little, which side and how long
 * drawn per pass and queue (the same on both sides): where the two races
 * of a round line up differs per platform and CPU, so the skew sweeps the
 * alignment instead of guessing it. */
static inline void skew(int me, uint32_t p, int q)
{
    uint32_t x = (p * 0x9e3779b1u) ^ ((uint32_t)q * 0x85ebca77u);
    int s = (int)((x >> 16) % (2 * opt_skew + 1)) - (int)opt_skew;

    for (int i = me ? -s : s; i > 0; i--)
        barrier();          /* not cpu_relax(): on ppc QEMU ends the block on it, slowly */
}

/* A side's sweep over the queues into its log, its round inlined with
 * the variant's constants (so each variant's barriers are straight-line
 * code). */
#define SWEEP(name, side_, log_, ...)                                               \
static void name(uint32_t p, int pass)                                             \
{                                                                                  \
    const int me = side_, step_mask = (int)opt_step - 1;                           \
    enum pace mode = PACE_QUICK;                                                   \
    for (int q = 0; q < NQUEUES; q++) {                                            \
        if (mode != PACE_OFF && !(q & step_mask))                                  \
            mode = pace(me, pass * NQUEUES + q);                                   \
        skew(me, p, q);                                                            \
        log_[pass][q] = (uint8_t)((__VA_ARGS__) | (mode == PACE_QUICK ? 0 : UNPACED)); \
    }                                                                              \
}

/* ---- the run ---- */

struct counts {
    uint64_t rounds, paced, waits, notifies, missed_irqs, idle, nokicks, lost_kicks;
    uint64_t desc_windows, stale_desc, used_windows, stale_used, bad;
    /* a must-miss test while it has not missed: each pass's paced rounds
     * times the share of a probe after it that the CPUs ran together */
    uint64_t weighed, probes, together_sum;
};

/* Every queue in the state before pass 1: request 1 posted, nothing
 * used, the last used_event and avail_event one behind. */
static void setup(void)
{
    for (int q = 0; q < NQUEUES; q++) {
        struct vq *vq = &vqs[q];
        uint16_t b = base_of(q);
        *vq = (struct vq){ 0 };
        vq->desc[1] = (struct vring_desc){ .addr = tag_of(q, 1), .len = 1 };   /* head = n % QSIZE */
        vq->avail.ring[b & (QSIZE - 1)] = 1;
        vq->avail.idx = (uint16_t)(b + 1);
        vq->avail.used_event = (uint16_t)(b - 1);
        vq->used.idx = b;
        vq->used.avail_event = b;
        hvqs[q] = (struct host_vq){ .last_avail = b, .shadow_avail = b, .used_idx = b, .signalled_used = b };
    }
    passed[0].v = passed[1].v = 0;
}

static void tally(struct counts *c, uint32_t passes)
{
    for (uint32_t i = 0; i < passes; i++) {
        for (int q = 0; q < NQUEUES; q++) {
            uint8_t g = guest_log[i][q], h = host_log[i][q];
            /* paced: neither side waited long before this round, nor
             * before the next (a vCPU descheduled inside this one) */
            bool paced = !((g | h) & UNPACED) &&
                         (q + 1 == NQUEUES || !((guest_log[i][q + 1] | host_log[i][q + 1]) & UNPACED));
            if (!paced)             /* one side ran alone: nothing raced */
                g &= (uint8_t)~G_USED_WINDOW, h &= (uint8_t)~H_DESC_WINDOW;
            c->paced += paced;
            c->rounds++;
            c->waits += !!(g & G_WAIT);
            c->notifies += !!(h & H_NOTIFY);
            c->missed_irqs += (g & G_WAIT) && !(h & H_NOTIFY);
            c->idle += !!(h & H_IDLE);
            c->nokicks += !!(g & G_NOKICK);
            c->lost_kicks += (h & H_IDLE) && (g & G_NOKICK);
            c->desc_windows += !!(h & H_DESC_WINDOW);
            c->stale_desc += !!(h & H_DESC_STALE);
            c->used_windows += !!(g & G_USED_WINDOW);
            c->stale_used += !!(g & G_USED_STALE);
            c->bad += !!((g | h) & BAD);
        }
    }
}

/* The flavour is a real barrier in this build. */
static bool real(enum flavour f) { return f == F_VIRT || (f == F_SMP && ORDERLY_SMP_BUILD); }

/* Store buffering between two CPUs is a fact of this platform (the litmus
 * engine's sensitivity list): a notification site without a real barrier
 * must then miss, or the test has lost its concurrency. */
static bool sb_visible(void) { return litmus_must_see("SB+onceonces"); }

static bool must_miss(const struct virt_test *t)
{
    return (t->sites & (S_CB | S_KICK)) && !real(t->f) && sb_visible();
}

static uint64_t notify_misses(const struct counts *c) { return c->missed_irqs + c->lost_kicks; }

/* Weighed paced rounds a must-miss test needs before "blind" (1/100 of a
 * round each: paced rounds times percent). The weaker smp_*() site misses
 * in ~1.7% of paced rounds on an idle host (README, virt/), so ~70 misses
 * are expected by then. */
#define WEIGHED_ENOUGH  (4096 * 100ull)
#define PROBE_MS        5
static uint64_t windows(const struct counts *c) { return c->desc_windows + c->used_windows; }

/* Something was judged: paced rounds (both sides at the queue together),
 * and for the publication tests reads of an index published in the same
 * round. */
static bool judged(const struct virt_test *t, const struct counts *c)
{
    return c->paced && (!(t->sites & S_PUB) || windows(c));
}

/* Whether t needs more time: nothing judged yet, or no miss yet where it
 * must miss, before virt.rounds paced rounds were judged. */
static bool wants_more(const struct virt_test *t, const struct counts *c)
{
    return !judged(t, c) || (must_miss(t) && !notify_misses(c) &&
                             (c->paced < opt_rounds || c->weighed < WEIGHED_ENOUGH));
}

/* After a pass of a must-miss test that has not missed: weigh its paced
 * rounds by how much of a probe the host ran the two CPUs together
 * (include/on_cpus.h). False if a CPU failed. */
static bool weigh_pass(const struct virt_test *t, struct counts *c, uint64_t paced_before)
{
    int cpus[2] = { 0, on_cpus_cpu(1) }, pct;

    if (!must_miss(t) || notify_misses(c))
        return true;
    pct = on_cpus_together_pct(2, cpus, PROBE_MS);
    if (pct < 0)
        return false;
    c->weighed += (c->paced - paced_before) * (unsigned)pct;
    c->together_sum += (unsigned)pct;
    c->probes++;
    return true;
}

/* Run t within the budgets: virt.rounds paced rounds or virt.ms, whichever
 * comes first. A test that wants more gets more budgets, within 60% of its
 * timeout: up to 20 if it must miss (a host busy with other work can keep
 * the two vCPUs on one core for seconds, and a verdict of "blind" needs
 * rounds that ran together), up to 3 to judge anything at all. */
static bool execute(const struct virt_test *t, struct counts *c, uint64_t *us)
{
    uint64_t start = arch_counter(), budget = ms_to_ticks(opt_ms), deadline = start + budget;
    uint64_t budgets = must_miss(t) ? 20 : 3;
    uint64_t limit = start + MIN(budgets * budget, ms_to_ticks(run_options()->timeout_ms * 6ull / 10));
    uint64_t cap = opt_rounds;
    uint32_t pass = 1;

    if (opt_step == 0 || (opt_step & (opt_step - 1)) || opt_step > NQUEUES)
        opt_step = 1;
    setup();
    for (;;) {
        if (c->paced >= cap || arch_counter() >= deadline) {
            if (!wants_more(t, c) || arch_counter() >= limit)
                break;
            deadline = MIN(arch_counter() + budget, limit);
            cap = c->paced + opt_rounds;
        }
        uint64_t left = (cap - MIN(cap, c->paced) + NQUEUES - 1) / NQUEUES;
        call.t = t;
        call.first = pass;
        call.n = (uint32_t)MAX(1, MIN(PASSES, left));
        call.budget = deadline;
        call.stall = arch_counter() + ms_to_ticks(5000);
        call.stalled = false;
        progress[0].v = progress[1].v = -1;
        if (on_cpus(2, side, NULL, 0))
            return false;                   /* on_cpus() failed the test */
        if (call.stalled) {
            test_fail("a side did not reach the end of pass %u within 5 s", pass);
            return false;
        }
        uint64_t paced = c->paced;
        tally(c, call.n);
        if (!weigh_pass(t, c, paced))
            return false;
        pass += call.n;
    }
    *us = ticks_to_us(arch_counter() - start);
    return true;
}

static const char *flavour_name(enum flavour f)
{
    return f == F_NONE ? "none" : f == F_VIRT ? "virt" : ORDERLY_SMP_BUILD ? "smp (real)" : "smp (compiler barrier)";
}

static void report(const struct virt_test *t, const struct counts *c, uint64_t us)
{
    test_yaml("guest: {cpu: %d, barrier: '%s', flavour: %s}", on_cpus_cpu(0), t->what, flavour_name(t->f));
    test_yaml("host: {cpu: %d, barriers: virt}", on_cpus_cpu(1));
    test_yaml("build: %s", ORDERLY_SMP_BUILD ? "smp" : "uniprocessor");
    test_yaml("virtqueues: %d", NQUEUES);
    test_yaml("rounds: %llu", (unsigned long long)c->rounds);
    test_yaml("paced_rounds: %llu", (unsigned long long)c->paced);
    test_yaml("time_us: %llu", (unsigned long long)us);
    test_yaml("interrupts: {guest_waits: %llu, host_notifies: %llu, missed: %llu}",
              (unsigned long long)c->waits, (unsigned long long)c->notifies, (unsigned long long)c->missed_irqs);
    test_yaml("kicks: {host_idle: %llu, guest_no_kick: %llu, lost: %llu}",
              (unsigned long long)c->idle, (unsigned long long)c->nokicks, (unsigned long long)c->lost_kicks);
    test_yaml("descriptors: {in_flight: %llu, stale: %llu}",
              (unsigned long long)c->desc_windows, (unsigned long long)c->stale_desc);
    test_yaml("used_elements: {in_flight: %llu, stale: %llu}",
              (unsigned long long)c->used_windows, (unsigned long long)c->stale_used);
    if (t->sites & (S_CB | S_KICK))
        test_yaml("store_buffering_visible: %s", sb_visible() ? "yes (LITMUS_MUST_SEE)" : "not declared");
    if (c->probes)
        test_yaml("probe: {passes: %llu, ms: %d, together_pct: %llu, weighed_paced: %llu}",
                  (unsigned long long)c->probes, PROBE_MS, (unsigned long long)(c->together_sum / c->probes),
                  (unsigned long long)(c->weighed / 100));
}

/* Sites whose barrier is real must never miss, whatever the test is. */
static void judge_real_sites(const struct virt_test *t, const struct counts *c)
{
    unsigned long long r = c->rounds;

    check(c->bad == 0, "%llu of %llu rounds broke the protocol itself", (unsigned long long)c->bad, r);
    if (real(t->v->cb))
        check(c->missed_irqs == 0, "%llu missed interrupts in %llu rounds: the guest waited, the host "
              "saw the old used_event", (unsigned long long)c->missed_irqs, r);
    if (real(t->v->kick))
        check(c->lost_kicks == 0, "%llu lost kicks in %llu rounds: the host went idle, the guest saw the "
              "old avail_event", (unsigned long long)c->lost_kicks, r);
    if (real(t->v->pub))
        check(c->stale_desc + c->stale_used == 0, "%llu stale descriptors and %llu stale used elements "
              "in %llu rounds", (unsigned long long)c->stale_desc, (unsigned long long)c->stale_used, r);
}

static void verdict(const struct virt_test *t, const struct counts *c)
{
    unsigned long long miss = notify_misses(c), stale = c->stale_desc + c->stale_used;
    unsigned long long in_flight = windows(c);
    bool sb = t->sites & (S_CB | S_KICK);
    char what[96], of[64];

    judge_real_sites(t, c);
    if (sb)
        snprintf(what, sizeof(what), "%llu missed notifications (%llu interrupts, %llu kicks)", miss,
                 (unsigned long long)c->missed_irqs, (unsigned long long)c->lost_kicks);
    else
        snprintf(what, sizeof(what), "%llu stale of %llu in-flight reads", stale, in_flight);
    snprintf(of, sizeof(of), "%llu rounds (%llu paced)", (unsigned long long)c->rounds,
             (unsigned long long)c->paced);
    if (real(t->f)) {
        /* nothing judged is no verdict: the litmus engine's sensitivity
         * tests say whether the run lost its concurrency */
        if (judged(t, c))
            test_note("never: %s in %s", what, of);
        else
            test_skip("nothing judged, the CPUs never ran together: %s in %s", what, of);
    } else if (t->f == F_NONE) {
        /* the hidden control: its failure is the point */
        if (miss)
            test_fail("%s in %s without a barrier in the guest", what, of);
        else
            test_note("blind: %s in %s without a barrier in the guest", what, of);
    } else if (sb ? miss : stale) {
        test_todo("uniprocessor build, smp_*() are compiler barriers: %s in %s", what, of);
    } else if (sb && sb_visible() && c->weighed >= WEIGHED_ENOUGH) {
        /* (within report.c's 160 characters: the probe's numbers are in the YAML) */
        test_fail("%s in %s: blind, where this platform shows store buffering", what, of);
    } else if (sb && sb_visible()) {
        test_skip("could not establish concurrency (probe): %s in %s", what, of);
    } else {
        test_todo("uniprocessor build, smp_*() are compiler barriers: allowed, not observed: %s in %s",
                  what, of);
    }
}

static void virt_run(const struct virt_test *t)
{
    struct counts c = { 0 };
    uint64_t us;

    if (!execute(t, &c, &us))
        return;
    report(t, &c, us);
    verdict(t, &c);
}

/* A test: the guest's sites under test, their flavour, the variant. */
#define VIRT_TEST(id, name_, flags_, sites_, f_, what_, ...)                          \
    static const struct variant id##_v = { __VA_ARGS__ };                             \
    SWEEP(id##_guest, 0, guest_log, guest_round(id##_v, &vqs[q], q, p))              \
    SWEEP(id##_host, 1, host_log, host_round(id##_v, &vqs[q], &hvqs[q], q, p))        \
    static const struct virt_test id##_t = { id##_guest, id##_host, &id##_v, sites_, f_, what_ }; \
    TEST(id, .name = name_, .min_cpus = 2, .flags = flags_) { virt_run(&id##_t); }

/* The full barrier at both notification sites (kick_prepare, enable_cb +
 * poll): store buffering, shown by QEMU; the smp_mb() form misses when it
 * is a compiler barrier. */
VIRT_TEST(virt_event_idx_virt_mb, "virt/event-idx-virt-mb", 0, S_CB | S_KICK, F_VIRT, "virt_mb()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_VIRT)
VIRT_TEST(virt_event_idx_smp_mb, "virt/event-idx-smp-mb", 0, S_CB | S_KICK, F_SMP, "smp_mb()",
          .kick = F_SMP, .cb = F_SMP, .pub = F_VIRT)
/* used_event by store_mb() (virtqueue_get_buf's form); the kick keeps
 * virt_mb(). */
VIRT_TEST(virt_event_idx_virt_store_mb, "virt/event-idx-virt-store-mb", 0, S_CB, F_VIRT, "virt_store_mb()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_VIRT, .store_mb = true)
VIRT_TEST(virt_event_idx_smp_store_mb, "virt/event-idx-smp-store-mb", 0, S_CB, F_SMP, "smp_store_mb()",
          .kick = F_VIRT, .cb = F_SMP, .pub = F_VIRT, .store_mb = true)
/* Publication: the descriptor before avail->idx (wmb; the guest's rmb
 * after used->idx with it), or both by release/acquire. Message passing:
 * QEMU on x86 keeps stores and loads in order, so it cannot show them. */
VIRT_TEST(virt_desc_virt_wmb, "virt/desc-virt-wmb", 0, S_PUB, F_VIRT, "virt_wmb(), virt_rmb()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_VIRT)
VIRT_TEST(virt_desc_smp_wmb, "virt/desc-smp-wmb", 0, S_PUB, F_SMP, "smp_wmb(), smp_rmb()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_SMP)
VIRT_TEST(virt_ring_virt_release_acquire, "virt/ring-virt-release-acquire", 0, S_PUB, F_VIRT,
          "virt_store_release(), virt_load_acquire()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_VIRT, .release_acquire = true)
VIRT_TEST(virt_ring_smp_release_acquire, "virt/ring-smp-release-acquire", 0, S_PUB, F_SMP,
          "smp_store_release(), smp_load_acquire()",
          .kick = F_VIRT, .cb = F_VIRT, .pub = F_SMP, .release_acquire = true)
/* Negative control (tests/controls.cfg): no barrier at either
 * notification site, in any build; it must miss. */
VIRT_TEST(virt_event_idx_no_barrier, "virt/event-idx-no-barrier", TEST_HIDDEN, S_CB | S_KICK, F_NONE,
          "none (a compiler barrier)", .kick = F_NONE, .cb = F_NONE, .pub = F_VIRT)
