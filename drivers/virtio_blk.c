/* virtio-blk requests and the disk found by its serial (include/virtio_blk.h). */
#include "virtio_blk.h"
#include <stdio.h>
#include <string.h>

int virtio_blk_add(struct virtio_blk *b, struct virtio_blk_req *r, unsigned type, uint64_t sector,
                   void *data, uint32_t len, uint32_t split)
{
    struct virtio_dev *d = b->dev;
    struct virtio_buf bufs[4];
    unsigned n = 0, out;

    if ((type == VIRTIO_BLK_T_OUT || type == VIRTIO_BLK_T_FLUSH) && !b->writable)
        return VIRTIO_BLK_READ_ONLY;
    r->hdr.type = virtio32(d, type);
    r->hdr.reserved = 0;
    r->hdr.sector = virtio64(d, sector);
    r->status = 0xff;
    r->type = type;
    r->sector = sector;
    r->data = data;
    r->len = len;
    bufs[n++] = (struct virtio_buf){ &r->hdr, sizeof(r->hdr) };
    if (len && split && split < len) {
        bufs[n++] = (struct virtio_buf){ data, split };
        bufs[n++] = (struct virtio_buf){ (uint8_t *)data + split, len - split };
    } else if (len) {
        bufs[n++] = (struct virtio_buf){ data, len };
    }
    out = type == VIRTIO_BLK_T_OUT ? n : 1;
    bufs[n++] = (struct virtio_buf){ &r->status, 1 };
    return virtqueue_add(d->vq, bufs, out, n - out, r);
}

uint32_t virtio_blk_written(const struct virtio_blk_req *r)
{
    bool reads = r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_GET_ID;

    return (reads ? r->len : 0) + 1;
}

const char *virtio_blk_strerror(int err)
{
    switch (err) {
    case VIRTIO_BLK_NOT_FOUND: return "no virtio-blk with that serial";
    case VIRTIO_BLK_READ_ONLY: return "a write to a disk not opened for writing";
    default: return virtio_strerror(err);
    }
}

/* GET_ID, waited for; the serial NUL-terminated. */
static int get_id(struct virtio_blk *b, char *serial, unsigned timeout_ms)
{
    static struct virtio_blk_req req;
    static char id[VIRTIO_BLK_ID_BYTES] __aligned(8);
    void *token;
    uint32_t len;
    int rc;

    memset(id, 0, sizeof(id));
    if ((rc = virtio_blk_add(b, &req, VIRTIO_BLK_T_GET_ID, 0, id, sizeof(id), 0)))
        return rc;
    virtqueue_kick(b->dev->vq);
    if ((rc = virtqueue_next(b->dev->vq, timeout_ms, &token, &len)))
        return rc;
    if (token != &req || req.status != VIRTIO_BLK_S_OK)
        serial[0] = 0;                  /* no serial: matches nothing asked for */
    else
        memcpy(serial, id, sizeof(id));
    serial[VIRTIO_BLK_ID_BYTES] = 0;
    for (char *c = serial; *c; c++)     /* printable in a report (and unlike any asked for) */
        if (*c < 0x20 || *c > 0x7e || *c == '"' || *c == '\'' || *c == '\\')
            *c = '?';
    return 0;
}

int virtio_blk_open(struct virtio_blk *b, const char *serial, const struct virtio_cfg *cfg,
                    unsigned timeout_ms, char *why, size_t len)
{
    struct virtio_cfg c = *cfg;
    struct virtio_dev *d;
    char seen[sizeof(b->others)] = "";
    size_t at = 0;
    int n = 0, rc;

    c.want |= VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH);
    for (int i = 0; (d = virtio_find(VIRTIO_ID_BLOCK, i)); i++) {
        *b = (struct virtio_blk){ .dev = d };
        if ((rc = virtio_setup(d, &c, why, len)))
            return rc;
        if ((rc = get_id(b, b->serial, timeout_ms))) {
            snprintf(why, len, "%s: GET_ID: %s", d->name, virtio_strerror(rc));
            return rc;
        }
        if (!strcmp(b->serial, serial)) {
            b->capacity = virtio_config(d, 0, 8);
            b->read_only = !!(d->offered & VIRTIO_BIT(VIRTIO_BLK_F_RO));
            b->writable = !b->read_only;
            b->flush = !!(d->features & VIRTIO_BIT(VIRTIO_BLK_F_FLUSH));
            memcpy(b->others, seen, sizeof(seen));
            return 0;
        }
        if (at < sizeof(seen))
            at += snprintf(seen + at, sizeof(seen) - at, "%s%s \"%s\"", n ? ", " : "", d->name,
                           b->serial);
        n++;
        virtio_teardown(d);
    }
    b->dev = NULL;
    if (n)
        snprintf(why, len, "no virtio-blk with serial \"%s\" (%d other%s: %s)", serial, n,
                 n > 1 ? "s" : "", seen);
    else
        snprintf(why, len, "no virtio-blk device");
    return VIRTIO_BLK_NOT_FOUND;
}

void virtio_blk_close(struct virtio_blk *b)
{
    if (b->dev)
        virtio_teardown(b->dev);
    b->dev = NULL;
}
