/* virtio-pci, modern (virtio 1.2 section 4.1): the common, notify, ISR and
 * device configuration structures that vendor capabilities place in
 * memory BARs, every register little-endian (readl/writel byte-swap on a
 * big-endian CPU). The legacy interface lives in an I/O BAR, which the
 * image does not use: QEMU's devices need disable-legacy=on (then their
 * id is 0x1040 + type), or a transitional id whose modern capabilities are
 * used all the same. The interrupt is INTx (pci_intx), the ISR read
 * acknowledging it; MSI-X stays off. */
#include "driver.h"
#include "fdt.h"
#include "pci.h"
#include "virtio.h"
#include <io.h>
#include <stdio.h>

#define VIRTIO_PCI_VENDOR       0x1af4
#define VIRTIO_PCI_MODERN_BASE  0x1040u
#define PCI_SUBSYSTEM_ID        0x2c    /* subsystem device id << 16 | vendor */

/* Capability cfg_type */
#define CAP_COMMON      1
#define CAP_NOTIFY      2
#define CAP_ISR         3
#define CAP_DEVICE      4

/* The common configuration structure */
#define COMMON_DFSELECT     0x00
#define COMMON_DF           0x04
#define COMMON_GFSELECT     0x08
#define COMMON_GF           0x0c
#define COMMON_NUMQ         0x12
#define COMMON_STATUS       0x14
#define COMMON_Q_SELECT     0x16
#define COMMON_Q_SIZE       0x18
#define COMMON_Q_MSIX       0x1a
#define COMMON_Q_ENABLE     0x1c
#define COMMON_Q_NOFF       0x1e
#define COMMON_Q_DESCLO     0x20
#define COMMON_Q_DESCHI     0x24
#define COMMON_Q_AVAILLO    0x28
#define COMMON_Q_AVAILHI    0x2c
#define COMMON_Q_USEDLO     0x30
#define COMMON_Q_USEDHI     0x34
#define COMMON_MIN_LEN      0x38
#define VIRTIO_MSI_NO_VECTOR 0xffff

#define VPCI_MAX_DEVS   4

struct vpci {
    const struct pci_dev *pci;
    uint8_t *common, *isr, *device, *notify;
    uint32_t notify_mult, device_len;
    uint8_t *q_notify;              /* queue 0's doorbell */
};

static struct vpci vpcis[VPCI_MAX_DEVS];
static int nr_vpcis;

static struct vpci *vp(struct virtio_dev *d) { return d->priv; }

static uint8_t vpci_get_status(struct virtio_dev *d)
{
    return readb(vp(d)->common + COMMON_STATUS);
}

static void vpci_set_status(struct virtio_dev *d, uint8_t s)
{
    writeb(s, vp(d)->common + COMMON_STATUS);
}

static uint64_t vpci_get_features(struct virtio_dev *d)
{
    uint8_t *c = vp(d)->common;
    uint64_t hi;

    writel(1, c + COMMON_DFSELECT);
    hi = readl(c + COMMON_DF);
    writel(0, c + COMMON_DFSELECT);
    return hi << 32 | readl(c + COMMON_DF);
}

static void vpci_set_features(struct virtio_dev *d, uint64_t f)
{
    uint8_t *c = vp(d)->common;

    writel(1, c + COMMON_GFSELECT);
    writel((uint32_t)(f >> 32), c + COMMON_GF);
    writel(0, c + COMMON_GFSELECT);
    writel((uint32_t)f, c + COMMON_GF);
}

static uint8_t vpci_config_byte(struct virtio_dev *d, unsigned off)
{
    return vp(d)->device && off < vp(d)->device_len ? readb(vp(d)->device + off) : 0;
}

static unsigned vpci_queue_max(struct virtio_dev *d, unsigned q)
{
    uint8_t *c = vp(d)->common;

    if (q >= readw(c + COMMON_NUMQ))
        return 0;
    writew((uint16_t)q, c + COMMON_Q_SELECT);
    return readw(c + COMMON_Q_SIZE);
}

static int vpci_queue_enable(struct virtio_dev *d, unsigned q, unsigned size, uint64_t desc,
                             uint64_t avail, uint64_t used, char *why, size_t len)
{
    struct vpci *v = vp(d);
    uint8_t *c = v->common;

    writew((uint16_t)q, c + COMMON_Q_SELECT);
    if (readw(c + COMMON_Q_ENABLE)) {
        snprintf(why, len, "%s: queue %u is enabled after a reset", d->name, q);
        return -1;
    }
    writew((uint16_t)size, c + COMMON_Q_SIZE);
    writew(VIRTIO_MSI_NO_VECTOR, c + COMMON_Q_MSIX);
    writel((uint32_t)desc, c + COMMON_Q_DESCLO);
    writel((uint32_t)(desc >> 32), c + COMMON_Q_DESCHI);
    writel((uint32_t)avail, c + COMMON_Q_AVAILLO);
    writel((uint32_t)(avail >> 32), c + COMMON_Q_AVAILHI);
    writel((uint32_t)used, c + COMMON_Q_USEDLO);
    writel((uint32_t)(used >> 32), c + COMMON_Q_USEDHI);
    v->q_notify = v->notify + (uint32_t)readw(c + COMMON_Q_NOFF) * v->notify_mult;
    writew(1, c + COMMON_Q_ENABLE);
    if (readw(c + COMMON_Q_ENABLE) != 1 || readw(c + COMMON_Q_SIZE) != size) {
        snprintf(why, len, "%s did not take the ring: queue_enable %u, queue_size %u (wrote %u)",
                 d->name, readw(c + COMMON_Q_ENABLE), readw(c + COMMON_Q_SIZE), size);
        return -1;
    }
    return 0;
}

static void vpci_notify(struct virtio_dev *d, unsigned q) { writew((uint16_t)q, vp(d)->q_notify); }

/* Reading the ISR status acknowledges it and lowers INTx. */
static uint32_t vpci_isr_ack(struct virtio_dev *d) { return readb(vp(d)->isr); }

static int vpci_irq_line(struct virtio_dev *d, const void **dtb, struct dt_irq *out, char *why,
                         size_t len)
{
    *dtb = vp(d)->pci->host->dtb;
    return pci_intx(vp(d)->pci, out, why, len);
}

static uint64_t vpci_dma_addr(struct virtio_dev *d, const void *p)
{
    return pci_dma_addr(vp(d)->pci, p);
}

static const struct virtio_transport vpci_transport = {
    .name = "virtio-pci", .get_status = vpci_get_status, .set_status = vpci_set_status,
    .get_features = vpci_get_features, .set_features = vpci_set_features,
    .config_byte = vpci_config_byte, .queue_max = vpci_queue_max,
    .queue_enable = vpci_queue_enable, .notify = vpci_notify, .isr_ack = vpci_isr_ack,
    .irq_line = vpci_irq_line, .dma_addr = vpci_dma_addr,
};

/* A capability's structure, mapped: NULL when its BAR has no address or
 * the structure does not fit in it. */
static uint8_t *cap_region(const struct pci_dev *pd, unsigned at, uint32_t *len)
{
    uint32_t w1 = pci_read(pd, at + 4), off = pci_read(pd, at + 8);
    unsigned bar = w1 & 0xff;

    *len = pci_read(pd, at + 12);
    if (bar >= PCI_NR_BARS || !pd->bar[bar].virt || off > pd->bar[bar].size ||
        *len > pd->bar[bar].size - off)
        return NULL;
    return (uint8_t *)pd->bar[bar].virt + off;
}

static int vpci_probe(struct pci_dev *pd)
{
    struct virtio_dev d = { .t = &vpci_transport };
    struct vpci v = { .pci = pd };
    uint32_t id = pd->device >= VIRTIO_PCI_MODERN_BASE ? pd->device - VIRTIO_PCI_MODERN_BASE
                                                        : pci_read(pd, PCI_SUBSYSTEM_ID) >> 16u;
    char at[16];

    snprintf(at, sizeof(at), "%02x.%u", PCI_SLOT(pd->devfn), PCI_FUNC(pd->devfn));
    for (unsigned cap = 0; (cap = pci_find_cap(pd, PCI_CAP_ID_VNDR, cap));) {
        unsigned type = pci_read(pd, cap) >> 24;
        uint32_t len;
        uint8_t *p = cap_region(pd, cap, &len);
        if (type == CAP_COMMON && !v.common && p && len >= COMMON_MIN_LEN) {
            v.common = p;
        } else if (type == CAP_NOTIFY && !v.notify && p) {
            v.notify = p;
            v.notify_mult = pci_read(pd, cap + 16);
        } else if (type == CAP_ISR && !v.isr && p) {
            v.isr = p;
        } else if (type == CAP_DEVICE && !v.device && p) {
            v.device = p;
            v.device_len = len;
        }
    }
    if (!v.common || !v.notify || !v.isr) {
        virtio_problem(id, "virtio-pci %s (%04x:%04x): no usable %s capability (BARs without "
                       "an address, or legacy only)", at, pd->vendor, pd->device,
                       !v.common ? "common" : !v.notify ? "notify" : "ISR");
        return -1;
    }
    if (nr_vpcis == VPCI_MAX_DEVS) {
        virtio_problem(id, "virtio-pci %s: more than %d devices", at, VPCI_MAX_DEVS);
        return -1;
    }
    pci_enable(pd);
    vpcis[nr_vpcis] = v;
    d.priv = &vpcis[nr_vpcis];
    d.device_id = id;
    d.vendor_id = pci_read(pd, PCI_SUBSYSTEM_ID) & 0xffff;
    d.modern = true;
    snprintf(d.name, sizeof(d.name), "virtio-pci %s", at);
    if (!virtio_register(&d))
        return -1;
    nr_vpcis++;
    return 0;
}

/* virtio-blk and virtio-rng: modern and transitional ids. */
static const struct pci_driver vpci_blk = {
    .name = "virtio-blk-pci", .vendor = VIRTIO_PCI_VENDOR, .device = 0x1042, .probe = vpci_probe,
};
static const struct pci_driver vpci_rng = {
    .name = "virtio-rng-pci", .vendor = VIRTIO_PCI_VENDOR, .device = 0x1044, .probe = vpci_probe,
};
static const struct pci_driver vpci_blk_t = {
    .name = "virtio-blk-pci", .vendor = VIRTIO_PCI_VENDOR, .device = 0x1001, .probe = vpci_probe,
};
static const struct pci_driver vpci_rng_t = {
    .name = "virtio-rng-pci", .vendor = VIRTIO_PCI_VENDOR, .device = 0x1005, .probe = vpci_probe,
};
PCI_DRIVER(vpci_blk);
PCI_DRIVER(vpci_rng);
PCI_DRIVER(vpci_blk_t);
PCI_DRIVER(vpci_rng_t);
