/* PCI bus 0 of every registered host: devices found, memory BARs sized and
 * given addresses from the host's window, drivers matched (include/pci.h). */
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "pci.h"
#include <io.h>
#include <stdio.h>

#define MAX_PCI_DEVS 32
#define MAX_PCI_HOSTS 4

extern const struct pci_driver *const __start_orderly_pci_drivers[];
extern const struct pci_driver *const __stop_orderly_pci_drivers[];

static struct pci_dev devs[MAX_PCI_DEVS];
static int nr_devs;
static const struct pci_host *hosts[MAX_PCI_HOSTS];
static int nr_hosts;

uint32_t pci_read(const struct pci_dev *d, unsigned reg)
{
    return d->host->cfg_read(d->host, d->devfn, reg);
}

void pci_write(const struct pci_dev *d, unsigned reg, uint32_t v)
{
    d->host->cfg_write(d->host, d->devfn, reg, v);
}

const struct pci_host *pci_host_at(int idx)
{
    return idx >= 0 && idx < nr_hosts ? hosts[idx] : NULL;
}

const struct pci_dev *pci_dev_at(int idx)
{
    return idx >= 0 && idx < nr_devs ? &devs[idx] : NULL;
}

uint64_t pci_dma_addr(const struct pci_dev *d, const void *p)
{
    return (uint64_t)(uintptr_t)p + d->dma.offset;
}

int pci_intx(const struct pci_dev *d, struct dt_irq *out, char *why, size_t len)
{
    uint32_t unit[3] = { d->devfn << 8, 0, 0 }, pin = d->irq_pin;
    int rc;

    if (!pin || pin > 4) {
        snprintf(why, len, "%02x.%u has no INTx pin", PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
        return -1;
    }
    if (!d->host->dtb) {
        snprintf(why, len, "host %s has no device tree node", d->host->name);
        return -1;
    }
    rc = dt_interrupt_map(d->host->dtb, d->host->node, unit, 3, &pin, 1, out);
    if (rc)
        snprintf(why, len, "%s: %s for %02x.%u INT%c", d->host->name,
                 rc == DT_ERR_NOTFOUND ? "no interrupt-map entry" : "unreadable interrupt-map",
                 PCI_SLOT(d->devfn), PCI_FUNC(d->devfn), 'A' + pin - 1);
    return rc ? -1 : 0;
}

/* "msi-parent" (or Freescale's "fsl,msi"), or the "msi-map" entry
 * (rid-base, controller, msi-base, length) that covers the device's
 * requester id (bus 0: its devfn). */
int pci_msi_parent(const struct pci_dev *d)
{
    const void *dtb = d->host->dtb;
    const uint32_t *map;
    uint32_t ph;
    int len;

    if (!dtb)
        return -1;
    if (!dt_prop_u32(dtb, d->host->node, "msi-parent", &ph) ||
        !dt_prop_u32(dtb, d->host->node, "fsl,msi", &ph))
        return dt_find_phandle(dtb, ph);
    map = dt_prop(dtb, d->host->node, "msi-map", &len);
    for (int i = 0; map && i + 4 <= len / 4; i += 4) {
        uint32_t base = be32_to_cpu(map[i]), n = be32_to_cpu(map[i + 3]);
        if (d->devfn >= base && d->devfn - base < n)
            return dt_find_phandle(dtb, be32_to_cpu(map[i + 1]));
    }
    return -1;
}

/* The list is walked from its head each time, at most 48 hops (a loop in
 * a broken list ends), so `after` need not be a capability at all. */
unsigned pci_find_cap(const struct pci_dev *d, unsigned id, unsigned after)
{
    bool past = !after;

    if (!(pci_read(d, PCI_COMMAND) & PCI_STATUS_CAP_LIST))
        return 0;
    unsigned at = pci_read(d, PCI_CAPABILITY_LIST) & 0xfc;
    for (int hops = 0; at && hops < 48; hops++) {
        uint32_t w = pci_read(d, at);
        if (past && (w & 0xff) == id)
            return at;
        past = past || at == after;
        at = (w >> 8) & 0xfc;
    }
    return 0;
}

#define MSI_CTRL_ENABLE 0x00010000u     /* in the capability's first word */
#define MSI_CTRL_64BIT  0x00800000u
#define MSI_CTRL_QSIZE  0x00700000u     /* multiple message enable: 1 vector */

static void set_intx(const struct pci_dev *d, bool on)
{
    uint32_t cmd = pci_read(d, PCI_COMMAND) & 0xffff;
    cmd = on ? cmd & ~(uint32_t)PCI_COMMAND_INTX_DISABLE : cmd | PCI_COMMAND_INTX_DISABLE;
    pci_write(d, PCI_COMMAND, cmd);
}

int pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint32_t data, char *why, size_t len)
{
    unsigned cap = pci_find_cap(d, PCI_CAP_ID_MSI, 0);
    uint32_t ctrl;

    if (!cap) {
        snprintf(why, len, "%02x.%u has no MSI capability", PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
        return -1;
    }
    ctrl = pci_read(d, cap);
    if (!(ctrl & MSI_CTRL_64BIT) && addr >> 32) {
        snprintf(why, len, "MSI address 0x%llx beyond a 32-bit MSI capability",
                 (unsigned long long)addr);
        return -1;
    }
    pci_write(d, cap + 4, (uint32_t)addr);
    if (ctrl & MSI_CTRL_64BIT)
        pci_write(d, cap + 8, (uint32_t)(addr >> 32));
    pci_write(d, cap + ((ctrl & MSI_CTRL_64BIT) ? 12 : 8), data & 0xffff);
    pci_write(d, cap, (ctrl & ~MSI_CTRL_QSIZE) | MSI_CTRL_ENABLE);
    set_intx(d, false);
    return 0;
}

void pci_msi_disable(const struct pci_dev *d)
{
    unsigned cap = pci_find_cap(d, PCI_CAP_ID_MSI, 0);

    if (cap)
        pci_write(d, cap, pci_read(d, cap) & ~MSI_CTRL_ENABLE);
    set_intx(d, true);
}

void pci_enable(const struct pci_dev *d)
{
    uint32_t cmd = pci_read(d, PCI_COMMAND) & 0xffff;
    pci_write(d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* The size a BAR decodes: write all ones, read back (PCI 3.0 6.2.5.1).
 * Decoding stays off meanwhile (the caller cleared the command bits). An
 * I/O BAR has two flag bits, and may decode only 16 address bits (its
 * upper half then reads as zeros). */
static uint64_t bar_size(const struct pci_dev *d, int i, const struct pci_bar *b, uint32_t lo)
{
    unsigned reg = PCI_BAR0 + 4 * i;
    bool is64 = b->is64;
    uint64_t mask;

    pci_write(d, reg, 0xffffffffu);
    mask = pci_read(d, reg) & ~(uint64_t)(b->io ? 0x3 : 0xf);
    pci_write(d, reg, lo);
    if (b->io && mask && !(mask & 0xffff0000u))
        mask |= 0xffff0000u;
    if (is64) {
        uint32_t hi = pci_read(d, reg + 4);
        pci_write(d, reg + 4, 0xffffffffu);
        mask |= (uint64_t)pci_read(d, reg + 4) << 32;
        pci_write(d, reg + 4, hi);
    } else if (mask) {
        mask |= 0xffffffff00000000ull;
    }
    return mask ? ~mask + 1 : 0;        /* all zeros: not implemented */
}

/* An address for a memory BAR from the host's 32-bit window, naturally
 * aligned (BAR sizes are powers of two). */
static void assign_bar(struct pci_dev *d, int i)
{
    struct pci_host *h = d->host;
    struct pci_bar *b = &d->bar[i];
    uint64_t at = ALIGN_UP(h->mem_next, b->size);
    unsigned reg = PCI_BAR0 + 4 * i;

    if (!h->mem_size) {
        b->why = "the host has no memory window";
        return;
    }
    if (b->size > h->mem_size || at - h->mem_pci > h->mem_size - b->size) {
        b->why = "does not fit the host's memory window";
        return;
    }
    pci_write(d, reg, (uint32_t)at | (pci_read(d, reg) & 0xf));
    if (b->is64)
        pci_write(d, reg + 4, (uint32_t)(at >> 32));
    h->mem_next = at + b->size;
    b->pci = at;
    if (!(b->virt = ioremap(h->mem_cpu + (at - h->mem_pci), b->size, "pci-bar")))
        b->why = "cannot be mapped";
}

/* Host bridges (class 06) and the e500 host's own function (class 0b20,
 * whose BAR0 is the CCSR seen from PCI) keep their BARs: they are not
 * devices the image drives. Bridges have two BARs, devices six. */
static int nr_bars(const struct pci_dev *d)
{
    unsigned base_class = d->class_rev >> 24;
    if (base_class == 0x06 || base_class == 0x0b)
        return 0;
    return ((pci_read(d, PCI_HEADER_TYPE) >> 16) & 0x7f) == 1 ? 2 : PCI_NR_BARS;
}

static void probe_bars(struct pci_dev *d)
{
    int n = nr_bars(d);

    for (int i = 0; i < n; i++) {
        uint32_t lo = pci_read(d, PCI_BAR0 + 4 * i);
        struct pci_bar *b = &d->bar[i];

        b->io = lo & PCI_BAR_IO;
        b->is64 = !b->io && (lo & 0x6) == PCI_BAR_MEM_64 && i < n - 1;
        b->prefetch = !b->io && (lo & PCI_BAR_PREFETCH);
        b->size = bar_size(d, i, b, lo);
        if (b->io)
            b->why = "I/O space is not used";   /* sized anyway, for the report */
        else if (b->size)
            assign_bar(d, i);
        if (b->is64)
            i++;
    }
}

static void probe_drivers(struct pci_dev *d)
{
    for (const struct pci_driver *const *drv = __start_orderly_pci_drivers;
         drv < __stop_orderly_pci_drivers; drv++)
        if ((*drv)->vendor == d->vendor && (*drv)->device == d->device)
            (*drv)->probe(d);
}

static void add_device(struct pci_host *h, unsigned devfn, uint32_t id)
{
    struct pci_dev *d;

    if (nr_devs == MAX_PCI_DEVS) {
        pr_warn("pci: %s: more than %d devices, %02x.%u ignored\n", h->name, MAX_PCI_DEVS,
                PCI_SLOT(devfn), PCI_FUNC(devfn));
        return;
    }
    d = &devs[nr_devs++];
    *d = (struct pci_dev){ .host = h, .devfn = devfn, .vendor = id & 0xffff, .device = id >> 16 };
    d->class_rev = pci_read(d, PCI_CLASS_REVISION);
    d->irq_pin = (pci_read(d, PCI_INTERRUPT_LINE) >> 8) & 0xff;
    dma_dev_init(&d->dma, h->dtb, h->node, h->dma_offset);
    /* decoding off while the BARs move */
    pci_write(d, PCI_COMMAND, pci_read(d, PCI_COMMAND) & 0xffff &
                              ~(uint32_t)(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
    probe_bars(d);
    probe_drivers(d);
}

void pci_host_register(struct pci_host *h)
{
    if (nr_hosts < MAX_PCI_HOSTS)
        hosts[nr_hosts++] = h;
    h->mem_next = h->mem_pci;
    for (unsigned dev = 0; dev < 32; dev++) {
        uint32_t id = h->cfg_read(h, PCI_DEVFN(dev, 0), PCI_VENDOR_ID);
        if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
            continue;
        bool multi = (h->cfg_read(h, PCI_DEVFN(dev, 0), PCI_HEADER_TYPE) >> 23) & 1;
        add_device(h, PCI_DEVFN(dev, 0), id);
        for (unsigned fn = 1; multi && fn < 8; fn++) {
            id = h->cfg_read(h, PCI_DEVFN(dev, fn), PCI_VENDOR_ID);
            if ((id & 0xffff) != 0xffff && (id & 0xffff) != 0)
                add_device(h, PCI_DEVFN(dev, fn), id);
        }
    }
}
