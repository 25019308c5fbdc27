/* Ordering of device accesses (memory-barriers.txt, "Kernel I/O barrier
 * effects" and "Accessing devices"), on QEMU's edu:
 *  - io/writel-order: a store to a device register, then a load from the
 *    same device, in program order: readX/writeX, and the _relaxed forms,
 *    which keep the order for accesses to one peripheral too.
 *  - io/readl-order: a device status read, then the RAM its DMA wrote:
 *    readX() completes before later normal loads; readX_relaxed() needs
 *    rmb() for that.
 *  - io/compiler-barrier: the accessors are compiler barriers, so GCC
 *    neither drops a buffer store before the doorbell nor reuses a load
 *    across the status poll. Its hidden negative control uses accessors
 *    without the "memory" clobber and must see the stale data.
 * QEMU performs every MMIO access in program order under its global lock
 * and runs edu's DMA from a timer under it too, so a CPU-level reordering
 * cannot show here: the first two report "allowed, not observed" for the
 * hardware side; the compiler side is real on every platform. */
#include "../devices.h"
#include "edu.h"
#include "test.h"
#include <barrier.h>
#include <io.h>
#include <string.h>

#define LIVE_ROUNDS 1000
#define DMA_LEN 64
/* A poll without a function call in it (a call would be a compiler
 * barrier and hide what the compiler-barrier test looks for): bounded by
 * iterations, ample for edu's 100 ms at a microsecond per read. */
#define POLL_LIMIT 20000000u

static void note_not_observable(const char *what)
{
    test_yaml("cpu_reordering: \"allowed for a broken accessor, not observed: QEMU performs MMIO "
              "in program order\"");
    test_note("%s", what);
}

TEST(io_writel_order, .name = "io/writel-order")
{
    struct edu *e = test_edu();
    uint8_t *live;
    unsigned bad = 0, bad_relaxed = 0, bad_fact = 0;
    uint32_t f;

    if (!e)
        return;
    live = e->regs + EDU_REG_LIVE;
    for (uint32_t i = 0, x = 0x9e3779b9; i < LIVE_ROUNDS; i++, x = x * 1664525 + 1013904223) {
        writel_native(x, live);
        bad += readl_native(live) != ~x;
        writel_native_relaxed(~x, live);
        bad_relaxed += readl_native_relaxed(live) != x;
    }
    for (uint32_t n = 1; n <= 12; n++) {
        int rc = edu_factorial(e, n, &f, 100);
        bad_fact += rc || f != edu_factorial_want(n);
    }
    test_yaml("store_then_load: {rounds: %u, out_of_order: %u, relaxed_out_of_order: %u}",
              LIVE_ROUNDS, bad, bad_relaxed);
    test_yaml("factorial_poll: {rounds: 12, wrong: %u}", bad_fact);
    check(bad == 0, "writel then readl of the liveness register: %u of %u read a stale value", bad,
          LIVE_ROUNDS);
    check(bad_relaxed == 0, "writel_relaxed then readl_relaxed (one peripheral): %u of %u stale",
          bad_relaxed, LIVE_ROUNDS);
    check(bad_fact == 0, "factorial write, status poll, result read: %u of 12 wrong", bad_fact);
    note_not_observable("store then load to one device in program order, plain and _relaxed");
}

static void fill(uint8_t *b, unsigned len, uint8_t seed)
{
    for (unsigned i = 0; i < len; i++)
        b[i] = (uint8_t)(seed + i * 29);
}

/* The device's buffer holds the pattern of `seed` (a RAM -> device DMA). */
static bool load_device(const struct edu *e, uint8_t seed)
{
    static uint8_t src[DMA_LEN] __aligned(64);

    fill(src, DMA_LEN, seed);
    return check(!edu_dma(e, src, 0, DMA_LEN, false, 1000), "RAM -> edu DMA did not complete");
}

TEST(io_readl_order, .name = "io/readl-order")
{
    static uint8_t dst[DMA_LEN] __aligned(64), want[DMA_LEN];
    struct edu *e = test_edu();
    uint8_t *cmd;
    unsigned polls;

    if (!e || !load_device(e, 0x31))
        return;
    fill(want, DMA_LEN, 0x31);
    cmd = e->regs + EDU_REG_DMA_CMD;
    for (int relaxed = 0; relaxed < 2; relaxed++) {
        memset(dst, 0, sizeof(dst));
        if (!check(!edu_dma_setup(e, dst, 0, DMA_LEN, true), "edu DMA setup refused the buffer"))
            return;
        writel_native(EDU_DMA_RUN | EDU_DMA_TO_RAM, cmd);
        for (polls = 0; polls < POLL_LIMIT; polls++)
            if (!((relaxed ? readl_native_relaxed(cmd) : readl_native(cmd)) & EDU_DMA_RUN))
                break;
        if (relaxed)
            rmb();      /* the doc: _relaxed reads are not ordered against RAM */
        edu_dma_done(e, dst, DMA_LEN, true);
        if (!check(polls < POLL_LIMIT, "edu DMA still running after %u polls", polls))
            return;
        check(!memcmp(dst, want, DMA_LEN), "%s poll, then the DMA'd RAM: stale data",
              relaxed ? "readl_relaxed + rmb()" : "readl");
    }
    note_not_observable("status read, then the RAM the device wrote: readl, readl_relaxed + rmb");
}

/* The two shapes of the compiler test, for a given pair of 32-bit
 * accessors. Nothing between the buffer access and the poll may be a
 * function call (a call is a compiler barrier for the escaped buffers).
 *   store: fill the source, ring the doorbell, poll, reuse the source;
 *          the device must have read the fill.
 *   load:  read the destination, ring, poll, read it again; the second
 *          read must see what the device wrote. */
#define COMPILER_SHAPES(suffix, rd, wr)                                               \
static unsigned store_shape_##suffix(const struct edu *e, uint8_t *src, uint8_t seed)  \
{                                                                                      \
    unsigned polls;                                                                    \
    memset(src, seed, DMA_LEN);                                                        \
    wr(EDU_DMA_RUN, e->regs + EDU_REG_DMA_CMD);                                        \
    for (polls = 0; polls < POLL_LIMIT && (rd(e->regs + EDU_REG_DMA_CMD) & EDU_DMA_RUN); polls++) \
        ;                                                                              \
    memset(src, 0, DMA_LEN);                                                           \
    return polls;                                                                      \
}                                                                                      \
static unsigned load_shape_##suffix(const struct edu *e, volatile uint8_t *before,     \
                                    uint8_t *dst, uint8_t *after)                      \
{                                                                                      \
    unsigned polls;                                                                    \
    *before = dst[0];                                                                  \
    wr(EDU_DMA_RUN | EDU_DMA_TO_RAM, e->regs + EDU_REG_DMA_CMD);                       \
    for (polls = 0; polls < POLL_LIMIT && (rd(e->regs + EDU_REG_DMA_CMD) & EDU_DMA_RUN); polls++) \
        ;                                                                              \
    *after = dst[0];                                                                   \
    return polls;                                                                      \
}

COMPILER_SHAPES(kernel, readl_native, writel_native)
COMPILER_SHAPES(broken, __raw_readl_noclobber, __raw_writel_noclobber)

typedef unsigned (*store_shape_fn)(const struct edu *, uint8_t *, uint8_t);
typedef unsigned (*load_shape_fn)(const struct edu *, volatile uint8_t *, uint8_t *, uint8_t *);

static void compiler_test(store_shape_fn store, load_shape_fn load, const char *accessors)
{
    static uint8_t src[DMA_LEN] __aligned(64), dst[DMA_LEN] __aligned(64), back[DMA_LEN] __aligned(64);
    struct edu *e = test_edu();
    volatile uint8_t before;
    uint8_t after, seed = 0x5c;
    unsigned polls;

    if (!e)
        return;
    test_yaml("accessors: \"%s\"", accessors);
    /* store shape: what did the device read from src? */
    memset(src, 0, sizeof(src));
    if (!check(!edu_dma_setup(e, src, 0, DMA_LEN, false), "edu DMA setup refused the buffer"))
        return;
    polls = store(e, src, seed);
    edu_dma_done(e, src, DMA_LEN, false);
    if (!check(polls < POLL_LIMIT, "edu DMA still running after %u polls", polls))
        return;
    memset(back, 0, sizeof(back));
    if (!check(!edu_dma(e, back, 0, DMA_LEN, true, 1000), "edu -> RAM DMA did not complete"))
        return;
    test_yaml("store_before_doorbell: {wanted: 0x%02x, device_read: 0x%02x}", seed, back[0]);
    /* GCC 12 keeps this store even without the clobber here (the poll loop
     * stops its dead-store elimination), so the control may pass this half;
     * it is still checked, for the compiler that does drop it. */
    check(back[0] == seed && back[DMA_LEN - 1] == seed,
          "the device read 0x%02x, not the 0x%02x stored before the doorbell: the compiler "
          "dropped or moved the buffer store", back[0], seed);
    /* load shape: the device holds 0x5c...; dst starts as 0xa3 */
    memset(dst, 0xa3, sizeof(dst));
    if (!check(!edu_dma_setup(e, dst, 0, DMA_LEN, true), "edu DMA setup refused the buffer"))
        return;
    polls = load(e, &before, dst, &after);
    edu_dma_done(e, dst, DMA_LEN, true);     /* after the shape: a call is a compiler barrier */
    if (!check(polls < POLL_LIMIT, "edu DMA still running after %u polls", polls))
        return;
    test_yaml("load_after_poll: {before: 0x%02x, after: 0x%02x, in_ram: 0x%02x}", before, after,
              READ_ONCE(dst[0]));
    check(after == READ_ONCE(dst[0]), "read 0x%02x after the status poll, RAM holds 0x%02x: the "
          "compiler reused the load from before the doorbell", after, READ_ONCE(dst[0]));
    if (!test_failed())
        test_note("%s: buffer store before the doorbell and load after the poll kept", accessors);
}

TEST(io_compiler_barrier, .name = "io/compiler-barrier")
{
    compiler_test(store_shape_kernel, load_shape_kernel, "readl/writel");
}

/* Negative control (tests/controls.cfg): must fail on every platform. */
TEST(io_compiler_barrier_broken, .name = "io/compiler-barrier-broken", .flags = TEST_HIDDEN)
{
    compiler_test(store_shape_broken, load_shape_broken, "asm without the memory clobber");
}
