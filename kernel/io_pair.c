/* The registry of index/data register pairs (include/io_pair.h). */
#include "console.h"
#include "io_pair.h"

#define MAX_IO_PAIRS 4

static const struct io_pair *pairs[MAX_IO_PAIRS];
static int nr_pairs;

void io_pair_register(const struct io_pair *p)
{
    if (nr_pairs == MAX_IO_PAIRS) {
        pr_warn("io: more than %d index/data pairs, %s not registered\n", MAX_IO_PAIRS, p->name);
        return;
    }
    pairs[nr_pairs++] = p;
}

const struct io_pair *io_pair_at(int idx)
{
    return idx >= 0 && idx < nr_pairs ? pairs[idx] : NULL;
}
