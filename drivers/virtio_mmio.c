/* virtio-mmio (virtio 1.2 section 4.2): version 2 (modern) and the legacy
 * version 1, which QEMU 7.2 gives unless -global
 * virtio-mmio.force-legacy=false. Every slot of QEMU's virt boards is a
 * "virtio,mmio" node, filled from the top; an empty one reads DeviceID 0
 * and is left alone. Legacy registers are in the guest's byte order,
 * modern ones little-endian; the probe reads the identifying ones
 * little-endian, which is both on the (little-endian) boards that have
 * virtio-mmio here. */
#include "driver.h"
#include "fdt.h"
#include "virtio.h"
#include <io.h>
#include <stdio.h>

#define MMIO_MAGIC              0x000   /* "virt" */
#define MMIO_VERSION            0x004
#define MMIO_DEVICE_ID          0x008
#define MMIO_VENDOR_ID          0x00c
#define MMIO_DEVICE_FEATURES    0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES    0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_GUEST_PAGE_SIZE    0x028   /* legacy */
#define MMIO_QUEUE_SEL          0x030
#define MMIO_QUEUE_NUM_MAX      0x034
#define MMIO_QUEUE_NUM          0x038
#define MMIO_QUEUE_ALIGN        0x03c   /* legacy */
#define MMIO_QUEUE_PFN          0x040   /* legacy */
#define MMIO_QUEUE_READY        0x044
#define MMIO_QUEUE_NOTIFY       0x050
#define MMIO_INTERRUPT_STATUS   0x060
#define MMIO_INTERRUPT_ACK      0x064
#define MMIO_STATUS             0x070
#define MMIO_QUEUE_DESC_LOW     0x080
#define MMIO_QUEUE_DESC_HIGH    0x084
#define MMIO_QUEUE_AVAIL_LOW    0x090
#define MMIO_QUEUE_AVAIL_HIGH   0x094
#define MMIO_QUEUE_USED_LOW     0x0a0
#define MMIO_QUEUE_USED_HIGH    0x0a4
#define MMIO_CONFIG             0x100
#define MMIO_MAGIC_VALUE        0x74726976
#define MMIO_MAX_DEVS           8

struct vmmio {
    uint8_t *base;
    bool legacy;
    const void *dtb;
    int node;
};

static struct vmmio vmmios[MMIO_MAX_DEVS];
static int nr_vmmios;

static struct vmmio *mm(struct virtio_dev *d) { return d->priv; }

static uint32_t rd(struct virtio_dev *d, unsigned reg)
{
    return mm(d)->legacy ? readl_native(mm(d)->base + reg) : readl(mm(d)->base + reg);
}

static void wr(struct virtio_dev *d, unsigned reg, uint32_t v)
{
    if (mm(d)->legacy)
        writel_native(v, mm(d)->base + reg);
    else
        writel(v, mm(d)->base + reg);
}

static uint8_t vmmio_get_status(struct virtio_dev *d) { return (uint8_t)rd(d, MMIO_STATUS); }
static void vmmio_set_status(struct virtio_dev *d, uint8_t s) { wr(d, MMIO_STATUS, s); }

/* A legacy device has one word of features (selector 0). */
static uint64_t vmmio_get_features(struct virtio_dev *d)
{
    uint64_t hi = 0;

    if (!mm(d)->legacy) {
        wr(d, MMIO_DEVICE_FEATURES_SEL, 1);
        hi = rd(d, MMIO_DEVICE_FEATURES);
    }
    wr(d, MMIO_DEVICE_FEATURES_SEL, 0);
    return hi << 32 | rd(d, MMIO_DEVICE_FEATURES);
}

static void vmmio_set_features(struct virtio_dev *d, uint64_t f)
{
    if (!mm(d)->legacy) {
        wr(d, MMIO_DRIVER_FEATURES_SEL, 1);
        wr(d, MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
    }
    wr(d, MMIO_DRIVER_FEATURES_SEL, 0);
    wr(d, MMIO_DRIVER_FEATURES, (uint32_t)f);
}

static uint8_t vmmio_config_byte(struct virtio_dev *d, unsigned off)
{
    return readb(mm(d)->base + MMIO_CONFIG + off);
}

static unsigned vmmio_queue_max(struct virtio_dev *d, unsigned q)
{
    wr(d, MMIO_QUEUE_SEL, q);
    return rd(d, MMIO_QUEUE_NUM_MAX);
}

/* Legacy: one page frame number for the contiguous ring, the used ring at
 * QueueAlign; the page size said first. Modern: three addresses, then
 * QueueReady. Either must read back, or the device did not take it. */
static int vmmio_queue_enable(struct virtio_dev *d, unsigned q, unsigned size, uint64_t desc,
                              uint64_t avail, uint64_t used, char *why, size_t len)
{
    wr(d, MMIO_QUEUE_SEL, q);
    if (mm(d)->legacy ? rd(d, MMIO_QUEUE_PFN) : rd(d, MMIO_QUEUE_READY)) {
        snprintf(why, len, "%s: queue %u is in use after a reset", d->name, q);
        return -1;
    }
    wr(d, MMIO_QUEUE_NUM, size);
    if (mm(d)->legacy) {
        uint64_t pfn = desc / VIRTIO_RING_ALIGN;
        if (desc % VIRTIO_RING_ALIGN || avail != desc + 16 * size ||
            used != ALIGN_UP(avail + 6 + 2 * size, (uint64_t)VIRTIO_RING_ALIGN) || pfn >> 32) {
            snprintf(why, len, "%s: ring at 0x%llx is not in the legacy layout", d->name,
                     (unsigned long long)desc);
            return -1;
        }
        wr(d, MMIO_GUEST_PAGE_SIZE, VIRTIO_RING_ALIGN);
        wr(d, MMIO_QUEUE_ALIGN, VIRTIO_RING_ALIGN);
        wr(d, MMIO_QUEUE_PFN, (uint32_t)pfn);
        if (rd(d, MMIO_QUEUE_PFN) != pfn) {
            snprintf(why, len, "%s did not take the ring: QueuePFN reads 0x%x, not 0x%x", d->name,
                     (unsigned)rd(d, MMIO_QUEUE_PFN), (unsigned)pfn);
            return -1;
        }
        return 0;
    }
    wr(d, MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(d, MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(d, MMIO_QUEUE_AVAIL_LOW, (uint32_t)avail);
    wr(d, MMIO_QUEUE_AVAIL_HIGH, (uint32_t)(avail >> 32));
    wr(d, MMIO_QUEUE_USED_LOW, (uint32_t)used);
    wr(d, MMIO_QUEUE_USED_HIGH, (uint32_t)(used >> 32));
    wr(d, MMIO_QUEUE_READY, 1);
    if (rd(d, MMIO_QUEUE_READY) != 1) {
        snprintf(why, len, "%s did not take the ring: QueueReady reads 0", d->name);
        return -1;
    }
    return 0;
}

static void vmmio_notify(struct virtio_dev *d, unsigned q) { wr(d, MMIO_QUEUE_NOTIFY, q); }

static uint32_t vmmio_isr_ack(struct virtio_dev *d)
{
    uint32_t v = rd(d, MMIO_INTERRUPT_STATUS);

    if (v)
        wr(d, MMIO_INTERRUPT_ACK, v);
    return v;
}

static int vmmio_irq_line(struct virtio_dev *d, const void **dtb, struct dt_irq *out, char *why,
                          size_t len)
{
    int rc = dt_irq_of(mm(d)->dtb, mm(d)->node, 0, out);

    *dtb = mm(d)->dtb;
    if (rc)
        snprintf(why, len, "%s: %s", d->name, rc == DT_ERR_NOTFOUND ?
                 "no interrupt (or interrupt-parent) in its node" : "an unreadable interrupt");
    return rc ? -1 : 0;
}

/* RAM is identity-mapped: the CPU's address is the device's. */
static uint64_t vmmio_dma_addr(struct virtio_dev *d, const void *p)
{
    (void)d;
    return (uint64_t)(uintptr_t)p;
}

static const struct virtio_transport vmmio_transport = {
    .name = "virtio-mmio", .get_status = vmmio_get_status, .set_status = vmmio_set_status,
    .get_features = vmmio_get_features, .set_features = vmmio_set_features,
    .config_byte = vmmio_config_byte, .queue_max = vmmio_queue_max,
    .queue_enable = vmmio_queue_enable, .notify = vmmio_notify, .isr_ack = vmmio_isr_ack,
    .irq_line = vmmio_irq_line, .dma_addr = vmmio_dma_addr,
};

static int vmmio_probe(const void *dtb, int node)
{
    uint64_t pa, size;
    uint8_t *base;
    uint32_t magic, version, id;
    struct virtio_dev d = { .t = &vmmio_transport };

    if (dt_reg(dtb, node, 0, &pa, &size) || size < MMIO_CONFIG) {
        virtio_problem(0, "%s: no usable reg", dt_name(dtb, node));
        return -1;
    }
    if (!(base = ioremap(pa, size, "virtio-mmio"))) {
        virtio_problem(0, "%s: cannot be mapped", dt_name(dtb, node));
        return -1;
    }
    magic = readl(base + MMIO_MAGIC);
    version = readl(base + MMIO_VERSION);
    id = readl(base + MMIO_DEVICE_ID);
    if (magic != MMIO_MAGIC_VALUE || (version != 1 && version != 2)) {
        virtio_problem(id, "virtio-mmio@0x%llx: magic 0x%08x, version %u: not virtio-mmio 1 or 2",
                       (unsigned long long)pa, (unsigned)magic, (unsigned)version);
        return -1;
    }
    if (!id)
        return 0;                       /* an empty slot */
    if (nr_vmmios == MMIO_MAX_DEVS) {
        virtio_problem(id, "virtio-mmio@0x%llx: more than %d devices", (unsigned long long)pa,
                       MMIO_MAX_DEVS);
        return -1;
    }
    vmmios[nr_vmmios] = (struct vmmio){
        .base = base, .legacy = version == 1, .dtb = dtb, .node = node,
    };
    d.priv = &vmmios[nr_vmmios];
    d.device_id = id;
    d.vendor_id = readl(base + MMIO_VENDOR_ID);
    d.modern = version == 2;
    snprintf(d.name, sizeof(d.name), "virtio-mmio@0x%llx", (unsigned long long)pa);
    if (!virtio_register(&d))
        return -1;
    nr_vmmios++;
    return 0;
}

static const char *const vmmio_compat[] = { "virtio,mmio", NULL };
static const struct dt_driver virtio_mmio = {
    .name = "virtio_mmio", .compatible = vmmio_compat, .probe = vmmio_probe,
};
DT_DRIVER(virtio_mmio);
