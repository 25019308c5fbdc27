/* lib/fdt.c against Debian's libfdt on real DTBs QEMU dumped, plus
 * malformed blobs and a mutation loop (built with ASan/UBSan: any read out
 * of bounds is a crash, not a silent pass).
 *     test_fdt FILE.dtb...   */
#include "check.h"
#include "fdt.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    void *buf = malloc(*len);
    if (fread(buf, 1, *len, f) != *len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static uint64_t cells(const fdt32_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n > 2 ? n - 2 : 0; i < n; i++)
        v = v << 32 | fdt32_to_cpu(p[i]);
    return v;
}

/* Independent translation with libfdt calls only. */
static int ref_translate(const void *fdt, int bus, uint64_t addr, uint64_t *out)
{
    while (bus > 0) {
        int parent = fdt_parent_offset(fdt, bus), len;
        const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
        if (!r || parent < 0)
            return -1;
        if (len > 0) {
            int cac = fdt_address_cells(fdt, bus), pac = fdt_address_cells(fdt, parent);
            int sc = fdt_size_cells(fdt, bus), e = cac + pac + sc, i, found = 0;
            for (i = 0; (i + 1) * e * 4 <= len; i++) {
                uint64_t c = cells(r + i * e, cac), p = cells(r + i * e + cac, pac);
                uint64_t s = cells(r + i * e + cac + pac, sc);
                if (addr >= c && addr - c < s) {
                    addr = p + (addr - c);
                    found = 1;
                    break;
                }
            }
            if (!found)
                return -1;
        }
        bus = parent;
    }
    *out = addr;
    return 0;
}

static void compare_reg(const void *fdt, int node, const char *path)
{
    int parent = fdt_parent_offset(fdt, node), len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);

    if (!reg || ac + sc == 0 || len % ((ac + sc) * 4))
        return;
    for (int i = 0; i < len / ((ac + sc) * 4); i++) {
        uint64_t want, got = 0, size = 0;
        int ref = ref_translate(fdt, parent, cells(reg + i * (ac + sc), ac), &want);
        int r = dt_reg(fdt, node, i, &got, &size);
        CHECK((ref == 0) == (r == 0), "%s reg[%d]: ours %d, reference %d", path, i, r, ref);
        if (ref == 0 && r == 0) {
            CHECK(got == want, "%s reg[%d]: 0x%llx vs 0x%llx", path, i,
                  (unsigned long long)got, (unsigned long long)want);
            CHECK(size == cells(reg + i * (ac + sc) + ac, sc), "%s reg[%d] size", path, i);
        }
    }
}

static void compare_props(const void *fdt, int node, const char *path)
{
    int idx = 0, off;
    fdt_for_each_property_offset(off, fdt, node) {
        const char *rname, *name;
        const void *value;
        int rlen, len;
        const void *rval = fdt_getprop_by_offset(fdt, off, &rname, &rlen);
        CHECK(dt_prop_at(fdt, node, idx, &name, &value, &len) == 0, "%s prop %d missing", path, idx);
        CHECK(!strcmp(name, rname) && len == rlen && !memcmp(value, rval, (size_t)len),
              "%s prop %s differs", path, rname);
        const void *byname = dt_prop(fdt, node, rname, &len);
        CHECK(byname == fdt_getprop(fdt, node, rname, NULL), "%s dt_prop(%s)", path, rname);
        if (!strcmp(rname, "compatible")) {
            for (const char *c = rval; c < (const char *)rval + rlen; c += strlen(c) + 1)
                CHECK(dt_find_compatible(fdt, -1, c) == fdt_node_offset_by_compatible(fdt, -1, c),
                      "find_compatible %s", c);
        }
        idx++;
    }
    const char *name;
    const void *value;
    int len;
    CHECK(dt_prop_at(fdt, node, idx, &name, &value, &len) == DT_ERR_NOTFOUND, "%s extra prop", path);
}

static int differential(const void *fdt, const char *file)
{
    int nodes = 0, ours = dt_root(fdt), node;
    char path[512];

    CHECK(ours == fdt_path_offset(fdt, "/"), "%s: root", file);
    for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
        nodes++;
        fdt_get_path(fdt, node, path, sizeof(path));
        CHECK(ours == node, "%s: depth-first order at %s (%d vs %d)", file, path, ours, node);
        CHECK(!strcmp(dt_name(fdt, node), fdt_get_name(fdt, node, NULL)), "%s name", path);
        CHECK(dt_path(fdt, path) == node, "%s: path lookup", path);
        int rp = fdt_parent_offset(fdt, node);
        CHECK(dt_parent(fdt, node) == (rp < 0 ? DT_ERR_NOTFOUND : rp), "%s parent", path);
        int rc = fdt_first_subnode(fdt, node);
        CHECK(dt_first_child(fdt, node) == (rc < 0 ? DT_ERR_NOTFOUND : rc), "%s first child", path);
        int rs = fdt_next_subnode(fdt, node);
        if (node != 0)
            CHECK(dt_next_sibling(fdt, node) == (rs < 0 ? DT_ERR_NOTFOUND : rs), "%s sibling", path);
        int ac = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
        if (ac > 0 && fdt_getprop(fdt, node, "#address-cells", NULL))
            CHECK(dt_addr_cells(fdt, node) == (uint32_t)ac, "%s #address-cells", path);
        if (sc >= 0 && fdt_getprop(fdt, node, "#size-cells", NULL))
            CHECK(dt_size_cells(fdt, node) == (uint32_t)sc, "%s #size-cells", path);
        uint32_t ph = fdt_get_phandle(fdt, node);
        if (ph)
            CHECK(dt_find_phandle(fdt, ph) == node, "%s phandle", path);
        compare_props(fdt, node, path);
        compare_reg(fdt, node, path);
        ours = dt_next_node(fdt, ours);
    }
    CHECK(ours == DT_ERR_NOTFOUND, "%s: our walk has extra nodes", file);
    return nodes;
}

/* Every public call on a possibly-corrupt blob, after dt_check accepts it. */
static void exercise(const void *b, size_t len)
{
    if (dt_check(b, len, NULL) != 0)
        return;
    for (int n = dt_root(b), k = 0; n >= 0 && k < 4000; n = dt_next_node(b, n), k++) {
        uint64_t a, s;
        const char *name;
        const void *v;
        int l;
        (void)dt_name(b, n);
        (void)dt_parent(b, n);
        (void)dt_first_child(b, n);
        (void)dt_next_sibling(b, n);
        for (int i = 0; dt_prop_at(b, n, i, &name, &v, &l) == 0 && i < 64; i++)
            ;
        (void)dt_reg(b, n, 0, &a, &s);
        (void)dt_is_compatible(b, n, "virtio,mmio");
    }
    (void)dt_path(b, "/cpus/cpu@0");
    (void)dt_path(b, "serial0");
    uint64_t a, s;
    (void)dt_memory_bank(b, 0, &a, &s);
}

static void mutate(const uint8_t *orig, size_t len, const char *file)
{
    uint8_t *b = malloc(len);
    unsigned seed = 12345;
    int accepted = 0;

    for (int round = 0; round < 1000; round++) {
        memcpy(b, orig, len);
        int flips = 1 + round % 4;
        for (int i = 0; i < flips; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            b[pos] ^= (uint8_t)(1u << ((seed >> 4) & 7));
        }
        size_t cut = round % 5 == 0 ? (seed >> 3) % len : len;
        uint8_t *copy = malloc(cut ? cut : 1);       /* exact size: ASan sees overreads */
        memcpy(copy, b, cut);
        accepted += dt_check(copy, cut, NULL) == 0;
        exercise(copy, cut);
        free(copy);
    }
    free(b);
    printf("  %s: 1000 mutations, %d still valid, no crash\n", file, accepted);
}

static void malformed(void)
{
    uint8_t b[64] = { 0 };
    const char *why;

    CHECK(dt_check(NULL, 0, &why) == DT_ERR_BADBLOB, "NULL");
    CHECK(dt_check(b, sizeof(b), &why) == DT_ERR_BADBLOB && strstr(why, "magic"), "zeros: %s", why);
    /* valid header, empty root node */
    static const uint8_t tiny[] = {
        0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 72,  0, 0, 0, 56, 0, 0, 0, 72,
        0, 0, 0, 40,  0, 0, 0, 17, 0, 0, 0, 16, 0, 0, 0, 0,
        0, 0, 0, 0,   0, 0, 0, 16, /* rsvmap */ 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, /* struct */ 0, 0, 0, 1, 0, 0, 0, 0,
        0, 0, 0, 2, 0, 0, 0, 9,
    };
    CHECK(dt_check(tiny, sizeof(tiny), &why) == 0, "tiny valid blob: %s", why ? why : "");
    CHECK(dt_check(tiny, sizeof(tiny) - 1, &why) == DT_ERR_BADBLOB && strstr(why, "totalsize"),
          "totalsize beyond buffer: %s", why);
    uint8_t t[sizeof(tiny)];
    memcpy(t, tiny, sizeof(t));
    t[67] = 9;                                  /* END_NODE -> END inside the root */
    CHECK(dt_check(t, sizeof(t), &why) == DT_ERR_BADBLOB, "END in open node");
    memcpy(t, tiny, sizeof(t));
    t[59] = 7;                                  /* bad token */
    CHECK(dt_check(t, sizeof(t), &why) == DT_ERR_BADBLOB && strstr(why, "token"), "bad token: %s", why);
    memcpy(t, tiny, sizeof(t));
    t[23] = 15;                                 /* version 15 */
    CHECK(dt_check(t, sizeof(t), &why) == DT_ERR_BADBLOB && strstr(why, "version"), "version: %s", why);
    memcpy(t, tiny, sizeof(t));
    t[11] = 200;                                /* struct block beyond the blob */
    CHECK(dt_check(t, sizeof(t), &why) == DT_ERR_BADBLOB, "struct offset: %s", why);
}

int main(int argc, char **argv)
{
    malformed();
    for (int i = 1; i < argc; i++) {
        size_t len;
        void *fdt = read_file(argv[i], &len);
        if (!fdt) {
            CHECK(0, "cannot read %s", argv[i]);
            continue;
        }
        CHECK(fdt_check_header(fdt) == 0, "libfdt rejects %s", argv[i]);
        const char *why = NULL;
        CHECK(dt_check(fdt, len, &why) == 0, "%s: %s", argv[i], why ? why : "");
        int nodes = differential(fdt, argv[i]);
        printf("  %s: %d nodes compared with libfdt\n", argv[i], nodes);
        mutate(fdt, len, argv[i]);
        free(fdt);
    }
    return host_finish("fdt");
}
