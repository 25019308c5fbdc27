/* ppc glue: entry from head.S, identity, timebase, device-tree facts, CPU
 * start through the ePAPR spin table, exception decoding. The board's
 * devices (the PCI host, GPIO power-off, pvpanic) are drivers. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "cpu.h"
#include "exception.h"
#include "fdt.h"
#include "percpu.h"
#include "ppc.h"
#include <asm/io.h>
#include <asm/processor.h>
#include <stdio.h>
#include <string.h>

#define EPAPR_MAGIC     0x45504150
/* Why a CPU cannot be turned off and on again here. */
#define SPIN_TABLE_ONE_WAY "no re-entry: the ePAPR spin table's release is one-way, and " \
    "Book III-E has no firmware call to turn a CPU off"

static uint64_t tb_freq = PPC_TIMEBASE_HZ;
static const char *start_method = "none";
static uint32_t entry_magic, entry_map;
static int early_mmu_rc;

/* Read by ppc_secondary_entry (r3 points at one): {stack top, percpu, hwid}. */
struct ppc_boot_slot { uint32_t stack, percpu, hwid, pad; };
static struct ppc_boot_slot *ppc_boot_slot;

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
const char *arch_hwid_name(void) { return "pir"; }

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

void arch_early_init(const void *dtb)
{
    uint32_t v;

    if (entry_magic != EPAPR_MAGIC)
        pr_warn("boot: r6 = 0x%08x, not the ePAPR magic; continuing\n", (unsigned)entry_magic);
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
}

/* ---- secondary CPUs: the ePAPR spin table ---- */

int arch_cpu_start(const struct cpu_desc *cpu, uintptr_t stack_top, char *why, size_t len)
{
    const char *m = cpu->enable_method;
    struct ppc_boot_slot *slot;

    if (!m || strcmp(m, "spin-table")) {
        snprintf(why, len, "unsupported enable-method '%s'", m ? m : "(none)");
        return CPU_ERR_NOT_SUPPORTED;
    }
    if (!cpu->has_release_addr || (cpu->release_addr & 7)) {
        snprintf(why, len, "spin-table without a usable cpu-release-addr");
        return CPU_ERR_FAILED;
    }
    if (ppc_mmu_ensure(cpu->release_addr, 0x20, 1)) {
        snprintf(why, len, "cpu-release-addr 0x%llx cannot be mapped",
                 (unsigned long long)cpu->release_addr);
        return CPU_ERR_FAILED;
    }
    if (cpu->index < 0) {
        snprintf(why, len, "%s", SPIN_TABLE_ONE_WAY);
        return CPU_ERR_NOT_SUPPORTED;       /* a release is not a question */
    }
    slot = &PERCPU_TABLE(ppc_boot_slot)[cpu->index];
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

/* ---- off and on again: not with a spin table ---- */

bool arch_cpu_power_supported(char *why, size_t len)
{
    snprintf(why, len, "%s", SPIN_TABLE_ONE_WAY);
    return false;
}

int arch_cpu_power_state(uint64_t hwid, char *why, size_t len)
{
    (void)hwid;
    snprintf(why, len, "%s", SPIN_TABLE_ONE_WAY);
    return CPU_ERR_NOT_SUPPORTED;
}

int arch_cpu_off(char *why, size_t len)
{
    snprintf(why, len, "%s", SPIN_TABLE_ONE_WAY);
    return CPU_ERR_NOT_SUPPORTED;
}

/* QEMU halts a CPU in its spin table until the release; so does a board's. */
void arch_cpu_park_unused(uint64_t hwid) { (void)hwid; }

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

static const char *esr_detail(const struct exc_info *e)
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
    return what;
}

void arch_exc_regs(const struct exc_info *e, struct exc_regs *out)
{
    exc_reg(out, "vector", e->vec, 0, "%u (%s)", e->vec, ivor_name(e->vec));
    exc_reg_hex(out, "SRR0", e->pc, 8);
    exc_reg_hex(out, "SRR1", e->status, 8);
    exc_reg(out, "ESR", e->cause, 8, "IVOR%u %s%s", e->vec, ivor_name(e->vec), esr_detail(e));
    exc_reg_hex(out, "DEAR", e->addr, 8);
    exc_reg(out, "saved by", 0, 0, "%s", save_pair(e->vec));
    if (e->gpr) {
        exc_reg_hex(out, "LR", e->gpr[32], 8);
        exc_reg_hex(out, "R1", e->sp, 8);
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

/* Book III-E has no firmware call to end the run: the GPIO power-off and
 * pvpanic-pci drivers do it, or nothing does. */
void arch_exit(int status) { (void)status; }
void arch_poweroff(int status) { (void)status; }
__noreturn void arch_halt(void) { ppc_halt(); }
