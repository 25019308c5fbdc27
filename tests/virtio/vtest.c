/* The virtio tests' shared part (vtest.h). */
#include "arch.h"
#include "clock.h"
#include "test.h"
#include "vtest.h"
#include <stdarg.h>
#include <stdio.h>

uint32_t vt_requests = 3000;
uint32_t vt_timeout_ms = 1000;
OPTION(virtio_requests, "virtio.requests", BOOTARG_U32, &vt_requests,
       "requests per virtio test (default 3000)");
OPTION(virtio_timeout, "virtio.timeout_ms", BOOTARG_U32, &vt_timeout_ms,
       "how long a virtio request may take before it is a failure (default 1000)");

static const char *qemu_hint(uint32_t id)
{
    switch (id) {
    case VIRTIO_ID_RNG: return " (QEMU: -device virtio-rng-device, or virtio-rng-pci)";
    case VIRTIO_ID_BLOCK: return " (QEMU: -device virtio-blk-device, or virtio-blk-pci)";
    default: return "";
    }
}

struct virtio_dev *vt_device(uint32_t device_id)
{
    struct virtio_dev *d = virtio_find(device_id, 0);
    const char *problem = virtio_problem_at(device_id, 0);

    if (!d && problem)
        test_fail("%s", problem);
    else if (!d)
        test_skip("no virtio-%s device%s", virtio_id_name(device_id), qemu_hint(device_id));
    return d;
}

bool vt_setup(struct virtio_dev *d, const struct virtio_cfg *cfg)
{
    char why[160];
    int rc = virtio_setup(d, cfg, why, sizeof(why));

    if (rc)
        test_fail("%s: %s", virtio_strerror(rc), why);
    return rc == 0;
}

bool vt_open_scratch(struct virtio_blk *b, const struct virtio_cfg *cfg)
{
    char why[192];
    int rc;

    if (!virtio_find(VIRTIO_ID_BLOCK, 0)) {
        vt_device(VIRTIO_ID_BLOCK);     /* the skip or failure that says why */
        return false;
    }
    rc = virtio_blk_open(b, VT_SCRATCH_SERIAL, cfg, vt_timeout_ms, why, sizeof(why));
    if (rc == VIRTIO_BLK_NOT_FOUND) {
        test_skip("%s", why);
        return false;
    }
    if (rc && b->dev && b->dev->vq)
        vt_fail_ring(b->dev->vq, rc, "%s", why);
    else if (rc)
        test_fail("%s: %s", virtio_strerror(rc), why);
    if (rc)
        virtio_blk_close(b);
    return rc == 0;
}

void vt_describe(struct virtio_dev *d)
{
    struct virtqueue *vq = d->vq;

    test_yaml("device: {name: \"%s\", type: %s, %s, vendor: 0x%08x}", d->name,
              virtio_id_name(d->device_id), d->modern ? "modern: true" : "legacy: true",
              (unsigned)d->vendor_id);
    test_yaml("features: {offered: 0x%llx, negotiated: 0x%llx}", (unsigned long long)d->offered,
              (unsigned long long)d->features);
    if (vq)
        test_yaml("queue: {size: %u, event_idx: %s, completion: \"%s\"}", vq->num,
                  vq->event_idx ? "true" : "false", vq->use_irq ? d->irq_desc : "polled");
}

void vt_fail_ring(struct virtqueue *vq, int err, const char *fmt, ...)
{
    struct virtqueue_state s;
    char what[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    virtqueue_state(vq, &s);
    test_fail("%s: %s (avail %u, used %u, last_used %u)", what, virtio_blk_strerror(err),
              s.avail_idx, s.used_idx, s.last_used);
    test_yaml("ring:");
    test_yaml("  error: \"%s\"", virtio_blk_strerror(err));
    test_yaml("  size: %u", s.num);
    test_yaml("  avail_idx: %u", s.avail_idx);
    test_yaml("  used_idx: %u", s.used_idx);
    test_yaml("  last_used: %u", s.last_used);
    test_yaml("  in_flight: %u", s.in_flight);
    test_yaml("  free_descriptors: %u", s.nr_free);
    test_yaml("  used_event: %u", s.used_event);
    test_yaml("  avail_event: %u", s.avail_event);
    test_yaml("  avail_flags: 0x%x", s.avail_flags);
    test_yaml("  used_flags: 0x%x", s.used_flags);
    test_yaml("  device_status: 0x%02x", s.status);
    if (err == VIRTIO_ERR_BAD_USED)
        test_yaml("  bad_used: {id: %u, len: %u}", (unsigned)s.bad_id, (unsigned)s.bad_len);
    test_yaml("  counts: {added: %lu, completed: %lu, kicks: %lu, notifies: %lu, irqs: %lu, "
              "config_irqs: %lu, spurious: %lu}", s.added, s.completed, s.kicks, s.notifies,
              s.irqs, s.config_irqs, s.spurious);
}

/* xorshift64* */
uint32_t vt_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

static int pump_free_slot(const struct vt_pump *p)
{
    for (unsigned i = 0; i < p->nslots; i++)
        if (!(p->busy & (1ull << i)))
            return (int)i;
    return -1;
}

static int pump_issue(struct vt_pump *p, uint32_t total, uint64_t end)
{
    unsigned batch = 1 + vt_rand(&p->rs) % p->nslots, added = 0;
    int slot, rc;

    while (batch-- && p->issued < total && (slot = pump_free_slot(p)) >= 0) {
        if (end && clock_passed(end))
            break;
        if ((rc = p->issue(p, (unsigned)slot, &p->token[slot]))) {
            test_fail("request %u: %s", (unsigned)p->issued, virtio_blk_strerror(rc));
            return rc;
        }
        p->busy |= 1ull << slot;
        p->issued++;
        added++;
        if (vt_rand(&p->rs) % 4 == 0)
            virtqueue_kick(p->vq);
    }
    if (added)
        virtqueue_kick(p->vq);
    return 0;
}

static int pump_done(struct vt_pump *p, void *token, uint32_t len)
{
    for (unsigned i = 0; i < p->nslots; i++)
        if ((p->busy & (1ull << i)) && p->token[i] == token) {
            p->busy &= ~(1ull << i);
            p->completed++;
            return p->done(p, i, len) ? 0 : -1;
        }
    test_fail("completion %u: token %p is not a request in flight", (unsigned)p->completed, token);
    return -1;
}

int vt_pump(struct vt_pump *p, uint32_t total, unsigned ms)
{
    uint64_t end = ms ? clock_deadline_ms(ms) : 0, t0 = arch_counter();
    void *token;
    uint32_t len;
    int rc;

    p->busy = 0;
    p->issued = p->completed = 0;
    p->nslots = MIN(p->nslots, (unsigned)VT_MAX_SLOTS);
    if (!p->nslots) {
        test_fail("a queue of %u entries has no room for one request", p->vq->num);
        return -1;
    }
    for (;;) {
        if (p->issued < total && !(end && clock_passed(end)) && (rc = pump_issue(p, total, end)))
            return rc;
        if (!p->busy)
            break;
        if ((rc = virtqueue_next(p->vq, vt_timeout_ms, &token, &len))) {
            vt_fail_ring(p->vq, rc, "waiting for %u request(s) in flight, %u of %u done",
                         (unsigned)(p->issued - p->completed), (unsigned)p->completed,
                         (unsigned)p->issued);
            return rc;
        }
        do {
            if (pump_done(p, token, len))
                return -1;
        } while ((token = virtqueue_get_used(p->vq, &len, &rc)));
        if (rc) {
            vt_fail_ring(p->vq, rc, "after %u completions", (unsigned)p->completed);
            return rc;
        }
    }
    p->ticks = arch_counter() - t0;
    return 0;
}
