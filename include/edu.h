/* QEMU's educational PCI device (1234:11e8, QEMU's docs/specs/edu.rst):
 * registers in BAR0, in the CPU's byte order; a factorial unit with a busy
 * bit; a 4 KiB buffer at device offset 0x40000 that its DMA engine moves
 * to and from RAM, 100 ms (virtual time) after the command. drivers/edu.c. */
#ifndef ORDERLY_EDU_H
#define ORDERLY_EDU_H

#include "compiler.h"

#define EDU_REG_ID          0x00    /* 0xMMmm00ed */
#define EDU_REG_LIVE        0x04    /* reads back the inverse of what was written */
#define EDU_REG_FACT        0x08
#define EDU_REG_STATUS      0x20
#define EDU_REG_IRQ_STATUS  0x24
#define EDU_REG_IRQ_RAISE   0x60
#define EDU_REG_IRQ_ACK     0x64
#define EDU_REG_DMA_SRC     0x80
#define EDU_REG_DMA_DST     0x88
#define EDU_REG_DMA_CNT     0x90
#define EDU_REG_DMA_CMD     0x98
#define EDU_STATUS_COMPUTING 0x01
#define EDU_STATUS_IRQFACT  0x80    /* raise FACT_IRQ when the factorial is done */
#define EDU_IRQ_FACT        0x001   /* interrupt status bits */
#define EDU_IRQ_DMA         0x100
#define EDU_DMA_RUN         0x1
#define EDU_DMA_TO_RAM      0x2
#define EDU_DMA_IRQ         0x4
#define EDU_BUF             0x40000 /* the device's DMA buffer, in its own space */
#define EDU_BUF_SIZE        4096
/* QEMU 7.2 aborts ("hardware error: EDU: DMA range ... out of bounds") on
 * a transfer that ends at the buffer's last byte: its range check wants
 * the end strictly inside. edu_dma*() refuse such a transfer instead. */
#define EDU_BUF_USABLE      (EDU_BUF_SIZE - 1)
#define EDU_DMA_MS          100     /* QEMU starts the transfer this long after the command */

#define EDU_ERR_TIMEOUT     (-1)
#define EDU_ERR_RANGE       (-2)    /* outside the device buffer or the DMA reach */

struct edu {
    const struct pci_dev *pci;
    uint8_t *regs;
    uint32_t id;
    /* interrupts, once edu_irq_enable() succeeded: written by the handler */
    bool irq_on, msi;
    char irq_desc[96];          /* "INTA: gicv2 id 36" */
    unsigned long irqs;         /* handled */
    uint32_t irq_status;        /* the status bits the last one acknowledged */
    uint64_t irq_at;            /* arch_counter() at its handler's entry */
};

/* The edu found on a PCI bus, or NULL with *why saying what is missing:
 * no edu on any bus (*present false), or one that cannot be used (*present
 * true): its BAR without an address, a device that does not answer. */
struct edu *edu_get(const char **why, bool *present);

uint32_t edu_read(const struct edu *e, unsigned reg);
void edu_write(const struct edu *e, unsigned reg, uint32_t v);
/* n! computed by the device (busy bit polled, bounded). */
int edu_factorial(const struct edu *e, uint32_t n, uint32_t *out, unsigned timeout_ms);
/* Move len bytes between RAM at p and the device buffer at offset off:
 * to_ram from the device. Polled until the engine is idle (bounded). */
int edu_dma(const struct edu *e, void *p, unsigned off, unsigned len, bool to_ram,
            unsigned timeout_ms);
/* The addresses and count of such a transfer (the buffer mapped for it),
 * without the doorbell: for tests that ring it (EDU_REG_DMA_CMD) and poll
 * themselves, then call edu_dma_done() before reading what came in. */
int edu_dma_setup(const struct edu *e, void *p, unsigned off, unsigned len, bool to_ram);
void edu_dma_done(const struct edu *e, void *p, unsigned len, bool to_ram);

/* Take edu's interrupt (INTx through the host's interrupt-map) on the
 * calling CPU: the handler acknowledges every status bit and records it.
 * 0, or negative with the reason in why. edu_irq_disable() undoes it. */
int edu_irq_enable(struct edu *e, char *why, size_t len);
/* The same with MSI (through the host's msi-parent), where the platform's
 * interrupt controller supports it. */
int edu_msi_enable(struct edu *e, char *why, size_t len);
void edu_irq_disable(struct edu *e);

#endif
