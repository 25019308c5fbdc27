/* ppc MMU: software-managed TLB1 (Book III-E MAV 1/2, e500mc/e5500/e6500).
 *
 * Address map. The image is 32-bit, so a 36-bit physical address needs a
 * 32-bit virtual one (arch_phys_to_virt): below 4 GiB (RAM, from physical
 * 0) the map is the identity; above, each 256 MiB physical chunk gets a
 * 256 MiB slot in the top quarter of the address space, 0xC000_0000 ..
 * 0xFFFF_FFFF. CCSR's chunk (the platform's CCSR_PHYS, 0xF_E000_0000)
 * owns the 0xE000_0000 slot from the start, as under U-Boot, so the
 * console works before the device tree is read; the others are given out
 * on first use, a range that spans several chunks getting consecutive
 * slots (QEMU ppce500: the PCI memory window 0xC_0000_0000 + 512 MiB lands
 * at 0xC000_0000). Identity RAM therefore ends at 3 GiB; a range that
 * would fold onto something already mapped is refused with both addresses
 * named, as is anything above 64 GiB or without a free slot.
 *
 * Attributes: RAM is M (memory coherence required: the cores snoop each
 * other), write-back, SX|SW|SR; every device range is I|G (cache-inhibited,
 * guarded), SW|SR, never executable. Entries are power-of-4 pages (4 KiB
 * .. 1 GiB, the sizes every e500 TLB1 supports; 256 MiB at most above
 * 4 GiB), TID 0, AS 0, IPROT.
 *
 * One table serves every CPU: arch_mmu_map() collects the entries, and
 * arch_mmu_enable() (boot CPU) and head.S (each secondary) load it into
 * ESEL 0..n-1 of their own TLB1 with ppc_tlb1_switch(), which removes
 * whatever the firmware left, IPROT entries included. Before the device
 * tree is read, ppc_mmu_early() puts up two entries: the RAM around the
 * image (and the DTB), coherent, and the CCSR window, so that the console
 * works from the first line of C. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "ppc.h"
#include <irqflags.h>
#include <stdio.h>
#include <string.h>

#define MAX_MAPS        48              /* < 64 TLB1 entries, minus the switch's spare */
#define MIN_PAGE        0x1000ULL
#define MAX_PAGE        0x40000000ULL   /* 1 GiB */
#define PA_LIMIT        (1ULL << 36)

struct map {
    uint32_t va;
    uint64_t pa, size;
    enum mem_type type;
};

static struct map maps[MAX_MAPS];
static unsigned nmaps;
/* Read by head.S (secondaries) with a 64 MiB firmware mapping: in .bss. */
struct tlb1_entry ppc_tlb_tab[MAX_MAPS];
unsigned ppc_tlb_n;
static bool final_live;                 /* the boot CPU's TLB1 holds ppc_tlb_tab */
static struct tlb1_entry early_tab[4];
static int mmu_error;                   /* first arch_mmu_map failure, for arch_mmu_enable */

extern char _start[], _end[];

/* ---- 36-bit physical -> 32-bit virtual ---- */
#define SLOT            0x10000000ULL           /* 256 MiB */
#define POOL_VA         0xc0000000u
#define POOL_SLOTS      4
#define CCSR_SLOT       2                       /* 0xE000_0000 */
static uint64_t slot_pa[POOL_SLOTS];            /* chunk held by each slot; 0 = free */

static int slot_of(uint64_t chunk)
{
    for (int i = 0; i < POOL_SLOTS; i++)
        if (slot_pa[i] == chunk)
            return i;
    return -1;
}

/* Slots for the k chunks from `chunk` on, consecutive in VA: extend an
 * existing assignment or take the lowest free run. -1 when impossible. */
static int slots_for(uint64_t chunk, unsigned k)
{
    int first = slot_of(chunk);

    if (first < 0) {
        for (int i = 0; i + (int)k <= POOL_SLOTS && first < 0; i++) {
            bool free = true;
            for (unsigned j = 0; j < k; j++)
                free = free && (slot_pa[i + j] == 0 || slot_pa[i + j] == chunk + j * SLOT);
            if (free)
                first = i;
        }
        if (first < 0)
            return -1;
    }
    if (first + (int)k > POOL_SLOTS)
        return -1;
    for (unsigned j = 0; j < k; j++) {
        uint64_t want = chunk + j * SLOT;
        if (slot_pa[first + j] && slot_pa[first + j] != want)
            return -1;
        slot_pa[first + j] = want;
    }
    return first;
}

uintptr_t arch_phys_to_virt(uint64_t phys)
{
    if (phys < (1ULL << 32))
        return (uintptr_t)phys;
    int i = slots_for(phys & ~(SLOT - 1), 1);
    if (i < 0)
        return (uintptr_t)0xfffff000u;          /* nothing maps it: a fault, not a wild write */
    return (uintptr_t)(POOL_VA + (uint32_t)i * (uint32_t)SLOT + (uint32_t)(phys & (SLOT - 1)));
}

unsigned ppc_tlb1_entries(void) { return mfspr(SPRN_TLB1CFG) & TLBnCFG_NENTRY; }

static unsigned ilog2(uint64_t v) { return 63 - (unsigned)__builtin_clzll(v); }

static struct tlb1_entry make_entry(uint32_t va, uint64_t pa, uint64_t size, enum mem_type type)
{
    struct tlb1_entry e;

    e.mas1 = MAS1_VALID | MAS1_IPROT | ((ilog2(size) - 10) << MAS1_TSIZE_SHIFT);
    e.mas2 = va | (type == MEM_NORMAL ? MAS2_M : MAS2_I | MAS2_G);
    e.mas3 = ((uint32_t)pa & 0xfffff000u) |
             (type == MEM_NORMAL ? MAS3_SX | MAS3_SW | MAS3_SR : MAS3_SW | MAS3_SR);
    e.mas7 = (uint32_t)(pa >> 32);
    return e;
}

static const char *size_str(uint64_t size, char *buf, size_t len)
{
    if (size >= (1ULL << 30))
        snprintf(buf, len, "%lluG", (unsigned long long)(size >> 30));
    else if (size >= (1ULL << 20))
        snprintf(buf, len, "%lluM", (unsigned long long)(size >> 20));
    else
        snprintf(buf, len, "%lluK", (unsigned long long)(size >> 10));
    return buf;
}

static struct map *map_covering(uint32_t va)
{
    for (unsigned i = 0; i < nmaps; i++)
        if (va >= maps[i].va && (uint64_t)va - maps[i].va < maps[i].size)
            return &maps[i];
    return NULL;
}

static bool va_overlaps(uint32_t va, uint64_t size)
{
    for (unsigned i = 0; i < nmaps; i++)
        if ((uint64_t)va < maps[i].va + maps[i].size && maps[i].va < (uint64_t)va + size)
            return true;
    return false;
}

/* tlbwe one TLB1 entry on this CPU. */
static void tlb1_write(unsigned esel, const struct tlb1_entry *e)
{
    unsigned long f = local_irq_save();

    mtspr(SPRN_MAS0, MAS0_TLBSEL1 | MAS0_ESEL(esel));
    mtspr(SPRN_MAS1, e->mas1);
    mtspr(SPRN_MAS2, e->mas2);
    mtspr(SPRN_MAS3, e->mas3);
    mtspr(SPRN_MAS7, e->mas7);
    __asm__ __volatile__("isync\n\ttlbwe\n\tisync" ::: "memory");
    local_irq_restore(f);
}

/* tlbsx for va in AS 0, then tlbre of the entry it found: what this CPU's
 * MMU really holds. Returns false on a miss. */
struct hw_entry { uint32_t mas0, mas1, mas2, mas3, mas7; };

static bool tlb_lookup(uint32_t va, struct hw_entry *h)
{
    unsigned long f = local_irq_save();
    bool hit;

    mtspr(SPRN_MAS6, 0);
    __asm__ __volatile__("isync\n\ttlbsx 0,%0\n\tisync" :: "r"(va) : "memory");
    h->mas1 = mfspr(SPRN_MAS1);
    hit = (h->mas1 & MAS1_VALID) != 0;
    if (hit) {
        h->mas0 = mfspr(SPRN_MAS0);
        mtspr(SPRN_MAS0, h->mas0 & (MAS0_TLBSEL1 | MAS0_ESEL(0xfff)));
        __asm__ __volatile__("isync\n\ttlbre\n\tisync" ::: "memory");
        h->mas1 = mfspr(SPRN_MAS1);
        h->mas2 = mfspr(SPRN_MAS2);
        h->mas3 = mfspr(SPRN_MAS3);
        h->mas7 = mfspr(SPRN_MAS7);
    }
    local_irq_restore(f);
    return hit;
}

static int add_map(uint32_t va, uint64_t pa, uint64_t size, enum mem_type type)
{
    if (nmaps >= MAX_MAPS) {
        pr_err("mmu: out of TLB1 entries (%d) mapping 0x%llx\n", MAX_MAPS, (unsigned long long)pa);
        return -1;
    }
    maps[nmaps] = (struct map){ va, pa, size, type };
    ppc_tlb_tab[nmaps] = make_entry(va, pa, size, type);
    if (final_live)                     /* a late mapping: this CPU only */
        tlb1_write(nmaps, &ppc_tlb_tab[nmaps]);
    nmaps++;
    ppc_tlb_n = nmaps;
    return 0;
}

static int map_range(uint64_t phys, uint64_t size, enum mem_type type, bool quiet)
{
    uint64_t start = ALIGN_DOWN(phys, MIN_PAGE), end = ALIGN_UP(phys + size, MIN_PAGE);

    if (end <= start || end > PA_LIMIT) {
        if (!quiet)
            pr_warn("mmu: 0x%llx+0x%llx is beyond the 36-bit physical address range; not mapped\n",
                    (unsigned long long)phys, (unsigned long long)size);
        return -1;
    }
    if ((start >> 32) != ((end - 1) >> 32)) {
        if (!quiet)
            pr_warn("mmu: 0x%llx-0x%llx crosses a 4 GiB boundary; a 32-bit image cannot "
                    "map it; not mapped\n", (unsigned long long)start, (unsigned long long)end);
        return -1;
    }
    if (start >> 32) {
        uint64_t c0 = start & ~(SLOT - 1), c1 = (end - 1) & ~(SLOT - 1);
        if (slots_for(c0, (unsigned)((c1 - c0) / SLOT) + 1) < 0) {
            if (!quiet)
                pr_warn("mmu: no free 256 MiB virtual slot for 0x%llx-0x%llx; not mapped\n",
                        (unsigned long long)start, (unsigned long long)end);
            return -1;
        }
    }
    for (uint64_t a = start; a < end;) {
        uint32_t va = (uint32_t)arch_phys_to_virt(a);
        struct map *m = map_covering(va);
        if (m) {
            uint64_t mpa = m->pa + (va - m->va);
            if (mpa != a) {
                if (!quiet)
                    pr_warn("mmu: 0x%llx would appear at virtual 0x%08x, where 0x%llx already is; "
                            "not mapped\n", (unsigned long long)a, va, (unsigned long long)mpa);
                return -1;
            }
            if (m->type != type) {
                if (!quiet)
                    pr_warn("mmu: 0x%llx is already mapped as %s memory; not remapped as %s\n",
                            (unsigned long long)a, m->type == MEM_NORMAL ? "normal" : "device",
                            type == MEM_NORMAL ? "normal" : "device");
                return -1;
            }
            a = m->pa + m->size;
            continue;
        }
        uint64_t s = (a >> 32) ? SLOT : MAX_PAGE;
        while (s > MIN_PAGE && ((a & (s - 1)) || a + s > end || va_overlaps(va, s)))
            s >>= 2;
        if (add_map(va, a, s, type))
            return -1;
        a += s;
    }
    return 0;
}

int arch_mmu_map(uint64_t phys, uint64_t size, enum mem_type type)
{
    int r = map_range(phys, size, type, false);
    if (r && !mmu_error)
        mmu_error = r;
    return r;
}

/* Make sure [phys, phys+size) is reachable from C on this CPU: already in
 * the table (any type), else mapped (type 1 = device, 0 = normal) and,
 * once the table is live, written into this CPU's TLB1. */
int ppc_mmu_ensure(uint64_t phys, uint64_t size, int device)
{
    uint32_t va = (uint32_t)arch_phys_to_virt(phys);
    struct map *m = map_covering(va);
    if (m && m->pa + (va - m->va) == phys &&
        phys + size <= m->pa + m->size)
        return 0;
    return map_range(phys, size, device ? MEM_DEVICE : MEM_NORMAL, false);
}

uint64_t ppc_ccsr_phys(void) { return PPC_CCSR_PHYS; }

/* The firmware's RAM translation around va, narrowed to at most 64 MiB
 * and made coherent; identity if nothing maps it. */
static struct tlb1_entry early_ram_entry(uint32_t va, uint32_t *epn, uint64_t *size)
{
    struct hw_entry h;
    uint64_t fsize = 64ULL << 20, pa;
    uint32_t fepn = va & ~(uint32_t)(fsize - 1);

    if (tlb_lookup(va, &h)) {
        uint64_t hsize = 1024ULL << ((h.mas1 & MAS1_TSIZE_MASK) >> MAS1_TSIZE_SHIFT);
        uint32_t hepn = h.mas2 & ~(uint32_t)(hsize - 1);
        uint64_t hpa = ((uint64_t)h.mas7 << 32 | (h.mas3 & 0xfffff000u)) & ~(hsize - 1);
        if (hsize < fsize)
            fsize = hsize;
        while (ilog2(fsize) & 1)
            fsize >>= 1;                /* a power of 4 */
        fepn = va & ~(uint32_t)(fsize - 1);
        pa = hpa + (fepn - hepn);
    } else {
        pa = fepn;
    }
    *epn = fepn;
    *size = fsize;
    return make_entry(fepn, pa, fsize, MEM_NORMAL);
}

int ppc_mmu_early(const void *dtb)
{
    unsigned n = 0;
    uint32_t epn, epn2;
    uint64_t size, size2;

    /* The CCSR window is part of the final table from the start: every
     * device the DT puts inside it is then already covered. */
    slot_pa[CCSR_SLOT] = PPC_CCSR_PHYS & ~(SLOT - 1);
    map_range(PPC_CCSR_PHYS, PPC_CCSR_WINDOW, MEM_DEVICE, true);
    early_tab[n++] = early_ram_entry((uint32_t)(uintptr_t)_start, &epn, &size);
    if ((uint32_t)(uintptr_t)_end - epn > size)
        return -3;                      /* the image straddles the firmware's mapping */
    if (dtb && ((uint32_t)(uintptr_t)dtb - epn >= size)) {
        early_tab[n] = early_ram_entry((uint32_t)(uintptr_t)dtb, &epn2, &size2);
        if (epn2 + size2 <= epn || epn + size <= epn2)
            n++;
    }
    if (nmaps)
        early_tab[n++] = ppc_tlb_tab[0];
    return ppc_tlb1_switch(early_tab, n);
}

void arch_mmu_enable(void)
{
    uint32_t sp;
    const uint32_t need[3] = { (uint32_t)(uintptr_t)_start, (uint32_t)(uintptr_t)_end - 1, 0 };
    uint32_t probe[3];

    __asm__ __volatile__("mr %0,1" : "=r"(sp));
    memcpy(probe, need, sizeof(probe));
    probe[2] = sp;
    for (unsigned i = 0; i < 3; i++) {
        struct map *m = map_covering(probe[i]);
        if (!m || m->type != MEM_NORMAL || m->pa + (probe[i] - m->va) != probe[i]) {
            pr_err("mmu: 0x%08x (the image or its stack) is not identity-mapped RAM in the table "
                   "built from the device tree; keeping the boot mapping\n", probe[i]);
            return;
        }
    }
    if (ppc_tlb_n + 2 > ppc_tlb1_entries()) {
        pr_err("mmu: %u entries do not fit this CPU's TLB1 (%u); keeping the boot mapping\n",
               ppc_tlb_n, ppc_tlb1_entries());
        return;
    }
    unsigned long f = local_irq_save();
    int r = ppc_tlb1_switch(ppc_tlb_tab, ppc_tlb_n);
    local_irq_restore(f);
    if (r)
        pr_err("mmu: TLB1 switch failed (%d)\n", r);
    else
        final_live = true;
}

/* ---- reading the TLB back ---- */

void arch_mmu_query(uint64_t va, struct mem_attr *out)
{
    struct hw_entry h;
    char sz[8];

    memset(out, 0, sizeof(*out));
    if (va >> 32) {
        snprintf(out->desc, sizeof(out->desc), "not mapped (beyond the 32-bit address space)");
        return;
    }
    uint32_t v = (uint32_t)va;
    struct map *m = map_covering(v);
    if (!tlb_lookup(v, &h)) {
        out->hw_agrees = m == NULL;
        snprintf(out->desc, sizeof(out->desc), "not mapped (tlbsx miss%s)",
                 m ? "; the table has an entry" : "");
        return;
    }
    unsigned esel = MAS0_ESEL_OF(h.mas0), wimge = h.mas2 & MAS2_WIMGE, perm = h.mas3 & MAS3_PERM;
    uint64_t size = 1024ULL << ((h.mas1 & MAS1_TSIZE_MASK) >> MAS1_TSIZE_SHIFT);
    uint64_t pa = (((uint64_t)(h.mas7 & 0xf) << 32) | (h.mas3 & 0xfffff000u)) + (v & (size - 1) & ~0xfffu);

    out->mapped = true;
    out->type = (wimge & MAS2_I) ? MEM_DEVICE : MEM_NORMAL;
    out->exec = (perm & MAS3_SX) != 0;
    out->writable = (perm & MAS3_SW) != 0;
    out->shareable = (wimge & MAS2_M) != 0;
    out->raw = ((uint64_t)h.mas2 << 32) | h.mas3;
    if (m) {
        struct tlb1_entry e = make_entry(m->va, m->pa, m->size, m->type);
        out->hw_agrees = (h.mas0 & MAS0_TLBSEL1) && esel == (unsigned)(m - maps) &&
                         h.mas1 == e.mas1 && h.mas2 == e.mas2 && h.mas3 == e.mas3 &&
                         (h.mas7 & 0xf) == e.mas7;
    }
    snprintf(out->desc, sizeof(out->desc), "TLB%d[%u] %s WIMGE=%c%c%c%c%c %s%s%s -> pa 0x%llx%s",
             (h.mas0 & MAS0_TLBSEL1) ? 1 : 0, esel, size_str(size, sz, sizeof(sz)),
             wimge & MAS2_W ? 'W' : '-', wimge & MAS2_I ? 'I' : '-', wimge & MAS2_M ? 'M' : '-',
             wimge & MAS2_G ? 'G' : '-', wimge & MAS2_E ? 'E' : '-',
             perm & MAS3_SR ? "R" : "-", perm & MAS3_SW ? "W" : "-", perm & MAS3_SX ? "X" : "-",
             (unsigned long long)pa, h.mas1 & MAS1_IPROT ? " IPROT" : "");
}

bool arch_mem_attr_ok(const struct mem_attr *a, enum mem_type type, char *why, size_t len)
{
    unsigned wimge = (unsigned)(a->raw >> 32) & MAS2_WIMGE, perm = (unsigned)a->raw & MAS3_PERM;

    why[0] = 0;
    if (!a->mapped)
        snprintf(why, len, "not mapped");
    else if (type == MEM_NORMAL && wimge != MAS2_M)
        snprintf(why, len, "RAM has WIMGE 0x%02x, want M only (0x04: coherent, write-back)", wimge);
    else if (type == MEM_NORMAL && perm != (MAS3_SX | MAS3_SW | MAS3_SR))
        snprintf(why, len, "RAM permissions 0x%02x, want SX|SW|SR", perm);
    else if (type == MEM_DEVICE && wimge != (MAS2_I | MAS2_G))
        snprintf(why, len, "device has WIMGE 0x%02x, want I|G (0x0a: cache-inhibited, guarded)", wimge);
    else if (type == MEM_DEVICE && (perm & (MAS3_SX | MAS3_UX)))
        snprintf(why, len, "device range is executable (SX/UX set)");
    else if (!a->writable)
        snprintf(why, len, "read-only");
    else if (!a->hw_agrees)
        snprintf(why, len, "tlbre disagrees with the TLB1 table the image built");
    return why[0] == 0;
}

const char *arch_mem_attr_caveat(void) { return NULL; }

/* A 4 KiB page no entry covers: from 0xF000_0000 up, then downwards. */
uintptr_t ppc_unmapped_va(void)
{
    for (uint64_t va = 0xf0000000u; va < 0x100000000ULL; va += 0x1000000)
        if (!va_overlaps((uint32_t)va, MIN_PAGE))
            return (uintptr_t)va;
    for (uint64_t va = 0xf0000000u; va >= 0x1000000; va -= 0x1000000)
        if (!va_overlaps((uint32_t)va, MIN_PAGE))
            return (uintptr_t)va;
    return 0xfffff000u;
}
