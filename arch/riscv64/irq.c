/* riscv64 interrupts: the hart-local interrupt controller (sie/sip) with
 * the supervisor timer (Sstc stimecmp when the hart has it and the
 * firmware lets S-mode write it, else SBI set_timer) and supervisor
 * software interrupts sent through SBI send_ipi as the IPI; device
 * interrupts through the PLIC's supervisor-mode context of the hart that
 * requests them. */
#include "arch.h"
#include "console.h"
#include "exception.h"
#include "irq.h"
#include "fdt.h"
#include "percpu.h"
#include "riscv.h"
#include <barrier.h>
#include <asm/processor.h>
#include <io.h>
#include <stdio.h>

/* PLIC (riscv,plic0): priority per source, then per context an enable
 * bitmap and a threshold + claim/complete pair. */
#define PLIC_PRIORITY(id)       (4 * (id))
#define PLIC_ENABLE(ctx, id)    (0x2000 + 0x80 * (ctx) + 4 * ((id) / 32))
#define PLIC_THRESHOLD(ctx)     (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)         (0x200004 + 0x1000 * (ctx))
#define PLIC_MAX_CTX            64

#define CSR_STIMECMP 0x14d

static enum { TIMER_NONE, TIMER_SSTC, TIMER_SBI, TIMER_SBI_LEGACY } timer;
static enum { IPI_NONE, IPI_SBI, IPI_SBI_LEGACY } ipi;
static char controller[48] = "none";
static char timer_desc[16] = "none";

static volatile uint8_t *plic;
static const void *plic_dtb;
static int plic_node;
static uint32_t plic_ndev;
static int *plic_ctx;                   /* per CPU: its S-mode context + 1 (0: unknown) */

static int this_plic_ctx(void) { return plic_ctx ? plic_ctx[this_cpu()->cpu] - 1 : -1; }

const char *arch_irq_controller(void) { return controller; }

static void plic_init(const void *dtb)
{
    static const char *const compat[] = { "sifive,plic-1.0.0", "riscv,plic0" };
    uint64_t pa, size;
    int node = -1;

    for (unsigned i = 0; dtb && i < ARRAY_SIZE(compat) && node < 0; i++)
        node = dt_find_compatible(dtb, -1, compat[i]);
    if (node < 0 || dt_reg(dtb, node, 0, &pa, &size) || size < 0x200008)
        return;
    plic = (volatile uint8_t *)arch_phys_to_virt(pa);
    plic_dtb = dtb;
    plic_node = node;
    PERCPU_TABLE(plic_ctx);
    if (dt_prop_u32(dtb, node, "riscv,ndev", &plic_ndev))
        plic_ndev = 1023;
}

/* The context whose interrupts-extended entry is (this hart's intc, 9 =
 * supervisor external): its index in the list. */
static int plic_context(uint64_t hart)
{
    int len;
    const uint32_t *ie = dt_prop(plic_dtb, plic_node, "interrupts-extended", &len);

    for (int ctx = 0; ie && ctx < len / 8 && ctx < PLIC_MAX_CTX; ctx++) {
        int intc = dt_find_phandle(plic_dtb, be32_to_cpu(ie[2 * ctx]));
        uint32_t reg;
        if (intc < 0 || be32_to_cpu(ie[2 * ctx + 1]) != IRQ_S_EXT)
            continue;
        if (!dt_prop_u32(plic_dtb, dt_parent(plic_dtb, intc), "reg", &reg) && reg == hart)
            return ctx;
    }
    return -1;
}

int arch_irq_enable_line(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells,
                         char *why, size_t len)
{
    struct percpu *pc = this_cpu();
    int ctx;

    (void)dtb;
    if (!plic || ctrl != plic_node) {
        snprintf(why, len, plic ? "the line's controller is not the PLIC" : "no PLIC in the device tree");
        return -1;
    }
    if (cells != 1 || !spec[0] || spec[0] > plic_ndev) {
        snprintf(why, len, "not a PLIC source (%u cells, source %u)", cells, cells ? spec[0] : 0);
        return -1;
    }
    if ((ctx = plic_context(pc->hwid)) < 0) {
        snprintf(why, len, "no PLIC S-mode context for hart %llu", (unsigned long long)pc->hwid);
        return -1;
    }
    plic_ctx[pc->cpu] = ctx + 1;
    writel(1, plic + PLIC_PRIORITY(spec[0]));
    writel(readl(plic + PLIC_ENABLE(ctx, spec[0])) | 1u << (spec[0] % 32), plic + PLIC_ENABLE(ctx, spec[0]));
    writel(0, plic + PLIC_THRESHOLD(ctx));
    csr_set(sie, 1UL << IRQ_S_EXT);
    return (int)spec[0];
}

void arch_irq_disable_line(unsigned id)
{
    int ctx = this_plic_ctx();

    if (plic && ctx >= 0)
        writel(readl(plic + PLIC_ENABLE(ctx, id)) & ~(1u << (id % 32)), plic + PLIC_ENABLE(ctx, id));
}

/* Claim, handle (a level source is quietened by its handler), complete. */
static void plic_dispatch(void)
{
    int ctx = this_plic_ctx();
    uint32_t id;

    if (!plic || ctx < 0) {
        csr_clear(sie, 1UL << IRQ_S_EXT);
        irq_unexpected(IRQ_S_EXT);
        return;
    }
    while ((id = readl(plic + PLIC_CLAIM(ctx))) != 0) {
        if (!irq_device(id)) {
            arch_irq_disable_line(id);
            irq_unexpected(id);
        }
        writel(id, plic + PLIC_CLAIM(ctx));
    }
}
const char *riscv_timer_desc(void) { return timer_desc; }

static void stimecmp_write(uint64_t v)
{
    __asm__ __volatile__("csrw %0, %1" :: "i"(CSR_STIMECMP), "r"(v) : "memory");
}

static void probe_stimecmp(void *arg)
{
    (void)arg;
    stimecmp_write(~0UL);
}

int arch_irq_init(const void *dtb, char *why, size_t len)
{
    struct exc_record rec;

    timer = TIMER_NONE;
    if (riscv_facts.dt_sstc) {
        /* Sstc in riscv,isa is not enough: menvcfg.STCE (M-mode) must be set,
         * or the access is an illegal instruction. */
        if (!try_call(probe_stimecmp, NULL, &rec))
            timer = TIMER_SSTC;
        else
            pr_warn("irq: riscv,isa lists sstc but stimecmp is not writable (%s); using SBI set_timer\n",
                    rec.kind);
    }
    if (timer == TIMER_NONE)
        timer = riscv_facts.has_time ? TIMER_SBI : TIMER_SBI_LEGACY;
    ipi = riscv_facts.has_ipi ? IPI_SBI : IPI_SBI_LEGACY;
    plic_init(dtb);
    snprintf(timer_desc, sizeof(timer_desc), "%s",
             timer == TIMER_SSTC ? "sstc" : timer == TIMER_SBI ? "sbi-time" : "sbi-legacy");
    snprintf(controller, sizeof(controller), "riscv-intc(timer=%s,ipi=%s%s)", timer_desc,
             ipi == IPI_SBI ? "sbi-ipi" : "sbi-legacy", plic ? ",plic" : "");
    (void)why;
    (void)len;
    return 0;
}

static void timer_set(uint64_t deadline)
{
    switch (timer) {
    case TIMER_SSTC:
        stimecmp_write(deadline);
        break;
    case TIMER_SBI:
        sbi_ecall(SBI_EXT_TIME, 0, deadline, 0, 0);
        break;
    case TIMER_SBI_LEGACY:
        sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, deadline, 0, 0);
        break;
    case TIMER_NONE:
        break;
    }
}

void arch_irq_init_cpu(void)
{
    csr_clear(sie, (1UL << IRQ_S_SOFT) | (1UL << IRQ_S_TIMER) | (1UL << IRQ_S_EXT));
    if (timer == TIMER_NONE)
        return;
    timer_set(~0UL);                     /* no deadline: STIP clear */
    csr_clear(sip, 1UL << IRQ_S_SOFT);
    csr_set(sie, (1UL << IRQ_S_SOFT) | (1UL << IRQ_S_TIMER));
}

void arch_timer_arm(uint64_t ticks)
{
    timer_set(arch_counter() + ticks);
}

void arch_timer_cancel(void)
{
    timer_set(~0UL);
}

void arch_send_ipi(int cpu)
{
    unsigned long hart = (unsigned long)percpu[cpu].hwid;

    virt_mb();     /* what the IPI announces is visible first */
    if (ipi == IPI_SBI) {
        sbi_ecall(SBI_EXT_IPI, 0, 1UL, hart, 0);     /* hart_mask = bit 0 of base hart */
    } else if (ipi == IPI_SBI_LEGACY) {
        unsigned long mask = 1UL << hart;
        if (hart < 64)
            sbi_ecall(SBI_EXT_LEGACY_SEND_IPI, 0, (uintptr_t)&mask, 0, 0);
    }
}

/* Acknowledge first (the handler may unwind out of here: a test's
 * watchdog), then hand over to the generic code. */
void riscv_irq_dispatch(unsigned long code)
{
    if (code == IRQ_S_TIMER) {
        timer_set(~0UL);                /* clears STIP; irq_timer() re-arms */
        irq_timer();
    } else if (code == IRQ_S_SOFT) {
        csr_clear(sip, 1UL << IRQ_S_SOFT);
        irq_ipi();
    } else if (code == IRQ_S_EXT) {
        plic_dispatch();
    } else {
        csr_clear(sie, 1UL << code);    /* nobody here handles it: stop it recurring */
        irq_unexpected((unsigned)code);
    }
}

/* sstatus.SIE (bit 1), independently of asm/irqflags.h. */
bool arch_irqs_masked_hw(unsigned long *raw)
{
    unsigned long s = csr_read(sstatus);

    *raw = s;
    return !((s >> 1) & 1);
}

const char *arch_irq_mask_bit(void) { return "sstatus.SIE"; }

/* sip.STIP and sip.SSIP: set by the firmware (SBI timer, SBI IPI) or by
 * stimecmp (Sstc), and readable in S-mode. */
unsigned arch_irq_pending(unsigned *visible)
{
    unsigned long sip = csr_read(sip);

    *visible = IRQ_SRC_TIMER | IRQ_SRC_IPI;
    return ((sip >> IRQ_S_TIMER) & 1 ? IRQ_SRC_TIMER : 0) |
           ((sip >> IRQ_S_SOFT) & 1 ? IRQ_SRC_IPI : 0);
}
