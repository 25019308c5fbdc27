/* QEMU's pvpanic-pci (1b36:0011): writing "panicked" to its BAR makes
 * QEMU exit 1 with -action panic=exit-failure, the one way a ppce500 run
 * reports a failure. */
#include "clock.h"
#include "console.h"
#include "driver.h"
#include "exit.h"
#include "pci.h"
#include <io.h>

#define PVPANIC_PANICKED    1

static const struct pci_dev *pvpanic_dev;

static void pvpanic_exit(const struct exit_device *dev, int status)
{
    uint8_t *regs = pvpanic_dev->bar[0].virt;

    (void)dev;
    (void)status;
    if (!regs)
        return;
    writeb(PVPANIC_PANICKED, regs);
    udelay(100000);                 /* still here: the panic action is not exit */
}

static const struct exit_device pvpanic = {
    .name = "pvpanic-pci", .kind = EXIT_FAILURE, .exit = pvpanic_exit,
};

static int pvpanic_probe(struct pci_dev *d)
{
    if (pvpanic_dev)
        return -1;
    if (!d->bar[0].virt) {
        pr_warn("pvpanic-pci: BAR0 %s: no failure exit\n", d->bar[0].why ? d->bar[0].why : "absent");
        return -1;
    }
    /* Enabled now, not at exit: the way out must not need the config
     * space's lock, which a CPU lost holding it leaves wedged. */
    pci_enable(d);
    pvpanic_dev = d;
    exit_register(&pvpanic);
    return 0;
}

static const struct pci_driver pvpanic_pci = {
    .name = "pvpanic-pci", .vendor = 0x1b36, .device = 0x0011, .probe = pvpanic_probe,
};
PCI_DRIVER(pvpanic_pci);
