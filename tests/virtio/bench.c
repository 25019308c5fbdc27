/* Benchmark (make bench), not a test: virtio requests per second on the
 * boot CPU, completed by interrupt with EVENT_IDX, up to a queue's worth
 * in flight: virtio-rng requests of 8-64 bytes, then one-sector reads and
 * one-sector writes at random places of the scratch disk's first MiB.
 * Each for bench.virtio_ms. Hidden, so it runs only when named; it fails
 * only when a request does (as the tests do), never on speed. */
#include "clock.h"
#include "test.h"
#include "vtest.h"

#define BENCH_SECTORS 2048

static uint32_t bench_ms = 300;
OPTION(bench_virtio_ms, "bench.virtio_ms", BOOTARG_U32, &bench_ms,
       "time per virtio request kind in bench/virtio (default 300)");

static uint8_t buf[VT_MAX_SLOTS][VIRTIO_BLK_SECTOR] __aligned(64);
static struct virtio_blk_req req[VT_MAX_SLOTS];

struct bench_blk {
    struct virtio_blk *b;
    unsigned type;
    uint32_t nsect;
};

static int rng_issue(struct vt_pump *p, unsigned slot, void **token)
{
    struct virtio_buf b = { buf[slot], 8 + vt_rand(&p->rs) % 57 };

    *token = buf[slot];
    return virtqueue_add(p->vq, &b, 0, 1, buf[slot]);
}

static bool rng_done(struct vt_pump *p, unsigned slot, uint32_t len)
{
    (void)p;
    return check(len > 0, "virtio-rng request on slot %u: no bytes", slot);
}

static int blk_issue(struct vt_pump *p, unsigned slot, void **token)
{
    struct bench_blk *bb = p->arg;

    *token = &req[slot];
    return virtio_blk_add(bb->b, &req[slot], bb->type, vt_rand(&p->rs) % bb->nsect, buf[slot],
                          VIRTIO_BLK_SECTOR, 0);
}

static bool blk_done(struct vt_pump *p, unsigned slot, uint32_t len)
{
    (void)p;
    (void)len;
    return check(req[slot].status == VIRTIO_BLK_S_OK, "virtio-blk request on sector %llu: "
                 "status %u", (unsigned long long)req[slot].sector, req[slot].status);
}

/* Requests per second, and interrupts and notifications per 1000 requests. */
static unsigned emit(const char *kind, const struct vt_pump *p, unsigned long irqs,
                     unsigned long notifies)
{
    uint64_t us = ticks_to_us(p->ticks), n = p->completed;
    unsigned rate = us ? (unsigned)(n * 1000000 / us) : 0;

    test_yaml("virtio_%s_requests: %llu", kind, (unsigned long long)n);
    test_yaml("virtio_%s_requests_per_s: %u", kind, rate);
    test_yaml("virtio_%s_irqs_per_1000: %llu", kind, n ? (unsigned long long)(irqs * 1000 / n) : 0);
    test_yaml("virtio_%s_notifies_per_1000: %llu", kind,
              n ? (unsigned long long)(notifies * 1000 / n) : 0);
    return rate;
}

static int bench_one(struct vt_pump *p, const char *kind, unsigned *rate)
{
    struct virtqueue *vq = p->vq;
    unsigned long irqs = vq->irqs, notifies = vq->notifies;
    int rc = vt_pump(p, ~0u, bench_ms);

    if (!rc)
        *rate = emit(kind, p, vq->irqs - irqs, vq->notifies - notifies);
    return rc;
}

TEST(bench_virtio, .name = "bench/virtio", .flags = TEST_HIDDEN, .timeout_ms = 25000)
{
    struct virtio_cfg cfg = { .event_idx = true, .use_irq = true };
    struct virtio_dev *d = vt_device(VIRTIO_ID_RNG);
    struct virtio_blk b;
    struct bench_blk bb = { .b = &b };
    struct vt_pump p = { .rs = test_seed() };
    unsigned rng = 0, rd = 0, wr = 0;

    if (!d || !vt_setup(d, &cfg))
        return;
    p.vq = d->vq;
    p.nslots = d->vq->num;
    p.issue = rng_issue;
    p.done = rng_done;
    if (bench_one(&p, "rng", &rng)) {
        virtio_teardown(d);
        return;
    }
    virtio_teardown(d);
    if (!vt_open_scratch(&b, &cfg))
        return;
    p.vq = b.dev->vq;
    p.nslots = b.dev->vq->num / 3;      /* header, sector, status */
    p.issue = blk_issue;
    p.done = blk_done;
    p.arg = &bb;
    bb.nsect = (uint32_t)MIN(b.capacity, (uint64_t)BENCH_SECTORS);
    bb.type = VIRTIO_BLK_T_IN;
    if (check(bb.nsect > 0, "the scratch disk is empty") && !bench_one(&p, "blk_read", &rd)) {
        bb.type = VIRTIO_BLK_T_OUT;
        bench_one(&p, "blk_write", &wr);
    }
    virtio_blk_close(&b);
    if (!test_failed())
        test_note("requests/s: rng %u, blk read %u, blk write %u (%u ms each)", rng, rd, wr,
                  (unsigned)bench_ms);
}
