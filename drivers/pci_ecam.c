/* Generic ECAM PCIe host ("pci-host-ecam-generic": QEMU virt's GPEX on
 * arm64 and riscv64). Configuration space is memory-mapped, 4 KiB per
 * function and 1 MiB per bus, so an access is one load or store: no
 * index/data pair, no lock. Only the first bus of "bus-range" is used, and
 * only its 1 MiB is mapped. */
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "pci.h"
#include <io.h>

#define ECAM_BUS_SIZE   (1u << 20)

struct ecam {
    struct pci_host host;
    uint8_t *cfg;               /* the first bus */
};

static struct ecam hosts[2];
static int nr_hosts;

static uint32_t ecam_read(struct pci_host *h, unsigned devfn, unsigned reg)
{
    struct ecam *e = h->priv;
    return readl(e->cfg + (devfn << 12) + (reg & 0xffc));
}

static void ecam_write(struct pci_host *h, unsigned devfn, unsigned reg, uint32_t v)
{
    struct ecam *e = h->priv;
    writel(v, e->cfg + (devfn << 12) + (reg & 0xffc));
}

/* The first non-prefetchable 32-bit memory range is where BARs go. */
static void find_mem_window(struct ecam *e, const void *dtb, int node)
{
    struct dt_pci_range r;
    int rc;

    for (int i = 0; (rc = dt_pci_range(dtb, node, i, &r)) != DT_ERR_NOTFOUND; i++) {
        if (rc || r.space != 2 || !r.size)
            continue;
        e->host.mem_cpu = r.cpu_addr;
        e->host.mem_pci = r.pci_addr;
        e->host.mem_size = r.size;
        return;
    }
    pr_warn("%s: no 32-bit memory range in \"ranges\": BARs cannot be assigned\n",
            e->host.name);
}

static int ecam_probe(const void *dtb, int node)
{
    uint64_t pa, size;
    struct ecam *e;

    if (nr_hosts == (int)ARRAY_SIZE(hosts))
        return -1;
    if (dt_reg(dtb, node, 0, &pa, &size) || size < ECAM_BUS_SIZE) {
        pr_warn("%s: no usable ECAM \"reg\"\n", dt_name(dtb, node));
        return -1;
    }
    e = &hosts[nr_hosts];
    if (!(e->cfg = ioremap(pa, ECAM_BUS_SIZE, "pci-ecam")))
        return -1;
    nr_hosts++;
    e->host = (struct pci_host){ .name = dt_name(dtb, node), .cfg_read = ecam_read,
                                 .cfg_write = ecam_write, .priv = e,
                                 .dtb = dtb, .node = node };
    find_mem_window(e, dtb, node);
    pci_host_register(&e->host);
    return 0;
}

static const char *const ecam_compat[] = { "pci-host-ecam-generic", NULL };
static const struct dt_driver pci_ecam = {
    .name = "pci-ecam", .compatible = ecam_compat, .probe = ecam_probe,
};
DT_DRIVER(pci_ecam);
