/* riscv64 interrupts: the hart-local interrupt controller (sie/sip) with
 * the supervisor timer (Sstc stimecmp when the hart has it and the
 * firmware lets S-mode write it, else SBI set_timer) and supervisor
 * software interrupts sent through SBI send_ipi as the IPI. The PLIC is
 * not used: no test needs an external interrupt. */
#include "arch.h"
#include "console.h"
#include "exception.h"
#include "irq.h"
#include "percpu.h"
#include "riscv.h"
#include <barrier.h>
#include <asm/processor.h>
#include <stdio.h>

#define CSR_STIMECMP 0x14d

static enum { TIMER_NONE, TIMER_SSTC, TIMER_SBI, TIMER_SBI_LEGACY } timer;
static enum { IPI_NONE, IPI_SBI, IPI_SBI_LEGACY } ipi;
static char controller[48] = "none";
static char timer_desc[16] = "none";

const char *arch_irq_controller(void) { return controller; }
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

    (void)dtb;
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
    snprintf(timer_desc, sizeof(timer_desc), "%s",
             timer == TIMER_SSTC ? "sstc" : timer == TIMER_SBI ? "sbi-time" : "sbi-legacy");
    snprintf(controller, sizeof(controller), "riscv-intc(timer=%s,ipi=%s)", timer_desc,
             ipi == IPI_SBI ? "sbi-ipi" : "sbi-legacy");
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
