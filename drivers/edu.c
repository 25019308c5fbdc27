/* QEMU edu (include/edu.h). Its liveness register is registered as an
 * index/data-shaped pair for the io/ tests: write a key, read back its
 * inverse; two users without the driver's lock see each other's keys. */
#include "clock.h"
#include "console.h"
#include "arch.h"
#include "edu.h"
#include "fdt.h"
#include "io_pair.h"
#include "irq.h"
#include "pci.h"
#include <asm/processor.h>
#include <io.h>
#include <spinlock.h>
#include <stdio.h>

#define EDU_ID_MAGIC    0xed

static struct edu edu;
static const char *missing = "no edu on any PCI bus (QEMU: -device edu)";
static DEFINE_SPINLOCK(live_lock);

struct edu *edu_get(const char **why, bool *present)
{
    if (why)
        *why = missing;
    if (present)
        *present = edu.pci != NULL;
    return edu.regs ? &edu : NULL;
}

uint32_t edu_read(const struct edu *e, unsigned reg) { return readl_native(e->regs + reg); }
void edu_write(const struct edu *e, unsigned reg, uint32_t v) { writel_native(v, e->regs + reg); }

/* The DMA address registers are 64 bits wide; a 32-bit image writes the
 * low word (which sets the whole register) and so reaches only 4 GiB. */
static void write_addr(const struct edu *e, unsigned reg, uint64_t v)
{
#ifdef ARCH_HAS_IO64
    writeq_native(v, e->regs + reg);
#else
    edu_write(e, reg, (uint32_t)v);
#endif
}

static bool wait_clear(const struct edu *e, unsigned reg, uint32_t bits, unsigned timeout_ms)
{
    uint64_t end = clock_deadline_ms(timeout_ms);

    while (edu_read(e, reg) & bits)
        if (clock_passed(end))
            return false;
        else
            cpu_relax();
    return true;
}

int edu_factorial(const struct edu *e, uint32_t n, uint32_t *out, unsigned timeout_ms)
{
    edu_write(e, EDU_REG_FACT, n);
    if (!wait_clear(e, EDU_REG_STATUS, EDU_STATUS_COMPUTING, timeout_ms))
        return EDU_ERR_TIMEOUT;
    *out = edu_read(e, EDU_REG_FACT);
    return 0;
}

static enum dma_data_direction dir_of(bool to_ram)
{
    return to_ram ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
}

int edu_dma_setup(const struct edu *e, void *p, unsigned off, unsigned len, bool to_ram)
{
    uint64_t ram;

    if (!len || off > EDU_BUF_USABLE || len > EDU_BUF_USABLE - off)
        return EDU_ERR_RANGE;
    ram = dma_map_single(&e->pci->dma, p, len, dir_of(to_ram));
    if (sizeof(uintptr_t) < 8 && ram >> 32)
        return EDU_ERR_RANGE;
    write_addr(e, to_ram ? EDU_REG_DMA_SRC : EDU_REG_DMA_DST, EDU_BUF + off);
    write_addr(e, to_ram ? EDU_REG_DMA_DST : EDU_REG_DMA_SRC, ram);
    edu_write(e, EDU_REG_DMA_CNT, len);
    return 0;
}

void edu_dma_done(const struct edu *e, void *p, unsigned len, bool to_ram)
{
    dma_unmap_single(&e->pci->dma, p, len, dir_of(to_ram));
}

int edu_dma(const struct edu *e, void *p, unsigned off, unsigned len, bool to_ram,
            unsigned timeout_ms)
{
    int rc = edu_dma_setup(e, p, off, len, to_ram);

    if (rc)
        return rc;
    /* writel orders the buffer's normal stores before this doorbell */
    edu_write(e, EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
    if (!wait_clear(e, EDU_REG_DMA_CMD, EDU_DMA_RUN, timeout_ms))
        rc = EDU_ERR_TIMEOUT;
    edu_dma_done(e, p, len, to_ram);
    return rc;
}

/* The level INTx line stays up while any status bit is set: acknowledge
 * them all before the controller's end-of-interrupt. */
static void edu_interrupt(void *arg)
{
    struct edu *e = arg;
    uint64_t now = arch_counter();
    uint32_t st = edu_read(e, EDU_REG_IRQ_STATUS);

    edu_write(e, EDU_REG_IRQ_ACK, st);
    WRITE_ONCE(e->irq_status, st);
    WRITE_ONCE(e->irq_at, now);
    WRITE_ONCE(e->irqs, e->irqs + 1);
}

int edu_irq_enable(struct edu *e, char *why, size_t len)
{
    struct dt_irq line;

    if (e->irq_on)
        return 0;
    if (pci_intx(e->pci, &line, why, len))
        return -1;
    edu_write(e, EDU_REG_IRQ_ACK, 0xffffffffu);
    int id = irq_request(e->pci->host->dtb, line.parent, line.spec, line.cells, edu_interrupt, e,
                         why, len);
    if (id < 0)
        return -1;
    snprintf(e->irq_desc, sizeof(e->irq_desc), "INT%c: %s id %d", 'A' + e->pci->irq_pin - 1,
             arch_irq_controller(), id);
    e->irq_on = true;
    return 0;
}

int edu_msi_enable(struct edu *e, char *why, size_t len)
{
    int ctrl = pci_msi_parent(e->pci), id;
    uint64_t addr;
    uint32_t data;

    if (e->irq_on)
        edu_irq_disable(e);
    if (ctrl < 0) {
        snprintf(why, len, "the PCI host %s has no msi-parent or msi-map", e->pci->host->name);
        return -1;
    }
    edu_write(e, EDU_REG_IRQ_ACK, 0xffffffffu);
    id = irq_request_msi(e->pci->host->dtb, ctrl, edu_interrupt, e, &addr, &data, why, len);
    if (id < 0)
        return -1;
    if (pci_msi_enable(e->pci, addr, data, why, len)) {
        irq_release(edu_interrupt, e);
        return -1;
    }
    snprintf(e->irq_desc, sizeof(e->irq_desc), "MSI: %s id %d", arch_irq_controller(), id);
    e->irq_on = e->msi = true;
    return 0;
}

void edu_irq_disable(struct edu *e)
{
    if (!e->irq_on)
        return;
    if (e->msi)
        pci_msi_disable(e->pci);
    irq_release(edu_interrupt, e);
    edu_write(e, EDU_REG_IRQ_ACK, 0xffffffffu);
    e->irq_on = e->msi = false;
}

static void live_select(const struct io_pair *p, uint32_t key)
{
    (void)p;
    edu_write(&edu, EDU_REG_LIVE, key);
}

static uint32_t live_read(const struct io_pair *p)
{
    (void)p;
    return edu_read(&edu, EDU_REG_LIVE);
}

static const struct io_pair live_pair = {
    .name = "edu liveness write/read", .select = live_select, .read = live_read,
    .lock = &live_lock, .keys = { 0x11111111, 0x22222222, 0x44444444, 0x88888888 }, .nkeys = 4,
};

static int edu_probe(struct pci_dev *d)
{
    static char why[96];

    if (edu.pci)
        return -1;
    edu.pci = d;
    if (!d->bar[0].virt) {
        snprintf(why, sizeof(why), "edu at %02x.%u: BAR0 (%llu KiB) %s", PCI_SLOT(d->devfn),
                 PCI_FUNC(d->devfn), (unsigned long long)(d->bar[0].size >> 10),
                 d->bar[0].why ? d->bar[0].why : "has no address");
        missing = why;
        return -1;
    }
    pci_enable(d);
    edu.id = readl_native((uint8_t *)d->bar[0].virt + EDU_REG_ID);
    if ((edu.id & 0xff) != EDU_ID_MAGIC) {
        snprintf(why, sizeof(why), "edu at %02x.%u does not answer: ID register 0x%08x",
                 PCI_SLOT(d->devfn), PCI_FUNC(d->devfn), (unsigned)edu.id);
        missing = why;
        return -1;
    }
    edu.regs = d->bar[0].virt;
    io_pair_register(&live_pair);
    return 0;
}

static const struct pci_driver edu_pci = {
    .name = "edu", .vendor = 0x1234, .device = 0x11e8, .probe = edu_probe,
};
PCI_DRIVER(edu_pci);
