/* riscv64 identity map, Sv48 where the device tree says so (and satp
 * accepts it), else Sv39. RAM: RWX with PBMT=PMA (normal memory, as the
 * platform's PMAs say). Devices: RW, not executable, PBMT=IO when the hart
 * has Svpbmt (and the firmware enabled it), else PBMT=0: without Svpbmt a
 * page table cannot mark device memory, the PMAs alone make it I/O.
 * Leaves are used at every level up to 1 GiB where a range covers a whole
 * aligned block, 4 KiB pages elsewhere. */
#include "arch.h"
#include "console.h"
#include "pgtable.h"
#include "exception.h"
#include "options.h"
#include "riscv.h"
#include <asm/barrier.h>
#include <asm/processor.h>
#include <stdio.h>
#include <string.h>

#define PTE_V           (1UL << 0)
#define PTE_R           (1UL << 1)
#define PTE_W           (1UL << 2)
#define PTE_X           (1UL << 3)
#define PTE_U           (1UL << 4)
#define PTE_G           (1UL << 5)
#define PTE_A           (1UL << 6)
#define PTE_D           (1UL << 7)
#define PTE_LEAF        (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT   10
#define PTE_PPN_MASK    (((1UL << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_PBMT_SHIFT  61
#define PTE_PBMT_MASK   (3UL << PTE_PBMT_SHIFT)
#define PBMT_PMA        0UL
#define PBMT_NC         1UL
#define PBMT_IO         2UL

#define TABLE_POOL      64

static pgt_table_t tables[TABLE_POOL] __aligned(4096);
static struct pgt_pool pool = { tables, TABLE_POOL, 0 };
static pgt_table_t probe_tables[2] __aligned(4096);
static unsigned levels = 3;             /* 3: Sv39, 4: Sv48 */
static bool use_pbmt;
static const char *caveat;
static uint64_t satp_value;             /* read by every hart's enable */
static char mode_desc[48] = "off";

static char opt_mmu[16];
OPTION(riscv_mmu, "riscv.mmu", BOOTARG_STR, opt_mmu,
       "riscv64 paging mode: sv39, sv48 or auto (default: the DT's mmu-type)");
static char opt_pbmt[16];
OPTION(riscv_pbmt, "riscv.pbmt", BOOTARG_STR, opt_pbmt,
       "riscv64 Svpbmt for device memory: off, or auto (default: when the DT lists svpbmt)");

static uint64_t pte_of(uint64_t pa) { return (pa >> 12) << PTE_PPN_SHIFT; }
static unsigned level_shift(int level) { return 12 + 9 * (unsigned)level; }
static uint64_t va_limit(void) { return 1UL << (level_shift((int)levels - 1) + 8); }   /* lower half */
static unsigned long satp_mode(void) { return levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV39; }

/* ---- the Sv39/Sv48 PTE format. The generic code counts levels from the
 * root; RISC-V's level (printed below) is levels - 1 - that. Leaves of
 * every size look alike: V with any of R/W/X. ---- */

static uint64_t pte_table(uint64_t pa) { return pte_of(pa) | PTE_V; }
static uint64_t pte_page(uint64_t pa, uint64_t attrs) { return pte_of(pa) | attrs; }
static uint64_t pte_block(uint64_t pa, uint64_t attrs, int level) { return pte_of(pa) | attrs; }
static bool pte_valid(uint64_t e) { return e & PTE_V; }
static bool pte_is_table(uint64_t e, int level) { return (e & PTE_V) && !(e & PTE_LEAF); }
static bool pte_is_leaf(uint64_t e, int level) { return (e & PTE_V) && (e & PTE_LEAF); }
static uint64_t pte_next(uint64_t e) { return ((e & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12; }
static bool pte_same_attrs(uint64_t e, uint64_t attrs, int level)
{
    return (e & ~PTE_PPN_MASK) == attrs;
}

#define SV_FORMAT(n) {                                                          \
    .levels = (n), .max_block_shift = 30,       /* 2 MiB and 1 GiB leaves */   \
    .table = pte_table, .page = pte_page, .block = pte_block,                   \
    .valid = pte_valid, .is_table = pte_is_table, .is_leaf = pte_is_leaf,       \
    .next_table = pte_next, .same_attrs = pte_same_attrs,                       \
}
static const struct pgt_format sv39 = SV_FORMAT(3), sv48 = SV_FORMAT(4);
static const struct pgt_format *format(void) { return levels == 4 ? &sv48 : &sv39; }

/* Does satp take this mode? An unsupported MODE leaves satp unchanged
 * (privileged spec, satp is WARL), a supported one turns translation on at
 * once: so the probe runs on a scratch table that identity-maps the
 * gigabyte holding this code and its stack. */
static bool satp_accepts(unsigned long mode)
{
    uintptr_t here = (uintptr_t)satp_accepts & ~((1UL << 30) - 1);
    uint64_t leaf = pte_of(here) | PTE_V | PTE_LEAF | PTE_A | PTE_D | PTE_G;
    unsigned long want, got;

    memset(probe_tables, 0, sizeof(probe_tables));
    if (mode == SATP_MODE_SV48) {
        probe_tables[0][(here >> 39) & 511] = pte_of((uintptr_t)probe_tables[1]) | PTE_V;
        probe_tables[1][(here >> 30) & 511] = leaf;
    } else {
        probe_tables[0][(here >> 30) & 511] = leaf;
    }
    want = (mode << SATP_MODE_SHIFT) | ((uintptr_t)probe_tables[0] >> 12);
    __asm__ __volatile__("fence rw, rw\n sfence.vma\n"
                         "csrw satp, %1\n sfence.vma\n"
                         "csrr %0, satp\n"
                         "csrw satp, zero\n sfence.vma"
                         : "=&r"(got) : "r"(want) : "memory");
    return got == want;
}

void riscv_mmu_choose_mode(void)
{
    bool want48 = riscv_facts.dt_sv48;

    if (!strcmp(opt_mmu, "sv39"))
        want48 = false;
    else if (!strcmp(opt_mmu, "sv48"))
        want48 = true;
    else if (opt_mmu[0] && strcmp(opt_mmu, "auto"))
        pr_warn("riscv.mmu=%s is not sv39, sv48 or auto; using the device tree's choice\n", opt_mmu);
    levels = 4;
    if (!want48 || !satp_accepts(SATP_MODE_SV48)) {
        if (want48)
            pr_warn("mmu: satp does not accept Sv48 although the device tree says sv48; using Sv39\n");
        levels = 3;
        if (!satp_accepts(SATP_MODE_SV39))
            pr_err("mmu: satp accepts neither Sv48 nor Sv39; the MMU will stay off\n");
    }
    use_pbmt = riscv_facts.dt_svpbmt && strcmp(opt_pbmt, "off") != 0;
    if (!riscv_facts.dt_svpbmt)
        caveat = "this CPU has no Svpbmt (not in riscv,isa): page tables cannot mark device "
                 "memory, so device ranges are mapped PBMT=0 and are I/O only by the platform's PMAs";
    else if (!use_pbmt)
        caveat = "Svpbmt not used (riscv.pbmt=off): device ranges are mapped PBMT=0 and are "
                 "I/O only by the platform's PMAs";
}

const char *riscv_mmu_mode_name(void) { return mode_desc; }

static uint64_t attrs_for(enum mem_type type)
{
    uint64_t a = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;

    if (type == MEM_NORMAL)
        return a | PTE_X | (PBMT_PMA << PTE_PBMT_SHIFT);
    return a | ((use_pbmt ? PBMT_IO : PBMT_PMA) << PTE_PBMT_SHIFT);
}

int arch_mmu_map(uint64_t phys, uint64_t size, enum mem_type type)
{
    uint64_t start = ALIGN_DOWN(phys, 4096), end = ALIGN_UP(phys + size, 4096), at;

    if (pool.used == 0)
        pgt_alloc(&pool);                           /* the root */
    if (end > va_limit() || end < start) {
        pr_warn("mmu: 0x%llx-0x%llx is beyond the %s identity-mappable range (0x%llx); not mapped\n",
                (unsigned long long)start, (unsigned long long)end,
                levels == 4 ? "Sv48" : "Sv39", (unsigned long long)va_limit());
        return -1;
    }
    int err = pgt_map(format(), &pool, tables[0], start, end, attrs_for(type), &at);
    if (err == PGT_ERR_NOMEM)
        pr_err("mmu: out of page-table pages (%d) mapping 0x%llx\n", TABLE_POOL, (unsigned long long)at);
    else if (err)
        pr_err("mmu: 0x%llx overlaps a leaf mapped with other attributes\n", (unsigned long long)at);
    if (!err && satp_value)
        local_flush_tlb_all();      /* a late mapping (ioremap): this hart sees it now */
    return err ? -1 : 0;
}

/* ---- Svpbmt: is it really usable? ---- */

/* pgt_for_each_leaf: a leaf of any size back to PBMT=0 (PMA). */
static void strip_pbmt(uint64_t *slot, uint64_t va, int level, void *arg)
{
    *slot &= ~PTE_PBMT_MASK;
}

static volatile uint64_t pbmt_probe_word __aligned(4096) = 0x50424d5450524f42ULL;

static void read_probe(void *va) { *(volatile uint64_t *)va = *(volatile uint64_t *)va + 0; }

/* The DT may list Svpbmt while the firmware left menvcfg.PBMTE clear, and
 * then every PTE with PBMT bits faults. Read a RAM page through a PBMT=NC
 * alias before anything touches a device; if that faults, drop the PBMT
 * bits everywhere and say so. */
static void pbmt_probe(void)
{
    uint64_t va = 0x3fe0000000UL, *slot;
    struct exc_record rec;

    if (!(slot = pgt_leaf_slot(format(), &pool, tables[0], va)) || *slot) {
        caveat = "Svpbmt could not be probed (no free alias page); PBMT=IO used as the DT says";
        return;
    }
    *slot = pte_of((uintptr_t)&pbmt_probe_word) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G |
            (PBMT_NC << PTE_PBMT_SHIFT);
    __asm__ __volatile__("fence rw, rw\n sfence.vma" ::: "memory");
    bool faulted = try_call(read_probe, (void *)va, &rec);
    *slot = 0;
    if (faulted) {
        pgt_for_each_leaf(format(), tables[0], strip_pbmt, NULL);
        use_pbmt = false;
        caveat = "the DT lists Svpbmt but a PBMT mapping faults (menvcfg.PBMTE clear in the "
                 "firmware): device ranges are mapped PBMT=0 and are I/O only by the PMAs";
    }
    __asm__ __volatile__("fence rw, rw\n sfence.vma" ::: "memory");
    if (faulted)
        pr_warn("mmu: %s (probe: %s at 0x%llx)\n", caveat, rec.kind, (unsigned long long)rec.addr);
}

static void satp_on(void)
{
    __asm__ __volatile__("fence rw, rw\n sfence.vma\n csrw satp, %0\n sfence.vma"
                         :: "r"(satp_value) : "memory");
}

void arch_mmu_enable(void)
{
    bool first = satp_value == 0;

    if (first) {
        if (pool.used == 0)
            pgt_alloc(&pool);
        satp_value = (satp_mode() << SATP_MODE_SHIFT) | ((uintptr_t)tables[0] >> 12);
    }
    satp_on();
    if (first) {
        if (use_pbmt)
            pbmt_probe();
        snprintf(mode_desc, sizeof(mode_desc), "%s%s", levels == 4 ? "sv48" : "sv39",
                 use_pbmt ? "+svpbmt" : "");
    }
}

void riscv_mmu_enable_secondary(void)
{
    if (satp_value)
        satp_on();
}

uintptr_t arch_phys_to_virt(uint64_t phys) { return (uintptr_t)phys; }

/* ---- reading the live tables back ---- */

static const char *pbmt_name(uint64_t p)
{
    switch (p) {
    case PBMT_PMA: return "PMA";
    case PBMT_NC: return "NC";
    case PBMT_IO: return "IO";
    default: return "reserved";
    }
}

static void load_probe(void *va) { (void)*(volatile uint8_t *)va; }

void arch_mmu_query(uint64_t va, struct mem_attr *out)
{
    unsigned long satp = csr_read(satp), mode = satp >> SATP_MODE_SHIFT;
    int lv = mode == SATP_MODE_SV48 ? 4 : 3, level;
    const uint64_t *root = (const uint64_t *)(uintptr_t)((satp & SATP_PPN_MASK) << 12);
    uint64_t e;
    static const char *const size_name[] = { "4K page", "2M megapage", "1G gigapage", "512G terapage" };

    memset(out, 0, sizeof(*out));
    if (mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48) {
        snprintf(out->desc, sizeof(out->desc), "satp mode %lu: translation off", mode);
        return;
    }
    if (va >= (1UL << (level_shift(lv - 1) + 8))) {
        snprintf(out->desc, sizeof(out->desc), "not mapped (outside the %s lower half)",
                 lv == 4 ? "Sv48" : "Sv39");
        return;
    }
    bool leaf = pgt_lookup(lv == 4 ? &sv48 : &sv39, root, va, &e, &level);
    level = lv - 1 - level;                     /* RISC-V's numbering: 0 = 4 KiB */
    out->raw = e;
    if (!leaf) {
        snprintf(out->desc, sizeof(out->desc), "not mapped (level %d)", level);
        return;
    }
    uint64_t span = 1UL << level_shift(level);
    uint64_t pa = (((e & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12 & ~(span - 1)) | (va & (span - 1));
    uint64_t pbmt = (e & PTE_PBMT_MASK) >> PTE_PBMT_SHIFT;

    out->mapped = true;
    out->exec = (e & PTE_X) != 0;
    out->writable = (e & PTE_W) != 0;
    out->shareable = true;          /* one coherence domain: RISC-V has no shareability */
    /* Without Svpbmt only the permissions tell the image's two kinds apart
     * (devices are never executable); with it, PBMT does. */
    if (pbmt == PBMT_IO)
        out->type = MEM_DEVICE;
    else if (pbmt == PBMT_NC || use_pbmt)
        out->type = MEM_NORMAL;
    else
        out->type = out->exec ? MEM_NORMAL : MEM_DEVICE;

    /* What S-mode can ask the hardware: satp names these tables, and for
     * normal memory a load through the mapping translates (an access
     * fault means PMP refused the physical address after translation,
     * e.g. the firmware's own RAM; a page fault means no translation). */
    const char *hw = "satp";
    out->hw_agrees = (satp & SATP_PPN_MASK) == (satp_value & SATP_PPN_MASK) &&
                     mode == (satp_value >> SATP_MODE_SHIFT) && pa == va;
    if (out->hw_agrees && out->type == MEM_NORMAL) {
        struct exc_record rec;
        if (!try_call(load_probe, (void *)(uintptr_t)va, &rec)) {
            hw = "load ok";
        } else if (rec.cause == 5) {
            hw = "PMP-denied";
        } else {
            hw = "load faulted";
            out->hw_agrees = false;
        }
    }
    snprintf(out->desc, sizeof(out->desc), "PBMT=%s%s %c%c%c %s%s (L%d %s, %s; %s)",
             pbmt_name(pbmt), pbmt == PBMT_PMA && !use_pbmt ? "(Svpbmt unused)" : "",
             e & PTE_R ? 'R' : '-', e & PTE_W ? 'W' : '-', e & PTE_X ? 'X' : '-',
             e & PTE_A ? "A" : "", e & PTE_D ? "D" : "", level, size_name[level],
             lv == 4 ? "sv48" : "sv39", hw);
}

bool arch_mem_attr_ok(const struct mem_attr *a, enum mem_type type, char *why, size_t len)
{
    uint64_t e = a->raw, pbmt = (e & PTE_PBMT_MASK) >> PTE_PBMT_SHIFT;

    why[0] = 0;
    if (!a->mapped)
        snprintf(why, len, "not mapped");
    else if (!(e & PTE_A) || !(e & PTE_D))
        snprintf(why, len, "accessed/dirty bit clear (may fault without hardware A/D updates)");
    else if (!(e & PTE_R) || !(e & PTE_W))
        snprintf(why, len, "not readable and writable");
    else if (e & PTE_U)
        snprintf(why, len, "user-accessible");
    else if (type == MEM_NORMAL && pbmt != PBMT_PMA)
        snprintf(why, len, "RAM has PBMT=%s, want PMA (normal, cacheable)", pbmt_name(pbmt));
    else if (type == MEM_NORMAL && !(e & PTE_X))
        snprintf(why, len, "RAM is not executable");
    else if (type == MEM_DEVICE && use_pbmt && pbmt != PBMT_IO)
        snprintf(why, len, "device has PBMT=%s, want IO (Svpbmt)", pbmt_name(pbmt));
    else if (type == MEM_DEVICE && !use_pbmt && pbmt != PBMT_PMA)
        snprintf(why, len, "device has PBMT=%s but Svpbmt is not in use", pbmt_name(pbmt));
    else if (type == MEM_DEVICE && (e & PTE_X))
        snprintf(why, len, "device range is executable");
    else if (!a->hw_agrees)
        snprintf(why, len, "the hardware does not translate it as the tables say");
    return why[0] == 0;
}

const char *arch_mem_attr_caveat(void) { return caveat; }

/* An address below the Sv39 limit that no mapping covers. */
uintptr_t arch_unmapped_addr(void)
{
    static const uintptr_t candidates[] = { 0x3ff0000000UL, 0x3f00000000UL, 0x2ff0000000UL };
    struct mem_attr a;

    for (unsigned i = 0; i < ARRAY_SIZE(candidates); i++) {
        arch_mmu_query(candidates[i], &a);
        if (!a.mapped)
            return candidates[i];
    }
    return candidates[0];
}
