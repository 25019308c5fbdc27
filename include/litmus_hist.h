/* A litmus test's outcome histogram: every final state seen, with its
 * count (lib/litmus/hist.c; host-tested in tests/host/test_litmus_hist.c).
 * States whose values all fit in 7 bits also carry a packed key (bit 63
 * set), so the per-instance tally is a few integer compares; the others
 * go through their full values on the slow path. */
#ifndef ORDERLY_LITMUS_HIST_H
#define ORDERLY_LITMUS_HIST_H

#include "compiler.h"

#define LITMUS_MAX_OBS     8        /* values that make up a final state */
#define LITMUS_MAX_STATES  64       /* distinct states kept; the rest are "other" */

struct litmus_hist {
    uint64_t key[LITMUS_MAX_STATES];        /* packed values | bit 63, or 0 */
    uint64_t count[LITMUS_MAX_STATES];
    long val[LITMUS_MAX_STATES][LITMUS_MAX_OBS];   /* unused values are 0 */
    bool pos[LITMUS_MAX_STATES];            /* the condition holds in this state */
    int nstates;
    uint64_t pos_runs, neg_runs, filtered_out, other;
    uint64_t deadlocked;                    /* executions a thread abandoned (a lock never came) */
};

/* A state the inlined fast path did not find: by its values, or new. */
void litmus_tally_slow(struct litmus_hist *h, const long *obs, int nobs, bool pos, uint64_t key);

/* Count one instance's final state; the caller counts pos_runs and
 * neg_runs. Inlined into each test's generated count loop with nobs a
 * constant, so the packing unrolls. */
static inline __attribute__((always_inline)) void
litmus_tally(struct litmus_hist *h, const long *obs, int nobs, bool pos)
{
    uint64_t key = 1ULL << 63;

    for (int k = 0; k < nobs; k++) {
        if (obs[k] < -64 || obs[k] > 63) {
            key = 0;
            break;
        }
        key |= (uint64_t)(obs[k] & 0x7f) << (7 * k);
    }
    if (key) {
        for (int s = 0; s < h->nstates; s++) {
            if (h->key[s] == key) {
                h->count[s]++;
                return;
            }
        }
    }
    litmus_tally_slow(h, obs, nobs, pos, key);
}

static inline uint64_t litmus_hist_runs(const struct litmus_hist *h)
{
    return h->pos_runs + h->neg_runs;
}

/* Add `from` into `into` (states matched by value), then clear `from`. */
void litmus_hist_merge(struct litmus_hist *into, struct litmus_hist *from);

#endif
