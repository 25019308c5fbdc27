/* The virtio core (include/virtio.h): the devices the transports found,
 * bringing one up, and its split virtqueue with EVENT_IDX or flag-based
 * notification suppression, completions by interrupt or by polling. */
#include "arch.h"
#include "clock.h"
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "virtio.h"
#include <asm/processor.h>
#include <barrier.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_VIRTIO_DEVS 8
#define MAX_PROBLEMS    4
#define RESET_MS        100
/* After a wait's timeout, how long a used entry that is there may still
 * wait for its interrupt before the interrupt counts as lost. */
#define IRQ_GRACE_MS    20

/* The legacy layout (spec 2.7.2): descriptors, the avail ring with
 * used_event, then at the next VIRTIO_RING_ALIGN the used ring with
 * avail_event. Modern devices take it too (three addresses). */
static size_t ring_layout(unsigned num, size_t *avail_off, size_t *used_off)
{
    *avail_off = 16 * num;
    *used_off = ALIGN_UP(*avail_off + 6 + 2 * num, (size_t)VIRTIO_RING_ALIGN);
    return *used_off + 6 + 8 * num;
}

#define RING_BYTES (ALIGN_UP(16 * VIRTQ_MAX_SIZE + 6 + 2 * VIRTQ_MAX_SIZE, VIRTIO_RING_ALIGN) + \
                    ALIGN_UP(6 + 8 * VIRTQ_MAX_SIZE, VIRTIO_RING_ALIGN))

static struct virtio_dev devs[MAX_VIRTIO_DEVS];
static struct virtqueue vqs[MAX_VIRTIO_DEVS];
static uint8_t ring_mem[MAX_VIRTIO_DEVS][RING_BYTES] __aligned(VIRTIO_RING_ALIGN);
static int nr_devs;
static struct {
    uint32_t id;
    char text[112];
} problems[MAX_PROBLEMS];
static int nr_problems;

struct virtio_dev *virtio_register(const struct virtio_dev *d)
{
    struct virtio_dev *n;

    if (nr_devs == MAX_VIRTIO_DEVS) {
        pr_warn("virtio: more than %d devices, %s ignored\n", MAX_VIRTIO_DEVS, d->name);
        return NULL;
    }
    n = &devs[nr_devs];
    *n = *d;
    n->ring_mem = ring_mem[nr_devs++];
    n->vq = NULL;
    n->irq_on = false;
    return n;
}

void virtio_problem(uint32_t device_id, const char *fmt, ...)
{
    va_list ap;
    char text[sizeof(problems[0].text)];

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    pr_warn("virtio: %s\n", text);
    if (nr_problems < MAX_PROBLEMS) {
        problems[nr_problems].id = device_id;
        memcpy(problems[nr_problems++].text, text, sizeof(text));
    }
}

struct virtio_dev *virtio_dev_at(int idx)
{
    return idx >= 0 && idx < nr_devs ? &devs[idx] : NULL;
}

struct virtio_dev *virtio_find(uint32_t device_id, int idx)
{
    for (int i = 0; i < nr_devs; i++)
        if (devs[i].device_id == device_id && idx-- == 0)
            return &devs[i];
    return NULL;
}

const char *virtio_problem_at(uint32_t device_id, int idx)
{
    for (int i = 0; i < nr_problems; i++)
        if ((!device_id || problems[i].id == device_id) && idx-- == 0)
            return problems[i].text;
    return NULL;
}

const char *virtio_id_name(uint32_t device_id)
{
    switch (device_id) {
    case 1: return "net";
    case VIRTIO_ID_BLOCK: return "blk";
    case 3: return "console";
    case VIRTIO_ID_RNG: return "rng";
    case 5: return "balloon";
    case 8: return "scsi";
    case 9: return "9p";
    case 16: return "gpu";
    case 18: return "input";
    case 19: return "vsock";
    default: return "other";
    }
}

const char *virtio_strerror(int err)
{
    switch (err) {
    case 0: return "ok";
    case VIRTIO_ERR_TIMEOUT: return "no completion in time";
    case VIRTIO_ERR_LOST_IRQ: return "completed, but the interrupt never came";
    case VIRTIO_ERR_REJECTED: return "the device rejected the ring (DEVICE_NEEDS_RESET)";
    case VIRTIO_ERR_BAD_USED: return "a used entry names no chain in flight";
    case VIRTIO_ERR_FULL: return "the ring is full";
    case VIRTIO_ERR_FEATURES: return "feature negotiation failed";
    case VIRTIO_ERR_QUEUE: return "no usable queue";
    case VIRTIO_ERR_IRQ: return "no interrupt";
    case VIRTIO_ERR_STATUS: return "the device does not reset";
    default: return "unknown error";
    }
}

uint8_t virtio_status(struct virtio_dev *d)
{
    return d->t->get_status(d);
}

uint64_t virtio_config(struct virtio_dev *d, unsigned off, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n && i < 8; i++) {
        uint64_t b = d->t->config_byte(d, off + i);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = d->modern ? v | b << (8 * i) : v << 8 | b;
#else
        v |= b << (8 * i);
#endif
    }
    return v;
}

/* Spec 2.4: writing 0 resets; a modern device reads 0 once it is done. */
static int reset(struct virtio_dev *d)
{
    uint64_t end = clock_deadline_ms(RESET_MS);

    d->t->set_status(d, 0);
    while (d->t->get_status(d)) {
        if (clock_passed(end))
            return -1;
        cpu_relax();
    }
    return 0;
}

/* The device's interrupt, with interrupts off before the controller's
 * end-of-interrupt: acknowledging the status lowers the line. The waiter
 * (virtqueue_wait) reads the ring itself; this only counts. */
static void virtio_interrupt(void *arg)
{
    struct virtio_dev *d = arg;
    uint32_t isr = d->t->isr_ack(d);

    if (!isr) {
        WRITE_ONCE(d->spurious, d->spurious + 1);
        return;
    }
    WRITE_ONCE(d->isrs, d->isrs + 1);
    if (isr & VIRTIO_ISR_CONFIG)
        WRITE_ONCE(d->config_irqs, d->config_irqs + 1);
    if ((isr & VIRTIO_ISR_QUEUE) && d->vq)
        WRITE_ONCE(d->vq->irqs, d->vq->irqs + 1);
}

static void release(struct virtio_dev *d)
{
    if (d->irq_on)
        irq_release(virtio_interrupt, d);
    d->irq_on = false;
    d->vq = NULL;
}

void virtio_teardown(struct virtio_dev *d)
{
    reset(d);
    release(d);
}

static int request_irq(struct virtio_dev *d, char *why, size_t len)
{
    const void *dtb;
    struct dt_irq line;
    int id;

    if (d->t->irq_line(d, &dtb, &line, why, len))
        return VIRTIO_ERR_IRQ;
    id = irq_request(dtb, line.parent, line.spec, line.cells, virtio_interrupt, d, why, len);
    if (id < 0)
        return VIRTIO_ERR_IRQ;
    snprintf(d->irq_desc, sizeof(d->irq_desc), "%s id %d", arch_irq_controller(), id);
    d->irq_on = true;
    return 0;
}

/* Interrupts off for good (polling): without EVENT_IDX the flag; with it
 * a used_event the device's index reaches only after wrapping. */
static void suppress_irqs(struct virtqueue *vq)
{
    if (vq->event_idx)
        WRITE_ONCE(*vq->used_event, virtio16(vq->dev, (uint16_t)(vq->last_used - 1)));
    else
        WRITE_ONCE(vq->avail->flags, virtio16(vq->dev, VRING_AVAIL_F_NO_INTERRUPT));
}

static int setup_queue(struct virtio_dev *d, const struct virtio_cfg *cfg, char *why, size_t len)
{
    struct virtqueue *vq = &vqs[d - devs];
    unsigned max = d->t->queue_max(d, 0), num = cfg->qsize ? cfg->qsize : VIRTQ_MAX_SIZE;
    size_t avail_off, used_off, size;
    uint8_t *mem = d->ring_mem;
    int rc;

    if (!max) {
        snprintf(why, len, "%s has no queue 0", d->name);
        return VIRTIO_ERR_QUEUE;
    }
    num = MIN(num, MIN(max, (unsigned)VIRTQ_MAX_SIZE));
    while (num & (num - 1))             /* a power of two (legacy requires it) */
        num &= num - 1;
    size = ring_layout(num, &avail_off, &used_off);
    memset(mem, 0, size);
    memset(vq, 0, sizeof(*vq));
    vq->dev = d;
    vq->num = num;
    vq->desc = (struct vring_desc *)mem;
    vq->avail = (struct vring_avail *)(mem + avail_off);
    vq->used = (struct vring_used *)(mem + used_off);
    vq->used_event = &vq->avail->ring[num];
    vq->avail_event = (uint16_t *)&vq->used->ring[num];
    vq->event_idx = !!(d->features & VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX));
    vq->use_irq = cfg->use_irq;
    vq->nr_free = num;
    for (unsigned i = 0; i < num; i++)      /* the free list runs through next */
        vq->desc[i].next = virtio16(d, (uint16_t)((i + 1) % num));
    if (!vq->use_irq)
        suppress_irqs(vq);
    /* the transport's register writes (writel) order the stores above before them */
    rc = d->t->queue_enable(d, 0, num, d->t->dma_addr(d, vq->desc), d->t->dma_addr(d, vq->avail),
                            d->t->dma_addr(d, vq->used), why, len);
    if (rc)
        return VIRTIO_ERR_QUEUE;
    d->vq = vq;
    return 0;
}

int virtio_setup(struct virtio_dev *d, const struct virtio_cfg *cfg, char *why, size_t len)
{
    const struct virtio_transport *t = d->t;
    uint8_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
    uint64_t accept = cfg->want | VIRTIO_BIT(VIRTIO_F_VERSION_1) |
                      VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    int rc;

    release(d);
    if (reset(d)) {
        snprintf(why, len, "%s: status 0x%02x %u ms after a reset, not 0", d->name,
                 t->get_status(d), RESET_MS);
        return VIRTIO_ERR_STATUS;
    }
    t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    t->set_status(d, status);
    d->offered = t->get_features(d);
    if (cfg->event_idx)
        accept |= VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX);
    if (!d->modern)
        accept &= 0xffffffffu;          /* a legacy device has 32 feature bits */
    d->features = d->offered & accept;
    if (d->modern && !(d->offered & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
        snprintf(why, len, "%s: a modern transport, but VIRTIO_F_VERSION_1 is not offered "
                 "(features 0x%llx)", d->name, (unsigned long long)d->offered);
        rc = VIRTIO_ERR_FEATURES;
        goto fail;
    }
    t->set_features(d, d->features);
    if (d->modern) {
        status |= VIRTIO_STATUS_FEATURES_OK;
        t->set_status(d, status);
        if (!(t->get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
            snprintf(why, len, "%s did not accept features 0x%llx (offered 0x%llx): "
                     "FEATURES_OK does not stick", d->name, (unsigned long long)d->features,
                     (unsigned long long)d->offered);
            rc = VIRTIO_ERR_FEATURES;
            goto fail;
        }
    }
    if ((rc = setup_queue(d, cfg, why, len)))
        goto fail;
    if (cfg->use_irq && (rc = request_irq(d, why, len)))
        goto fail;
    t->set_status(d, status | VIRTIO_STATUS_DRIVER_OK);
    if (t->get_status(d) & VIRTIO_STATUS_NEEDS_RESET) {
        snprintf(why, len, "%s wants a reset right after DRIVER_OK (status 0x%02x)", d->name,
                 t->get_status(d));
        rc = VIRTIO_ERR_REJECTED;
        goto fail;
    }
    return 0;
fail:
    t->set_status(d, t->get_status(d) | VIRTIO_STATUS_FAILED);
    virtio_teardown(d);
    return rc;
}

/* ---- the split ring ---- */

static inline bool vring_need_event(uint16_t event, uint16_t new, uint16_t old)
{
    return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs, unsigned out, unsigned in,
                  void *token)
{
    struct virtio_dev *d = vq->dev;
    unsigned n = out + in;
    uint16_t head = vq->free_head, i = head;
    uint32_t writable = 0;

    if (!n || n > vq->nr_free)
        return VIRTIO_ERR_FULL;
    for (unsigned k = 0; k < n; k++) {
        struct vring_desc *dp = &vq->desc[i];
        dp->addr = virtio64(d, d->t->dma_addr(d, bufs[k].addr));
        dp->len = virtio32(d, bufs[k].len);
        dp->flags = virtio16(d, (k >= out ? VRING_DESC_F_WRITE : 0) |
                                (k + 1 < n ? VRING_DESC_F_NEXT : 0));
        if (k >= out)
            writable += bufs[k].len;
        i = virtio16(d, dp->next);      /* the free list's next is the chain's */
    }
    vq->free_head = i;
    vq->nr_free -= n;
    vq->token[head] = token;
    vq->chain[head] = (uint16_t)n;
    vq->writable[head] = writable;
    vq->avail->ring[vq->avail_idx % vq->num] = virtio16(d, head);
    vq->avail_idx++;
    vq->in_flight++;
    vq->added++;
    return 0;
}

void virtqueue_publish_raw(struct virtqueue *vq, uint16_t head)
{
    vq->avail->ring[vq->avail_idx % vq->num] = virtio16(vq->dev, head);
    vq->avail_idx++;
}

bool virtqueue_kick_prepare(struct virtqueue *vq)
{
    struct virtio_dev *d = vq->dev;
    uint16_t old = vq->kicked_idx, new = vq->avail_idx;
    bool need;

    /* the descriptors and avail entries before the index that publishes them */
    virt_wmb();
    WRITE_ONCE(vq->avail->idx, virtio16(d, new));
    vq->kicked_idx = new;
    /* the index before reading whether the device wants a notification:
     * else the device may go idle having read the old index while this
     * reads its old "no notify" (both sides skip: a stalled queue) */
    virt_mb();
    if (vq->event_idx)
        need = vring_need_event(virtio16(d, READ_ONCE(*vq->avail_event)), new, old);
    else
        need = !(virtio16(d, READ_ONCE(vq->used->flags)) & VRING_USED_F_NO_NOTIFY);
    vq->kicks++;
    return need;
}

void virtqueue_notify(struct virtqueue *vq)
{
    vq->notifies++;
    vq->dev->t->notify(vq->dev, vq->index);
}

bool virtqueue_kick(struct virtqueue *vq)
{
    bool need = virtqueue_kick_prepare(vq);

    if (need)
        virtqueue_notify(vq);
    return need;
}

static uint16_t used_idx(const struct virtqueue *vq)
{
    return virtio16(vq->dev, READ_ONCE(vq->used->idx));
}

static void free_chain(struct virtqueue *vq, uint16_t head)
{
    uint16_t last = head;

    for (unsigned k = 1; k < vq->chain[head]; k++)
        last = virtio16(vq->dev, vq->desc[last].next);
    vq->desc[last].next = virtio16(vq->dev, vq->free_head);
    vq->free_head = head;
    vq->nr_free += vq->chain[head];
    vq->chain[head] = 0;
    vq->token[head] = NULL;
}

void *virtqueue_get_used(struct virtqueue *vq, uint32_t *len, int *err)
{
    struct virtio_dev *d = vq->dev;
    struct vring_used_elem *e;
    uint32_t id, l;
    void *token;

    *err = 0;
    if (used_idx(vq) == vq->last_used)
        return NULL;
    virt_rmb();                         /* the index before the entry it covers */
    e = &vq->used->ring[vq->last_used % vq->num];
    id = virtio32(d, READ_ONCE(e->id));
    l = virtio32(d, READ_ONCE(e->len));
    if (id >= vq->num || !vq->chain[id] || l > vq->writable[id]) {
        vq->bad_id = id;
        vq->bad_len = l;
        *err = VIRTIO_ERR_BAD_USED;
        return NULL;
    }
    token = vq->token[id];
    free_chain(vq, (uint16_t)id);
    vq->last_used++;
    vq->in_flight--;
    vq->completed++;
    /* the next interrupt at the next entry; the store before the next read
     * of the used index, or an entry the device adds meanwhile may come
     * without an interrupt and be found only by a later read */
    if (vq->use_irq && vq->event_idx && !vq->frozen_used_event)
        virt_store_mb(*vq->used_event, virtio16(d, vq->last_used));
    *len = l;
    return token;
}

/* Ask for an interrupt at the next used entry; false when one is there
 * already (it may have come before the request was visible: no interrupt
 * is owed for it). */
static bool arm_irq(struct virtqueue *vq)
{
    if (vq->event_idx && !vq->frozen_used_event)
        WRITE_ONCE(*vq->used_event, virtio16(vq->dev, vq->last_used));
    else if (!vq->event_idx)
        WRITE_ONCE(vq->avail->flags, 0);
    virt_mb();                          /* the request before reading the index */
    return used_idx(vq) == vq->last_used;
}

static int timed_out(struct virtqueue *vq)
{
    struct virtio_dev *d = vq->dev;
    uint64_t grace;

    if (virtio_status(d) & VIRTIO_STATUS_NEEDS_RESET)
        return VIRTIO_ERR_REJECTED;
    if (used_idx(vq) == vq->last_used)
        return VIRTIO_ERR_TIMEOUT;
    if (!vq->use_irq)
        return 0;
    unsigned long seen = READ_ONCE(vq->irqs);
    for (grace = clock_deadline_ms(IRQ_GRACE_MS); !clock_passed(grace); cpu_relax())
        if (READ_ONCE(vq->irqs) != seen)
            return 0;
    return VIRTIO_ERR_LOST_IRQ;
}

/* Polls between reads of the counter (a device access under QEMU on some
 * arches): the deadline is checked every POLL_BATCH rounds. */
#define POLL_BATCH 64

/* A configuration interrupt not looked at yet: the device may have set
 * DEVICE_NEEDS_RESET (it may have come before this wait began: a kick
 * runs the device synchronously under TCG). */
static bool config_says_reset(struct virtio_dev *d)
{
    unsigned long n = READ_ONCE(d->config_irqs);

    if (n == d->config_seen)
        return false;
    d->config_seen = n;
    return virtio_status(d) & VIRTIO_STATUS_NEEDS_RESET;
}

int virtqueue_wait(struct virtqueue *vq, unsigned timeout_ms)
{
    struct virtio_dev *d = vq->dev;
    uint64_t end = clock_deadline_ms(timeout_ms);

    for (unsigned polls = 1;; polls++) {
        if (used_idx(vq) != vq->last_used)
            return 0;
        if (vq->use_irq) {
            unsigned long seen = READ_ONCE(vq->irqs);
            if (!arm_irq(vq))
                return 0;
            for (unsigned spin = 1; READ_ONCE(vq->irqs) == seen; spin++) {
                if (config_says_reset(d))
                    return VIRTIO_ERR_REJECTED;
                if (spin % POLL_BATCH == 0 && clock_passed(end))
                    return timed_out(vq);
                cpu_relax();
            }
            if (config_says_reset(d))
                return VIRTIO_ERR_REJECTED;
            continue;
        }
        if (polls % POLL_BATCH == 0) {
            if (clock_passed(end))
                return timed_out(vq);
            if (polls % (16 * POLL_BATCH) == 0 && (virtio_status(d) & VIRTIO_STATUS_NEEDS_RESET))
                return VIRTIO_ERR_REJECTED;
        }
        cpu_relax();
    }
}

int virtqueue_next(struct virtqueue *vq, unsigned timeout_ms, void **token, uint32_t *len)
{
    int err;

    for (;;) {
        if ((*token = virtqueue_get_used(vq, len, &err)) || err)
            return err;
        if ((err = virtqueue_wait(vq, timeout_ms)))
            return err;
    }
}

void virtqueue_state(struct virtqueue *vq, struct virtqueue_state *s)
{
    struct virtio_dev *d = vq->dev;

    *s = (struct virtqueue_state){
        .num = vq->num, .in_flight = vq->in_flight, .nr_free = vq->nr_free,
        .avail_idx = virtio16(d, READ_ONCE(vq->avail->idx)), .used_idx = used_idx(vq),
        .last_used = vq->last_used, .used_event = virtio16(d, READ_ONCE(*vq->used_event)),
        .avail_event = virtio16(d, READ_ONCE(*vq->avail_event)),
        .avail_flags = virtio16(d, READ_ONCE(vq->avail->flags)),
        .used_flags = virtio16(d, READ_ONCE(vq->used->flags)), .status = virtio_status(d),
        .bad_id = vq->bad_id, .bad_len = vq->bad_len,
        .added = vq->added, .completed = vq->completed, .kicks = vq->kicks,
        .notifies = vq->notifies, .irqs = READ_ONCE(vq->irqs),
        .config_irqs = READ_ONCE(d->config_irqs), .spurious = READ_ONCE(d->spurious),
    };
}
