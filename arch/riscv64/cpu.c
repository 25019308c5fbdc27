/* riscv64 glue: entry from head.S, identity and time, what the device tree
 * says about the harts, CPU start through SBI HSM, trap decoding, and the
 * arch's own end of the run (SBI SRST; sifive_test is a driver). */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "exception.h"
#include "fdt.h"
#include "options.h"
#include "percpu.h"
#include "riscv.h"
#include <barrier.h>
#include <asm/processor.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct riscv_facts riscv_facts = { .timebase = 10000000 };   /* QEMU virt until the DT says */

static uint64_t boot_hartid;
static const char *start_method = "none";

/* Read by secondary_entry and late_entry in head.S with satp = 0 (so by
 * physical address = identity); the layout is fixed there: 32 bytes,
 * stack top (non-zero = published), &percpu[n], hart id, flags (1: the
 * hart came in through the image entry point, see head.S). */
struct boot_slot { uint64_t stack, percpu, hwid, flags; };
/* boot_slots[boot_slot_count], allocated at the first start; head.S reads
 * the count before the pointer, so the count is published last. */
struct boot_slot *boot_slots;
uint64_t boot_slot_count;
_Static_assert(sizeof(struct boot_slot) == 32, "head.S walks boot_slots in 32-byte steps");
static int late_entries;
extern char _start[];

static bool opt_via_entry;
OPTION(riscv_hsm_via_entry, "riscv.hsm_via_entry", BOOTARG_FLAG, &opt_via_entry,
       "riscv64: start secondaries at the image entry point, as a stale SBI start "
       "address would (exercises their recovery)");

const char *arch_name(void) { return "riscv64"; }

uint64_t arch_counter(void)
{
    uint64_t t;
    __asm__ __volatile__("rdtime %0" : "=r"(t) :: "memory");
    return t;
}

uint64_t arch_counter_freq(void) { return riscv_facts.timebase; }

/* S-mode cannot read mhartid: the id given at entry (a0) is kept in
 * sscratch by head.S, which nothing else here uses. */
uint64_t arch_boot_hwid(void) { return csr_read(sscratch); }

const char *arch_hwid_name(void) { return "hartid"; }

void arch_describe(char *buf, size_t len)
{
    int n = snprintf(buf, len, "mode=S boot-hart=%llu start=%s mmu=%s timer=%s dma=%s fw=%s",
                     (unsigned long long)boot_hartid, start_method, riscv_mmu_mode_name(),
                     riscv_timer_desc(), riscv_cache_desc(), sbi_desc);
    if (late_entries && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " late-entries=%d", late_entries);
}

__noreturn void riscv_boot_main(uint64_t hartid, const void *dtb)
{
    boot_hartid = hartid;
    boot_main(dtb);
}

__noreturn void riscv_secondary_main(uint64_t hartid, struct boot_slot *slot)
{
    riscv_mmu_enable_secondary();
    if (slot->flags) {
        __atomic_fetch_add(&late_entries, 1, __ATOMIC_RELAXED);
        pr_warn("smp: hart %llu did not arrive at secondary_entry with its slot (stale SBI "
                "start address or argument: the OpenSBI < 1.3 hart_start race, or "
                "riscv.hsm_via_entry); found it by hart id, continuing as cpu %d\n",
                (unsigned long long)hartid, ((struct percpu *)(uintptr_t)slot->percpu)->cpu);
    }
    secondary_main((struct percpu *)(uintptr_t)slot->percpu);
}

/* ---- what the device tree says ---- */

/* The /cpus node of the calling (boot) hart. */
static int boot_cpu_node(const void *dtb)
{
    int cpus = dt_path(dtb, "/cpus");
    uint32_t ac = cpus >= 0 ? dt_addr_cells(dtb, cpus) : 1;

    for (int n = cpus >= 0 ? dt_first_child(dtb, cpus) : -1; n >= 0; n = dt_next_sibling(dtb, n)) {
        int len;
        const void *reg = dt_prop(dtb, n, "reg", &len);
        const char *type = dt_prop_str(dtb, n, "device_type");
        if (type && !strcmp(type, "cpu") && reg && len >= (int)(4 * ac) &&
            dt_read_cells(reg, ac) == boot_hartid)
            return n;
    }
    return -1;
}

/* Is ext a multi-letter extension in the riscv,isa string ("rv64imafdc_
 * zicsr_..._sstc_svpbmt")? Compared whole, case-insensitively. */
static bool isa_has(const char *isa, const char *ext)
{
    size_t n = strlen(ext);
    const char *p = isa ? strchr(isa, '_') : NULL;

    while (p) {
        p++;
        size_t len = strcspn(p, "_");
        if (len == n && !strncasecmp(p, ext, n))
            return true;
        p = p[len] ? p + len : NULL;
    }
    return false;
}

static bool pen_used;

/* Every other hart the DT lists, started now into riscv_pen_entry: the
 * rest of the boot (memory map, drivers) then runs while they sleep, not
 * while up to hundreds of them spin in OpenSBI (DESIGN.md section 6).
 * arch_cpu_start() later publishes a hart's slot and wakes it; a hart
 * beyond the image's limit just stays there. */
static void pen_start(const void *dtb)
{
    int cpus = dtb ? dt_path(dtb, "/cpus") : -1;
    uint32_t ac = cpus >= 0 ? dt_addr_cells(dtb, cpus) : 1;

    if (!riscv_facts.has_hsm || opt_via_entry)
        return;
    for (int n = cpus >= 0 ? dt_first_child(dtb, cpus) : -1; n >= 0; n = dt_next_sibling(dtb, n)) {
        const char *type = dt_prop_str(dtb, n, "device_type");
        int len;
        const void *reg = dt_prop(dtb, n, "reg", &len);
        if (!type || strcmp(type, "cpu") || !dt_is_available(dtb, n) || !reg || len < (int)(4 * ac))
            continue;
        uint64_t hart = dt_read_cells(reg, ac);
        struct sbiret r = sbi_ecall(SBI_EXT_HSM, 2, hart, 0, 0);
        if (hart != boot_hartid && !r.error && r.value == SBI_HSM_STOPPED &&
            !sbi_ecall(SBI_EXT_HSM, 0, hart, (uintptr_t)riscv_pen_entry, 0).error)
            pen_used = true;
    }
}

void arch_early_init(const void *dtb)
{
    riscv_sbi_init();
    if (dtb) {
        int cpus = dt_path(dtb, "/cpus"), cpu = boot_cpu_node(dtb);
        uint32_t tb;

        if ((cpu >= 0 && dt_prop_u32(dtb, cpu, "timebase-frequency", &tb) == 0) ||
            (cpus >= 0 && dt_prop_u32(dtb, cpus, "timebase-frequency", &tb) == 0))
            riscv_facts.timebase = tb;
        else
            pr_warn("riscv: no timebase-frequency in /cpus; assuming %llu Hz\n",
                    (unsigned long long)riscv_facts.timebase);
        if (cpu >= 0) {
            const char *isa = dt_prop_str(dtb, cpu, "riscv,isa");
            const char *mmu = dt_prop_str(dtb, cpu, "mmu-type");
            riscv_facts.dt_sv48 = mmu && !strcmp(mmu, "riscv,sv48");
            riscv_facts.dt_svpbmt = isa_has(isa, "svpbmt");
            riscv_facts.dt_sstc = isa_has(isa, "sstc");
            riscv_facts.dt_zicbom = isa_has(isa, "zicbom");
            dt_prop_u32(dtb, cpu, "riscv,cbom-block-size", &riscv_facts.cbom_block);
        } else {
            pr_warn("riscv: boot hart %llu is not in /cpus; assuming Sv39, no extensions\n",
                    (unsigned long long)boot_hartid);
        }
    }
    riscv_mmu_choose_mode();
    riscv_cache_init();
    pen_start(dtb);
}

/* ---- secondary harts: SBI HSM ---- */

static int sbi_to_cpu_err(long e)
{
    switch (e) {
    case -2: return CPU_ERR_NOT_SUPPORTED;
    case -3: return CPU_ERR_INVALID;
    case -6: case -7: return CPU_ERR_ALREADY_ON;
    default: return CPU_ERR_FAILED;
    }
}

int arch_cpu_start(const struct cpu_desc *cpu, uintptr_t stack_top, char *why, size_t len)
{
    struct boot_slot *slot = NULL;
    struct sbiret r;

    start_method = "sbi-hsm";
    if (!riscv_facts.has_hsm) {
        snprintf(why, len, "the SBI firmware has no HSM extension: hart %llu cannot be started",
                 (unsigned long long)cpu->hwid);
        return CPU_ERR_NOT_SUPPORTED;
    }
    r = sbi_ecall(SBI_EXT_HSM, 2, cpu->hwid, 0, 0);             /* hart_get_status */
    if (r.error) {
        snprintf(why, len, "hart %llu is not managed by SBI (hart_get_status: %s)",
                 (unsigned long long)cpu->hwid, sbi_error_name(r.error));
        return sbi_to_cpu_err(r.error);
    }
    /* A hart pen_start() started may still be on its way there: its slot
     * is what it looks for first. */
    bool in_pen = pen_used && cpu->index >= 0 &&
                  (r.value == SBI_HSM_STARTED || r.value == SBI_HSM_START_PENDING);
    /* STARTED goes on to hart_start, whose answer (ALREADY_AVAILABLE) is
     * the one to report; a transition under way is not ours to race. */
    if (!in_pen && r.value != SBI_HSM_STOPPED && r.value != SBI_HSM_STARTED) {
        snprintf(why, len, "hart %llu is %s in SBI, not STOPPED; not started",
                 (unsigned long long)cpu->hwid, sbi_hsm_state_name(r.value));
        return CPU_ERR_FAILED;
    }
    if (cpu->index >= 0) {
        if (!boot_slots) {
            WRITE_ONCE(boot_slots, percpu_zalloc((size_t)nr_cpus_possible, sizeof(*boot_slots)));
            virt_wmb();
            WRITE_ONCE(boot_slot_count, (uint64_t)nr_cpus_possible);
        }
        slot = &boot_slots[cpu->index];
        slot->percpu = (uint64_t)(uintptr_t)&percpu[cpu->index];
        slot->hwid = cpu->hwid;
        slot->flags = 0;
        virt_wmb();        /* a non-zero stack publishes the rest (late_entry) */
        slot->stack = stack_top;
        virt_mb();         /* the slot is in memory before the hart can run */
    }
    if (in_pen) {
        arch_send_ipi(cpu->index);      /* out of the pen's wfi, to its slot */
        return 0;
    }
    r = sbi_ecall(SBI_EXT_HSM, 0, cpu->hwid,
                  (uintptr_t)(opt_via_entry ? _start : secondary_entry), (uintptr_t)slot);
    if (r.error) {
        snprintf(why, len, "SBI HSM hart_start(hart %llu) returned %ld (%s)",
                 (unsigned long long)cpu->hwid, r.error, sbi_error_name(r.error));
        return sbi_to_cpu_err(r.error);
    }
    return 0;
}

/* ---- off and on again: SBI HSM ---- */

bool arch_cpu_power_supported(char *why, size_t len)
{
    if (!riscv_facts.has_hsm) {
        snprintf(why, len, "no re-entry: the SBI firmware has no HSM extension (no hart_stop)");
        return false;
    }
    return true;
}

int arch_cpu_power_state(uint64_t hwid, char *why, size_t len)
{
    struct sbiret r = sbi_ecall(SBI_EXT_HSM, 2, hwid, 0, 0);

    if (r.error) {
        snprintf(why, len, "SBI HSM hart_get_status(hart %llu) returned %ld (%s)",
                 (unsigned long long)hwid, r.error, sbi_error_name(r.error));
        return sbi_to_cpu_err(r.error);
    }
    switch (r.value) {
    case SBI_HSM_STARTED: return CPU_POWER_ON;
    case SBI_HSM_STOPPED: return CPU_POWER_OFF;
    case SBI_HSM_START_PENDING: return CPU_POWER_ON_PENDING;
    case SBI_HSM_STOP_PENDING: return CPU_POWER_OFF_PENDING;
    default:
        snprintf(why, len, "hart %llu is %s", (unsigned long long)hwid, sbi_hsm_state_name(r.value));
        return CPU_ERR_FAILED;
    }
}

int arch_cpu_off(char *why, size_t len)
{
    /* Only hart_start is to bring it back: no S-mode interrupt stays
     * enabled while it is off (arch_irq_init_cpu enables them again). */
    csr_write(sie, 0);
    struct sbiret r = sbi_ecall(SBI_EXT_HSM, 1, 0, 0, 0);       /* hart_stop */

    snprintf(why, len, "SBI HSM hart_stop returned %ld (%s)", r.error, sbi_error_name(r.error));
    return sbi_to_cpu_err(r.error);
}

/* Into riscv_park_entry (head.S): wfi with interrupts off, no stack. */
void arch_cpu_park_unused(uint64_t hwid)
{
    struct sbiret r;

    if (!riscv_facts.has_hsm)
        return;
    r = sbi_ecall(SBI_EXT_HSM, 2, hwid, 0, 0);
    if (!r.error && r.value == SBI_HSM_STOPPED)
        sbi_ecall(SBI_EXT_HSM, 0, hwid, (uintptr_t)riscv_park_entry, 0);
}

const char *arch_start_method(void) { return start_method; }

/* ---- traps ---- */

static const char *cause_name(unsigned long code)
{
    switch (code) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store address misaligned";
    case 7: return "store access fault";
    case 8: return "ecall from U-mode";
    case 9: return "ecall from S-mode";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store page fault";
    case 18: return "software check";
    case 19: return "hardware error";
    default: return "exception";
    }
}

/* frame: x0..x31, sepc, sstatus, scause, stval (see trap.S). */
void riscv_trap(uint64_t *frame)
{
    uint64_t cause = frame[34];
    struct exc_info e;

    if (cause & SCAUSE_IRQ) {
        riscv_irq_dispatch(cause & ~SCAUSE_IRQ);
        return;
    }
    memset(&e, 0, sizeof(e));
    e.kind = cause_name(cause);
    e.vec = (unsigned)cause;
    e.cause = cause;
    e.pc = frame[32];
    e.status = frame[33];
    e.addr = frame[35];
    e.sp = frame[2];
    e.gpr = frame;
    e.ngpr = 32;
    exception_entry(&e);
}

void arch_exc_regs(const struct exc_info *e, struct exc_regs *out)
{
    uint64_t hart = csr_read(sscratch);

    exc_reg(out, "scause", e->cause, 16, "%s%s", e->cause & SCAUSE_IRQ ? "interrupt " : "",
            cause_name(e->cause & ~SCAUSE_IRQ));
    exc_reg_hex(out, "sepc", e->pc, 16);
    exc_reg_hex(out, "stval", e->addr, 16);
    exc_reg(out, "sstatus", e->status, 16, "from %s-mode", e->status & SR_SPP ? "S" : "U");
    exc_reg(out, "hart", hart, 0, "%llu", (unsigned long long)hart);
    if (e->gpr) {
        exc_reg_hex(out, "ra", e->gpr[1], 16);
        exc_reg_hex(out, "sp", e->sp, 16);
    }
}

/* A load from an address no mapping covers: a load page fault (scause 13)
 * with stval = addr. */
void arch_fault_at(uintptr_t addr)
{
    uint64_t v;
    __asm__ __volatile__("ld %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
    (void)v;
}

/* ---- the end ---- */

/* SBI has no way to carry an exit status (SRST's reason is not QEMU's
 * exit code): a failing run needs the sifive_test driver. */
void arch_exit(int status) { (void)status; }

void arch_poweroff(int status)
{
    if (riscv_facts.has_srst)
        sbi_ecall(SBI_EXT_SRST, 0, 0 /* shutdown */, status ? 1 /* system failure */ : 0, 0);
    sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
}

__noreturn void arch_halt(void)
{
    for (;;)
        __asm__ __volatile__("csrci sstatus, 2\n wfi" ::: "memory");
}
