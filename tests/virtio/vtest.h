/* What the virtio tests (tests/virtio/) share: their options, finding a
 * device (a skip when there is none, a failure when there is one the image
 * cannot use), and the report of a ring that stopped. */
#ifndef ORDERLY_TESTS_VTEST_H
#define ORDERLY_TESTS_VTEST_H

#include "virtio.h"
#include "virtio_blk.h"

/* The scratch disk the runner makes (PREPARE): the only one written to. */
#define VT_SCRATCH_SERIAL "orderly-scratch"

extern uint32_t vt_requests;    /* virtio.requests=: requests per test */
extern uint32_t vt_timeout_ms;  /* virtio.timeout_ms=: per wait */

/* The first device of a type, or NULL after a skip (none) or a failure
 * (one a transport found but could not use). */
struct virtio_dev *vt_device(uint32_t device_id);
/* Bring d up with cfg; false after a failure naming why. */
bool vt_setup(struct virtio_dev *d, const struct virtio_cfg *cfg);
/* The scratch disk brought up with cfg; false after a skip (no such disk)
 * or a failure (with the ring's state when a request stopped). */
bool vt_open_scratch(struct virtio_blk *b, const struct virtio_cfg *cfg);
/* The device, its negotiated features and its ring, in the YAML. */
void vt_describe(struct virtio_dev *d);
/* A failure naming err and what was waited for, with the ring's indices
 * and counts in the YAML (avail, used, last_used ...). */
void vt_fail_ring(struct virtqueue *vq, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Requests kept in flight on slots (at most VT_MAX_SLOTS): batches of a
 * random size, each kicked once at its end and at random points within,
 * completions taken as they come (one waited for, then all there). */
#define VT_MAX_SLOTS 64
struct vt_pump {
    struct virtqueue *vq;
    unsigned nslots;
    /* Add the request of `slot` (virtqueue_add): 0 and its token, or an error. */
    int (*issue)(struct vt_pump *p, unsigned slot, void **token);
    /* Check the request of `slot` the device completed with len: false
     * after a failure. */
    bool (*done)(struct vt_pump *p, unsigned slot, uint32_t len);
    void *arg;
    uint64_t rs;                    /* vt_rand state */
    /* the pump's */
    void *token[VT_MAX_SLOTS];
    uint64_t busy;
    uint32_t issued, completed;
    uint64_t ticks;                 /* the counter's ticks, first issue to last completion */
};
/* Issue `total` requests (or as many as fit in ms when ms is not 0) and
 * wait for all of them: 0, or negative after a failure (a request that
 * did not complete: vt_fail_ring). */
int vt_pump(struct vt_pump *p, uint32_t total, unsigned ms);
/* A small deterministic generator, seeded from the run's seed. */
uint32_t vt_rand(uint64_t *state);

#endif
