/* DMA coherence with real QEMU DMA engines (memory-barriers.txt, "Cache
 * coherency vs DMA" and dma_wmb()/dma_rmb()): transfers verified byte for
 * byte, patterns that change every iteration, buffers at several
 * alignments and sizes (some straddling cache lines), guard bytes around
 * each so a transfer that writes outside its buffer is seen, and the
 * descriptor protocol of the doc's example. Every transfer goes through
 * the streaming mappings (include/dma.h), which run the cache maintenance
 * when the device is not dma-coherent or bootargs dma.maintenance forces
 * it. QEMU models no caches and runs both engines under its global lock
 * (fw_cfg inside the doorbell write, edu 100 ms later from a timer), so a
 * missing barrier or maintenance cannot show here: the results say so. */
#include "../devices.h"
#include "clock.h"
#include "dma.h"
#include "edu.h"
#include "fw_cfg.h"
#include "pci.h"
#include "test.h"
#include <asm/processor.h>
#include <barrier.h>
#include <string.h>

#define GUARD       32
#define GUARD_BYTE  0xe7
#define DIR_MAX     (4 + 64 * 64)       /* fw_cfg's file directory, 64 files */

static uint32_t opt_fw_cfg_ms = 100;
OPTION(dma_fw_cfg_ms, "dma.fw_cfg_ms", BOOTARG_U32, &opt_fw_cfg_ms,
       "how long dma/fw-cfg transfers for (ms)");

static uint8_t pattern(unsigned iter, unsigned i)
{
    return (uint8_t)(iter * 131 + i * 7 + (i >> 8) + 1);
}

/* Buffer b[GUARD + align .. + len) inside guards; true when the guards
 * are still intact. */
static void guard(uint8_t *area, size_t size)
{
    memset(area, GUARD_BYTE, size);
}

static bool guards_intact(const uint8_t *area, size_t start, size_t len, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if ((i < start || i >= start + len) && area[i] != GUARD_BYTE)
            return false;
    return true;
}

static void report_maintenance(bool needed, const struct dma_stats *before)
{
    struct dma_stats now;

    dma_stats_get(&now);
    if (needed)
        test_yaml("maintenance: {executed: true, cleans: %lu, invalidates: %lu, note: \"coherence "
                  "not observable on this platform (QEMU models no caches)\"}",
                  now.cleans - before->cleans, now.invals - before->invals);
    else
        test_yaml("maintenance: {executed: false, note: \"the device is dma-coherent "
                  "(dma.maintenance forces the path)\"}");
    test_yaml("cpu_reordering: \"a missing dma_wmb/dma_rmb: allowed, not observed (the engine runs "
              "under QEMU's global lock)\"");
}

/* ---- fw_cfg: device -> RAM, a descriptor in RAM per transfer ---- */

TEST(dma_fw_cfg, .name = "dma/fw-cfg")
{
    static uint8_t ref[DIR_MAX], area[DIR_MAX + 64 + 2 * GUARD] __aligned(64);
    static const unsigned aligns[] = { 0, 1, 3, 31, 63 };
    uint8_t count[4];
    struct dma_stats before;
    unsigned long transfers = 0, bad = 0, bad_guard = 0;
    uint64_t end;

    if (!fw_cfg_present()) {
        test_skip("no qemu,fw-cfg-mmio node in the device tree");
        return;
    }
    if (!fw_cfg_has_dma()) {
        test_skip("fw_cfg without its DMA interface");
        return;
    }
    fw_cfg_read(FW_CFG_FILE_DIR, count, sizeof(count));
    unsigned total = MIN(4 + 64 * (unsigned)(count[0] << 24 | count[1] << 16 | count[2] << 8 | count[3]),
                         DIR_MAX);
    fw_cfg_read(FW_CFG_FILE_DIR, ref, total);
    dma_stats_get(&before);
    end = clock_deadline_ms(opt_fw_cfg_ms);
    for (unsigned iter = 0; !clock_passed(end) && !bad; iter++, transfers++) {
        unsigned align = aligns[iter % ARRAY_SIZE(aligns)];
        unsigned skip = (iter * 37) % total, len = 1 + (iter * 101) % (total - skip);
        uint8_t *buf = area + GUARD + align;

        guard(area, sizeof(area));
        for (unsigned i = 0; i < len; i++)
            buf[i] = pattern(iter, i) ^ ref[skip + i] ^ 0x5a;   /* never the right byte */
        int rc = skip ? fw_cfg_dma_read_at(FW_CFG_FILE_DIR, skip, buf, len)
                      : fw_cfg_dma_read(FW_CFG_FILE_DIR, buf, len);
        if (!check(rc == 0, "transfer %u (skip %u, %u bytes at +%u) failed: %d", iter, skip, len,
                   align, rc))
            break;
        bad += memcmp(buf, ref + skip, len) != 0;
        bad_guard += !guards_intact(area, GUARD + align, len, sizeof(area));
    }
    test_yaml("item: {key: 0x%04x, size: %u}", FW_CFG_FILE_DIR, total);
    test_yaml("transfers: %lu", transfers);
    report_maintenance(fw_cfg_dma_needs_maintenance(), &before);
    check(transfers > 0, "no transfer ran: nothing was judged");
    check(bad == 0, "%lu transfers brought data that differs from the data register's", bad);
    check(bad_guard == 0, "%lu transfers wrote outside their buffer", bad_guard);
    test_note("%lu transfers, alignments 0-63, sizes 1-%u, every one verified", transfers, total);
}

/* ---- edu: RAM -> device -> RAM, the doc's descriptor protocol ---- */

/* What the CPU hands the device and gets back: an ownership word, a
 * sequence number, the data. */
struct desc {
    uint32_t owner, seq;
    uint8_t data[];
};
#define OWNER_DEVICE 0x0d0d0d0du
#define OWNER_POISON 0xbadbadbau

struct round {
    unsigned tx_align, rx_align, dev_off, len;
};

/* Bounded: poll the descriptor's ownership word in RAM (the device writes
 * it with the data), then dma_rmb() before the data. */
static bool wait_owner(const struct edu *e, struct desc *d, size_t size, unsigned ms)
{
    uint64_t end = clock_deadline_ms(ms);

    for (;;) {
        edu_dma_done(e, d, (unsigned)size, true);   /* a non-coherent CPU must look again */
        if (READ_ONCE(d->owner) == OWNER_DEVICE)
            break;
        if (clock_passed(end))
            return false;
        cpu_relax();
    }
    dma_rmb();
    return true;
}

static bool edu_round(struct edu *e, const struct round *r, unsigned iter, bool by_irq)
{
    static uint8_t tx_area[EDU_BUF_SIZE + 128 + 2 * GUARD] __aligned(64);
    static uint8_t rx_area[EDU_BUF_SIZE + 128 + 2 * GUARD] __aligned(64);
    struct desc *tx = (struct desc *)(tx_area + GUARD + r->tx_align);
    struct desc *rx = (struct desc *)(rx_area + GUARD + r->rx_align);
    size_t size = sizeof(struct desc) + r->len;
    unsigned long seen = e->irqs;

    guard(tx_area, sizeof(tx_area));
    guard(rx_area, sizeof(rx_area));
    for (unsigned i = 0; i < r->len; i++)
        tx->data[i] = pattern(iter, i);
    tx->seq = iter;
    dma_wmb();                      /* the data before the ownership word */
    tx->owner = OWNER_DEVICE;
    if (!check(!edu_dma(e, tx, r->dev_off, (unsigned)size, false, 1000),
               "round %u: RAM -> edu DMA did not complete within 1 s", iter))
        return false;
    memset(rx, 0, size);
    rx->owner = OWNER_POISON;
    if (!check(!edu_dma_setup(e, rx, r->dev_off, (unsigned)size, true), "edu refused the buffer"))
        return false;
    edu_write(e, EDU_REG_DMA_CMD, EDU_DMA_RUN | EDU_DMA_TO_RAM | (by_irq ? EDU_DMA_IRQ : 0));
    if (!check(wait_owner(e, rx, size, 1000), "round %u: the descriptor never came back (1 s)", iter))
        return false;
    if (by_irq)
        check(wait_edu_irq(e, seen, 100) && (READ_ONCE(e->irq_status) & EDU_IRQ_DMA),
              "round %u: no DMA completion interrupt", iter);
    check(rx->seq == iter, "round %u: sequence %u came back", iter, (unsigned)rx->seq);
    check(!memcmp(rx->data, tx->data, r->len), "round %u: %u bytes at +%u/+%u (device +%u) differ",
          iter, r->len, r->tx_align, r->rx_align, r->dev_off);
    check(guards_intact(rx_area, GUARD + r->rx_align, size, sizeof(rx_area)),
          "round %u: the device wrote outside the buffer", iter);
    return !test_failed();
}

TEST(dma_edu, .name = "dma/edu")
{
    static const struct round rounds[] = {
        { 0, 0, 0, EDU_BUF_USABLE - sizeof(struct desc) }, /* all QEMU lets a transfer use */
        { 1, 3, 0, 77 },
        { 63, 60, 100, 130 },                              /* straddles lines both sides */
        { 5, 33, 4000, 87 },                               /* the buffer's usable end */
    };
    struct edu *e = test_edu();
    struct dma_stats before;
    char why[96];
    unsigned done = 0;

    if (!e)
        return;
    dma_stats_get(&before);
    for (unsigned i = 0; i < ARRAY_SIZE(rounds) && edu_round(e, &rounds[i], i, false); i++)
        done++;
    if (done == ARRAY_SIZE(rounds)) {
        if (edu_irq_enable(e, why, sizeof(why)))
            test_fail("edu interrupt: %s", why);
        else if (edu_round(e, &rounds[2], ARRAY_SIZE(rounds), true))
            done++;
        edu_irq_disable(e);
    }
    test_yaml("rounds: %u", done);
    report_maintenance(dma_needs_maintenance(&e->pci->dma), &before);
    test_note("%u round trips (RAM -> edu -> RAM) through the descriptor protocol, the last "
              "completed by interrupt", done);
}
