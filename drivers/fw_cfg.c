/* QEMU fw_cfg, memory-mapped ("qemu,fw-cfg-mmio"; DESIGN.md sections 6 and
 * 9): data at +0 (a byte string, read in its own order), selector at +8
 * (big-endian 16 bits), DMA address at +0x10 (big-endian 64 bits: the
 * write of the low half starts the transfer, which QEMU runs inside that
 * write). The selector/data pair is registered for the io/ tests. */
#include "clock.h"
#include "console.h"
#include "dma.h"
#include "driver.h"
#include "fdt.h"
#include "fw_cfg.h"
#include "io_pair.h"
#include <asm/processor.h>
#include <barrier.h>
#include <io.h>
#include <spinlock.h>
#include <string.h>

#define REG_DATA        0x00
#define REG_SELECTOR    0x08
#define REG_DMA_HI      0x10
#define REG_DMA_LO      0x14
#define DMA_CTL_ERROR   0x01
#define DMA_CTL_READ    0x02
#define DMA_CTL_SKIP    0x04
#define DMA_CTL_SELECT  0x08
#define DMA_TIMEOUT_MS  100
#define FILE_ENTRY_SIZE 64              /* be32 size, be16 select, be16 reserved, name[56] */

struct fw_cfg_dma_access {
    uint32_t control, length;
    uint64_t address;
} __aligned(16);

static uint8_t *regs;
static bool has_dma;
static struct dma_dev dma;
static DEFINE_SPINLOCK(lock);           /* the selector/data pair */

bool fw_cfg_present(void) { return regs != NULL; }
bool fw_cfg_has_dma(void) { return has_dma; }

static void pair_select(const struct io_pair *p, uint32_t key)
{
    (void)p;
    iowrite16be((uint16_t)key, regs + REG_SELECTOR);
}

static uint32_t pair_read(const struct io_pair *p)
{
    (void)p;
    return ioread32be(regs + REG_DATA);
}

static const struct io_pair fw_cfg_pair = {
    .name = "fw_cfg selector/data", .select = pair_select, .read = pair_read, .lock = &lock,
    .keys = { FW_CFG_SIGNATURE, FW_CFG_ID, FW_CFG_NB_CPUS, FW_CFG_FILE_DIR, FW_CFG_RAM_SIZE },
    .nkeys = 5,
};

static void read_bytes_locked(uint16_t key, void *buf, size_t len, size_t skip)
{
    uint8_t *b = buf;

    iowrite16be(key, regs + REG_SELECTOR);
    while (skip--)
        (void)readb(regs + REG_DATA);
    while (len--)
        *b++ = readb(regs + REG_DATA);
}

static int read_at(uint16_t key, void *buf, size_t len, size_t skip)
{
    unsigned long flags;

    if (!regs)
        return FW_CFG_ERR_ABSENT;
    spin_lock_irqsave(&lock, flags);
    read_bytes_locked(key, buf, len, skip);
    spin_unlock_irqrestore(&lock, flags);
    return 0;
}

int fw_cfg_read(uint16_t key, void *buf, size_t len)
{
    return read_at(key, buf, len, 0);
}

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fw_cfg_file_at(unsigned n, char name[56], uint16_t *key, uint32_t *size)
{
    uint8_t count[4], e[FILE_ENTRY_SIZE];
    int rc;

    if ((rc = fw_cfg_read(FW_CFG_FILE_DIR, count, sizeof(count))))
        return rc;
    if (n >= be32_at(count))
        return FW_CFG_ERR_NOFILE;
    read_at(FW_CFG_FILE_DIR, e, sizeof(e), 4 + (size_t)n * FILE_ENTRY_SIZE);
    *size = be32_at(e);
    *key = (uint16_t)(e[4] << 8 | e[5]);
    memcpy(name, e + 8, 56);
    name[55] = 0;
    return 0;
}

int fw_cfg_find_file(const char *name, uint16_t *key, uint32_t *size)
{
    char n[56];
    int rc;

    for (unsigned i = 0; !(rc = fw_cfg_file_at(i, n, key, size)); i++)
        if (!strcmp(n, name))
            return 0;
    return rc;
}

bool fw_cfg_dma_needs_maintenance(void) { return dma_needs_maintenance(&dma); }

/* The descriptor protocol of memory-barriers.txt's dma_wmb()/dma_rmb()
 * example: fill the descriptor (ownership passes to the device with the
 * doorbell), poll its control word until the device hands it back, then
 * dma_rmb() before the data it covers. */
int fw_cfg_dma_transfer(uint32_t control, void *buf, uint32_t len)
{
    static struct fw_cfg_dma_access d;
    uint64_t end = clock_deadline_ms(DMA_TIMEOUT_MS);
    unsigned long flags;
    uint32_t ctl;

    if (!regs)
        return FW_CFG_ERR_ABSENT;
    if (!has_dma)
        return FW_CFG_ERR_NODMA;
    spin_lock_irqsave(&lock, flags);
    d.control = cpu_to_be32(control);
    d.length = cpu_to_be32(len);
    d.address = cpu_to_be64(buf ? dma_map_single(&dma, buf, len, DMA_FROM_DEVICE) : 0);
    uint64_t pa = dma_map_single(&dma, &d, sizeof(d), DMA_BIDIRECTIONAL);
    dma_wmb();                          /* the descriptor before the doorbell */
    iowrite32be((uint32_t)(pa >> 32), regs + REG_DMA_HI);
    iowrite32be((uint32_t)pa, regs + REG_DMA_LO);
    for (;;) {
        dma_unmap_single(&dma, &d, sizeof(d), DMA_BIDIRECTIONAL);  /* see the device's write */
        ctl = be32_to_cpu(READ_ONCE(d.control));
        if (!(ctl & ~DMA_CTL_ERROR) || clock_passed(end))
            break;
        cpu_relax();
    }
    dma_rmb();                          /* the status before the data it covers */
    if (buf)
        dma_unmap_single(&dma, buf, len, DMA_FROM_DEVICE);
    spin_unlock_irqrestore(&lock, flags);
    if (ctl & DMA_CTL_ERROR)
        return FW_CFG_ERR_DMA;
    return ctl ? FW_CFG_ERR_TIMEOUT : 0;
}

int fw_cfg_dma_read(uint16_t key, void *buf, uint32_t len)
{
    return fw_cfg_dma_transfer((uint32_t)key << 16 | DMA_CTL_SELECT | DMA_CTL_READ, buf, len);
}

int fw_cfg_dma_read_at(uint16_t key, uint32_t skip, void *buf, uint32_t len)
{
    int rc = fw_cfg_dma_transfer((uint32_t)key << 16 | DMA_CTL_SELECT | DMA_CTL_SKIP, NULL, skip);
    return rc ? rc : fw_cfg_dma_transfer(DMA_CTL_READ, buf, len);
}

static int fw_cfg_probe(const void *dtb, int node)
{
    uint64_t pa, size;
    uint8_t sig[4], id[4];

    if (regs || dt_reg(dtb, node, 0, &pa, &size) || size < 0x18)
        return -1;
    if (!(regs = ioremap(pa, size, "fw-cfg")))
        return -1;
    dma_dev_init(&dma, dtb, node, 0);
    fw_cfg_read(FW_CFG_SIGNATURE, sig, sizeof(sig));
    if (memcmp(sig, "QEMU", 4)) {
        pr_warn("fw-cfg: signature %02x%02x%02x%02x is not \"QEMU\"; not used\n",
                sig[0], sig[1], sig[2], sig[3]);
        regs = NULL;
        return -1;
    }
    fw_cfg_read(FW_CFG_ID, id, sizeof(id));
    has_dma = id[0] & FW_CFG_ID_DMA;    /* little-endian 32 bits */
    io_pair_register(&fw_cfg_pair);
    return 0;
}

static const char *const fw_cfg_compat[] = { "qemu,fw-cfg-mmio", NULL };
static const struct dt_driver fw_cfg = {
    .name = "fw-cfg", .compatible = fw_cfg_compat, .probe = fw_cfg_probe,
};
DT_DRIVER(fw_cfg);
