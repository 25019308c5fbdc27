/* virtio-blk (virtio 1.2 section 5.2) on the scratch disk the runner
 * makes, found by its serial (GET_ID; no other disk is written): the
 * first MiB written whole with a pattern, then batches of reads and
 * writes on disjoint extents of 1-8 sectors at random places (the data
 * of a request in one or two descriptors), a flush, and everything read
 * back. Each sector holds its number, the generation of its last write
 * and words derived from both, so a read names what it found instead: a
 * lost write (an older generation) or a misplaced one (another sector).
 * virtio/blk: by interrupt, EVENT_IDX; virtio/blk-no-event-idx: by
 * interrupt, flag suppression; virtio/blk-poll: polled, EVENT_IDX. Each
 * request completes within virtio.timeout_ms with status OK and the
 * length the device must say it wrote. */
#include "arch.h"
#include "clock.h"
#include "test.h"
#include "vtest.h"
#include <string.h>

#define BLK_SLOTS       32
#define BLK_MAX_SECT    8
#define BLK_SECTORS     2048    /* the part of the disk used: 1 MiB */
#define BLK_MIN_SECTORS 64
#define SECTOR_MAGIC    0x6f726472u     /* "ordr" */
#define SECTOR_WORDS    (VIRTIO_BLK_SECTOR / 4)

enum blk_mix { WRITE_ALL, MIXED, READ_ALL };

struct extent {
    uint32_t sector;
    uint8_t count;
    bool write;
};

struct blk_slot {
    uint32_t data[BLK_MAX_SECT * SECTOR_WORDS] __aligned(64);
    struct virtio_blk_req req;
    uint16_t expect[BLK_MAX_SECT];      /* the generation a read must find */
};

static struct blk_slot bslots[BLK_SLOTS];
static uint16_t gen[BLK_SECTORS];       /* what each sector holds; 0 never written */
static struct extent extents[BLK_SLOTS];

struct blk_run {
    struct virtio_blk *b;
    uint32_t nsect;
    uint16_t generation;
    uint32_t reads, writes, sectors;
};

static uint32_t word(uint32_t sector, uint32_t g, unsigned i)
{
    uint32_t x = sector * 0x9e3779b1u ^ g * 0x85ebca6bu ^ i * 0xc2b2ae35u;

    x ^= x >> 15;
    return x * 0x2c1b3c6du;
}

static void fill_sector(uint32_t *w, uint32_t sector, uint16_t g)
{
    w[0] = SECTOR_MAGIC;
    w[1] = sector;
    w[2] = g;
    for (unsigned i = 3; i < SECTOR_WORDS; i++)
        w[i] = word(sector, g, i);
}

static bool check_sector(const uint32_t *w, const struct virtio_blk_req *r, uint32_t sector,
                         uint16_t g)
{
    unsigned bad = 0;

    for (unsigned i = 3; i < SECTOR_WORDS; i++)
        bad += w[i] != word(sector, g, i);
    if (w[0] == SECTOR_MAGIC && w[1] == sector && w[2] == g && !bad)
        return true;
    if (w[0] != SECTOR_MAGIC)
        test_fail("read of sectors %llu+%u: sector %u holds no pattern (0x%08x 0x%08x ...), "
                  "expected generation %u", (unsigned long long)r->sector,
                  (unsigned)(r->len / VIRTIO_BLK_SECTOR), (unsigned)sector, (unsigned)w[0],
                  (unsigned)w[1], g);
    else
        test_fail("read of sectors %llu+%u: sector %u holds sector %u generation %u "
                  "(%u words differ), expected generation %u: %s",
                  (unsigned long long)r->sector, (unsigned)(r->len / VIRTIO_BLK_SECTOR),
                  (unsigned)sector, (unsigned)w[1], (unsigned)w[2], bad, g,
                  w[1] != sector ? "misplaced data" : w[2] != g ? "a lost or stale write"
                                                                : "corrupt data");
    return false;
}

static int blk_issue(struct vt_pump *p, unsigned slot, void **token)
{
    struct blk_run *run = p->arg;
    const struct extent *e = &extents[p->issued];
    struct blk_slot *s = &bslots[slot];
    uint32_t len = e->count * VIRTIO_BLK_SECTOR, split = 0;

    for (unsigned k = 0; k < e->count; k++) {
        if (e->write) {
            gen[e->sector + k] = run->generation;
            fill_sector(&s->data[k * SECTOR_WORDS], e->sector + k, run->generation);
        } else {
            s->expect[k] = gen[e->sector + k];
            memset(&s->data[k * SECTOR_WORDS], 0xee, VIRTIO_BLK_SECTOR);
        }
    }
    if (vt_rand(&p->rs) % 2)
        split = 1 + vt_rand(&p->rs) % (len - 1);
    *token = &s->req;
    return virtio_blk_add(run->b, &s->req, e->write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
                          e->sector, s->data, len, split);
}

static bool blk_done(struct vt_pump *p, unsigned slot, uint32_t used)
{
    struct blk_run *run = p->arg;
    struct blk_slot *s = &bslots[slot];
    const struct virtio_blk_req *r = &s->req;
    unsigned n = r->len / VIRTIO_BLK_SECTOR;
    const char *what = r->type == VIRTIO_BLK_T_OUT ? "write" : "read";

    if (!check(r->status == VIRTIO_BLK_S_OK, "%s of sectors %llu+%u: status %u, not OK", what,
               (unsigned long long)r->sector, n, r->status) ||
        !check(used == virtio_blk_written(r), "%s of sectors %llu+%u: the device says it wrote "
               "%u bytes, not %u", what, (unsigned long long)r->sector, n, (unsigned)used,
               (unsigned)virtio_blk_written(r)))
        return false;
    if (r->type == VIRTIO_BLK_T_OUT)
        run->writes++;
    else
        run->reads++;
    run->sectors += n;
    for (unsigned k = 0; r->type == VIRTIO_BLK_T_IN && k < n; k++)
        if (s->expect[k] && !check_sector(&s->data[k * SECTOR_WORDS], r, (uint32_t)r->sector + k,
                                          s->expect[k]))
            return false;
    return true;
}

/* One batch: up to BLK_SLOTS extents laid end to end from `start` (so no
 * two overlap), waited for whole. The sector after the last. */
static uint32_t batch(struct vt_pump *p, uint32_t start, enum blk_mix mix, int *rc)
{
    struct blk_run *run = p->arg;
    unsigned n = 0, want = 1 + vt_rand(&p->rs) % p->nslots;
    uint32_t at = start;

    if (++run->generation == 0)
        run->generation = 1;
    for (; n < want && at < run->nsect; n++) {
        unsigned count = 1 + vt_rand(&p->rs) % BLK_MAX_SECT;
        count = MIN(count, run->nsect - at);
        bool write = mix == WRITE_ALL || (mix == MIXED && vt_rand(&p->rs) % 2);
        extents[n] = (struct extent){ .sector = at, .count = (uint8_t)count, .write = write };
        at += count;
    }
    *rc = vt_pump(p, n, 0);
    return at;
}

static bool sweep(struct vt_pump *p, enum blk_mix mix)
{
    struct blk_run *run = p->arg;
    int rc = 0;

    for (uint32_t at = 0; at < run->nsect && !rc;)
        at = batch(p, at, mix, &rc);
    return rc == 0;
}

static bool flush(struct blk_run *run)
{
    static struct virtio_blk_req req;
    struct virtqueue *vq = run->b->dev->vq;
    void *token;
    uint32_t len;
    int rc;

    if (!run->b->flush)
        return true;
    rc = virtio_blk_add(run->b, &req, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0);
    if (!check(!rc, "flush: %s", virtio_blk_strerror(rc)))
        return false;
    virtqueue_kick(vq);
    if ((rc = virtqueue_next(vq, vt_timeout_ms, &token, &len))) {
        vt_fail_ring(vq, rc, "flush");
        return false;
    }
    return check(token == &req && req.status == VIRTIO_BLK_S_OK, "flush: status %u, not OK",
                 req.status);
}

static void blk_test(bool irq, bool event_idx)
{
    struct virtio_blk b;
    struct virtio_cfg cfg = { .event_idx = event_idx, .use_irq = irq };
    struct blk_run run = { .b = &b };
    struct vt_pump p = { .issue = blk_issue, .done = blk_done, .arg = &run,
                         .rs = test_seed() ^ 0x626c6b00u ^ irq ^ event_idx << 1 };
    uint64_t t0;
    int rc = 0;

    if (!vt_open_scratch(&b, &cfg))
        return;
    vt_describe(b.dev);
    test_yaml("disk: {serial: \"%s\", sectors: %llu, read_only: %s, flush: %s}", b.serial,
              (unsigned long long)b.capacity, b.read_only ? "true" : "false",
              b.flush ? "true" : "false");
    if (b.others[0])
        test_yaml("other_disks: '%s'", b.others);
    run.nsect = (uint32_t)MIN(b.capacity, (uint64_t)BLK_SECTORS);
    p.vq = b.dev->vq;
    p.nslots = MIN((unsigned)BLK_SLOTS, b.dev->vq->num / 4);   /* 4 descriptors at most each */
    memset(gen, 0, sizeof(gen));
    if (!check(b.writable, "the scratch disk %s is read-only", b.dev->name) ||
        !check(run.nsect >= BLK_MIN_SECTORS, "the scratch disk has %llu sectors, fewer than %u",
               (unsigned long long)b.capacity, BLK_MIN_SECTORS))
        goto out;
    t0 = arch_counter();
    if (!sweep(&p, WRITE_ALL))
        goto out;
    while (run.reads + run.writes < vt_requests && !rc)
        batch(&p, vt_rand(&p.rs) % run.nsect, MIXED, &rc);
    if (rc || !flush(&run) || !sweep(&p, READ_ALL))
        goto out;
    test_yaml("elapsed_us: %llu", (unsigned long long)ticks_to_us(arch_counter() - t0));
    test_yaml("requests: {reads: %u, writes: %u, sectors: %u}", (unsigned)run.reads,
              (unsigned)run.writes, (unsigned)run.sectors);
    test_yaml("counts: {kicks: %lu, notifies: %lu, irqs: %lu}", p.vq->kicks, p.vq->notifies,
              p.vq->irqs);
    test_note("%u reads and %u writes (%u sectors) %s%s verified: %lu notifications, "
              "%lu interrupts", (unsigned)run.reads, (unsigned)run.writes, (unsigned)run.sectors,
              irq ? "by interrupt" : "polled", p.vq->event_idx ? " with EVENT_IDX" : "",
              p.vq->notifies, p.vq->irqs);
out:
    virtio_blk_close(&b);
}

TEST(virtio_blk, .name = "virtio/blk")
{
    blk_test(true, true);
}

TEST(virtio_blk_no_event_idx, .name = "virtio/blk-no-event-idx")
{
    blk_test(true, false);
}

TEST(virtio_blk_poll, .name = "virtio/blk-poll")
{
    blk_test(false, true);
}
