/* PCI devices on the registered hosts matched against the PCI drivers
 * (include/pci.h). */
#include "pci.h"

extern const struct pci_driver *const __start_orderly_pci_drivers[];
extern const struct pci_driver *const __stop_orderly_pci_drivers[];

void pci_host_register(struct pci_host *h)
{
    for (unsigned dev = 0; dev < 32; dev++) {
        unsigned devfn = PCI_DEVFN(dev, 0);
        uint32_t id = h->cfg_read(h, devfn, PCI_VENDOR_ID);
        if ((id & 0xffff) == 0xffff)
            continue;
        for (const struct pci_driver *const *d = __start_orderly_pci_drivers;
             d < __stop_orderly_pci_drivers; d++)
            if ((*d)->vendor == (id & 0xffff) && (*d)->device == id >> 16)
                (*d)->probe(h, devfn);
    }
}
