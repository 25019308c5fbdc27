/* virtio-rng (virtio 1.2 section 5.4): virtio.requests requests for random
 * bytes on queue 0, completed by interrupt with VIRTIO_RING_F_EVENT_IDX
 * (virtio/rng; flags when the device does not offer it) and by polling
 * without it (virtio/rng-poll). Every request completes within
 * virtio.timeout_ms (else a failure with the ring's indices) exactly once,
 * with a length from 1 to what was asked for; the bytes the device says
 * it wrote are no longer the canary the buffer was filled with, the bytes
 * after them still are, and over the whole test every byte value turns up
 * within a factor of two of its share. */
#include "clock.h"
#include "test.h"
#include "vtest.h"
#include <string.h>

#define RNG_MAX     64          /* bytes per request: 8..RNG_MAX */
#define RNG_HIST_MIN 16384      /* bytes before the byte histogram says anything */

struct rng_slot {
    uint8_t buf[RNG_MAX] __aligned(64);
    uint32_t len, seq;
};

static struct rng_slot slots[VT_MAX_SLOTS];
static uint32_t histogram[256];
static uint64_t rng_bytes;

static uint8_t canary(uint32_t seq, unsigned k)
{
    return (uint8_t)(seq * 131 + k * 7 + 0x5a);
}

static int rng_issue(struct vt_pump *p, unsigned slot, void **token)
{
    struct rng_slot *s = &slots[slot];
    struct virtio_buf b = { s->buf, 0 };

    s->seq = p->issued;
    s->len = b.len = 8 + vt_rand(&p->rs) % (RNG_MAX - 7);
    for (unsigned k = 0; k < RNG_MAX; k++)
        s->buf[k] = canary(s->seq, k);
    *token = s;
    return virtqueue_add(p->vq, &b, 0, 1, s);
}

static bool rng_done(struct vt_pump *p, unsigned slot, uint32_t used)
{
    const struct rng_slot *s = &slots[slot];
    unsigned same = 0;

    (void)p;
    if (!check(used > 0 && used <= s->len, "request %u: the device says it wrote %u bytes of %u",
               (unsigned)s->seq, (unsigned)used, (unsigned)s->len))
        return false;
    for (unsigned k = 0; k < used; k++) {
        same += s->buf[k] == canary(s->seq, k);
        histogram[s->buf[k]]++;
    }
    for (unsigned k = used; k < RNG_MAX; k++)
        if (!check(s->buf[k] == canary(s->seq, k), "request %u: byte %u written, past the %u "
                   "bytes the device said", (unsigned)s->seq, k, (unsigned)used))
            return false;
    rng_bytes += used;
    return check(same <= used / 4 + 2, "request %u: %u of the %u bytes the device said it wrote "
                 "still hold the canary", (unsigned)s->seq, same, (unsigned)used);
}

static void histogram_check(void)
{
    uint64_t share = rng_bytes / 256, lo = ~0ull, hi = 0;

    for (int v = 0; v < 256; v++) {
        lo = MIN(lo, (uint64_t)histogram[v]);
        hi = MAX(hi, (uint64_t)histogram[v]);
    }
    test_yaml("byte_counts: {share: %llu, min: %llu, max: %llu}", (unsigned long long)share,
              (unsigned long long)lo, (unsigned long long)hi);
    if (rng_bytes >= RNG_HIST_MIN)
        check(lo >= share / 2 && hi <= share * 2, "byte values are not uniform: each should turn "
              "up ~%llu times in %llu bytes, seen %llu..%llu", (unsigned long long)share,
              (unsigned long long)rng_bytes, (unsigned long long)lo, (unsigned long long)hi);
}

static void rng_test(bool irq, bool event_idx)
{
    struct virtio_dev *d = vt_device(VIRTIO_ID_RNG);
    struct virtio_cfg cfg = { .event_idx = event_idx, .use_irq = irq };
    struct vt_pump p = { .issue = rng_issue, .done = rng_done,
                         .rs = test_seed() ^ 0x726e6700u ^ irq ^ event_idx << 1 };

    if (!d || !vt_setup(d, &cfg))
        return;
    vt_describe(d);
    p.vq = d->vq;
    p.nslots = d->vq->num;
    memset(histogram, 0, sizeof(histogram));
    rng_bytes = 0;
    if (!vt_pump(&p, vt_requests, 0)) {
        struct virtqueue *vq = d->vq;
        uint64_t us = ticks_to_us(p.ticks);
        histogram_check();
        test_yaml("requests: %u", (unsigned)p.completed);
        test_yaml("bytes: %llu", (unsigned long long)rng_bytes);
        test_yaml("elapsed_us: %llu", (unsigned long long)us);
        test_yaml("counts: {kicks: %lu, notifies: %lu, irqs: %lu}", vq->kicks, vq->notifies,
                  vq->irqs);
        test_note("%u requests (%llu bytes) %s%s: %lu notifications, %lu interrupts, %llu us",
                  (unsigned)p.completed, (unsigned long long)rng_bytes,
                  irq ? "by interrupt" : "polled", vq->event_idx ? " with EVENT_IDX" : "",
                  vq->notifies, vq->irqs, (unsigned long long)us);
    }
    virtio_teardown(d);
}

TEST(virtio_rng, .name = "virtio/rng")
{
    rng_test(true, true);
}

TEST(virtio_rng_poll, .name = "virtio/rng-poll")
{
    rng_test(false, false);
}
