/* Benchmark (make bench), not a test: DMA throughput through the real
 * engines, round trips verified as in the dma/ tests. fw_cfg: the largest file
 * read by DMA for bench.dma_ms; edu: RAM -> device -> RAM of the usable
 * buffer, which QEMU paces at 100 ms per transfer (so its MB/s says what
 * QEMU's model allows, not what a bus could do). Hidden; never fails on
 * speed, only on wrong data. */
#include "arch.h"
#include "clock.h"
#include "edu.h"
#include "fw_cfg.h"
#include "test.h"
#include <string.h>

static uint32_t opt_ms = 500, opt_edu_rounds = 3;
OPTION(bench_dma_ms, "bench.dma_ms", BOOTARG_U32, &opt_ms, "fw_cfg DMA time in bench/dma (ms)");
OPTION(bench_dma_edu, "bench.dma_edu_rounds", BOOTARG_U32, &opt_edu_rounds,
       "edu round trips in bench/dma (200 ms each)");

#define FW_CFG_MAX (128 * 1024)

/* kB/s as "x.y MB/s" without floating point. */
static void emit_rate(const char *key, uint64_t bytes, uint64_t ticks)
{
    uint64_t us = ticks_to_us(ticks), kbps = us ? bytes * 1000 / us : 0;
    test_yaml("%s_mb_per_s: %llu.%02llu", key, (unsigned long long)(kbps / 1000),
              (unsigned long long)(kbps % 1000 / 10));
}

static void bench_fw_cfg(void)
{
    static uint8_t buf[FW_CFG_MAX] __aligned(64), ref[256];
    char name[56], best[56] = "";
    uint16_t key, best_key = 0;
    uint32_t size, best_size = 0;
    uint64_t bytes = 0, t0, end;

    for (unsigned i = 0; !fw_cfg_file_at(i, name, &key, &size); i++)
        if (size > best_size && size <= FW_CFG_MAX)
            best_size = size, best_key = key, memcpy(best, name, sizeof(best));
    if (!best_size) {
        test_yaml("fw_cfg: \"no file to read\"");
        return;
    }
    fw_cfg_read(best_key, ref, MIN(best_size, sizeof(ref)));
    t0 = arch_counter();
    end = t0 + ms_to_ticks(opt_ms);
    while (arch_counter() < end) {
        buf[0] = (uint8_t)~ref[0];
        if (!check(!fw_cfg_dma_read(best_key, buf, best_size), "fw_cfg DMA read failed"))
            return;
        if (!check(!memcmp(buf, ref, MIN(best_size, sizeof(ref))), "fw_cfg DMA brought wrong data"))
            return;
        bytes += best_size;
    }
    test_yaml("fw_cfg_file: {name: \"%s\", size: %u}", best, (unsigned)best_size);
    emit_rate("fw_cfg", bytes, arch_counter() - t0);
}

static void bench_edu(struct edu *e)
{
    static uint8_t out[EDU_BUF_USABLE] __aligned(64), back[EDU_BUF_USABLE] __aligned(64);
    uint64_t t0 = arch_counter(), bytes = 0;

    for (unsigned r = 0; r < opt_edu_rounds; r++) {
        for (unsigned i = 0; i < sizeof(out); i++)
            out[i] = (uint8_t)(i * 13 + r);
        if (!check(!edu_dma(e, out, 0, sizeof(out), false, 1000) &&
                   !edu_dma(e, back, 0, sizeof(back), true, 1000), "edu DMA did not complete"))
            return;
        if (!check(!memcmp(out, back, sizeof(out)), "edu round trip changed the data"))
            return;
        bytes += 2 * sizeof(out);
    }
    emit_rate("edu", bytes, arch_counter() - t0);
}

TEST(bench_dma, .name = "bench/dma", .flags = TEST_HIDDEN, .timeout_ms = 25000)
{
    const char *why;
    bool present;
    struct edu *e = edu_get(&why, &present);

    if (fw_cfg_present() && fw_cfg_has_dma())
        bench_fw_cfg();
    else
        test_yaml("fw_cfg: \"absent\"");
    if (e)
        bench_edu(e);
    else
        test_yaml("edu: \"%s\"", why);
    test_note("DMA throughput");
}
