/* Negative controls (hidden; rows of tests/controls.cfg), on virtio-rng:
 * a request published but never notified (the device is never told: for
 * the guest, a device that never completes) must end in a failure with
 * the ring's indices, not a hang; an avail entry naming a descriptor
 * beyond the queue must be rejected by the device (a modern one sets
 * DEVICE_NEEDS_RESET and says so with a configuration interrupt), a
 * failure naming it. */
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
