/* lib/litmus/hist.c with include/litmus_hist.h: the inlined packed-key
 * fast path and the by-value slow path must count exactly what a brute
 * force count of the same final states gives, for values inside and
 * outside the packable range, past the state limit, and after merging. */
#include "check.h"
#include "litmus_hist.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REF 65536

/* The reference: distinct tuples in order of first appearance. */
struct ref {
    long val[MAX_REF][LITMUS_MAX_OBS];
    uint64_t count[MAX_REF];
    int n;
};

static void ref_add(struct ref *r, const long *obs, int nobs)
{
    long v[LITMUS_MAX_OBS] = { 0 };

    memcpy(v, obs, (size_t)nobs * sizeof(long));
    for (int i = 0; i < r->n; i++) {
        if (!memcmp(r->val[i], v, sizeof(v))) {
            r->count[i]++;
            return;
        }
    }
    CHECK(r->n < MAX_REF, "reference full: keep the streams smaller");
    if (r->n < MAX_REF) {
        memcpy(r->val[r->n], v, sizeof(v));
        r->count[r->n++] = 1;
    }
}

static uint64_t rng = 0x5eed;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Values a final state holds: small ones, the edges of the 7-bit range,
 * location indices, the unknown-pointer marker and the extremes. */
static long pick_value(int spread)
{
    static const long edge[] = { -64, 63, -65, 64, 127, -128, -1000, LONG_MAX, LONG_MIN, 0x12345678 };

    if (rnd() % 8 == 0)
        return edge[rnd() % (sizeof(edge) / sizeof(edge[0]))];
    return (long)(rnd() % (unsigned)spread) - spread / 2;
}

/* Is state s of h the reference tuple r->val[i] with its count? */
static int find_state(const struct litmus_hist *h, const long *val)
{
    for (int s = 0; s < h->nstates; s++)
        if (!memcmp(h->val[s], val, sizeof(h->val[s])))
            return s;
    return -1;
}

static void compare(const struct litmus_hist *h, const struct ref *r, const char *what)
{
    uint64_t total = 0;

    CHECK(h->nstates == (r->n < LITMUS_MAX_STATES ? r->n : LITMUS_MAX_STATES),
          "%s: %d states, reference %d", what, h->nstates, r->n);
    for (int i = 0; i < r->n && i < LITMUS_MAX_STATES; i++) {
        int s = find_state(h, r->val[i]);
        CHECK(s >= 0 && h->count[s] == r->count[i], "%s: reference state %d counted %llu, want %llu",
              what, i, s >= 0 ? (unsigned long long)h->count[s] : 0ULL, (unsigned long long)r->count[i]);
    }
    for (int s = 0; s < h->nstates; s++)
        total += h->count[s];
    uint64_t ref_total = 0;
    for (int i = 0; i < r->n; i++)
        ref_total += r->count[i];
    CHECK(total + h->other == ref_total, "%s: %llu counted + %llu other, want %llu", what,
          (unsigned long long)total, (unsigned long long)h->other, (unsigned long long)ref_total);
}

static struct litmus_hist h1, h2, hall;
static struct ref r;

/* nobs values per state from `spread` small values: every tuple through
 * both one histogram and two halves merged. */
static void stream(int nobs, int spread, int n, const char *what)
{
    memset(&h1, 0, sizeof(h1));
    memset(&h2, 0, sizeof(h2));
    memset(&hall, 0, sizeof(hall));
    memset(&r, 0, sizeof(r));
    for (int i = 0; i < n; i++) {
        long obs[LITMUS_MAX_OBS];
        for (int k = 0; k < nobs; k++)
            obs[k] = pick_value(spread);
        bool pos = obs[0] == 0;
        litmus_tally(&hall, obs, nobs, pos);
        litmus_tally(i & 1 ? &h2 : &h1, obs, nobs, pos);
        ref_add(&r, obs, nobs);
    }
    compare(&hall, &r, what);
    for (int s = 0; s < hall.nstates; s++) {
        CHECK(hall.pos[s] == (hall.val[s][0] == 0), "%s: state %d pos flag", what, s);
        for (int k = nobs; k < LITMUS_MAX_OBS; k++)
            CHECK(hall.val[s][k] == 0, "%s: state %d value %d beyond nobs is %ld", what, s, k, hall.val[s][k]);
        bool packable = true;
        for (int k = 0; k < nobs; k++)
            packable &= hall.val[s][k] >= -64 && hall.val[s][k] <= 63;
        CHECK(!!(hall.key[s] >> 63) == packable, "%s: state %d key 0x%llx", what, s,
              (unsigned long long)hall.key[s]);
    }
    h1.pos_runs = 3, h1.neg_runs = 4, h2.pos_runs = 5, h2.neg_runs = 6;
    h1.deadlocked = 7, h2.deadlocked = 8, h1.filtered_out = 1, h2.filtered_out = 2;
    litmus_hist_merge(&h1, &h2);
    CHECK(h1.deadlocked == 15 && h1.filtered_out == 3, "%s: merged deadlocked %llu, filtered %llu", what,
          (unsigned long long)h1.deadlocked, (unsigned long long)h1.filtered_out);
    if (r.n <= LITMUS_MAX_STATES) {
        compare(&h1, &r, what);     /* past the limit each half kept other states */
    } else {
        uint64_t total = h1.other;
        for (int s = 0; s < h1.nstates; s++)
            total += h1.count[s];
        CHECK(total == (uint64_t)n && h1.nstates == LITMUS_MAX_STATES, "%s: merged %llu of %d", what,
              (unsigned long long)total, n);
    }
    CHECK(litmus_hist_runs(&h1) == 18, "%s: merged runs %llu", what, (unsigned long long)litmus_hist_runs(&h1));
    CHECK(h2.nstates == 0 && h2.pos_runs == 0 && h2.deadlocked == 0, "%s: merge leaves the source cleared",
          what);
}

int main(void)
{
    char what[64];

    for (int nobs = 1; nobs <= LITMUS_MAX_OBS; nobs++) {
        snprintf(what, sizeof(what), "nobs %d, 2 values", nobs);
        stream(nobs, 2, 20000, what);
    }
    stream(2, 6, 50000, "nobs 2, 6 values");
    stream(3, 4, 50000, "nobs 3, 4 values (64 states, then other)");
    stream(4, 8, 50000, "nobs 4, 8 values (past the state limit)");

    /* The packed key is 7 bits per value: no two packable pairs share one. */
    memset(&hall, 0, sizeof(hall));
    int pairs = 0;
    for (long a = -64; a <= 63; a += 9) {
        for (long b = -64; b <= 63; b += 21, pairs++) {
            long obs[2] = { a, b };
            litmus_tally(&hall, obs, 2, false);
        }
    }
    CHECK(pairs == 105 && hall.nstates == LITMUS_MAX_STATES && hall.other == (uint64_t)(pairs - LITMUS_MAX_STATES),
          "grid of %d distinct pairs: %d states, %llu other", pairs, hall.nstates, (unsigned long long)hall.other);
    for (int s = 0; s < hall.nstates; s++)
        CHECK(hall.count[s] == 1, "grid: state %d counted %llu times", s, (unsigned long long)hall.count[s]);
    return check_finish("hist");
}
