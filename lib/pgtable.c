/* Radix page-table builder and walker (include/pgtable.h): one copy for
 * every arch with 512-entry tables; the descriptors come from the arch's
 * struct pgt_format. */
#include "pgtable.h"

#define IDX_MASK    (PGT_ENTRIES - 1)

static uint64_t *table_at(uint64_t pa) { return (uint64_t *)(uintptr_t)pa; }

unsigned pgt_level_shift(const struct pgt_format *fmt, int level)
{
    return PGT_PAGE_SHIFT + PGT_LEVEL_BITS * (unsigned)(fmt->levels - 1 - level);
}

static unsigned index_of(const struct pgt_format *fmt, int level, uint64_t va)
{
    return (unsigned)(va >> pgt_level_shift(fmt, level)) & IDX_MASK;
}

uint64_t *pgt_alloc(struct pgt_pool *pool)
{
    if (pool->used >= pool->size)
        return NULL;
    return pool->tables[pool->used++];
}

static int map_level(const struct pgt_format *fmt, struct pgt_pool *pool, uint64_t *table,
                     int level, uint64_t va, uint64_t end, uint64_t attrs, uint64_t *fail_va)
{
    unsigned shift = pgt_level_shift(fmt, level);
    uint64_t span = 1ULL << shift;
    bool last = level == fmt->levels - 1;

    while (va < end) {
        uint64_t next = (va & ~(span - 1)) + span;
        uint64_t stop = next < end ? next : end;
        uint64_t *e = &table[index_of(fmt, level, va)];
        bool whole = (va & (span - 1)) == 0 && stop - va == span;

        if (last) {
            *e = fmt->page(va, attrs);
        } else if (whole && shift <= fmt->max_block_shift && !fmt->valid(*e)) {
            *e = fmt->block(va, attrs, level);
        } else {
            if (!fmt->valid(*e)) {
                uint64_t *t = pgt_alloc(pool);
                if (!t) {
                    *fail_va = va;
                    return PGT_ERR_NOMEM;
                }
                *e = fmt->table((uint64_t)(uintptr_t)t);
            } else if (!fmt->is_table(*e, level)) {
                /* Already inside a block: fine if the attributes agree. */
                if (!fmt->same_attrs(*e, attrs, level)) {
                    *fail_va = va;
                    return PGT_ERR_CONFLICT;
                }
                va = stop;
                continue;
            }
            int err = map_level(fmt, pool, table_at(fmt->next_table(*e)), level + 1, va, stop,
                                attrs, fail_va);
            if (err)
                return err;
        }
        va = stop;
    }
    return 0;
}

int pgt_map(const struct pgt_format *fmt, struct pgt_pool *pool, uint64_t *root,
            uint64_t start, uint64_t end, uint64_t attrs, uint64_t *fail_va)
{
    uint64_t ignored;

    return map_level(fmt, pool, root, 0, start, end, attrs, fail_va ? fail_va : &ignored);
}

bool pgt_lookup(const struct pgt_format *fmt, const uint64_t *root, uint64_t va,
                uint64_t *entry, int *level)
{
    const uint64_t *t = root;

    for (int l = 0; l < fmt->levels; l++) {
        uint64_t e = t[index_of(fmt, l, va)];

        *entry = e;
        *level = l;
        if (!fmt->valid(e))
            return false;
        if (fmt->is_leaf(e, l))
            return true;
        if (!fmt->is_table(e, l))
            return false;
        t = table_at(fmt->next_table(e));
    }
    return false;       /* a table pointer at the page level */
}

uint64_t *pgt_leaf_slot(const struct pgt_format *fmt, struct pgt_pool *pool, uint64_t *root,
                        uint64_t va)
{
    uint64_t *t = root;

    for (int l = 0; l < fmt->levels - 1; l++) {
        uint64_t *e = &t[index_of(fmt, l, va)];

        if (!fmt->valid(*e)) {
            uint64_t *n = pgt_alloc(pool);
            if (!n)
                return NULL;
            *e = fmt->table((uint64_t)(uintptr_t)n);
        } else if (!fmt->is_table(*e, l)) {
            return NULL;
        }
        t = table_at(fmt->next_table(*e));
    }
    return &t[index_of(fmt, fmt->levels - 1, va)];
}

static void leaves_below(const struct pgt_format *fmt, uint64_t *table, int level, uint64_t base,
                         void (*fn)(uint64_t *, uint64_t, int, void *), void *arg)
{
    unsigned shift = pgt_level_shift(fmt, level);

    for (unsigned i = 0; i < PGT_ENTRIES; i++) {
        uint64_t e = table[i], va = base | (uint64_t)i << shift;

        if (!fmt->valid(e))
            continue;
        if (fmt->is_leaf(e, level))
            fn(&table[i], va, level, arg);
        else if (level < fmt->levels - 1 && fmt->is_table(e, level))
            leaves_below(fmt, table_at(fmt->next_table(e)), level + 1, va, fn, arg);
    }
}

void pgt_for_each_leaf(const struct pgt_format *fmt, uint64_t *root,
                       void (*fn)(uint64_t *slot, uint64_t va, int level, void *arg), void *arg)
{
    leaves_below(fmt, root, 0, 0, fn, arg);
}
