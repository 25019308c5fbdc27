/* The slow half of the litmus outcome histogram (include/litmus_hist.h):
 * states looked up by value, and merging the threads' histograms. Plain C
 * over memory, so the host tests build it too. */
#include "litmus_hist.h"
#include <string.h>

void litmus_tally_slow(struct litmus_hist *h, const long *obs, int nobs, bool pos, uint64_t key)
{
    long val[LITMUS_MAX_OBS] = { 0 };

    memcpy(val, obs, (size_t)nobs * sizeof(long));
    for (int s = 0; s < h->nstates; s++) {
        if (!memcmp(h->val[s], val, sizeof(val))) {
            h->count[s]++;
            return;
        }
    }
    if (h->nstates == LITMUS_MAX_STATES) {
        h->other++;
        return;
    }
    int s = h->nstates++;
    memcpy(h->val[s], val, sizeof(val));
    h->key[s] = key;
    h->count[s] = 1;
    h->pos[s] = pos;
}

void litmus_hist_merge(struct litmus_hist *into, struct litmus_hist *from)
{
    into->pos_runs += from->pos_runs;
    into->neg_runs += from->neg_runs;
    into->filtered_out += from->filtered_out;
    into->deadlocked += from->deadlocked;
    into->other += from->other;
    for (int k = 0; k < from->nstates; k++) {
        int s = 0;
        while (s < into->nstates && memcmp(into->val[s], from->val[k], sizeof(from->val[k])))
            s++;
        if (s == into->nstates) {
            if (s == LITMUS_MAX_STATES) {
                into->other += from->count[k];
                continue;
            }
            memcpy(into->val[s], from->val[k], sizeof(from->val[k]));
            into->key[s] = from->key[k];
            into->pos[s] = from->pos[k];
            into->count[s] = 0;
            into->nstates++;
        }
        into->count[s] += from->count[k];
    }
    memset(from, 0, sizeof(*from));
}
