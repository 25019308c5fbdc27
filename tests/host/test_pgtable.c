/* lib/pgtable.c with include/pgtable.h, driven with two descriptor
 * formats written here from the architecture manuals (not copied from
 * arch/): an arm64-like one (VMSAv8-64, 4 KiB granule, four levels,
 * blocks at levels 1-2, bit 1 = table/page) and a riscv-like one (Sv39
 * and Sv48: PPN at bit 10, a leaf is V with any of R/W/X, at any level).
 *
 * The tables are checked with a walk of their own (ref_slot: hard-coded
 * shifts and decodings), not only with pgt_lookup, so that a mistake the
 * builder and the walker share still shows.
 *
 * Each check says which single-line mutation of lib/pgtable.c it catches
 * ("catches:"). Every mutation named here was applied by hand, one at a
 * time, and made this program fail (or, where said, hang). Three others
 * survive because they change nothing: dropping `(va & (span - 1)) == 0 &&`
 * from `whole` (stop - va == span already implies alignment), and the
 * `!fmt->valid(e)` tests in pgt_lookup and leaves_below (is_leaf and
 * is_table are false for an invalid entry in both formats).
 */
#include "check.h"
#include "pgtable.h"
#include <stdlib.h>
#include <string.h>

/* The format callbacks share one signature; most ignore the level. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)

/* ---- the arm64-like format ---- */
#define A_VALID     (1ULL << 0)
#define A_TABLE     (1ULL << 1)
#define A_ADDR      0x0000fffffffff000ULL
#define A_NORMAL    ((1ULL << 2) | (3ULL << 8) | (1ULL << 10))     /* AttrIndx 1, ISH, AF */
#define A_DEVICE    ((1ULL << 10) | (1ULL << 53) | (1ULL << 54))   /* AttrIndx 0, AF, PXN, UXN */

static uint64_t a_table(uint64_t pa) { return pa | A_VALID | A_TABLE; }
static uint64_t a_page(uint64_t pa, uint64_t attrs) { return (pa & A_ADDR) | attrs | A_VALID | A_TABLE; }
static uint64_t a_block(uint64_t pa, uint64_t attrs, int level) { return (pa & A_ADDR) | attrs | A_VALID; }
static bool a_valid(uint64_t e) { return e & A_VALID; }
static bool a_is_table(uint64_t e, int level) { return level < 3 && (e & A_VALID) && (e & A_TABLE); }
static bool a_is_leaf(uint64_t e, int level)
{
    return (e & A_VALID) && (level == 3 ? (e & A_TABLE) : level >= 1 && !(e & A_TABLE));
}
static uint64_t a_next(uint64_t e) { return e & A_ADDR; }
static bool a_same(uint64_t e, uint64_t attrs, int level) { return (e & ~A_ADDR) == (attrs | A_VALID); }

static const struct pgt_format arm = {
    .levels = 4, .max_block_shift = 30,
    .table = a_table, .page = a_page, .block = a_block, .valid = a_valid,
    .is_table = a_is_table, .is_leaf = a_is_leaf, .next_table = a_next, .same_attrs = a_same,
};

/* ---- the riscv-like format (attrs carry V, as riscv64's do) ---- */
#define R_V         (1ULL << 0)
#define R_R         (1ULL << 1)
#define R_W         (1ULL << 2)
#define R_X         (1ULL << 3)
#define R_A         (1ULL << 6)
#define R_D         (1ULL << 7)
#define R_PPN       (((1ULL << 44) - 1) << 10)
#define R_PBMT      (3ULL << 61)
#define R_RAM       (R_V | R_R | R_W | R_X | R_A | R_D)
#define R_DEV       (R_V | R_R | R_W | R_A | R_D | (2ULL << 61))      /* PBMT=IO */

static uint64_t r_pte(uint64_t pa) { return (pa >> 12) << 10; }
static uint64_t r_table(uint64_t pa) { return r_pte(pa) | R_V; }
static uint64_t r_page(uint64_t pa, uint64_t attrs) { return r_pte(pa) | attrs; }
static uint64_t r_block(uint64_t pa, uint64_t attrs, int level) { return r_pte(pa) | attrs; }
static bool r_valid(uint64_t e) { return e & R_V; }
static bool r_is_table(uint64_t e, int level) { return (e & R_V) && !(e & (R_R | R_W | R_X)); }
static bool r_is_leaf(uint64_t e, int level) { return (e & R_V) && (e & (R_R | R_W | R_X)); }
static uint64_t r_next(uint64_t e) { return ((e & R_PPN) >> 10) << 12; }
static bool r_same(uint64_t e, uint64_t attrs, int level) { return (e & ~R_PPN) == attrs; }

#define R_FORMAT(n) {                                                           \
    .levels = (n), .max_block_shift = 30,                                       \
    .table = r_table, .page = r_page, .block = r_block, .valid = r_valid,       \
    .is_table = r_is_table, .is_leaf = r_is_leaf, .next_table = r_next,         \
    .same_attrs = r_same,                                                       \
}
static const struct pgt_format sv39 = R_FORMAT(3), sv48 = R_FORMAT(4);

/* ---- the pool and an independent walk ---- */

#define POOL 64
static pgt_table_t mem[POOL] __attribute__((aligned(4096)));
static pgt_table_t snap[POOL];
static struct pgt_pool pool;

static uint64_t *fresh(int size)
{
    memset(mem, 0, sizeof(mem));
    pool = (struct pgt_pool){ mem, size, 0 };
    return pgt_alloc(&pool);
}

static void snapshot(void) { memcpy(snap, mem, sizeof(mem)); }
static bool unchanged(void) { return !memcmp(snap, mem, sizeof(mem)); }

/* The slot for va at level (counted from the root), found with this
 * file's own shifts and decodings; NULL if a level above is not a table. */
static uint64_t *ref_slot(const struct pgt_format *f, uint64_t *root, uint64_t va, int level)
{
    uint64_t *t = root;
    bool is_arm = f == &arm;

    for (int l = 0; ; l++) {
        unsigned shift = 12 + 9 * (unsigned)(f->levels - 1 - l);
        uint64_t *e = &t[(va >> shift) & 511];
        if (l == level)
            return e;
        if (is_arm ? (*e & 3) != 3 : (*e & (R_V | R_R | R_W | R_X)) != R_V)
            return NULL;
        t = (uint64_t *)(uintptr_t)(is_arm ? *e & A_ADDR : ((*e & R_PPN) >> 10) << 12);
    }
}

static uint64_t ref_entry(const struct pgt_format *f, uint64_t *root, uint64_t va, int level)
{
    uint64_t *e = ref_slot(f, root, va, level);

    return e ? *e : 0;
}

/* Every leaf, in the order pgt_for_each_leaf visits them. */
struct leaf { uint64_t *slot, va; int level; };
static struct leaf leaves[4096];
static int nleaves;

static void collect(uint64_t *slot, uint64_t va, int level, void *arg)
{
    if (nleaves < (int)(sizeof(leaves) / sizeof(leaves[0])))
        leaves[nleaves] = (struct leaf){ slot, va, level };
    nleaves++;
    (*(int *)arg)++;
}

static int count_leaves(const struct pgt_format *f, uint64_t *root)
{
    int n = 0;

    nleaves = 0;
    pgt_for_each_leaf(f, root, collect, &n);
    return n;
}

/* ---- the checks ---- */

static void test_shifts(void)
{
    /* catches: PGT_PAGE_SHIFT + PGT_LEVEL_BITS * (fmt->levels - level) in pgt_level_shift */
    CHECK(pgt_level_shift(&arm, 0) == 39 && pgt_level_shift(&arm, 3) == 12, "arm64 shifts");
    CHECK(pgt_level_shift(&sv39, 0) == 30 && pgt_level_shift(&sv39, 2) == 12, "sv39 shifts");
    CHECK(pgt_level_shift(&sv48, 0) == 39 && pgt_level_shift(&sv48, 1) == 30, "sv48 shifts");
}

/* A range that starts 4 KiB below a 2 MiB boundary below a 1 GiB boundary
 * and ends 4 KiB past a 2 MiB block after the next 1 GiB boundary: a
 * page, a 2 MiB block, a 1 GiB block, a 2 MiB block, a page. */
static void test_blocks_and_pages(const struct pgt_format *f, uint64_t attrs, uint64_t other,
                                  const char *name)
{
    uint64_t start = GiB - 2 * MiB - 4 * KiB, end = 2 * GiB + 2 * MiB + 4 * KiB, at = 0;
    uint64_t *root = fresh(POOL);
    int page = f->levels - 1, mid = page - 1, giga = page - 2;
    static const struct { uint64_t va; int up; } want[] = {
        { GiB - 2 * MiB - 4 * KiB, 0 }, { GiB - 2 * MiB, 1 }, { GiB, 2 }, { 2 * GiB, 1 },
        { 2 * GiB + 2 * MiB, 0 },
    };

    int err = pgt_map(f, &pool, root, start, end, attrs, &at);
    CHECK(err == 0, "%s: map returned %d at 0x%llx", name, err, (unsigned long long)at);

    /* catches: `shift <= fmt->max_block_shift` -> `<` (no 1 GiB blocks);
     * `bool last = level == fmt->levels - 2` (2 MiB "pages"). */
    CHECK(ref_entry(f, root, GiB, giga) == f->block(GiB, attrs, giga),
          "%s: no 1 GiB block at 1 GiB (0x%llx)", name,
          (unsigned long long)ref_entry(f, root, GiB, giga));
    CHECK(ref_entry(f, root, GiB - 2 * MiB, mid) == f->block(GiB - 2 * MiB, attrs, mid),
          "%s: no 2 MiB block at 1 GiB - 2 MiB", name);
    CHECK(ref_entry(f, root, 2 * GiB, mid) == f->block(2 * GiB, attrs, mid),
          "%s: no 2 MiB block at 2 GiB", name);
    /* catches: `stop - va == span` dropped from whole (the first, partly
     * covered 2 MiB span and the last would be blocks). */
    CHECK(ref_entry(f, root, start, page) == f->page(start, attrs),
          "%s: no page at the start", name);
    CHECK(ref_entry(f, root, 2 * GiB + 2 * MiB, page) == f->page(2 * GiB + 2 * MiB, attrs),
          "%s: no page at the end", name);
    /* catches: `stop = next` (past the end); `while (va <= end)` hangs. */
    CHECK(ref_entry(f, root, end, page) == 0, "%s: the page after the range is mapped", name);
    CHECK(ref_entry(f, root, start - 4 * KiB, page) == 0, "%s: the page before the range is mapped", name);

    /* Exactly those five leaves, in address order, and four tables
     * (arm64: L0, L1, two L2 and two L3 = 6; sv48: the same; sv39 one fewer).
     * catches: `return pool->tables[pool->used]` in pgt_alloc (no count). */
    int n = count_leaves(f, root);
    CHECK(n == 5, "%s: %d leaves, want 5", name, n);
    for (int i = 0; i < 5 && i < n; i++)
        CHECK(leaves[i].va == want[i].va && leaves[i].level == page - want[i].up,
              "%s: leaf %d is 0x%llx level %d, want 0x%llx level %d", name, i,
              (unsigned long long)leaves[i].va, leaves[i].level,
              (unsigned long long)want[i].va, page - want[i].up);
    int tables = f->levels == 4 ? 6 : 5;
    CHECK(pool.used == tables, "%s: %d tables used, want %d", name, pool.used, tables);

    /* Lookups: the entry and the level that translate. catches: `return true`
     * for a table entry in pgt_lookup, `*level = l + 1`, `l < fmt->levels - 1`
     * as the loop bound (no pages found). */
    uint64_t e = 0;
    int level = -1;
    bool hit = pgt_lookup(f, root, GiB + 123 * MiB + 5, &e, &level);
    CHECK(hit && level == giga && e == f->block(GiB, attrs, giga),
          "%s: lookup in the 1 GiB block: %d level %d 0x%llx", name, hit, level, (unsigned long long)e);
    hit = pgt_lookup(f, root, 2 * GiB + 2 * MiB + 0xfff, &e, &level);
    CHECK(hit && level == page && e == f->page(2 * GiB + 2 * MiB, attrs),
          "%s: lookup in the last page: %d level %d", name, hit, level);
    hit = pgt_lookup(f, root, GiB - MiB, &e, &level);
    CHECK(hit && level == mid && e == f->block(GiB - 2 * MiB, attrs, mid),
          "%s: lookup in a 2 MiB block: %d level %d", name, hit, level);
    hit = pgt_lookup(f, root, end, &e, &level);
    CHECK(!hit && level == page && e == 0, "%s: lookup past the end: %d level %d", name, hit, level);
    hit = pgt_lookup(f, root, 300 * GiB, &e, &level);
    CHECK(!hit && level == (f->levels == 3 ? 0 : 1) && e == 0,
          "%s: lookup of an empty gigabyte: %d level %d", name, hit, level);

    /* Identical remap: accepted, nothing written, no table taken.
     * catches: `!fmt->same_attrs(...)` -> `fmt->same_attrs(...)`. */
    snapshot();
    int used = pool.used;
    err = pgt_map(f, &pool, root, start, end, attrs, &at);
    CHECK(err == 0 && unchanged() && pool.used == used, "%s: identical remap: %d", name, err);
    err = pgt_map(f, &pool, root, GiB + 4 * MiB, GiB + 4 * MiB + 4 * KiB, attrs, &at);
    CHECK(err == 0 && unchanged() && pool.used == used,
          "%s: a page inside the 1 GiB block, same attributes: %d", name, err);

    /* Other attributes inside a block: refused, with the address, nothing
     * written. catches: `if (!fmt->same_attrs(...))` -> `if (0)`, `*fail_va =
     * va` dropped, `return PGT_ERR_NOMEM` there. */
    at = 0;
    err = pgt_map(f, &pool, root, GiB + 8 * MiB, GiB + 8 * MiB + 4 * KiB, other, &at);
    CHECK(err == PGT_ERR_CONFLICT && at == GiB + 8 * MiB && unchanged(),
          "%s: conflict in the 1 GiB block: %d at 0x%llx", name, err, (unsigned long long)at);
    at = 0;
    err = pgt_map(f, &pool, root, 2 * GiB + MiB, 2 * GiB + 3 * MiB, other, &at);
    CHECK(err == PGT_ERR_CONFLICT && at == 2 * GiB + MiB,
          "%s: conflict in the 2 MiB block: %d at 0x%llx", name, err, (unsigned long long)at);
    /* A whole aligned block over an existing block: still a conflict
     * (catches: `!fmt->valid(*e)` dropped from the block case: overwritten). */
    snapshot();
    err = pgt_map(f, &pool, root, GiB, 2 * GiB, other, &at);
    CHECK(err == PGT_ERR_CONFLICT && unchanged(), "%s: a whole block over a block: %d", name, err);

    /* A page is rewritten without a question (as the two arches did). */
    err = pgt_map(f, &pool, root, start, start + 4 * KiB, other, &at);
    CHECK(err == 0 && ref_entry(f, root, start, page) == f->page(start, other),
          "%s: a page remapped with other attributes: %d", name, err);

    /* A 2 MiB-aligned range inside the range of an existing L2 table (the
     * pages at 2 GiB + 2 MiB) goes into that table, not a new one. */
    used = pool.used;
    err = pgt_map(f, &pool, root, 2 * GiB + 4 * MiB, 2 * GiB + 6 * MiB, attrs, &at);
    CHECK(err == 0 && pool.used == used && ref_entry(f, root, 2 * GiB + 4 * MiB, mid) ==
          f->block(2 * GiB + 4 * MiB, attrs, mid), "%s: a block beside pages: %d", name, err);
}

/* arm64: no block at level 0, 1 GiB at most. */
static void test_no_root_block(void)
{
    uint64_t *root = fresh(POOL);

    /* catches: `shift <= fmt->max_block_shift &&` dropped: a 512 GiB block. */
    CHECK(pgt_map(&arm, &pool, root, 0, 512 * GiB, A_NORMAL, NULL) == 0, "map 512 GiB");
    CHECK(a_is_table(root[0], 0) && pool.used == 2, "level 0 entry 0x%llx, %d tables",
          (unsigned long long)root[0], pool.used);
    CHECK(count_leaves(&arm, root) == 512, "512 GiB as %d leaves, want 512 1 GiB blocks", nleaves);
    CHECK(ref_entry(&arm, root, 511 * GiB, 1) == a_block(511 * GiB, A_NORMAL, 1), "the last 1 GiB block");

    /* sv39: a 1 GiB leaf in the root; sv48: one level down. */
    root = fresh(POOL);
    CHECK(pgt_map(&sv39, &pool, root, 0, 2 * GiB, R_RAM, NULL) == 0 && pool.used == 1 &&
          root[1] == r_block(GiB, R_RAM, 0), "sv39: 1 GiB leaves in the root (%d tables)", pool.used);
    root = fresh(POOL);
    CHECK(pgt_map(&sv48, &pool, root, 0, 2 * GiB, R_RAM, NULL) == 0 && pool.used == 2 &&
          r_is_table(root[0], 0) && ref_entry(&sv48, root, GiB, 1) == r_block(GiB, R_RAM, 1),
          "sv48: 1 GiB leaves at level 1 (%d tables)", pool.used);
}

static void test_pool_exhaustion(void)
{
    uint64_t at = 0, *root;
    int err;

    /* One page needs root, L1, L2 and L3. With four tables it fits; with
     * three it fails at that page. catches: `pool->used > pool->size`,
     * `*fail_va = va` dropped, the error not passed up (`if (err) return
     * err` dropped). */
    root = fresh(4);
    err = pgt_map(&arm, &pool, root, 5 * GiB + 12 * KiB, 5 * GiB + 16 * KiB, A_DEVICE, &at);
    CHECK(err == 0 && pool.used == 4, "one page with 4 tables: %d, %d used", err, pool.used);
    CHECK(pgt_alloc(&pool) == NULL, "alloc past the pool's size");
    root = fresh(3);
    err = pgt_map(&arm, &pool, root, 5 * GiB + 12 * KiB, 5 * GiB + 16 * KiB, A_DEVICE, &at);
    CHECK(err == PGT_ERR_NOMEM && at == 5 * GiB + 12 * KiB && pool.used == 3,
          "one page with 3 tables: %d at 0x%llx", err, (unsigned long long)at);
    /* The failing address is where the missing table was wanted, past
     * what did fit (the first 2 MiB of pages used the last table). */
    root = fresh(4);
    err = pgt_map(&sv39, &pool, root, GiB - 4 * KiB, GiB + 2 * MiB + 8 * KiB, R_DEV, &at);
    CHECK(err == PGT_ERR_NOMEM && at == GiB + 2 * MiB,
          "sv39 out of tables: %d at 0x%llx, want 0x%llx", err, (unsigned long long)at,
          (unsigned long long)(GiB + 2 * MiB));
    CHECK(ref_entry(&sv39, root, GiB - 4 * KiB, 2) == r_page(GiB - 4 * KiB, R_DEV) &&
          ref_entry(&sv39, root, GiB, 1) == r_block(GiB, R_DEV, 1),
          "what fitted before the failure stays mapped");
    /* fail_va may be NULL. */
    root = fresh(1);
    CHECK(pgt_map(&arm, &pool, root, 0, 4 * KiB, A_NORMAL, NULL) == PGT_ERR_NOMEM, "NULL fail_va");
}

static void test_leaf_slot(void)
{
    uint64_t *root = fresh(POOL), *slot, e;
    int level;

    /* An empty tree: the tables on the way are made, the slot is the page
     * slot. catches: `l < fmt->levels` as the loop bound, the step down
     * (`t = table_at(...)`) dropped. */
    slot = pgt_leaf_slot(&sv48, &pool, root, 0x3fe0000000ULL);
    CHECK(slot && slot == ref_slot(&sv48, root, 0x3fe0000000ULL, 3) && *slot == 0 && pool.used == 4,
          "sv48 leaf slot: %p, %d tables", (void *)slot, pool.used);
    if (slot)
        *slot = r_page(0x80000000ULL, R_V | R_R | R_W | R_A | R_D | (1ULL << 61));
    CHECK(pgt_lookup(&sv48, root, 0x3fe0000abcULL, &e, &level) && level == 3 &&
          r_next(e) == 0x80000000ULL, "lookup through the alias: level %d", level);
    /* The same slot again without new tables; none inside a larger leaf. */
    CHECK(pgt_leaf_slot(&sv48, &pool, root, 0x3fe0000000ULL) == slot && pool.used == 4, "slot again");
    CHECK(pgt_map(&sv48, &pool, root, 0x80000000ULL, 0x80200000ULL, R_RAM, NULL) == 0, "a 2 MiB leaf");
    /* catches: `else if (!fmt->is_table(*e, l))` -> `fmt->is_table`, or that
     * branch dropped. */
    CHECK(pgt_leaf_slot(&sv48, &pool, root, 0x80001000ULL) == NULL, "a slot inside a 2 MiB leaf");
    /* sv39 needs the root and two tables, sv48 three. catches: the NULL
     * return on an exhausted pool dropped (the slot would be
     * computed from a NULL table: page index 5, so not NULL by chance). */
    root = fresh(3);
    CHECK(pgt_leaf_slot(&sv39, &pool, root, 0x3fe0005000ULL) != NULL, "sv39 slot with 3 tables");
    root = fresh(3);
    CHECK(pgt_leaf_slot(&sv48, &pool, root, 0x3fe0005000ULL) == NULL, "sv48 slot with 3 tables");
}

static void strip(uint64_t *slot, uint64_t va, int level, void *arg)
{
    *slot &= ~R_PBMT;
    (*(int *)arg)++;
}

/* The walk strip_pbmt needs: every leaf of every size, nothing else. */
static void test_each_leaf(void)
{
    uint64_t *root = fresh(POOL);
    int n = 0;

    CHECK(pgt_map(&sv39, &pool, root, 0x10000000ULL, 0x10001000ULL, R_DEV, NULL) == 0 &&
          pgt_map(&sv39, &pool, root, 0x30000000ULL, 0x40000000ULL, R_DEV, NULL) == 0 &&
          pgt_map(&sv39, &pool, root, 0x40000000ULL, 0x80000000ULL, R_DEV, NULL) == 0 &&
          pgt_map(&sv39, &pool, root, 0x80000000ULL, 0x88000000ULL, R_RAM, NULL) == 0, "maps");
    snapshot();
    pgt_for_each_leaf(&sv39, root, strip, &n);
    /* 1 page + 128 2 MiB leaves + 1 GiB leaf + 64 2 MiB leaves.
     * catches: `if (fmt->is_leaf(e, level))` -> `if (fmt->valid(e))` (tables
     * reported as leaves and not walked). */
    CHECK(n == 1 + 128 + 1 + 64, "%d leaves visited, want 194", n);
    bool ok = true;
    for (int t = 0; t < pool.used; t++)
        for (int i = 0; i < PGT_ENTRIES; i++) {
            uint64_t was = snap[t][i], now = mem[t][i];
            ok = ok && (r_is_leaf(was, 0) ? now == (was & ~R_PBMT) : now == was);
        }
    CHECK(ok, "PBMT stripped from leaves only");
    CHECK(ref_entry(&sv39, root, 0x10000000ULL, 2) == r_page(0x10000000ULL, R_DEV & ~R_PBMT) &&
          ref_entry(&sv39, root, GiB, 0) == r_block(GiB, R_DEV & ~R_PBMT, 0), "page and gigapage stripped");

    /* The VAs reported are the mapped addresses, in order. catches:
     * `va = (uint64_t)i << shift` (the upper levels' bits lost). */
    n = count_leaves(&sv39, root);
    CHECK(n == 194 && leaves[0].va == 0x10000000ULL && leaves[0].level == 2 &&
          leaves[1].va == 0x30000000ULL && leaves[1].level == 1 &&
          leaves[129].va == GiB && leaves[129].level == 0 &&
          leaves[193].va == 0x87e00000ULL, "leaf addresses and levels");
}

/* Odd entries: an arm64 block descriptor in level 0, a riscv pointer at the
 * page level. Neither translates, and the walk does not follow them; each
 * points at a table holding something leaf-like, so following it shows. */
static void test_odd_entries(void)
{
    uint64_t *root = fresh(POOL), e;
    int level;

    mem[7][0] = a_page(0x1000, A_NORMAL);
    mem[7][1] = a_block(GiB, A_NORMAL, 1);
    root[2] = a_block((uint64_t)(uintptr_t)mem[7], A_NORMAL, 0);
    /* catches: `if (!fmt->is_table(e, l))` dropped in pgt_lookup (the
     * "block" followed as a table). */
    CHECK(!pgt_lookup(&arm, root, 2 * 512 * GiB + GiB + 5, &e, &level) && level == 0 && e == root[2],
          "arm64 level-0 block: not mapped at level %d", level);
    /* catches: `fmt->is_table(e, level)` dropped in leaves_below. */
    CHECK(count_leaves(&arm, root) == 0, "arm64 level-0 block: %d leaves, want 0", nleaves);

    root = fresh(POOL);
    uint64_t *slot = pgt_leaf_slot(&sv39, &pool, root, 0x1000);
    mem[10][0] = r_page(0x2000, R_RAM);
    if (slot)
        *slot = r_table((uint64_t)(uintptr_t)mem[10]);
    CHECK(slot && !pgt_lookup(&sv39, root, 0x1000, &e, &level) && level == 2 && e == *slot,
          "sv39 non-leaf at the page level: not mapped at level %d", level);
    /* catches: `level < fmt->levels - 1 &&` dropped in leaves_below. */
    CHECK(count_leaves(&sv39, root) == 0, "sv39 non-leaf at the page level: %d leaves, want 0", nleaves);
}

int main(void)
{
    test_shifts();
    test_blocks_and_pages(&arm, A_NORMAL, A_DEVICE, "arm64");
    test_blocks_and_pages(&sv39, R_RAM, R_DEV, "sv39");
    test_blocks_and_pages(&sv48, R_DEV, R_RAM, "sv48");
    test_no_root_block();
    test_pool_exhaustion();
    test_leaf_slot();
    test_each_leaf();
    test_odd_entries();
    return check_finish("pgtable");
}
