/* arm64 stage-1 identity map, 4 KiB granule, 48-bit VA, four levels.
 * RAM: Normal write-back (MAIR idx 1), inner shareable, executable.
 * Devices: Device-nGnRnE (MAIR idx 0), PXN|UXN. Blocks (1 GiB, 2 MiB) are
 * used where a range covers a whole aligned block, pages elsewhere. */
#include "arch.h"
#include "arm64.h"
#include "console.h"
#include "pgtable.h"
#include <asm/processor.h>
#include <asm/barrier.h>
#include <stdio.h>
#include <string.h>

#define PTE_VALID       (1UL << 0)
#define PTE_TABLE       (1UL << 1)      /* level 0-2: table; level 3: page */
#define PTE_ATTR(i)     ((uint64_t)(i) << 2)
#define PTE_AP_RO       (1UL << 7)
#define PTE_SH_INNER    (3UL << 8)
#define PTE_SH_OUTER    (2UL << 8)
#define PTE_AF          (1UL << 10)
#define PTE_PXN         (1UL << 53)
#define PTE_UXN         (1UL << 54)
#define PTE_ADDR_MASK   0x0000fffffffff000UL

#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_IDX_NC     2
#define MAIR_VALUE      ((0x00UL << 0) | (0xffUL << 8) | (0x44UL << 16))

#define TABLE_POOL      64

static pgt_table_t tables[TABLE_POOL] __aligned(4096);
static struct pgt_pool pool = { tables, TABLE_POOL, 0 };
static unsigned pa_bits;

uint64_t arm64_mmu_boot_regs[4] __aligned(64);

/* ---- the VMSAv8-64 descriptors (4 KiB granule, levels 0-3) ---- */

static uint64_t desc_table(uint64_t pa) { return pa | PTE_VALID | PTE_TABLE; }
static uint64_t desc_page(uint64_t pa, uint64_t attrs)
{
    return (pa & PTE_ADDR_MASK) | attrs | PTE_VALID | PTE_TABLE;
}
static uint64_t desc_block(uint64_t pa, uint64_t attrs, int level)
{
    return (pa & PTE_ADDR_MASK) | attrs | PTE_VALID;
}
static bool desc_valid(uint64_t e) { return e & PTE_VALID; }
static bool desc_is_table(uint64_t e, int level)
{
    return level < 3 && (e & PTE_VALID) && (e & PTE_TABLE);
}
/* Level 3: every valid entry is read as a page; levels 1-2: a block. */
static bool desc_is_leaf(uint64_t e, int level)
{
    return (e & PTE_VALID) && (level == 3 || (level >= 1 && !(e & PTE_TABLE)));
}
static uint64_t desc_next(uint64_t e) { return e & PTE_ADDR_MASK; }
static bool desc_same_attrs(uint64_t e, uint64_t attrs, int level)
{
    return (e & ~PTE_ADDR_MASK) == (attrs | PTE_VALID);
}

static const struct pgt_format vmsa_4k = {
    .levels = 4, .max_block_shift = 30,         /* blocks at levels 1 and 2 */
    .table = desc_table, .page = desc_page, .block = desc_block,
    .valid = desc_valid, .is_table = desc_is_table, .is_leaf = desc_is_leaf,
    .next_table = desc_next, .same_attrs = desc_same_attrs,
};

static uint64_t attrs_for(enum mem_type type)
{
    if (type == MEM_NORMAL)
        return PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF;
    return PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
}

static unsigned parange_bits(void)
{
    static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
    unsigned r = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    unsigned b = r < ARRAY_SIZE(bits) ? bits[r] : 48;
    return b > 48 ? 48 : b;     /* our VA (and so identity PA) is 48 bits */
}

int arch_mmu_map(uint64_t phys, uint64_t size, enum mem_type type)
{
    uint64_t start = ALIGN_DOWN(phys, 4096), end = ALIGN_UP(phys + size, 4096), at;

    if (!pa_bits)
        pa_bits = parange_bits();
    if (pool.used == 0)
        pgt_alloc(&pool);                           /* level 0 */
    if (end > (1UL << pa_bits) || end < start) {
        pr_warn("mmu: 0x%llx-0x%llx is beyond the %u-bit physical address range; not mapped\n",
                (unsigned long long)start, (unsigned long long)end, pa_bits);
        return -1;
    }
    int err = pgt_map(&vmsa_4k, &pool, tables[0], start, end, attrs_for(type), &at);
    if (err == PGT_ERR_NOMEM)
        pr_err("mmu: out of page-table pages (%d) mapping 0x%llx\n", TABLE_POOL, (unsigned long long)at);
    else if (err)
        pr_err("mmu: 0x%llx overlaps a block mapped with other attributes\n", (unsigned long long)at);
    if (!err && arm64_mmu_boot_regs[0]) {
        /* A late mapping (ioremap) into live tables: only invalid entries
         * were filled, which no TLB holds; the walker must see them. */
        dsb(ishst);
        isb();
    }
    return err ? -1 : 0;
}

static uint64_t tcr_value(void)
{
    uint64_t ips;
    switch (pa_bits) {
    case 32: ips = 0; break;
    case 36: ips = 1; break;
    case 40: ips = 2; break;
    case 42: ips = 3; break;
    case 44: ips = 4; break;
    default: ips = 5; break;
    }
    return 16                       /* T0SZ: 48-bit VA */
        | (1UL << 8) | (1UL << 10)  /* IRGN0/ORGN0: write-back write-allocate */
        | (3UL << 12)               /* SH0: inner shareable */
        | (0UL << 14)               /* TG0: 4 KiB */
        | (1UL << 23)               /* EPD1: no TTBR1 walks */
        | (ips << 32);
}

void arch_mmu_enable(void)
{
    uint64_t sctlr;

    if (!arm64_mmu_boot_regs[0]) {
        sctlr = read_sysreg(sctlr_el1);
        sctlr |= (1UL << 0) | (1UL << 2) | (1UL << 12);     /* M, C, I */
        sctlr &= ~((1UL << 1) | (1UL << 19));               /* A, WXN */
        arm64_mmu_boot_regs[0] = MAIR_VALUE;
        arm64_mmu_boot_regs[1] = tcr_value();
        arm64_mmu_boot_regs[2] = (uint64_t)(uintptr_t)tables[0];
        arm64_mmu_boot_regs[3] = sctlr;
    }
    dsb(ish);
    write_sysreg(arm64_mmu_boot_regs[0], mair_el1);
    write_sysreg(arm64_mmu_boot_regs[1], tcr_el1);
    write_sysreg(arm64_mmu_boot_regs[2], ttbr0_el1);
    isb();
    __asm__ __volatile__("tlbi vmalle1\n dsb nsh" ::: "memory");
    isb();
    write_sysreg(arm64_mmu_boot_regs[3], sctlr_el1);
    isb();
    arm64_select_atomics();
}

/* ---- reading the live tables back ---- */

static const char *mair_name(unsigned attr)
{
    switch (attr) {
    case 0x00: return "Device-nGnRnE";
    case 0x04: return "Device-nGnRE";
    case 0x08: return "Device-nGRE";
    case 0x0c: return "Device-GRE";
    case 0x44: return "Normal-NC";
    case 0xff: return "Normal-WB";
    case 0xbb: return "Normal-WT";
    default:   return "other";
    }
}

static uint64_t at_s1e1r(uint64_t va)
{
    uint64_t par;
    __asm__ __volatile__("at s1e1r, %1\n isb\n mrs %0, par_el1" : "=r"(par) : "r"(va) : "memory");
    return par;
}

void arch_mmu_query(uint64_t va, struct mem_attr *out)
{
    uint64_t ttbr = read_sysreg(ttbr0_el1) & PTE_ADDR_MASK;
    uint64_t mair = read_sysreg(mair_el1), e;
    int level;

    memset(out, 0, sizeof(*out));
    bool leaf = pgt_lookup(&vmsa_4k, (const uint64_t *)(uintptr_t)ttbr, va, &e, &level);
    out->raw = e;
    if (!leaf) {
        snprintf(out->desc, sizeof(out->desc), "not mapped (level %d)", level);
        return;
    }
    unsigned idx = (e >> 2) & 7, attr = (mair >> (8 * idx)) & 0xff, sh = (e >> 8) & 3;
    out->mapped = true;
    out->type = (attr & 0xf0) == 0 ? MEM_DEVICE : MEM_NORMAL;
    out->exec = !(e & PTE_PXN);
    out->writable = !(e & PTE_AP_RO);
    out->shareable = sh == 3;
    snprintf(out->desc, sizeof(out->desc), "%s(0x%02x) %s %s SH=%s AF=%d (L%d %s)",
             mair_name(attr), attr, out->writable ? "RW" : "RO", out->exec ? "X" : "XN",
             sh == 3 ? "inner" : sh == 2 ? "outer" : "non", (int)((e >> 10) & 1),
             level, level == 3 ? "page" : "block");

    /* Cross-check with the MMU's own walk: PAR_EL1.ATTR and SH must agree. */
    uint64_t par = at_s1e1r(va);
    out->hw_agrees = !(par & 1) && ((par >> 56) & 0xff) == attr &&
                     (out->type == MEM_DEVICE || ((par >> 7) & 3) == sh) &&
                     ((par & PTE_ADDR_MASK) == (va & PTE_ADDR_MASK));
}

bool arch_mem_attr_ok(const struct mem_attr *a, enum mem_type type, char *why, size_t len)
{
    unsigned attr = (read_sysreg(mair_el1) >> (8 * ((a->raw >> 2) & 7))) & 0xff;

    why[0] = 0;
    if (!a->mapped)
        snprintf(why, len, "not mapped");
    else if (!(a->raw & PTE_AF))
        snprintf(why, len, "access flag clear");
    else if (type == MEM_NORMAL && attr != 0xff)
        snprintf(why, len, "RAM has MAIR attr 0x%02x, want 0xff (Normal WB)", attr);
    else if (type == MEM_NORMAL && !a->shareable)
        snprintf(why, len, "RAM is not inner shareable");
    else if (type == MEM_DEVICE && attr != 0x00)
        snprintf(why, len, "device has MAIR attr 0x%02x, want 0x00 (Device-nGnRnE)", attr);
    else if (type == MEM_DEVICE && (!(a->raw & PTE_PXN) || !(a->raw & PTE_UXN)))
        snprintf(why, len, "device range is executable (PXN/UXN clear)");
    else if (!a->writable)
        snprintf(why, len, "read-only");
    else if (!a->hw_agrees)
        snprintf(why, len, "AT S1E1R disagrees with the table walk");
    return why[0] == 0;
}

const char *arch_mem_attr_caveat(void) { return NULL; }

uintptr_t arch_phys_to_virt(uint64_t phys) { return (uintptr_t)phys; }
