/* Negative controls (hidden; rows of tests/controls.cfg), on virtio-rng:
 * a request published but never notified (the device is never told: for
 * the guest, a device that never completes) must end in a failure with
 * the ring's indices, not a hang; an avail entry naming a descriptor
 * beyond the queue must be rejected by the device (a modern one sets
 * DEVICE_NEEDS_RESET and says so with a configuration interrupt), a
 * failure naming it; and with EVENT_IDX, a driver that never moves
 * used_event on gets its first interrupt and no other: the completions
 * after it arrive without one, a lost interrupt named as such. */
#include "test.h"
#include "vtest.h"

static struct virtio_dev *control_device(void)
{
    struct virtio_dev *d = vt_device(VIRTIO_ID_RNG);
    struct virtio_cfg cfg = { .event_idx = true, .use_irq = true };

    return d && vt_setup(d, &cfg) ? d : NULL;
}

TEST(virtio_no_notify_control, .name = "virtio/no-notify-control", .flags = TEST_HIDDEN)
{
    static uint8_t buf[16];
    struct virtio_buf b = { buf, sizeof(buf) };
    struct virtio_dev *d = control_device();
    void *token;
    uint32_t len;
    int rc;

    if (!d)
        return;
    vt_describe(d);
    if (check(!virtqueue_add(d->vq, &b, 0, 1, buf), "the empty ring refused a request")) {
        virtqueue_kick_prepare(d->vq);          /* published, never notified */
        rc = virtqueue_next(d->vq, vt_timeout_ms, &token, &len);
        if (rc)
            vt_fail_ring(d->vq, rc, "a request published without a notification");
        else
            test_note("the device completed a request it was never notified of");
    }
    virtio_teardown(d);
}

TEST(virtio_bad_ring_control, .name = "virtio/bad-ring-control", .flags = TEST_HIDDEN)
{
    struct virtio_dev *d = control_device();
    uint16_t head;
    int rc;

    if (!d)
        return;
    vt_describe(d);
    head = (uint16_t)(d->vq->num + 5);
    virtqueue_publish_raw(d->vq, head);
    virtqueue_kick(d->vq);
    rc = virtqueue_wait(d->vq, vt_timeout_ms);
    if (rc)
        vt_fail_ring(d->vq, rc, "an avail entry naming descriptor %u of %u", head, d->vq->num);
    else
        test_note("the device took an avail entry naming descriptor %u of %u", head, d->vq->num);
    virtio_teardown(d);
}

/* On the scratch disk: its completions come from QEMU's I/O threads, after
 * the kick has returned, so the waiter is mostly waiting when they arrive
 * (where one is there before, no interrupt is needed: the next read). */
TEST(virtio_stale_used_event_control, .name = "virtio/stale-used-event-control",
     .flags = TEST_HIDDEN)
{
    static struct virtio_blk_req req;
    static uint8_t sector[VIRTIO_BLK_SECTOR];
    struct virtio_cfg cfg = { .event_idx = true, .use_irq = true };
    struct virtio_blk b;
    void *token;
    uint32_t len;
    int rc = 0;

    if (!vt_open_scratch(&b, &cfg))
        return;
    vt_describe(b.dev);
    if (!b.dev->vq->event_idx) {
        test_skip("%s does not offer VIRTIO_RING_F_EVENT_IDX", b.dev->name);
        virtio_blk_close(&b);
        return;
    }
    b.dev->vq->frozen_used_event = true;
    for (unsigned i = 0; i < 2000 && !rc; i++) {
        if (!check(!virtio_blk_add(&b, &req, VIRTIO_BLK_T_IN, i % 64, sector, sizeof(sector), 0),
                   "read %u refused", i))
            break;
        virtqueue_kick(b.dev->vq);
        if ((rc = virtqueue_next(b.dev->vq, vt_timeout_ms, &token, &len)))
            vt_fail_ring(b.dev->vq, rc, "read %u, used_event left where it was", i);
    }
    if (!rc && !test_failed())
        test_note("no read waited for an interrupt: all there before the wait");
    virtio_blk_close(&b);
}
