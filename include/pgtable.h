/* Radix page tables with a 4 KiB granule: 512 eight-byte entries a table,
 * 9 bits of VA a level (arm64 stage 1 with 4 KiB pages, RISC-V Sv39/Sv48).
 *
 * The generic code builds and walks the tables; the arch supplies the
 * descriptor format (struct pgt_format) and the table memory (struct
 * pgt_pool), and keeps its attribute choices and all printing.
 *
 * Levels are counted from the root: level 0 is the root table, level
 * levels - 1 holds the 4 KiB pages (arm64's numbering with four levels;
 * RISC-V's "level" is levels - 1 - level).
 *
 * Tables are reached through their physical address cast to a pointer:
 * the caller runs identity-mapped (or with the MMU off) while it builds or
 * walks them. Host-buildable: no allocation, no libc, no globals.
 */
#ifndef ORDERLY_PGTABLE_H
#define ORDERLY_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PGT_ENTRIES         512
#define PGT_PAGE_SHIFT      12
#define PGT_LEVEL_BITS      9

#define PGT_ERR_NOMEM       (-1)    /* the pool has no table left */
#define PGT_ERR_CONFLICT    (-2)    /* inside a block/leaf with other attributes */

typedef uint64_t pgt_table_t[PGT_ENTRIES];

/* An arch's descriptor encoding. attrs are the arch's own bits, passed
 * through from pgt_map unchanged; level as above. */
struct pgt_format {
    int levels;                     /* 3 or 4 */
    unsigned max_block_shift;       /* largest block/leaf above the page level: 30 = 1 GiB */
    uint64_t (*table)(uint64_t table_pa);                   /* points at the next level */
    uint64_t (*page)(uint64_t pa, uint64_t attrs);          /* 4 KiB, at level levels - 1 */
    uint64_t (*block)(uint64_t pa, uint64_t attrs, int level);
    bool (*valid)(uint64_t e);
    /* A valid entry that points at a next-level table (never followed from
     * the page level, whatever this says there). */
    bool (*is_table)(uint64_t e, int level);
    /* A valid entry that translates (a block, a leaf or a page). */
    bool (*is_leaf)(uint64_t e, int level);
    uint64_t (*next_table)(uint64_t e);                     /* the table's physical address */
    /* Does the block/leaf e carry exactly these attrs? */
    bool (*same_attrs)(uint64_t e, uint64_t attrs, int level);
};

/* Table memory: size tables, 4 KiB aligned and all zero to begin with
 * (.bss); used counts those handed out. Nothing is ever freed. */
struct pgt_pool {
    pgt_table_t *tables;
    int size;
    int used;
};

/* The next unused table of the pool (zero, as the pool was), or NULL when
 * all are used. */
uint64_t *pgt_alloc(struct pgt_pool *pool);

/* log2 of the span one entry at this level maps (12 at the page level). */
unsigned pgt_level_shift(const struct pgt_format *fmt, int level);

/* Identity-map [start, end) (4 KiB aligned) below root with attrs: a block
 * at every level up to max_block_shift where the range covers a whole
 * aligned block that nothing maps yet, tables and pages elsewhere. Inside
 * an existing block/leaf the range is accepted if same_attrs agrees; a page
 * already there is overwritten. Returns 0, PGT_ERR_NOMEM or
 * PGT_ERR_CONFLICT with *fail_va (if non-NULL) set to the address being
 * mapped; what was mapped before the failure stays mapped. */
int pgt_map(const struct pgt_format *fmt, struct pgt_pool *pool, uint64_t *root,
            uint64_t start, uint64_t end, uint64_t attrs, uint64_t *fail_va);

/* Walk root's tables for va. Returns true when a leaf translates it; either
 * way *entry is the last entry read (0 if none) and *level its level. */
bool pgt_lookup(const struct pgt_format *fmt, const uint64_t *root, uint64_t va,
                uint64_t *entry, int *level);

/* The page-level slot for va, creating tables on the way from the pool;
 * NULL when the pool runs out or a larger leaf already covers va. */
uint64_t *pgt_leaf_slot(const struct pgt_format *fmt, struct pgt_pool *pool, uint64_t *root,
                        uint64_t va);

/* Call fn on every leaf below root, depth-first in address order, with its
 * slot (fn may rewrite it), the virtual address its indices spell (no sign
 * extension) and its level. */
void pgt_for_each_leaf(const struct pgt_format *fmt, uint64_t *root,
                       void (*fn)(uint64_t *slot, uint64_t va, int level, void *arg), void *arg);

#endif
