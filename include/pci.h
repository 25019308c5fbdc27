/* PCI host bridges and the drivers of devices behind them. A host driver
 * (drivers/pci_ecam.c, drivers/fsl_pci.c) supplies configuration accesses
 * and its memory window and registers the host; pci_host_register() then
 * scans bus 0, sizes every memory BAR and gives it an address from the
 * window (the image owns the bus: what firmware assigned is replaced), and
 * probes the matching PCI_DRIVER()s. */
#ifndef ORDERLY_PCI_H
#define ORDERLY_PCI_H

#include "compiler.h"
#include "dma.h"

#define PCI_VENDOR_ID       0x00    /* device id << 16 | vendor id */
#define PCI_COMMAND         0x04
#define PCI_COMMAND_IO      0x0001
#define PCI_COMMAND_MEMORY  0x0002
#define PCI_COMMAND_MASTER  0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST 0x00100000 /* in the command/status word */
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CAP_ID_MSI      0x05
#define PCI_CAP_ID_VNDR     0x09
#define PCI_CLASS_REVISION  0x08
#define PCI_HEADER_TYPE     0x0c    /* byte 2 of the word */
#define PCI_BAR0            0x10
#define PCI_INTERRUPT_LINE  0x3c    /* line byte 0, pin byte 1 */
#define PCI_BAR_IO          0x1
#define PCI_BAR_MEM_64      0x4
#define PCI_BAR_PREFETCH    0x8
#define PCI_NR_BARS         6
#define PCI_DEVFN(dev, fn)  ((dev) << 3 | (fn))
#define PCI_SLOT(devfn)     ((devfn) >> 3)
#define PCI_FUNC(devfn)     ((devfn) & 7)

struct pci_host {
    const char *name;
    /* Configuration space, one aligned 32-bit word, bus 0. An index/data
     * host serialises the pair itself (spin_lock_irqsave). */
    uint32_t (*cfg_read)(struct pci_host *h, unsigned devfn, unsigned reg);
    void (*cfg_write)(struct pci_host *h, unsigned devfn, unsigned reg, uint32_t v);
    /* The first 32-bit memory window: CPU and PCI address, size (0: none). */
    uint64_t mem_cpu, mem_pci, mem_size;
    uint64_t mem_next;          /* first PCI address not given out yet */
    /* What a device's DMA address for RAM is: CPU physical + dma_offset. */
    uint64_t dma_offset;
    const void *dtb;            /* the host bridge's node: its interrupt-map */
    int node;
    void *priv;
};

struct pci_bar {
    uint64_t size;              /* 0: not implemented */
    uint64_t pci;               /* bus address given out (0: none) */
    void *virt;                 /* mapped, NULL when not (see why) */
    bool io, is64, prefetch;
    const char *why;            /* why it has no address: "does not fit the window" */
};

struct pci_dev {
    struct pci_host *host;
    unsigned devfn;
    uint16_t vendor, device;
    uint32_t class_rev;
    uint8_t irq_pin;            /* 1 = INTA .. 4, 0 none */
    struct dma_dev dma;         /* as the host bridge's node says */
    struct pci_bar bar[PCI_NR_BARS];
};

struct pci_driver {
    const char *name;
    uint16_t vendor, device;
    int (*probe)(struct pci_dev *dev);
};

#define PCI_DRIVER(var) \
    static const struct pci_driver *const __pci_driver_##var __used \
        __section("orderly_pci_drivers") = &var

/* Scan bus 0 of h (h stays valid for good), assign the BARs and probe the
 * matching drivers. */
void pci_host_register(struct pci_host *h);

uint32_t pci_read(const struct pci_dev *d, unsigned reg);
void pci_write(const struct pci_dev *d, unsigned reg, uint32_t v);
/* The config offset of the first capability `id` after the one at
 * `after` (0: the first of all), 0 when there is none. */
unsigned pci_find_cap(const struct pci_dev *d, unsigned id, unsigned after);
/* Memory decoding and bus mastering on (the BARs are assigned already). */
void pci_enable(const struct pci_dev *d);
/* The bus address a device uses to reach RAM at CPU pointer p (RAM is
 * identity-mapped on every arch here). */
uint64_t pci_dma_addr(const struct pci_dev *d, const void *p);

/* The interrupt of the device's INTx pin, through the host bridge's
 * interrupt-map (a device on bus 0 needs no swizzle): 0, or negative with
 * the reason in why (no pin, no map, no entry for it). */
struct dt_irq;
int pci_intx(const struct pci_dev *d, struct dt_irq *out, char *why, size_t len);

/* Message-signalled interrupts: the host's msi-parent node (negative when
 * it has none), and MSI on with one vector writing `data` to `addr` (INTx
 * then off) or off again (INTx back). */
int pci_msi_parent(const struct pci_dev *d);
int pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint32_t data, char *why, size_t len);
void pci_msi_disable(const struct pci_dev *d);

/* The hosts and devices found, for reports: index 0.. until NULL. */
const struct pci_host *pci_host_at(int idx);
const struct pci_dev *pci_dev_at(int idx);

#endif
