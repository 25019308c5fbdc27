/* virtio-blk (virtio 1.2 section 5.2) on the virtio core: a request is a
 * chain of its header (device-readable), its data (one or two
 * descriptors) and a status byte (device-writable); GET_ID reads the
 * disk's serial, by which the disk to write is found: every other disk
 * gets nothing but GET_ID. drivers/virtio_blk.c. */
#ifndef ORDERLY_VIRTIO_BLK_H
#define ORDERLY_VIRTIO_BLK_H

#include "compiler.h"
#include "virtio.h"

#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_T_FLUSH      4
#define VIRTIO_BLK_T_GET_ID     8
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_S_IOERR      1
#define VIRTIO_BLK_S_UNSUPP     2
#define VIRTIO_BLK_SECTOR       512
#define VIRTIO_BLK_ID_BYTES     20

#define VIRTIO_BLK_NOT_FOUND    (-20)   /* no virtio-blk with that serial */
#define VIRTIO_BLK_READ_ONLY    (-21)   /* a write to a disk not opened for it */

/* One request; header and status are read and written by the device
 * until it completes (the request is the chain's token). */
struct virtio_blk_req {
    struct {
        uint32_t type, reserved;
        uint64_t sector;
    } hdr;                      /* in the device's byte order */
    uint8_t status;
    /* the caller's view */
    unsigned type;
    uint64_t sector;
    void *data;
    uint32_t len;
    void *user;
};

struct virtio_blk {
    struct virtio_dev *dev;
    uint64_t capacity;          /* 512-byte sectors */
    char serial[VIRTIO_BLK_ID_BYTES + 1];
    bool read_only;             /* the device offers VIRTIO_BLK_F_RO */
    bool writable;              /* the disk asked for by its serial, and not read-only */
    bool flush;                 /* VIRTIO_BLK_F_FLUSH negotiated */
    char others[96];            /* the other disks asked and left alone: "name \"serial\"", ... */
};

/* The virtio-blk whose GET_ID serial is `serial`, brought up with cfg
 * (RO and FLUSH accepted besides cfg->want): 0; VIRTIO_BLK_NOT_FOUND
 * (why names the serials seen); or the VIRTIO_ERR_* of a disk that could
 * not be brought up or asked, b->dev then that disk, still up when its
 * GET_ID failed (for virtqueue_state), until virtio_blk_close(). */
int virtio_blk_open(struct virtio_blk *b, const char *serial, const struct virtio_cfg *cfg,
                    unsigned timeout_ms, char *why, size_t len);
void virtio_blk_close(struct virtio_blk *b);
/* Queue a request (no kick): len bytes at data for sector (IN, OUT), the
 * data in two descriptors split at `split` when 0 < split < len. OUT and
 * FLUSH only on a writable disk (else VIRTIO_BLK_READ_ONLY). */
int virtio_blk_add(struct virtio_blk *b, struct virtio_blk_req *r, unsigned type, uint64_t sector,
                   void *data, uint32_t len, uint32_t split);
/* The bytes the device must say it wrote for a request: data and status
 * for IN and GET_ID, the status alone otherwise. */
uint32_t virtio_blk_written(const struct virtio_blk_req *r);
const char *virtio_blk_strerror(int err);

#endif
