/* Freescale PCI/PCIe host bridge ("fsl,mpc8540-pci", "fsl,mpc8548-pcie";
 * QEMU ppce500, DESIGN.md section 6): the config address register is
 * big-endian, the data register little-endian; the outbound windows are
 * programmed from the node's "ranges" (a direct boot leaves them closed)
 * and one inbound window over RAM lets devices DMA into it. */
#include "console.h"
#include "driver.h"
#include "fdt.h"
#include "io_pair.h"
#include "pci.h"
#include <io.h>
#include <spinlock.h>

#define CFG_ADDR        0x000
#define CFG_DATA        0x004
#define CFG_ENABLE      0x80000000u
#define PCI_OW(n)       (0xc00 + 0x20 * (n))    /* POTAR +0, POTEAR +4, POWBAR +8, POWAR +0x10 */
#define PCI_IW1         0xde0                   /* PITAR +0, PIWBAR +8, PIWBEAR +0xc, PIWAR +0x10 */
#define POWAR_EN        0x80000000u
#define POWAR_MEM_RW    0x00044000u             /* read/write transaction type: memory */
#define PIWAR_EN        0x80000000u
#define PIWAR_PF        0x20000000u
#define PIWAR_LOCAL     0x00f00000u
#define PIWAR_SNOOP     0x00055000u
#define MAX_OUTBOUND    4

struct fsl_pci {
    struct pci_host host;
    uint8_t *regs;
    spinlock_t lock;                /* the address/data pair */
    struct io_pair pair;
};

static struct fsl_pci hosts[2];
static int nr_hosts;

static unsigned ilog2_64(uint64_t v) { return 63 - (unsigned)__builtin_clzll(v); }

static uint32_t cfg_key(unsigned devfn, unsigned reg)
{
    return CFG_ENABLE | devfn << 8 | (reg & 0xfc);
}

/* The two halves of the pair, for the accessors below and the io/ tests. */
static void pair_select(const struct io_pair *pair, uint32_t key)
{
    struct fsl_pci *p = pair->priv;
    iowrite32be(key, p->regs + CFG_ADDR);
}

static uint32_t pair_read(const struct io_pair *pair)
{
    struct fsl_pci *p = pair->priv;
    return readl(p->regs + CFG_DATA);
}

static uint32_t fsl_cfg_read(struct pci_host *h, unsigned devfn, unsigned reg)
{
    struct fsl_pci *p = h->priv;
    unsigned long flags;
    uint32_t v;

    spin_lock_irqsave(&p->lock, flags);
    pair_select(&p->pair, cfg_key(devfn, reg));
    v = pair_read(&p->pair);
    spin_unlock_irqrestore(&p->lock, flags);
    return v;
}

static void fsl_cfg_write(struct pci_host *h, unsigned devfn, unsigned reg, uint32_t v)
{
    struct fsl_pci *p = h->priv;
    unsigned long flags;

    spin_lock_irqsave(&p->lock, flags);
    pair_select(&p->pair, cfg_key(devfn, reg));
    writel(v, p->regs + CFG_DATA);
    spin_unlock_irqrestore(&p->lock, flags);
}

/* The host's own function (devfn 0): its ID, class, BAR0 and interrupt
 * registers read differently. */
static void register_pair(struct fsl_pci *p)
{
    static const unsigned regs[] = { PCI_VENDOR_ID, PCI_CLASS_REVISION, PCI_BAR0, PCI_INTERRUPT_LINE,
                                     PCI_HEADER_TYPE };

    p->pair = (struct io_pair){ .name = "fsl-pci CONFIG_ADDRESS/CONFIG_DATA", .select = pair_select,
                                .read = pair_read, .lock = &p->lock, .priv = p };
    for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
        p->pair.keys[p->pair.nkeys++] = cfg_key(0, regs[i]);
    io_pair_register(&p->pair);
}

/* Outbound windows 1.. from the memory entries of "ranges". */
static void program_outbound(struct fsl_pci *p, const void *dtb, int node)
{
    struct dt_pci_range r;
    int ow = 1;

    for (int i = 0; ow <= MAX_OUTBOUND; i++) {
        int rc = dt_pci_range(dtb, node, i, &r);
        if (rc == DT_ERR_NOTFOUND)
            break;
        if (rc || (r.space != 2 && r.space != 3) || r.size < 0x1000 || (r.size & (r.size - 1)))
            continue;
        uint8_t *w = p->regs + PCI_OW(ow);
        iowrite32be(0, w + 0x10);
        iowrite32be((uint32_t)(r.pci_addr >> 12), w + 0x00);
        iowrite32be((uint32_t)(r.pci_addr >> 44), w + 0x04);
        iowrite32be((uint32_t)(r.cpu_addr >> 12), w + 0x08);
        iowrite32be(POWAR_EN | POWAR_MEM_RW | (ilog2_64(r.size) - 1), w + 0x10);
        if (ow == 1) {
            p->host.mem_cpu = r.cpu_addr;
            p->host.mem_pci = r.pci_addr;
            p->host.mem_size = r.size;
        }
        ow++;
    }
}

/* Inbound window 1 over the first RAM bank, snooped: device DMA reaches RAM. */
static void program_inbound(struct fsl_pci *p, const void *dtb)
{
    uint64_t base, size;

    if (dt_memory_bank(dtb, 0, &base, &size) || !size)
        return;
    unsigned bits = ilog2_64(size) + ((size & (size - 1)) != 0);
    uint8_t *w = p->regs + PCI_IW1;
    iowrite32be(0, w + 0x10);
    iowrite32be((uint32_t)(base >> 12), w + 0x00);
    iowrite32be((uint32_t)(base >> 12), w + 0x08);
    iowrite32be((uint32_t)(base >> 44), w + 0x0c);
    iowrite32be(PIWAR_EN | PIWAR_PF | PIWAR_LOCAL | PIWAR_SNOOP | (bits - 1), w + 0x10);
}

static int fsl_pci_probe(const void *dtb, int node)
{
    struct fsl_pci *p;
    uint64_t pa, size;

    if (nr_hosts == (int)ARRAY_SIZE(hosts) || dt_reg(dtb, node, 0, &pa, &size))
        return -1;
    p = &hosts[nr_hosts];
    if (!(p->regs = ioremap(pa, size, "pci")))
        return -1;
    nr_hosts++;
    spin_lock_init(&p->lock);
    p->host = (struct pci_host){ .name = dt_name(dtb, node), .cfg_read = fsl_cfg_read,
                                 .cfg_write = fsl_cfg_write, .priv = p,
                                 .dtb = dtb, .node = node };
    program_outbound(p, dtb, node);
    program_inbound(p, dtb);
    register_pair(p);
    pci_host_register(&p->host);
    return 0;
}

static const char *const fsl_pci_compat[] = { "fsl,mpc8540-pci", "fsl,mpc8548-pcie", NULL };
static const struct dt_driver fsl_pci = {
    .name = "fsl-pci", .compatible = fsl_pci_compat, .probe = fsl_pci_probe,
};
DT_DRIVER(fsl_pci);
