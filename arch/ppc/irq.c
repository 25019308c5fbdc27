/* ppc interrupts: the per-CPU decrementer is the timer, a processor
 * doorbell (msgsnd, IVOR36) is the IPI, and the MPIC (OpenPIC) takes the
 * external interrupts. All three honour MSR[EE]. */
#include "arch.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "ppc.h"
#include "percpu.h"
#include <asm/io.h>
#include <stdio.h>

/* MPIC (FSL OpenPIC) registers, offsets from its base. The per-CPU
 * registers of the CPU doing the access are aliased at 0x40..0xB0. */
#define MPIC_CTPR       0x0080          /* current task priority (this CPU) */
#define MPIC_WHOAMI     0x0090
#define MPIC_IACK       0x00a0
#define MPIC_EOI        0x00b0
#define MPIC_FRR        0x1000          /* feature reporting */
#define MPIC_GCR        0x1020          /* global configuration */
#define MPIC_VIR        0x1080          /* vendor identification */
#define MPIC_SVR        0x10e0          /* spurious vector */
#define GCR_MODE_MIXED  0x20000000
#define MPIC_SPURIOUS   0xffff
/* Per source n (the DT's number: external 0-15, internal from 16): vector/
 * priority, then destination. */
#define MPIC_IVPR(n)    (0x10000 + 0x20 * (n))
#define MPIC_IDR(n)     (0x10010 + 0x20 * (n))
#define IVPR_MASK       0x80000000u
#define IVPR_POLARITY   0x00800000u     /* active high / rising */
#define IVPR_SENSE      0x00400000u     /* level */
#define IVPR_PRIO(p)    ((uint32_t)(p) << 16)
/* DT sense cell (Linux's mpic binding): 0 rising edge, 1 active-low level,
 * 2 active-high level, 3 falling edge. */
#define DT_SENSE_LEVEL_LOW  1
#define DT_SENSE_LEVEL_HIGH 2

/* msgsnd operand: doorbell type 0 (processor doorbell) to PIR tag. */
#define DBELL_TYPE(t)   ((uint32_t)(t) << 27)
#define DBELL_PIRTAG    0x3fff

static volatile uint8_t *mpic;
static int mpic_node;
static bool irq_ready;
static unsigned mpic_nirq, mpic_ncpu;

const char *arch_irq_controller(void)
{
    return mpic ? "mpic" : irq_ready ? "booke-core" : "none";
}

int arch_irq_init(const void *dtb, char *why, size_t len)
{
    static const char *const compat[] = { "fsl,mpic", "chrp,open-pic" };
    uint64_t pa, size;
    int node = -1;

    irq_ready = true;               /* decrementer and doorbells are in the core */
    for (unsigned i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
        node = dt_find_compatible(dtb, -1, compat[i]);
    if (node < 0) {
        snprintf(why, len, "no fsl,mpic node: decrementer and doorbells only");
        return -1;
    }
    if (dt_reg(dtb, node, 0, &pa, &size)) {
        snprintf(why, len, "mpic node %s has no usable reg", dt_name(dtb, node));
        return -1;
    }
    if (ppc_mmu_ensure(pa, size, 1)) {
        snprintf(why, len, "mpic at 0x%llx cannot be mapped", (unsigned long long)pa);
        return -1;
    }
    mpic = (volatile uint8_t *)arch_phys_to_virt(pa);
    mpic_node = node;
    uint32_t frr = in_be32(mpic + MPIC_FRR);
    mpic_nirq = ((frr >> 16) & 0x7ff) + 1;
    mpic_ncpu = ((frr >> 8) & 0x1f) + 1;
    out_be32(mpic + MPIC_GCR, (in_be32(mpic + MPIC_GCR) & ~0x60000000u) | GCR_MODE_MIXED);
    out_be32(mpic + MPIC_SVR, MPIC_SPURIOUS);
    return 0;
}

unsigned ppc_mpic_sources(void) { return mpic_nirq; }
unsigned ppc_mpic_cpus(void) { return mpic_ncpu; }

void arch_irq_init_cpu(void)
{
    mtspr(SPRN_TCR, 0);                          /* no decrementer, FIT or watchdog interrupt */
    mtspr(SPRN_TSR, 0xcc000000u);                /* clear ENW, WIS, DIS, FIS */
    if (mpic)
        out_be32(mpic + MPIC_CTPR, 0);           /* accept every priority */
}

/* Source spec[0] to the calling CPU, its sense from spec[1]; the vector
 * IACK returns is the source number. */
int arch_irq_enable_line(const void *dtb, int ctrl, const uint32_t *spec, unsigned cells,
                         char *why, size_t len)
{
    uint32_t n = cells ? spec[0] : 0, sense = cells > 1 ? spec[1] : 0, ivpr;

    (void)dtb;
    if (!mpic || ctrl != mpic_node) {
        snprintf(why, len, mpic ? "the line's controller is not the MPIC" : "no MPIC");
        return -1;
    }
    if (cells < 2 || n >= mpic_nirq || n >= MPIC_SPURIOUS) {
        snprintf(why, len, "not an MPIC source (%u cells, source %u of %u)", cells, n, mpic_nirq);
        return -1;
    }
    ivpr = IVPR_MASK | IVPR_PRIO(8) | n;
    if (sense == DT_SENSE_LEVEL_LOW || sense == DT_SENSE_LEVEL_HIGH)
        ivpr |= IVPR_SENSE;
    if (sense == 0 || sense == DT_SENSE_LEVEL_HIGH)
        ivpr |= IVPR_POLARITY;
    out_be32(mpic + MPIC_IVPR(n), ivpr);
    out_be32(mpic + MPIC_IDR(n), 1u << (in_be32(mpic + MPIC_WHOAMI) & 0x1f));
    out_be32(mpic + MPIC_IVPR(n), ivpr & ~IVPR_MASK);
    return (int)n;
}

void arch_irq_disable_line(unsigned id)
{
    if (mpic && id < mpic_nirq)
        out_be32(mpic + MPIC_IVPR(id), in_be32(mpic + MPIC_IVPR(id)) | IVPR_MASK);
}

/* One shot: DEC counts down at the timebase rate and raises TSR[DIS] on
 * reaching zero (auto-reload off); the interrupt is level, TSR[DIS] & TCR[DIE]. */
void arch_timer_arm(uint64_t ticks)
{
    if (ticks > 0x7fffffff)
        ticks = 0x7fffffff;
    if (ticks == 0)
        ticks = 1;
    /* Clear a stale DIS before loading DEC: cleared after, a deadline that
     * expires in between (ticks = 1) would be lost, not delivered. DIE is
     * set before DEC is loaded, too: QEMU 7.2 recomputes the interrupt
     * level from TSR and TCR on a TCR write without its global lock, so a
     * TCR write racing the expiry it enables could lower a level the
     * expiry just raised - a lost timer interrupt, TSR[DIS] set and
     * nothing pending (seen ~1 in 30 runs of the irq/ suite at -smp 4).
     * Set first, only a stale expiry can race it, and the new one raises
     * the level again. */
    mtspr(SPRN_TSR, TSR_DIS);
    mtspr(SPRN_TCR, (mfspr(SPRN_TCR) & ~TCR_ARE) | TCR_DIE);
    mtspr(SPRN_DEC, (uint32_t)ticks);
    __asm__ __volatile__("isync" ::: "memory");
}

void arch_timer_cancel(void)
{
    mtspr(SPRN_TCR, mfspr(SPRN_TCR) & ~TCR_DIE);
    mtspr(SPRN_TSR, TSR_DIS);
    __asm__ __volatile__("isync" ::: "memory");
}

void arch_send_ipi(int cpu)
{
    uint32_t msg = DBELL_TYPE(0) | ((uint32_t)percpu[cpu].hwid & DBELL_PIRTAG);

    /* sync: the data the IPI announces is visible before the doorbell. */
    __asm__ __volatile__("sync\n\tmsgsnd %0" :: "r"(msg) : "memory");
}

/* From ppc_exception() for IVOR4 (external), 10 (decrementer), 36
 * (doorbell). The source is quietened before the generic handler runs: it
 * may unwind (a test's watchdog) and must leave nothing pending behind. */
void ppc_irq_dispatch(struct ppc_frame *f)
{
    switch (f->vec) {
    case 10:
        mtspr(SPRN_TSR, TSR_DIS);
        irq_timer();
        break;
    case 36:
        irq_ipi();                               /* taking it cleared the doorbell */
        break;
    case 4: {
        if (!mpic) {
            irq_unexpected(0xffffffffu);
            break;
        }
        uint32_t v = in_be32(mpic + MPIC_IACK) & 0xffff;
        if (v == MPIC_SPURIOUS)
            break;
        /* a device's handler quietens its level line before the EOI */
        if (!irq_device(v))
            irq_unexpected(v);
        out_be32(mpic + MPIC_EOI, 0);
        break;
    }
    }
}

/* MSR[EE] (0x8000), independently of asm/irqflags.h. */
bool arch_irqs_masked_hw(unsigned long *raw)
{
    uint32_t msr = mfmsr();

    *raw = msr;
    return !((msr >> 15) & 1);
}

const char *arch_irq_mask_bit(void) { return "MSR[EE]"; }

/* The decrementer: TSR[DIS] with TCR[DIE]. A processor doorbell's pending
 * state is not readable. */
unsigned arch_irq_pending(unsigned *visible)
{
    *visible = IRQ_SRC_TIMER;
    return (mfspr(SPRN_TSR) & TSR_DIS) && (mfspr(SPRN_TCR) & TCR_DIE) ? IRQ_SRC_TIMER : 0;
}
