/* QEMU's pvpanic-pci (1b36:0011): writing "panicked" to its BAR makes
 * QEMU exit 1 with -action panic=exit-failure, the one way a ppce500 run
 * reports a failure. The BAR is given an address in the host's memory
 * window when the run ends, if the firmware gave it none. */
#include "clock.h"
#include "driver.h"
#include "exit.h"
#include "pci.h"
#include <io.h>

#define PVPANIC_PANICKED    1

static struct pci_host *host;
static unsigned devfn;

static void pvpanic_exit(const struct exit_device *dev, int status)
{
    uint32_t bar = host->cfg_read(host, devfn, PCI_BAR0) & ~0xfu;
    uint8_t *regs;

    (void)dev;
    (void)status;
    if (!host->mem_size)
        return;
    if (bar < host->mem_pci || bar - host->mem_pci >= host->mem_size) {
        bar = (uint32_t)(host->mem_pci + host->mem_size - 0x1000);
        host->cfg_write(host, devfn, PCI_BAR0, bar);
    }
    host->cfg_write(host, devfn, PCI_COMMAND,
                    (host->cfg_read(host, devfn, PCI_COMMAND) & 0xffff) | PCI_COMMAND_MEMORY);
    if (!(regs = ioremap(host->mem_cpu + (bar - host->mem_pci), 0x1000, "pvpanic-pci")))
        return;
    writeb(PVPANIC_PANICKED, regs);
    udelay(100000);                 /* still here: the panic action is not exit */
}

static const struct exit_device pvpanic = {
    .name = "pvpanic-pci", .kind = EXIT_FAILURE, .exit = pvpanic_exit,
};

static int pvpanic_probe(struct pci_host *h, unsigned df)
{
    if (host)
        return -1;
    host = h;
    devfn = df;
    exit_register(&pvpanic);
    return 0;
}

static const struct pci_driver pvpanic_pci = {
    .name = "pvpanic-pci", .vendor = 0x1b36, .device = 0x0011, .probe = pvpanic_probe,
};
PCI_DRIVER(pvpanic_pci);
