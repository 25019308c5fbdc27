/* arm64 glue: entry from head.S, identity, counter, CPU start (PSCI and
 * spin-table), exception decoding, and the end of the run. */
#include "arch.h"
#include "arm64.h"
#include "boot.h"
#include "console.h"
#include "exception.h"
#include "fdt.h"
#include "percpu.h"
#include "cache.h"
#include <asm/barrier.h>
#include <asm/processor.h>
#include <stdio.h>
#include <string.h>

#define PSCI_CPU_OFF        0x84000002UL
#define PSCI_CPU_ON_64      0xC4000003UL
#define PSCI_AFFINITY_INFO_64 0xC4000004UL
#define PSCI_SYSTEM_OFF     0x84000008UL
#define PSCI_VERSION        0x84000000UL

static unsigned entry_el;
static enum { CONDUIT_NONE, CONDUIT_HVC, CONDUIT_SMC } conduit;
static const char *start_method = "none";
/* asm/atomic.h: the LSE atomics in use (ID_AA64ISAR0_EL1.Atomic >= 2). */
bool arm64_lse_atomics;

/* {hwid, stack top, percpu} per CPU, read by secondary_entry with the MMU
 * off (so written, then cleaned to the point of coherency). head.S reads
 * the count before the table pointer: the count is published last. */
struct boot_slot { uint64_t hwid, stack, percpu; };
struct boot_slot *cpu_boot_table;
uint64_t cpu_boot_count;

const char *arch_name(void) { return "arm64"; }

uint64_t arch_counter(void)
{
    isb();
    return read_sysreg(cntvct_el0);
}

uint64_t arch_counter_freq(void) { return read_sysreg(cntfrq_el0); }

uint64_t arch_boot_hwid(void)
{
    uint64_t m = read_sysreg(mpidr_el1);
    return (m & 0xffffff) | (((m >> 32) & 0xff) << 32);
}

/* Aff3 in bits 32-39, Aff2..Aff0 below, as the DT's reg writes it. */
const char *arch_hwid_name(void) { return "mpidr"; }

void arch_describe(char *buf, size_t len)
{
    snprintf(buf, len, "el=1 entry-el=%u start=%s atomics=%s", entry_el, start_method,
             arm64_lse_atomics ? "lse" : "llsc");
}

/* Once the MMU is on (an exclusive or LSE access needs Normal memory):
 * the LSE atomics if the core has them, as Linux's alternatives choose. */
void arm64_select_atomics(void)
{
    arm64_lse_atomics = ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
}

__noreturn void arm64_boot_main(const void *dtb, uint64_t el)
{
    entry_el = (unsigned)el;
    boot_main(dtb);
}

__noreturn void arm64_secondary_main(struct percpu *pc)
{
    secondary_main(pc);
}

/* ---- PSCI ---- */

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    if (conduit == CONDUIT_HVC)
        __asm__ __volatile__("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
    else
        __asm__ __volatile__("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}

static const char *psci_error(int64_t r)
{
    switch (r) {
    case -1: return "NOT_SUPPORTED";
    case -2: return "INVALID_PARAMETERS";
    case -3: return "DENIED";
    case -4: return "ALREADY_ON";
    case -5: return "ON_PENDING";
    case -6: return "INTERNAL_FAILURE";
    case -7: return "NOT_PRESENT";
    case -8: return "DISABLED";
    case -9: return "INVALID_ADDRESS";
    default: return "unknown error";
    }
}

static int psci_to_cpu_err(int64_t r)
{
    switch (r) {
    case -1: return CPU_ERR_NOT_SUPPORTED;
    case -2: return CPU_ERR_INVALID;
    case -4: return CPU_ERR_ALREADY_ON;
    default: return CPU_ERR_FAILED;
    }
}

void arch_early_init(const void *dtb)
{
    int psci = dtb ? dt_path(dtb, "/psci") : -1;
    const char *method = psci >= 0 ? dt_prop_str(dtb, psci, "method") : NULL;

    if (method && !strcmp(method, "hvc"))
        conduit = CONDUIT_HVC;
    else if (method && !strcmp(method, "smc"))
        conduit = CONDUIT_SMC;
    else if (psci >= 0)
        pr_warn("psci: /psci has no usable method property; PSCI not used\n");
}

static void clean_word(const void *p)
{
    dcache_clean_inval_range(p, sizeof(uint64_t));
    dsb(sy);
}

static void publish_table(void)
{
    struct boot_slot *t = percpu_zalloc((size_t)nr_cpus_possible, sizeof(*t));

    dcache_clean_inval_range(t, (size_t)nr_cpus_possible * sizeof(*t));
    WRITE_ONCE(cpu_boot_table, t);
    clean_word(&cpu_boot_table);
    WRITE_ONCE(cpu_boot_count, (uint64_t)nr_cpus_possible);
    clean_word(&cpu_boot_count);
}

static void publish_slot(const struct cpu_desc *cpu, uintptr_t stack_top)
{
    struct boot_slot *s;

    if (!cpu_boot_table)
        publish_table();
    s = &cpu_boot_table[cpu->index];

    s->hwid = cpu->hwid;
    s->percpu = (uint64_t)(uintptr_t)&percpu[cpu->index];
    dsb(ish);
    s->stack = stack_top;          /* non-zero stack = slot valid */
    dcache_clean_inval_range(s, sizeof(*s));
    dcache_clean_inval_range(arm64_mmu_boot_regs, 4 * sizeof(uint64_t));
    dsb(sy);
}

static bool cpu_in_pen(void)
{
    dcache_clean_inval_range(&pen_arrivals, sizeof(pen_arrivals));
    return READ_ONCE(pen_arrivals) != 0;
}

int arch_cpu_start(const struct cpu_desc *cpu, uintptr_t stack_top, char *why, size_t len)
{
    uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
    const char *m = cpu->enable_method;

    if (cpu->index >= 0)
        publish_slot(cpu, stack_top);
    if (cpu->index >= 0 && cpu_in_pen()) {
        /* Already running (all cores started at once): the pen core finds
         * its slot now; a wake-up event gets it out of wfe. */
        start_method = "pen";
        __asm__ __volatile__("sev" ::: "memory");
        return 0;
    }
    if (m && !strcmp(m, "spin-table")) {
        if (!cpu->has_release_addr) {
            snprintf(why, len, "spin-table without cpu-release-addr");
            return CPU_ERR_FAILED;
        }
        volatile uint64_t *rel = (volatile uint64_t *)(uintptr_t)cpu->release_addr;
        *rel = entry;
        dcache_clean_inval_range((const void *)rel, 8);
        dsb(sy);
        __asm__ __volatile__("sev" ::: "memory");
        start_method = "spin-table";
        return 0;
    }
    if (m && !strcmp(m, "psci")) {
        if (conduit == CONDUIT_NONE) {
            snprintf(why, len, "enable-method psci but no /psci conduit");
            return CPU_ERR_NOT_SUPPORTED;
        }
        int64_t r = (int64_t)psci_call(PSCI_CPU_ON_64, cpu->hwid, entry, 0);
        start_method = conduit == CONDUIT_HVC ? "psci-hvc" : "psci-smc";
        if (r != 0) {
            snprintf(why, len, "PSCI CPU_ON(mpidr 0x%llx) returned %lld (%s)",
                     (unsigned long long)cpu->hwid, (long long)r, psci_error(r));
            return psci_to_cpu_err(r);
        }
        return 0;
    }
    snprintf(why, len, "unsupported enable-method '%s'", m ? m : "(none)");
    return CPU_ERR_NOT_SUPPORTED;
}

/* ---- off and on again: PSCI only (a spin table or the pen is one-way) ---- */

bool arch_cpu_power_supported(char *why, size_t len)
{
    if (conduit == CONDUIT_NONE) {
        snprintf(why, len, "no re-entry: no PSCI (no /psci conduit), and a CPU started by %s "
                 "cannot be turned off", start_method);
        return false;
    }
    if (strcmp(start_method, "psci-hvc") && strcmp(start_method, "psci-smc")) {
        snprintf(why, len, "no re-entry: the CPUs were started by %s, which has no way back in",
                 start_method);
        return false;
    }
    return true;
}

int arch_cpu_power_state(uint64_t hwid, char *why, size_t len)
{
    /* Lowest affinity level 0: this one core. The 64-bit call takes Aff3. */
    int64_t r = (int64_t)psci_call(PSCI_AFFINITY_INFO_64, hwid, 0, 0);

    if (r >= 0 && r <= 2)
        return r == 0 ? CPU_POWER_ON : r == 1 ? CPU_POWER_OFF : CPU_POWER_ON_PENDING;
    snprintf(why, len, "PSCI AFFINITY_INFO(mpidr 0x%llx) returned %lld (%s)",
             (unsigned long long)hwid, (long long)r, psci_error(r));
    return psci_to_cpu_err(r);
}

int arch_cpu_off(char *why, size_t len)
{
    /* The PSCI implementation does the cache and coherency maintenance of
     * a core it powers down, so what this core wrote is not lost. */
    int64_t r = (int64_t)psci_call(PSCI_CPU_OFF, 0, 0, 0);

    snprintf(why, len, "PSCI CPU_OFF returned %lld (%s)", (long long)r, psci_error(r));
    return psci_to_cpu_err(r);
}

/* PSCI keeps it off, a spin table or the pen in wfe: none of them spins. */
void arch_cpu_park_unused(uint64_t hwid) { (void)hwid; }

const char *arch_start_method(void) { return start_method; }

/* ---- exceptions ---- */

static const char *ec_name(unsigned ec)
{
    switch (ec) {
    case 0x00: return "unknown/undefined instruction";
    case 0x01: return "WFI/WFE trap";
    case 0x07: return "FP/SIMD access trap";
    case 0x0e: return "illegal execution state";
    case 0x15: return "SVC";
    case 0x16: return "HVC";
    case 0x17: return "SMC";
    case 0x18: return "system register trap";
    case 0x20: case 0x21: return "instruction abort";
    case 0x22: return "PC alignment fault";
    case 0x24: case 0x25: return "data abort";
    case 0x26: return "SP alignment fault";
    case 0x2f: return "SError";
    case 0x3c: return "BRK";
    default: return "synchronous exception";
    }
}

/* frame: x0..x30, sp, elr, spsr, esr, far (see vectors.S). */
void arm64_exception(uint64_t kind, uint64_t *frame)
{
    static const char *const vec_names[4] = { "sync", "irq", "fiq", "serror" };
    struct exc_info e;

    if (kind == 5 || kind == 1) {           /* IRQ at EL1 */
        irq_arm64_dispatch();
        return;
    }
    memset(&e, 0, sizeof(e));
    e.vec = (unsigned)kind;
    e.cause = frame[34];
    e.addr = frame[35];
    e.pc = frame[32];
    e.status = frame[33];
    e.sp = frame[31];
    e.gpr = frame;
    e.ngpr = 31;
    e.kind = (kind & 3) == 0 ? ec_name((unsigned)(e.cause >> 26) & 0x3f) : vec_names[kind & 3];
    exception_entry(&e);
}

void arch_exc_regs(const struct exc_info *e, struct exc_regs *out)
{
    static const char *const origin[4] = { "EL1 SP_EL0", "EL1 SP_EL1", "EL0 AArch64", "EL0 AArch32" };

    exc_reg(out, "ESR", e->cause, 16, "EC 0x%02x", (unsigned)(e->cause >> 26) & 0x3f);
    exc_reg_hex(out, "ELR", e->pc, 16);
    exc_reg_hex(out, "FAR", e->addr, 16);
    exc_reg_hex(out, "SPSR", e->status, 16);
    exc_reg(out, "vector", e->vec, 0, "%s", origin[(e->vec >> 2) & 3]);
    if (e->gpr) {
        exc_reg_hex(out, "LR", e->gpr[30], 16);
        exc_reg_hex(out, "SP", e->sp, 16);
    }
}

/* A load from an address in no mapping: the translation fault is the
 * exception the self-test expects (EC 0x25, FAR = addr). */
void arch_fault_at(uintptr_t addr)
{
    uint64_t v;
    __asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    (void)v;
}

uintptr_t arch_unmapped_addr(void) { return 0x00007ff000000000UL; }

/* ---- the end ---- */

static void semihost_exit(void *arg)
{
    uint64_t block[2] = { 0x20026 /* ADP_Stopped_ApplicationExit */, *(uint64_t *)arg };
    register uint64_t x0 __asm__("x0") = 0x20;      /* SYS_EXIT_EXTENDED */
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
    __asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

/* Without -semihosting, hlt is an undefined instruction: caught here, and
 * the generic exit goes on to PSCI SYSTEM_OFF (which can only say 0). */
void arch_exit(int status)
{
    struct exc_record rec;
    uint64_t code = (uint64_t)status;

    if (try_call(semihost_exit, &code, &rec))
        pr_info("# exit: semihosting unavailable (%s)\n", rec.kind);
}

void arch_poweroff(int status)
{
    (void)status;
    if (conduit != CONDUIT_NONE)
        psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

__noreturn void arch_halt(void)
{
    for (;;)
        __asm__ __volatile__("msr daifset, #0xf\n wfi" ::: "memory");
}
