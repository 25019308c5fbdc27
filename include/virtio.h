/* virtio devices (the virtio 1.2 specification; legacy virtio-mmio, its
 * version 1, too): the transport-neutral core (kernel/virtio.c) with
 * feature negotiation, one split virtqueue per device and its
 * notifications, and the transports below it (drivers/virtio_mmio.c,
 * drivers/virtio_pci.c), which register what they find with
 * virtio_register().
 *
 * Every ring barrier is a virt_*() one (include/barrier.h): the device is
 * another agent sharing memory with the guest whatever the build, so a
 * uniprocessor image (SMP=n) orders its rings exactly as an SMP one.
 * A modern device (virtio 1.x) has a little-endian ring and configuration
 * space; a legacy one the guest's own byte order (virtio16() and co.). */
#ifndef ORDERLY_VIRTIO_H
#define ORDERLY_VIRTIO_H

#include "compiler.h"
#include <io.h>

/* Device types (spec 5) */
#define VIRTIO_ID_BLOCK         2
#define VIRTIO_ID_RNG           4

/* Device status (spec 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE   0x01
#define VIRTIO_STATUS_DRIVER        0x02
#define VIRTIO_STATUS_DRIVER_OK     0x04
#define VIRTIO_STATUS_FEATURES_OK   0x08
#define VIRTIO_STATUS_NEEDS_RESET   0x40
#define VIRTIO_STATUS_FAILED        0x80

/* Feature bits shared by every device type (spec 6) */
#define VIRTIO_F_NOTIFY_ON_EMPTY    24
#define VIRTIO_F_ANY_LAYOUT         27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_ACCESS_PLATFORM    33
#define VIRTIO_F_RING_PACKED        34
#define VIRTIO_BIT(n)               (1ull << (n))

/* Interrupt status (ISR) bits */
#define VIRTIO_ISR_QUEUE            0x1
#define VIRTIO_ISR_CONFIG           0x2

/* The split virtqueue (spec 2.7), in the device's byte order. */
struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
#define VRING_DESC_F_NEXT           1
#define VRING_DESC_F_WRITE          2

struct vring_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];            /* then used_event (EVENT_IDX) */
};
#define VRING_AVAIL_F_NO_INTERRUPT  1

struct vring_used_elem {
    uint32_t id;
    uint32_t len;
};

struct vring_used {
    uint16_t flags;
    uint16_t idx;
    struct vring_used_elem ring[];  /* then avail_event (EVENT_IDX) */
};
#define VRING_USED_F_NO_NOTIFY      1

#define VIRTQ_MAX_SIZE      256     /* the largest ring the core sets up */
#define VIRTIO_RING_ALIGN   4096    /* the used ring's alignment (legacy layout) */

/* Errors (virtio_strerror() names them) */
#define VIRTIO_ERR_TIMEOUT  (-1)    /* no completion within the timeout: the device says nothing */
#define VIRTIO_ERR_LOST_IRQ (-2)    /* the used index moved, the interrupt never came */
#define VIRTIO_ERR_REJECTED (-3)    /* the device set DEVICE_NEEDS_RESET: it rejected the ring */
#define VIRTIO_ERR_BAD_USED (-4)    /* a used entry names a chain not in flight, or too long */
#define VIRTIO_ERR_FULL     (-5)    /* not enough free descriptors */
#define VIRTIO_ERR_FEATURES (-6)    /* a feature negotiation the device did not accept */
#define VIRTIO_ERR_QUEUE    (-7)    /* no usable queue, or the device did not take the ring */
#define VIRTIO_ERR_IRQ      (-8)    /* no interrupt line for the device */
#define VIRTIO_ERR_STATUS   (-9)    /* the device does not come out of reset */

struct virtio_dev;
struct dt_irq;

/* What a transport does (mmio registers, PCI capabilities). */
struct virtio_transport {
    const char *name;           /* "virtio-mmio", "virtio-pci" */
    uint8_t (*get_status)(struct virtio_dev *d);
    void (*set_status)(struct virtio_dev *d, uint8_t status);
    uint64_t (*get_features)(struct virtio_dev *d);
    void (*set_features)(struct virtio_dev *d, uint64_t features);
    uint8_t (*config_byte)(struct virtio_dev *d, unsigned off);
    /* Queue q's largest size; 0 when the device has no such queue. */
    unsigned (*queue_max)(struct virtio_dev *d, unsigned q);
    /* Give the device queue q of `size` entries at the three areas' DMA
     * addresses (contiguous, the legacy layout); 0, or negative with why. */
    int (*queue_enable)(struct virtio_dev *d, unsigned q, unsigned size, uint64_t desc,
                        uint64_t avail, uint64_t used, char *why, size_t len);
    void (*notify)(struct virtio_dev *d, unsigned q);
    /* Read and acknowledge the interrupt status (VIRTIO_ISR_*). */
    uint32_t (*isr_ack)(struct virtio_dev *d);
    /* The device's interrupt: the DT interrupt specifier and its tree. */
    int (*irq_line)(struct virtio_dev *d, const void **dtb, struct dt_irq *out, char *why,
                    size_t len);
    /* The address the device uses for RAM at p. */
    uint64_t (*dma_addr)(struct virtio_dev *d, const void *p);
};

/* A split virtqueue and the driver's shadow of it. */
struct virtqueue {
    struct virtio_dev *dev;
    unsigned index, num;
    struct vring_desc *desc;
    struct vring_avail *avail;
    struct vring_used *used;
    uint16_t *used_event;       /* avail->ring[num] */
    uint16_t *avail_event;      /* (uint16_t *)&used->ring[num] */
    bool event_idx;             /* VIRTIO_RING_F_EVENT_IDX negotiated */
    bool use_irq;               /* completions awaited by interrupt, else polled */
    /* For the lost-interrupt control only: used_event is never moved on
     * (the EVENT_IDX driver bug: the device owes no further interrupt). */
    bool frozen_used_event;
    uint16_t avail_idx;         /* the next avail entry (published by a kick) */
    uint16_t kicked_idx;        /* avail_idx at the last kick */
    uint16_t last_used;         /* the next used entry to read */
    uint16_t free_head;
    unsigned nr_free, in_flight;
    /* counts since the queue was set up */
    unsigned long added, completed, kicks, notifies, irqs;
    uint32_t bad_id, bad_len;   /* the used entry VIRTIO_ERR_BAD_USED named */
    void *token[VIRTQ_MAX_SIZE];
    uint16_t chain[VIRTQ_MAX_SIZE];     /* descriptors in the chain a head starts */
    uint32_t writable[VIRTQ_MAX_SIZE];  /* bytes the device may write in it */
};

struct virtio_dev {
    const struct virtio_transport *t;
    void *priv;                 /* the transport's */
    char name[48];              /* "virtio-mmio@0xa003e00", "virtio-pci 00.3" */
    uint32_t device_id, vendor_id;
    bool modern;                /* virtio 1.x: VERSION_1, little-endian */
    uint64_t offered, features; /* what the device offers; what was negotiated */
    struct virtqueue *vq;       /* queue 0, once set up */
    uint8_t *ring_mem;
    bool irq_on;
    char irq_desc[64];          /* "gicv2 id 63" */
    /* written by the interrupt handler */
    unsigned long isrs, config_irqs, spurious;
    unsigned long config_seen;  /* config_irqs the waiter has looked at */
};

/* The device's byte order for the ring and the requests it reads. */
static inline uint16_t virtio16(const struct virtio_dev *d, uint16_t v)
{ return d->modern ? cpu_to_le16(v) : v; }
static inline uint32_t virtio32(const struct virtio_dev *d, uint32_t v)
{ return d->modern ? cpu_to_le32(v) : v; }
static inline uint64_t virtio64(const struct virtio_dev *d, uint64_t v)
{ return d->modern ? cpu_to_le64(v) : v; }

/* ---- transports ---- */
/* A device a transport found (probe time): the core copies *d; NULL when
 * the table is full. */
struct virtio_dev *virtio_register(const struct virtio_dev *d);
/* One the transport found but cannot use (device_id 0 when not known):
 * the devices report and the tests of that type fail with it. */
void virtio_problem(uint32_t device_id, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- drivers and tests ---- */
/* Every device found, in probe order; NULL past the last. */
struct virtio_dev *virtio_dev_at(int idx);
/* The idx-th device of a type (0 the first); NULL past the last. */
struct virtio_dev *virtio_find(uint32_t device_id, int idx);
/* The idx-th problem of a type (device_id 0: every problem), or NULL. */
const char *virtio_problem_at(uint32_t device_id, int idx);
const char *virtio_id_name(uint32_t device_id);    /* "blk", "rng" ... "other" */
const char *virtio_strerror(int err);

struct virtio_cfg {
    uint64_t want;              /* device-type features to accept when offered */
    bool event_idx;             /* negotiate VIRTIO_RING_F_EVENT_IDX when offered */
    bool use_irq;               /* take the device's interrupt (else poll) */
    unsigned qsize;             /* queue 0 size wanted (0: the largest, at most VIRTQ_MAX_SIZE) */
};

/* Bring the device up (spec 3.1.1): reset, ACKNOWLEDGE, DRIVER, the
 * features (cfg->want and EVENT_IDX when asked for and offered;
 * VERSION_1 for a modern device, ACCESS_PLATFORM when offered),
 * FEATURES_OK (modern: it must stick), queue 0, the interrupt (cfg
 * use_irq), DRIVER_OK. 0, or a VIRTIO_ERR_* with why; on an error FAILED
 * is set, then the device reset (its interrupt released). */
int virtio_setup(struct virtio_dev *d, const struct virtio_cfg *cfg, char *why, size_t len);
/* Reset the device (its DMA stops), release its interrupt. */
void virtio_teardown(struct virtio_dev *d);
uint8_t virtio_status(struct virtio_dev *d);
/* Configuration space, n (1, 2, 4, 8) bytes at off, in the CPU's order. */
uint64_t virtio_config(struct virtio_dev *d, unsigned off, unsigned n);

/* One buffer of a chain. */
struct virtio_buf {
    void *addr;
    uint32_t len;
};
/* Add a chain: out device-readable buffers, then in device-writable ones;
 * token (not NULL) comes back with its completion. Visible to the device
 * at the next kick. 0 or VIRTIO_ERR_FULL. */
int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs, unsigned out, unsigned in,
                  void *token);
/* Publish what was added (virt_wmb, then the avail index) and say whether
 * the device wants a notification (virt_mb, then avail_event with
 * EVENT_IDX, else the used ring's NO_NOTIFY flag). */
bool virtqueue_kick_prepare(struct virtqueue *vq);
void virtqueue_notify(struct virtqueue *vq);
/* Both; true when the device was notified. */
bool virtqueue_kick(struct virtqueue *vq);
/* The next completed chain's token and the length the device wrote; NULL
 * when there is none yet, or on a used entry that names no chain in
 * flight (*err = VIRTIO_ERR_BAD_USED; else *err = 0). */
void *virtqueue_get_used(struct virtqueue *vq, uint32_t *len, int *err);
/* The next completion: its token (non-NULL) and length, waiting for it
 * (virtqueue_wait) when none is there. 0 or the wait's or get_used's error. */
int virtqueue_next(struct virtqueue *vq, unsigned timeout_ms, void **token, uint32_t *len);
/* Wait until a used entry is there: by the interrupt (re-armed first,
 * then the ring read again: one that raced with the re-arming is
 * found, not waited for) or by polling. 0; VIRTIO_ERR_TIMEOUT with nothing
 * new in timeout_ms, VIRTIO_ERR_LOST_IRQ when the used index moved but no
 * interrupt came, VIRTIO_ERR_REJECTED when the device wants a reset. */
int virtqueue_wait(struct virtqueue *vq, unsigned timeout_ms);
/* For the ring-rejection control only: publish an avail entry naming
 * head `head`, which need not be a chain (or even < num). */
void virtqueue_publish_raw(struct virtqueue *vq, uint16_t head);

/* The ring as the driver and the device see it now, for a report. */
struct virtqueue_state {
    unsigned num, in_flight, nr_free;
    uint16_t avail_idx, used_idx, last_used, used_event, avail_event;
    uint16_t avail_flags, used_flags;
    uint8_t status;
    uint32_t bad_id, bad_len;
    unsigned long added, completed, kicks, notifies, irqs, config_irqs, spurious;
};
void virtqueue_state(struct virtqueue *vq, struct virtqueue_state *s);

#endif
