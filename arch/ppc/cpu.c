/* ppc glue: entry from head.S, identity, timebase, device-tree facts, CPU
 * start through the ePAPR spin table, exception decoding, the PCI host's
 * windows, and the end of the run (GPIO power-off or pvpanic). */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "exception.h"
#include "fdt.h"
#include "clock.h"
#include "cpu.h"
#include "ppc.h"
#include "percpu.h"
#include <asm/io.h>
#include <asm/processor.h>
#include <atomic.h>
#include <irqflags.h>
#include <stdio.h>
#include <string.h>

#define EPAPR_MAGIC     0x45504150

static uint64_t tb_freq = PPC_TIMEBASE_HZ;
static const char *start_method = "none";
static uint32_t entry_magic, entry_map;
static int early_mmu_rc;
extern size_t ppc_dcache_line;

/* Read by ppc_secondary_entry (r3 points at one): {stack top, percpu, hwid}. */
struct ppc_boot_slot { uint32_t stack, percpu, hwid, pad; };
struct ppc_boot_slot ppc_boot_slot[NR_CPUS] __aligned(64);
extern char ppc_secondary_entry[];
__noreturn void ppc_halt(void);

const char *arch_name(void) { return "ppc"; }

uint64_t arch_counter(void)
{
    uint32_t hi, lo, hi2;

    do {
        hi = mfspr(269);                /* TBU */
        lo = mfspr(268);                /* TBL */
        hi2 = mfspr(269);
    } while (hi != hi2);
    return (uint64_t)hi << 32 | lo;
}

uint64_t arch_counter_freq(void) { return tb_freq; }

uint64_t arch_boot_hwid(void) { return mfspr(SPRN_PIR); }

static const char *core_name(uint32_t pvr)
{
    switch (pvr >> 16) {
    case 0x8020: return "e500v1";
    case 0x8021: return "e500v2";
    case 0x8023: return "e500mc";
    case 0x8024: return "e5500";
    case 0x8040: return "e6500";
    default: return "unknown";
    }
}

void arch_describe(char *buf, size_t len)
{
    uint32_t pvr = mfspr(SPRN_PVR);

    snprintf(buf, len, "core=%s pvr=0x%08x mode=32-bit entry=%s start=%s tlb1=%u",
             core_name(pvr), (unsigned)pvr, entry_magic == EPAPR_MAGIC ? "epapr" : "other",
             start_method, ppc_tlb1_entries());
}

/* From head.S on the boot CPU: stack, BSS, IVORs and MSR[FP|ME] are set.
 * Coherent RAM and the CCSR window first, so the console works. */
__noreturn void ppc_boot_main(const void *dtb, uint32_t magic, uint32_t map_size)
{
    entry_magic = magic;
    entry_map = map_size;
    early_mmu_rc = ppc_mmu_early(dtb);
    if (early_mmu_rc)
        ppc_halt();                     /* no console without CCSR: nothing to say it with */
    boot_main(dtb);
}

/* From head.S on a released secondary, with its TLB1 switched (tlb_rc)
 * and its stack and SPRG2 set. */
__noreturn void ppc_secondary_main(struct percpu *pc, int tlb_rc)
{
    if (tlb_rc) {
        cpu_start_failed(pc, "could not load its TLB1 entries (%d)", tlb_rc);
        ppc_halt();
    }
    secondary_main(pc);
}

/* ---- device-tree facts ---- */

static struct {
    volatile uint8_t *regs;             /* controller registers (virtual) */
    uint64_t cpu, pci, size;            /* the first memory window */
    bool ok;
} pcih;

static volatile uint8_t *gpio;
static unsigned gpio_pin;

#define PCI_OW(n)       (0xc00 + 0x20 * (n))    /* POTAR +0, POTEAR +4, POWBAR +8, POWAR +0x10 */
#define PCI_IW1         0xde0                   /* PITAR +0, PIWBAR +8, PIWBEAR +0xc, PIWAR +0x10 */
#define POWAR_EN        0x80000000u
#define POWAR_MEM_RW    0x00044000u             /* read/write transaction type: memory */
#define PIWAR_EN        0x80000000u
#define PIWAR_PF        0x20000000u
#define PIWAR_LOCAL     0x00f00000u
#define PIWAR_SNOOP     0x00055000u

static unsigned ilog2_64(uint64_t v) { return 63 - (unsigned)__builtin_clzll(v); }

/* Program the host's outbound windows from its "ranges" (QEMU's direct
 * boot leaves them closed: nothing appears at the window until this is
 * done), and an inbound window over RAM for DMA. */
static void pci_host_init(const void *dtb)
{
    static const char *const compat[] = { "fsl,mpc8540-pci", "fsl,mpc8548-pcie" };
    int node = -1, len, ow = 1;
    uint64_t pa, size;

    for (unsigned i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
        node = dt_find_compatible(dtb, -1, compat[i]);
    if (node < 0 || dt_reg(dtb, node, 0, &pa, &size))
        return;
    if (ppc_mmu_ensure(pa, size, 1)) {
        pr_warn("pci: host registers at 0x%llx cannot be mapped\n", (unsigned long long)pa);
        return;
    }
    pcih.regs = (volatile uint8_t *)arch_phys_to_virt(pa);

    int parent = dt_parent(dtb, node);
    uint32_t pac = dt_addr_cells(dtb, parent);
    const uint8_t *r = dt_prop(dtb, node, "ranges", &len);
    int entry = (3 + (int)pac + 2) * 4;
    for (int off = 0; r && off + entry <= len && ow <= 4; off += entry) {
        uint32_t space = (uint32_t)(dt_read_cells(r + off, 1) >> 24) & 3;
        uint64_t pci = dt_read_cells(r + off + 4, 2), cpu;
        uint64_t sz = dt_read_cells(r + off + (3 + pac) * 4, 2);
        if ((space != 2 && space != 3) || sz < 0x1000 || (sz & (sz - 1)) ||
            dt_translate(dtb, parent, dt_read_cells(r + off + 12, pac), &cpu))
            continue;
        volatile uint8_t *w = pcih.regs + PCI_OW(ow);
        out_be32(w + 0x10, 0);
        out_be32(w + 0x00, (uint32_t)(pci >> 12));
        out_be32(w + 0x04, (uint32_t)(pci >> 44));
        out_be32(w + 0x08, (uint32_t)(cpu >> 12));
        out_be32(w + 0x10, POWAR_EN | POWAR_MEM_RW | (ilog2_64(sz) - 1));
        if (ow == 1) {
            pcih.cpu = cpu;
            pcih.pci = pci;
            pcih.size = sz;
        }
        ow++;
    }
    uint64_t rbase, rsize;
    if (dt_memory_bank(dtb, 0, &rbase, &rsize) == 0 && rsize) {
        unsigned bits = ilog2_64(rsize) + ((rsize & (rsize - 1)) != 0);
        volatile uint8_t *w = pcih.regs + PCI_IW1;
        out_be32(w + 0x10, 0);
        out_be32(w + 0x00, (uint32_t)(rbase >> 12));
        out_be32(w + 0x08, (uint32_t)(rbase >> 12));
        out_be32(w + 0x0c, (uint32_t)(rbase >> 44));
        out_be32(w + 0x10, PIWAR_EN | PIWAR_PF | PIWAR_LOCAL | PIWAR_SNOOP | (bits - 1));
    }
    pcih.ok = pcih.size != 0;
}

static void poweroff_init(const void *dtb)
{
    int node = dtb ? dt_find_compatible(dtb, -1, "gpio-poweroff") : -1, len;
    const uint8_t *g = node >= 0 ? dt_prop(dtb, node, "gpios", &len) : NULL;
    uint64_t pa = PPC_POWEROFF_GPIO, size = 0x1000;
    unsigned pin = 0;

    if (g && len >= 8) {
        int ctrl = dt_find_phandle(dtb, (uint32_t)dt_read_cells(g, 1));
        if (ctrl < 0 || dt_reg(dtb, ctrl, 0, &pa, &size)) {
            pr_warn("exit: gpio-poweroff names no usable GPIO controller\n");
            return;
        }
        pin = (unsigned)dt_read_cells(g + 4, 1) & 31;
    } else if (dtb) {
        pr_warn("exit: no gpio-poweroff node; assuming GPIO 0 at 0x%llx\n", (unsigned long long)pa);
    }
    if (ppc_mmu_ensure(pa, size, 1) == 0) {
        gpio = (volatile uint8_t *)arch_phys_to_virt(pa);
        gpio_pin = pin;
    }
}

void arch_early_init(const void *dtb)
{
    uint32_t v;

    if (entry_magic != EPAPR_MAGIC)
        pr_warn("boot: r6 = 0x%08x, not the ePAPR magic; continuing\n", (unsigned)entry_magic);
    poweroff_init(dtb);
    if (!dtb)
        return;
    int cpus = dt_path(dtb, "/cpus");
    int cpu0 = cpus >= 0 ? dt_first_child(dtb, cpus) : -1;
    if ((cpu0 >= 0 && dt_prop_u32(dtb, cpu0, "timebase-frequency", &v) == 0 && v) ||
        (cpus >= 0 && dt_prop_u32(dtb, cpus, "timebase-frequency", &v) == 0 && v))
        tb_freq = v;
    if (cpu0 >= 0 && dt_prop_u32(dtb, cpu0, "d-cache-line-size", &v) == 0 && v >= 32)
        ppc_dcache_line = v;
    /* The CCSR window was mapped from the platform's CCSR_PHYS before the
     * DT could be read; a DT that disagrees is worth a loud line. */
    for (int n = dt_first_child(dtb, dt_root(dtb)); n >= 0; n = dt_next_sibling(dtb, n)) {
        const char *type = dt_prop_str(dtb, n, "device_type");
        uint64_t base;
        if (type && !strcmp(type, "soc") && dt_translate(dtb, n, 0, &base) == 0 &&
            base != ppc_ccsr_phys())
            pr_warn("ccsr: the device tree puts CCSR at 0x%llx, the platform at 0x%llx\n",
                    (unsigned long long)base, (unsigned long long)ppc_ccsr_phys());
    }
    pci_host_init(dtb);
}

/* ---- secondary CPUs: the ePAPR spin table ---- */

int arch_cpu_start(const struct cpu_desc *cpu, uintptr_t stack_top, char *why, size_t len)
{
    const char *m = cpu->enable_method;
    struct ppc_boot_slot *slot = &ppc_boot_slot[cpu->index];

    if (!m || strcmp(m, "spin-table")) {
        snprintf(why, len, "unsupported enable-method '%s'", m ? m : "(none)");
        return -1;
    }
    if (!cpu->has_release_addr || (cpu->release_addr & 7)) {
        snprintf(why, len, "spin-table without a usable cpu-release-addr");
        return -1;
    }
    if (ppc_mmu_ensure(cpu->release_addr, 0x20, 1)) {
        snprintf(why, len, "cpu-release-addr 0x%llx cannot be mapped",
                 (unsigned long long)cpu->release_addr);
        return -1;
    }
    slot->stack = (uint32_t)stack_top;
    slot->percpu = (uint32_t)(uintptr_t)&percpu[cpu->index];
    slot->hwid = (uint32_t)cpu->hwid;
    /* {u64 entry, u64 r3, u32 rsvd, u32 pir}, big-endian. r3 first, then
     * the entry: the store that clears bit 0 of the entry releases. */
    volatile uint8_t *rel = (volatile uint8_t *)arch_phys_to_virt(cpu->release_addr);
    out_be32(rel + 8, 0);
    out_be32(rel + 12, (uint32_t)(uintptr_t)slot);
    out_be32(rel + 0, 0);
    out_be32(rel + 4, (uint32_t)(uintptr_t)ppc_secondary_entry);
    __asm__ __volatile__("sync" ::: "memory");
    start_method = "spin-table";
    return 0;
}

const char *arch_start_method(void) { return start_method; }

/* ---- exceptions ---- */

static const char *ivor_name(unsigned vec)
{
    switch (vec) {
    case 0: return "critical input";
    case 1: return "machine check";
    case 2: return "data storage";
    case 3: return "instruction storage";
    case 4: return "external input";
    case 5: return "alignment";
    case 6: return "program";
    case 7: return "floating-point unavailable";
    case 8: return "system call";
    case 9: return "auxiliary processor unavailable";
    case 10: return "decrementer";
    case 11: return "fixed-interval timer";
    case 12: return "watchdog timer";
    case 13: return "data TLB error";
    case 14: return "instruction TLB error";
    case 15: return "debug";
    case 32: return "AltiVec unavailable";
    case 33: return "embedded FP data / AltiVec assist";
    case 34: return "embedded FP round";
    case 35: return "performance monitor";
    case 36: return "processor doorbell";
    case 37: return "processor doorbell critical";
    case 38: return "guest processor doorbell";
    case 39: return "guest processor doorbell critical";
    case 40: return "hypervisor system call";
    case 41: return "hypervisor privilege";
    default: return "unknown vector";
    }
}

/* The register pair that saved the context, by vector class. */
static const char *save_pair(unsigned vec)
{
    switch (vec) {
    case 0: case 12: case 37: case 39: return "CSRR0/CSRR1";
    case 1: return "MCSRR0/MCSRR1 (ESR holds MCSR, DEAR holds MCAR)";
    case 15: return "DSRR0/DSRR1";
    default: return "SRR0/SRR1";
    }
}

/* From vectors.S, MSR = ME|FP, EE off. */
void ppc_exception(unsigned vec, struct ppc_frame *f)
{
    uint64_t g[34];
    struct exc_info e;

    if (vec == 4 || vec == 10 || vec == 36) {
        /* Taken between arch_wfi's wrteei 1 and its wait: step over the
         * wait, or it would sleep through the wake-up just handled. */
        if (f->srr0 == (uint32_t)(uintptr_t)ppc_wait_insn)
            f->srr0 += 4;
        ppc_irq_dispatch(f);
        return;
    }
    for (unsigned i = 0; i < 32; i++)
        g[i] = f->gpr[i];
    g[32] = f->lr;
    g[33] = f->cr;
    memset(&e, 0, sizeof(e));
    e.kind = ivor_name(vec);
    e.vec = vec;
    e.cause = f->esr;
    e.pc = f->srr0;
    e.addr = f->dear;
    e.status = f->srr1;
    e.sp = f->gpr[1];
    e.gpr = g;
    e.ngpr = 32;
    exception_entry(&e);
}

static void esr_detail(const struct exc_info *e, char *buf, size_t len)
{
    uint32_t esr = (uint32_t)e->cause;
    const char *what = "";

    switch (e->vec) {
    case 2: case 13: case 5:
        what = esr & ESR_ST ? ", store" : ", load";
        break;
    case 6:
        what = esr & ESR_PIL ? ", illegal instruction" : esr & ESR_PPR ? ", privileged instruction" :
               esr & ESR_PTR ? ", trap" : esr & ESR_FP ? ", FP enabled exception" : "";
        break;
    }
    snprintf(buf, len, "0x%08x (IVOR%u %s%s)", (unsigned)esr, e->vec, ivor_name(e->vec), what);
}

void arch_exc_describe(const struct exc_info *e, void (*emit)(const char *k, const char *v))
{
    char v[96];

    snprintf(v, sizeof(v), "%u (%s)", e->vec, ivor_name(e->vec));
    emit("vector", v);
    snprintf(v, sizeof(v), "0x%08llx", (unsigned long long)e->pc);
    emit("SRR0", v);
    snprintf(v, sizeof(v), "0x%08llx", (unsigned long long)e->status);
    emit("SRR1", v);
    esr_detail(e, v, sizeof(v));
    emit("ESR", v);
    snprintf(v, sizeof(v), "0x%08llx", (unsigned long long)e->addr);
    emit("DEAR", v);
    emit("saved by", save_pair(e->vec));
    if (e->gpr) {
        snprintf(v, sizeof(v), "0x%08llx", (unsigned long long)e->gpr[32]);
        emit("LR", v);
        snprintf(v, sizeof(v), "0x%08llx", (unsigned long long)e->sp);
        emit("R1", v);
    }
}

/* A load from an address no TLB entry covers: the data TLB error (IVOR13,
 * DEAR = addr) is what the self-test expects. */
void arch_fault_at(uintptr_t addr)
{
    uint32_t v;
    __asm__ __volatile__("lwz %0,0(%1)" : "=r"(v) : "b"(addr) : "memory");
    (void)v;
}

uintptr_t arch_unmapped_addr(void) { return ppc_unmapped_va(); }

/* ---- the end ---- */

static uint32_t pci_cfg_read(unsigned devfn, unsigned reg)
{
    out_be32(pcih.regs + 0, 0x80000000u | devfn << 8 | (reg & 0xfc));
    return in_le32(pcih.regs + 4);
}

static void pci_cfg_write(unsigned devfn, unsigned reg, uint32_t v)
{
    out_be32(pcih.regs + 0, 0x80000000u | devfn << 8 | (reg & 0xfc));
    out_le32(pcih.regs + 4, v);
}

/* pvpanic-pci (1b36:0011) on bus 0: give its BAR an address in the first
 * memory window if it has none, enable memory decoding and report a
 * panic. With -action panic=exit-failure QEMU exits 1 right there. */
static bool pvpanic_exit(void)
{
    if (!pcih.ok)
        return false;
    for (unsigned dev = 0; dev < 32; dev++) {
        unsigned devfn = dev << 3;
        if (pci_cfg_read(devfn, 0) != 0x00111b36u)
            continue;
        uint32_t bar = pci_cfg_read(devfn, 0x10) & ~0xfu;
        if (bar < pcih.pci || bar - pcih.pci >= pcih.size) {
            bar = (uint32_t)(pcih.pci + pcih.size - 0x1000);
            pci_cfg_write(devfn, 0x10, bar);
        }
        pci_cfg_write(devfn, 0x04, (pci_cfg_read(devfn, 0x04) & 0xffff) | 0x2);
        uint64_t pa = pcih.cpu + (bar - pcih.pci);
        if (ppc_mmu_ensure(pa, 0x1000, 1))
            return false;
        out_8((volatile uint8_t *)arch_phys_to_virt(pa), 1);     /* PVPANIC_PANICKED */
        udelay(100000);
        return false;                   /* still here: panic action is not exit */
    }
    return false;
}

static void gpio_poweroff(void)
{
    uint32_t bit = 0x80000000u >> gpio_pin;

    if (!gpio)
        return;
    out_be32(gpio + 0x0, in_be32(gpio + 0x0) | bit);        /* GPDIR: output */
    out_be32(gpio + 0x8, in_be32(gpio + 0x8) | bit);        /* GPDAT: high */
    udelay(100000);
}

__noreturn void arch_exit(int status)
{
    local_irq_disable();
    if (status != 0) {
        pvpanic_exit();
        pr_info("# exit: status %d, but no pvpanic-pci answered (QEMU: -device pvpanic-pci "
                "-action panic=exit-failure); powering off, QEMU will exit 0\n", status);
    }
    gpio_poweroff();
    pr_info("# exit: no way to power off; halting\n");
    ppc_halt();
}
