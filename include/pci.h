/* PCI host bridges and the drivers of devices behind them. A host driver
 * (drivers/fsl_pci.c ...) supplies configuration accesses and its memory
 * window and registers the host; pci_host_register() then matches the
 * devices on bus 0 against every PCI_DRIVER(). */
#ifndef ORDERLY_PCI_H
#define ORDERLY_PCI_H

#include "compiler.h"

#define PCI_VENDOR_ID       0x00    /* device id << 16 | vendor id */
#define PCI_COMMAND         0x04
#define PCI_COMMAND_MEMORY  0x0002
#define PCI_BAR0            0x10
#define PCI_DEVFN(dev, fn)  ((dev) << 3 | (fn))

struct pci_host {
    const char *name;
    /* Configuration space, one aligned 32-bit word, bus 0. An index/data
     * host serialises the pair itself (spin_lock_irqsave). */
    uint32_t (*cfg_read)(struct pci_host *h, unsigned devfn, unsigned reg);
    void (*cfg_write)(struct pci_host *h, unsigned devfn, unsigned reg, uint32_t v);
    /* The first 32-bit memory window: CPU and PCI address, size (0: none). */
    uint64_t mem_cpu, mem_pci, mem_size;
    void *priv;
};

struct pci_driver {
    const char *name;
    uint16_t vendor, device;
    int (*probe)(struct pci_host *h, unsigned devfn);
};

#define PCI_DRIVER(var) \
    static const struct pci_driver *const __pci_driver_##var __used \
        __section("orderly_pci_drivers") = &var

/* Scan bus 0 of h (h stays valid for good) and probe the matching drivers. */
void pci_host_register(struct pci_host *h);

#endif
