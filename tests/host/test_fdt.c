/* lib/fdt.c against Debian's libfdt.
 *
 *     test_fdt [-r ROUNDS] [-s SEED] FILE.dtb|DIR...
 *
 * 1. Hand-assembled malformed blobs: dt_check() names the expected reason.
 * 2. Synthetic trees built with libfdt's sequential-write API (PCI spaces,
 *    nested buses, aliases, NOPs, version 16, unaligned copies), checked
 *    against written-down answers and differentially.
 * 3. Every DTB QEMU dumped: a differential walk against libfdt (offsets,
 *    order, names, parents, properties, paths, aliases, compatible,
 *    phandles, cells), reg translation and PCI host bridge ranges against an
 *    independent libfdt-based decoding, and the platform facts of DESIGN.md
 *    section 6.
 * 4. A mutation loop on each: bit flips, word overwrites and truncations
 *    into exact-size buffers. Built with ASan/UBSan, a read outside the
 *    blob is a crash, not a silent pass; an alarm turns a hang into one.
 */
#include "check.h"
#include "fdt.h"
#include <dirent.h>
#include <libfdt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NODES   4096

/* ------------------------------------------------------------------ */
/* Reference: the reg/ranges rules of include/fdt.h, written again with
 * libfdt calls only (not sharing code with lib/fdt.c). */

static uint32_t ref_cells_prop(const void *fdt, int node, const char *name, uint32_t dflt)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    return p && len == 4 ? fdt32_to_cpu(*p) : dflt;
}

/* Low 64 bits of an n-cell number. */
static uint64_t ref_number(const fdt32_t *p, uint32_t n)
{
    uint64_t hi = n >= 2 ? fdt32_to_cpu(p[n - 2]) : 0;
    uint64_t lo = n >= 1 ? fdt32_to_cpu(p[n - 1]) : 0;

    return hi << 32 | lo;
}

enum { SP_UNKNOWN = -1, SP_CONFIG = 0, SP_IO = 1 };

static int ref_space_of(const fdt32_t *hi)
{
    return (int)((fdt32_to_cpu(*hi) >> 24) & 3);
}

static bool ref_space_ok(int want, int have)
{
    if (want == SP_UNKNOWN)
        return true;
    if (want == SP_CONFIG || have == SP_CONFIG)
        return false;
    return (want == SP_IO) == (have == SP_IO);
}

/* One bus level: returns 0 and updates addr/space, or DT_ERR_BADVALUE. */
static int ref_ranges(const void *fdt, int bus, uint64_t *addr, int *space)
{
    int parent = fdt_parent_offset(fdt, bus), len;
    const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);

    if (parent < 0 || !r)
        return DT_ERR_BADVALUE;
    uint32_t ca = ref_cells_prop(fdt, bus, "#address-cells", 2);
    uint32_t pa = ref_cells_prop(fdt, parent, "#address-cells", 2);
    uint32_t cs = ref_cells_prop(fdt, bus, "#size-cells", 1);
    if (len == 0) {
        if (pa != 3)
            *space = SP_UNKNOWN;
        return 0;
    }
    if (ca < 1 || ca > 3 || pa < 1 || pa > 3 || cs > 2)
        return DT_ERR_BADVALUE;
    uint32_t words = ca + pa + cs;
    if ((uint32_t)len % (words * 4))
        return DT_ERR_BADVALUE;
    for (uint32_t i = 0; i < (uint32_t)len / 4; i += words) {
        uint64_t c = ref_number(r + i, ca), s = ref_number(r + i + ca + pa, cs);
        if (ca == 3 && !ref_space_ok(*space, ref_space_of(r + i)))
            continue;
        if (*addr < c || *addr - c >= s)
            continue;
        *addr = ref_number(r + i + ca, pa) + (*addr - c);
        *space = pa == 3 ? ref_space_of(r + i + ca) : SP_UNKNOWN;
        return 0;
    }
    return DT_ERR_BADVALUE;
}

static int ref_translate_space(const void *fdt, int bus, uint64_t addr, int space, uint64_t *out)
{
    for (; bus > 0; bus = fdt_parent_offset(fdt, bus))
        if (ref_ranges(fdt, bus, &addr, &space) != 0)
            return DT_ERR_BADVALUE;
    if (bus < 0)
        return DT_ERR_BADVALUE;
    *out = addr;
    return 0;
}

/* reg: the count of entries (or the error code) and entry idx. */
static int ref_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size, int *count)
{
    int parent = fdt_parent_offset(fdt, node), len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    *count = 0;
    if (parent < 0 || !reg)
        return DT_ERR_NOTFOUND;
    uint32_t ac = ref_cells_prop(fdt, parent, "#address-cells", 2);
    uint32_t sc = ref_cells_prop(fdt, parent, "#size-cells", 1);
    if (ac < 1 || ac > 3 || sc > 2 || (uint32_t)len % ((ac + sc) * 4))
        return DT_ERR_BADVALUE;
    *count = len / (int)((ac + sc) * 4);
    if (idx < 0 || idx >= *count)
        return DT_ERR_NOTFOUND;
    const fdt32_t *e = reg + (uint32_t)idx * (ac + sc);
    *size = ref_number(e + ac, sc);
    return ref_translate_space(fdt, parent, ref_number(e, ac),
                               ac == 3 ? ref_space_of(e) : SP_UNKNOWN, addr);
}

/* dt_pci_range's rule: the idx-th whole entry of (3 + parent's
 * #address-cells + 2) cells; the parent address translated with its space
 * code when the parent is a PCI bus. count gets the number of entries. */
static int ref_pci_range(const void *fdt, int node, int idx, struct dt_pci_range *out, int *count)
{
    int parent = fdt_parent_offset(fdt, node), len;
    const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
    uint32_t pa = parent >= 0 ? ref_cells_prop(fdt, parent, "#address-cells", 2) : 2;
    uint64_t words = 3 + (uint64_t)pa + 2;

    *count = r ? (int)((uint64_t)(len / 4) / words) : 0;
    if (!r || idx < 0 || idx >= *count)
        return DT_ERR_NOTFOUND;
    const fdt32_t *e = r + (uint64_t)idx * words;
    out->space = (fdt32_to_cpu(e[0]) >> 24) & 3;
    out->prefetchable = (fdt32_to_cpu(e[0]) & 0x40000000u) != 0;
    out->pci_addr = ref_number(e + 1, 2);
    out->size = ref_number(e + 3 + pa, 2);
    out->cpu_addr = 0;
    if (parent < 0 || pa < 1 || pa > 3 ||
        ref_translate_space(fdt, parent, ref_number(e + 3, pa),
                            pa == 3 ? ref_space_of(e + 3) : SP_UNKNOWN, &out->cpu_addr) != 0) {
        out->cpu_addr = 0;
        return DT_ERR_BADVALUE;
    }
    return 0;
}

static bool ref_available(const void *fdt, int node)
{
    int len;
    const char *s = fdt_getprop(fdt, node, "status", &len);

    if (!s)
        return true;
    /* A string property is its first NUL-terminated string (fdt.h). */
    return len > 0 && memchr(s, 0, (size_t)len) && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

static bool ref_is_memory(const void *fdt, int node)
{
    int len;
    const char *t = fdt_getprop(fdt, node, "device_type", &len);

    return t && len > 0 && memchr(t, 0, (size_t)len) && !strcmp(t, "memory") &&
           ref_available(fdt, node);
}

/* The string list rule of fdt.h: members are the NUL-terminated strings
 * inside the value; an unterminated tail is not one. (libfdt 1.6.1's
 * fdt_stringlist_contains compares one byte past the value instead.) */
static bool ref_has_str(const char *list, int len, const char *str)
{
    for (const char *p = list, *end = list + len; p && p < end;) {
        const char *nul = memchr(p, 0, (size_t)(end - p));
        if (!nul)
            return false;
        if (!strcmp(p, str))
            return true;
        p = nul + 1;
    }
    return false;
}

static bool ref_compatible(const void *fdt, int node, const char *compat)
{
    int len;
    const char *c = fdt_getprop(fdt, node, "compatible", &len);

    return c && len > 0 && ref_has_str(c, len, compat);
}

/* Every "compatible" in the tree ends with a NUL: libfdt can be asked. */
static bool compat_all_terminated(const void *fdt)
{
    for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
        int len;
        const char *c = fdt_getprop(fdt, node, "compatible", &len);
        if (c && len > 0 && c[len - 1] != 0)
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Differential walk: everything a node offers, ours against libfdt. */

struct diff_stats {
    int nodes, props, regs, translated, compat, phandles, aliases, pci_ranges;
};

static void diff_props(const void *fdt, int node, const char *path, struct diff_stats *st)
{
    int idx = 0, off;

    fdt_for_each_property_offset(off, fdt, node) {
        const char *rname = NULL, *name = NULL;
        const void *value = NULL;
        int rlen = -1, len = -1;
        const void *rval = fdt_getprop_by_offset(fdt, off, &rname, &rlen);
        if (!rval || !rname)
            break;
        st->props++;
        int r = dt_prop_at(fdt, node, idx, &name, &value, &len);
        CHECK(r == 0, "%s: property %d (%s) missing: %d", path, idx, rname, r);
        if (r == 0)
            CHECK(!strcmp(name, rname) && len == rlen && value == rval,
                  "%s: property %d is %s/%d, libfdt %s/%d", path, idx, name, len, rname, rlen);
        int blen = -1;
        const void *byname = dt_prop(fdt, node, rname, &blen);
        const void *rbyname = fdt_getprop(fdt, node, rname, &rlen);
        CHECK(byname == rbyname && blen == rlen, "%s: dt_prop(%s)", path, rname);
        CHECK(dt_has_prop(fdt, node, rname), "%s: dt_has_prop(%s)", path, rname);

        uint32_t u32 = 0;
        uint64_t u64 = 0;
        int e32 = dt_prop_u32(fdt, node, rname, &u32), e64 = dt_prop_u64(fdt, node, rname, &u64);
        if (rlen == 4)
            CHECK(e32 == 0 && u32 == fdt32_to_cpu(*(const fdt32_t *)rbyname), "%s: u32 %s", path, rname);
        else
            CHECK(e32 == DT_ERR_BADVALUE, "%s: u32 %s of length %d: %d", path, rname, rlen, e32);
        if (rlen == 8)
            CHECK(e64 == 0 && u64 == ref_number(rbyname, 2), "%s: u64 %s", path, rname);
        else if (rlen == 4)
            CHECK(e64 == 0 && u64 == u32, "%s: u64 of one cell %s", path, rname);
        else
            CHECK(e64 == DT_ERR_BADVALUE, "%s: u64 %s of length %d", path, rname, rlen);

        bool terminated = rlen > 0 && memchr(rbyname, 0, (size_t)rlen);
        const char *s = dt_prop_str(fdt, node, rname);
        CHECK(terminated ? s == rbyname : s == NULL, "%s: dt_prop_str(%s)", path, rname);
        /* A string list: each member is found, a non-member is not. */
        if (rlen > 0 && ((const char *)rbyname)[rlen - 1] == 0) {
            for (const char *m = rbyname; m < (const char *)rbyname + rlen; m += strlen(m) + 1)
                CHECK(dt_prop_has_str(fdt, node, rname, m) ==
                      (fdt_stringlist_search(fdt, node, rname, m) >= 0),
                      "%s: %s has \"%s\"", path, rname, m);
            char other[300];
            snprintf(other, sizeof(other), "%.250s~", (const char *)rbyname);
            CHECK(!dt_prop_has_str(fdt, node, rname, other), "%s: %s has \"%s\"", path, rname, other);
        }
        idx++;
    }
    const char *name;
    const void *value;
    int len;
    CHECK(dt_prop_at(fdt, node, idx, &name, &value, &len) == DT_ERR_NOTFOUND,
          "%s: a property past the last (%d)", path, idx);
    CHECK(dt_prop(fdt, node, "no-such-property", &len) == NULL, "%s: absent property", path);
    CHECK(!dt_has_prop(fdt, node, "no-such-property"), "%s: absent property", path);
    CHECK(dt_prop_str(fdt, node, "no-such-property") == NULL, "%s: absent string", path);
}

static void diff_reg(const void *fdt, int node, const char *path, struct diff_stats *st)
{
    int count = 0, ref, r;
    uint64_t ra = 0, rs = 0, a = 0, s = 0;

    ref = ref_reg(fdt, node, 0, &ra, &rs, &count);
    CHECK(dt_reg_count(fdt, node) == count, "%s: dt_reg_count %d, reference %d", path,
          dt_reg_count(fdt, node), count);
    if (ref != 0 && count == 0) {
        r = dt_reg(fdt, node, 0, &a, &s);
        CHECK(r == ref, "%s: dt_reg without entries: %d, reference %d", path, r, ref);
        return;
    }
    for (int i = 0; i <= count; i++) {
        ref = ref_reg(fdt, node, i, &ra, &rs, &count);
        r = dt_reg(fdt, node, i, &a, &s);
        st->regs++;
        CHECK(r == ref, "%s: reg[%d]: %d, reference %d", path, i, r, ref);
        if (r == 0 && ref == 0) {
            st->translated++;
            CHECK(a == ra && s == rs, "%s: reg[%d] = 0x%llx+0x%llx, reference 0x%llx+0x%llx",
                  path, i, (unsigned long long)a, (unsigned long long)s,
                  (unsigned long long)ra, (unsigned long long)rs);
        }
    }
}

/* Each range's child address (and the first address past it) through
 * dt_translate, which has no PCI space code to go by. */
static void diff_ranges(const void *fdt, int node, const char *path)
{
    int len, parent = fdt_parent_offset(fdt, node);
    const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
    uint32_t ca = ref_cells_prop(fdt, node, "#address-cells", 2);
    uint32_t pa = parent >= 0 ? ref_cells_prop(fdt, parent, "#address-cells", 2) : 2;
    uint32_t cs = ref_cells_prop(fdt, node, "#size-cells", 1);
    uint32_t words = ca + pa + cs;

    if (!r || len <= 0 || ca > 3 || pa > 3 || cs > 2 || words == 0)
        return;
    for (uint32_t i = 0; i + words <= (uint32_t)len / 4; i += words) {
        uint64_t c = ref_number(r + i, ca), end = c + ref_number(r + i + ca + pa, cs);
        uint64_t probes[2] = { c, end }, want = 0, got = 0;
        for (int k = 0; k < 2; k++) {
            int ref = ref_translate_space(fdt, node, probes[k], SP_UNKNOWN, &want);
            int ours = dt_translate(fdt, node, probes[k], &got);
            CHECK(ours == ref && (ours != 0 || got == want),
                  "%s: dt_translate(0x%llx) = %d/0x%llx, reference %d/0x%llx", path,
                  (unsigned long long)probes[k], ours, (unsigned long long)got, ref,
                  (unsigned long long)want);
        }
    }
}

/* dt_pci_range on every node with "ranges" (PCI or not: the decoding is
 * the same), each entry and one past the last, against ref_pci_range. */
static void diff_pci_ranges(const void *fdt, int node, const char *path, struct diff_stats *st)
{
    struct dt_pci_range got, want;
    int count = 0, r, ref;

    if (!fdt_getprop(fdt, node, "ranges", NULL)) {
        CHECK(dt_pci_range(fdt, node, 0, &got) == DT_ERR_NOTFOUND, "%s: pci range without ranges", path);
        return;
    }
    (void)ref_pci_range(fdt, node, 0, &want, &count);
    CHECK(dt_pci_range(fdt, node, -1, &got) == DT_ERR_NOTFOUND, "%s: pci range -1", path);
    for (int i = 0; i <= count; i++) {
        memset(&got, 0x5a, sizeof(got));
        ref = ref_pci_range(fdt, node, i, &want, &count);
        r = dt_pci_range(fdt, node, i, &got);
        st->pci_ranges += ref != DT_ERR_NOTFOUND;
        CHECK(r == ref, "%s: pci range %d: %d, reference %d", path, i, r, ref);
        if (r == ref && r != DT_ERR_NOTFOUND)
            CHECK(got.space == want.space && got.prefetchable == want.prefetchable &&
                  got.pci_addr == want.pci_addr && got.cpu_addr == want.cpu_addr &&
                  got.size == want.size,
                  "%s: pci range %d: space %u%s pci 0x%llx cpu 0x%llx size 0x%llx, reference "
                  "space %u%s pci 0x%llx cpu 0x%llx size 0x%llx", path, i,
                  got.space, got.prefetchable ? " pf" : "", (unsigned long long)got.pci_addr,
                  (unsigned long long)got.cpu_addr, (unsigned long long)got.size,
                  want.space, want.prefetchable ? " pf" : "", (unsigned long long)want.pci_addr,
                  (unsigned long long)want.cpu_addr, (unsigned long long)want.size);
    }
}

/* Set while mutated blobs are compared: names may repeat there, so a
 * node's own path may lead to an earlier namesake. */
static bool names_may_repeat;

/* Our documented lookup rule, with libfdt iteration: in each component
 * the first exact name, else the only "name@unit". */
static int ref_lookup(const void *fdt, const char *path)
{
    int node = 0;

    while (*path) {
        size_t n;
        int sib, exact = -1, prefix = -1, matches = 0;
        while (*path == '/')
            path++;
        if (!*path)
            break;
        n = strcspn(path, "/");
        fdt_for_each_subnode(sib, fdt, node) {
            const char *name = fdt_get_name(fdt, sib, NULL);
            if (strlen(name) == n && !strncmp(name, path, n)) {
                exact = sib;
                break;
            }
            if (!memchr(path, '@', n) && !strncmp(name, path, n) && name[n] == '@' &&
                matches++ == 0)
                prefix = sib;
        }
        node = exact >= 0 ? exact : matches == 1 ? prefix : -1;
        if (node < 0)
            return DT_ERR_NOTFOUND;
        path += n;
    }
    return node;
}

/* "/parent/base" for a node named "base@unit": ours takes an exact
 * "base" sibling first, else the only "base@..." sibling, else nothing. */
static void diff_unitless(const void *fdt, int node, const char *path)
{
    const char *name = fdt_get_name(fdt, node, NULL), *at = strchr(name, '@');
    int parent = fdt_parent_offset(fdt, node), sib, exact = -1, prefix = -1, matches = 0;
    char query[600];
    size_t base = at ? (size_t)(at - name) : 0;

    if (!at || parent < 0 || base == 0)
        return;
    fdt_for_each_subnode(sib, fdt, parent) {
        const char *sname = fdt_get_name(fdt, sib, NULL);
        if (strlen(sname) == base && !strncmp(sname, name, base) && exact < 0)
            exact = sib;
        else if (!strncmp(sname, name, base) && sname[base] == '@' && matches++ == 0)
            prefix = sib;
    }
    int want = exact >= 0 ? exact : matches == 1 ? prefix : DT_ERR_NOTFOUND;
    size_t plen = strlen(path) - strlen(name);          /* keeps the trailing '/' */
    snprintf(query, sizeof(query), "%.*s%.*s", (int)plen, path, (int)base, name);
    CHECK(dt_path(fdt, query) == want, "dt_path(%s) = %d, expected %d", query,
          dt_path(fdt, query), want);
    if (exact < 0 && matches == 1)
        CHECK(fdt_path_offset(fdt, query) == want, "libfdt disagrees on %s", query);
}

static void diff_node(const void *fdt, int node, int depth, struct diff_stats *st)
{
    char path[600];
    int r;

    st->nodes++;
    if ((r = fdt_get_path(fdt, node, path, sizeof(path))) != 0)
        snprintf(path, sizeof(path), "(node at %d)", node);
    CHECK_STR(dt_name(fdt, node), fdt_get_name(fdt, node, NULL), path);
    if (r == 0) {
        int want = names_may_repeat ? ref_lookup(fdt, path) : node;
        CHECK(dt_path(fdt, path) == want, "dt_path(%s) = %d, expected %d", path,
              dt_path(fdt, path), want);
        if (!names_may_repeat)
            CHECK(ref_lookup(fdt, path) == node, "reference lookup of %s", path);
        diff_unitless(fdt, node, path);
    }
    int rp = fdt_parent_offset(fdt, node), p = dt_parent(fdt, node), d = 0;
    CHECK(p == (rp < 0 ? DT_ERR_NOTFOUND : rp), "%s: parent %d, libfdt %d", path, p, rp);
    for (int up = node; (up = dt_parent(fdt, up)) >= 0 && d <= depth;)
        d++;
    CHECK(d == depth, "%s: depth %d via dt_parent, libfdt %d", path, d, depth);
    int rc = fdt_first_subnode(fdt, node), rs = fdt_next_subnode(fdt, node);
    CHECK(dt_first_child(fdt, node) == (rc < 0 ? DT_ERR_NOTFOUND : rc), "%s: first child", path);
    CHECK(dt_next_sibling(fdt, node) == (rs < 0 ? DT_ERR_NOTFOUND : rs), "%s: next sibling", path);
    int ac = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
    if (ac >= 0)
        CHECK(dt_addr_cells(fdt, node) == (uint32_t)ac, "%s: #address-cells %u vs %d", path,
              dt_addr_cells(fdt, node), ac);
    if (sc >= 0)
        CHECK(dt_size_cells(fdt, node) == (uint32_t)sc, "%s: #size-cells %u vs %d", path,
              dt_size_cells(fdt, node), sc);
    uint32_t ph = fdt_get_phandle(fdt, node);
    if (ph && ph != 0xffffffffu) {
        st->phandles++;
        CHECK(dt_find_phandle(fdt, ph) == fdt_node_offset_by_phandle(fdt, ph),
              "%s: phandle 0x%x", path, ph);
    }
    CHECK(dt_is_available(fdt, node) == ref_available(fdt, node), "%s: available", path);
    diff_props(fdt, node, path, st);
    diff_reg(fdt, node, path, st);
    diff_ranges(fdt, node, path);
    diff_pci_ranges(fdt, node, path, st);
}

/* Every compatible string in the tree: the whole chain of matches. */
static void diff_compatible(const void *fdt, struct diff_stats *st)
{
    const char *seen[512];
    int nseen = 0, node;

    for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
        int len;
        const char *c = fdt_getprop(fdt, node, "compatible", &len);
        if (!c || len <= 0 || c[len - 1] != 0)
            continue;
        for (const char *m = c; m < c + len; m += strlen(m) + 1) {
            int k;
            /* libfdt 1.6.1 compares strlen + 1 bytes while listlen >= strlen,
             * so for "" it reads one byte past the list: not asked. */
            if (!*m)
                continue;
            for (k = 0; k < nseen && strcmp(seen[k], m); k++)
                ;
            if (k == nseen && nseen < 512)
                seen[nseen++] = m;
        }
    }
    bool ask_libfdt = compat_all_terminated(fdt);
    for (int k = 0; k < nseen; k++) {
        const char *m = seen[k];
        int a = dt_find_compatible(fdt, -1, m), b = fdt_node_offset_by_compatible(fdt, -1, m);
        int steps = 0;
        if (ask_libfdt) {
            while (a >= 0 && b >= 0 && a == b && steps++ < MAX_NODES) {
                a = dt_find_compatible(fdt, a, m);
                b = fdt_node_offset_by_compatible(fdt, b, m);
            }
            CHECK(a == b || (a < 0 && b < 0), "find_compatible(%s) chain: %d vs %d", m, a, b);
        }
        st->compat++;
        a = dt_find_compatible(fdt, -1, m);
        for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
            bool want = ref_compatible(fdt, node, m);
            CHECK(dt_is_compatible(fdt, node, m) == want, "dt_is_compatible(%d, %s)", node, m);
            if (ask_libfdt)
                CHECK(want == (fdt_node_check_compatible(fdt, node, m) == 0),
                      "reference and libfdt on compatible(%d, %s)", node, m);
            if (want) {
                CHECK(a == node, "find_compatible(%s) gave %d, expected %d", m, a, node);
                a = dt_find_compatible(fdt, node, m);
            }
        }
        CHECK(a == DT_ERR_NOTFOUND, "find_compatible(%s) finds more (%d)", m, a);
    }
    CHECK(dt_find_compatible(fdt, -1, "no,such-device") == DT_ERR_NOTFOUND, "absent compatible");
}

/* Whether our lookup of alias `name` may be compared with libfdt's:
 * libfdt 1.6.1 resolves an alias whose value starts with another alias by
 * recursing without a limit (an alias loop overflows its stack), and it
 * reads an alias value that lacks its NUL past its end. We follow at most
 * 4 hops and take a value's first string only; then we say "not found". */
static bool alias_comparable(const void *fdt, const char *name)
{
    int aliases = fdt_path_offset(fdt, "/aliases"), len;
    int namelen = (int)strcspn(name, "/");

    for (int hops = 0; hops <= 4; hops++) {
        const char *v = fdt_getprop_namelen(fdt, aliases, name, namelen, &len);
        if (!v)
            return true;
        if (len <= 0 || !memchr(v, 0, (size_t)len) || v[0] == 0)
            return false;               /* no string, or "" (an alias name to libfdt) */
        if (v[0] == '/')
            return true;
        name = v;
        namelen = (int)strcspn(v, "/");
    }
    return false;
}

static void diff_aliases(const void *fdt, struct diff_stats *st)
{
    int aliases = fdt_path_offset(fdt, "/aliases"), off;
    char buf[300];

    if (aliases < 0)
        return;
    fdt_for_each_property_offset(off, fdt, aliases) {
        const char *name;
        int len;
        if (!fdt_getprop_by_offset(fdt, off, &name, &len))
            continue;
        if (!*name)
            continue;                       /* libfdt takes "" for an alias name */
        if (strchr(name, ':')) {            /* ':' ends a path for us */
            snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(name, ":"), name);
            CHECK(dt_path(fdt, name) == dt_path(fdt, buf), "alias %s is %s to us", name, buf);
            continue;
        }
        if (!alias_comparable(fdt, name)) {
            CHECK(dt_path(fdt, name) == DT_ERR_NOTFOUND, "alias %s: a loop or no string", name);
            continue;
        }
        int want = fdt_path_offset(fdt, name);
        st->aliases++;
        CHECK(dt_path(fdt, name) == (want < 0 ? DT_ERR_NOTFOUND : want), "alias %s: %d vs %d",
              name, dt_path(fdt, name), want);
        snprintf(buf, sizeof(buf), "%s:115200n8", name);
        CHECK(dt_path(fdt, buf) == dt_path(fdt, name), "alias %s with options", buf);
    }
}

static void diff_memory(const void *fdt)
{
    int idx = 0, node, count, i;
    uint64_t ra = 0, rs = 0, a = 0, s = 0;

    for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
        if (!ref_is_memory(fdt, node))
            continue;
        ref_reg(fdt, node, 0, &ra, &rs, &count);
        for (i = 0; i < count; i++, idx++) {
            int ref = ref_reg(fdt, node, i, &ra, &rs, &count);
            int r = dt_memory_bank(fdt, idx, &a, &s);
            CHECK(r == ref && (r != 0 || (a == ra && s == rs)), "memory bank %d", idx);
        }
    }
    CHECK(dt_memory_bank(fdt, idx, &a, &s) == DT_ERR_NOTFOUND, "memory bank %d past the last", idx);
    CHECK(dt_memory_bank(fdt, -1, &a, &s) == DT_ERR_NOTFOUND, "memory bank -1");
}

/* The whole comparison; returns the number of nodes. */
static struct diff_stats differential(const void *fdt)
{
    struct diff_stats st = { 0, 0, 0, 0, 0, 0, 0, 0 };
    int ours = dt_root(fdt), node, depth = 0;       /* libfdt: the root is depth 1 */

    CHECK(ours == fdt_path_offset(fdt, "/"), "root %d", ours);
    CHECK(dt_path(fdt, "/") == ours && dt_path(fdt, "//") == ours, "path \"/\"");
    CHECK(dt_path(fdt, "") == DT_ERR_NOTFOUND && dt_path(fdt, NULL) == DT_ERR_NOTFOUND, "empty path");
    CHECK(dt_path(fdt, "/no-such-node") == DT_ERR_NOTFOUND, "absent path");
    CHECK(dt_path(fdt, "no-such-alias") == DT_ERR_NOTFOUND, "absent alias");
    for (node = fdt_next_node(fdt, -1, &depth); node >= 0 && st.nodes < MAX_NODES;
         node = fdt_next_node(fdt, node, &depth)) {
        CHECK(ours == node, "depth-first order: ours %d, libfdt %d", ours, node);
        diff_node(fdt, node, depth - 1, &st);
        ours = dt_next_node(fdt, ours);
    }
    CHECK(ours == DT_ERR_NOTFOUND, "our walk has more nodes (%d)", ours);
    CHECK(dt_find_phandle(fdt, 0) == DT_ERR_NOTFOUND &&
          dt_find_phandle(fdt, 0xffffffffu) == DT_ERR_NOTFOUND, "phandle 0 and -1");
    diff_compatible(fdt, &st);
    diff_aliases(fdt, &st);
    diff_memory(fdt);
    return st;
}

/* ------------------------------------------------------------------ */
/* Platform facts (DESIGN.md section 6) for the DTBs QEMU dumps. */

static int by_compat(const void *fdt, const char *compat)
{
    return dt_find_compatible(fdt, -1, compat);
}

static void expect_reg(const void *fdt, int node, int idx, uint64_t addr, uint64_t size,
                       const char *what)
{
    uint64_t a = 0, s = 0;
    int r = dt_reg(fdt, node, idx, &a, &s);

    CHECK(node >= 0 && r == 0 && a == addr && s == size,
          "%s reg[%d]: %d 0x%llx+0x%llx, expected 0x%llx+0x%llx", what, idx, r,
          (unsigned long long)a, (unsigned long long)s, (unsigned long long)addr,
          (unsigned long long)size);
}

static void expect_translate(const void *fdt, int bus, uint64_t addr, uint64_t want, const char *what)
{
    uint64_t got = 0;

    CHECK(dt_translate(fdt, bus, addr, &got) == 0 && got == want,
          "%s: 0x%llx -> 0x%llx, expected 0x%llx", what, (unsigned long long)addr,
          (unsigned long long)got, (unsigned long long)want);
}

/* The PCI host bridge windows as the platform has them, in DT order. */
struct pci_window { uint32_t space; bool pf; uint64_t pci, cpu, size; };

static void expect_pci_ranges(const void *fdt, int node, const struct pci_window *w, int n,
                              const char *what)
{
    struct dt_pci_range r;

    CHECK(node >= 0, "%s: no PCI host", what);
    for (int i = 0; i < n; i++) {
        int err = dt_pci_range(fdt, node, i, &r);
        CHECK(err == 0 && r.space == w[i].space && r.prefetchable == w[i].pf &&
              r.pci_addr == w[i].pci && r.cpu_addr == w[i].cpu && r.size == w[i].size,
              "%s range %d: %d space %u pci 0x%llx cpu 0x%llx size 0x%llx", what, i, err,
              r.space, (unsigned long long)r.pci_addr, (unsigned long long)r.cpu_addr,
              (unsigned long long)r.size);
    }
    CHECK(dt_pci_range(fdt, node, n, &r) == DT_ERR_NOTFOUND, "%s: %d ranges", what, n);
}

static int count_cpus(const void *fdt)
{
    int cpus = dt_path(fdt, "/cpus"), n = 0;

    for (int c = dt_first_child(fdt, cpus); c >= 0; c = dt_next_sibling(fdt, c)) {
        const char *type = dt_prop_str(fdt, c, "device_type");
        n += type && !strcmp(type, "cpu");
    }
    return n;
}

static void facts_arm64(const void *fdt, const char *file)
{
    uint64_t a, s;
    int gic3 = by_compat(fdt, "arm,gic-v3"), gic2 = by_compat(fdt, "arm,cortex-a15-gic");

    expect_reg(fdt, by_compat(fdt, "arm,pl011"), 0, 0x09000000, 0x1000, "pl011");
    expect_reg(fdt, by_compat(fdt, "qemu,fw-cfg-mmio"), 0, 0x09020000, 0x18, "fw-cfg");
    expect_reg(fdt, by_compat(fdt, "virtio,mmio"), 0, 0x0a000000, 0x200, "virtio-mmio slot 0");
    expect_reg(fdt, by_compat(fdt, "pci-host-ecam-generic"), 0, 0x4010000000ull, 0x10000000, "ECAM");
    expect_translate(fdt, by_compat(fdt, "pci-host-ecam-generic"), 0x10000000, 0x10000000, "PCI MMIO32");
    expect_translate(fdt, by_compat(fdt, "pci-host-ecam-generic"), 0x8000000000ull,
                     0x8000000000ull, "PCI MMIO64");
    CHECK(dt_memory_bank(fdt, 0, &a, &s) == 0 && a == 0x40000000, "arm64 RAM at 0x40000000");
    struct dt_irq irq;
    int gic = gic3 >= 0 ? gic3 : gic2;
    CHECK(dt_irq_of(fdt, by_compat(fdt, "virtio,mmio"), 0, &irq) == 0 && irq.parent == gic &&
          irq.cells == 3 && irq.spec[0] == 0 && irq.spec[1] == 16 && irq.spec[2] == 1,
          "virtio-mmio slot 0: GIC SPI 16, edge (interrupt-parent from the root)");
    static const struct pci_window pcie[] = {
        { 1, false, 0, 0x3eff0000, 0x10000 },
        { 2, false, 0x10000000, 0x10000000, 0x2eff0000 },
        { 3, false, 0x8000000000ull, 0x8000000000ull, 0x8000000000ull },
    };
    expect_pci_ranges(fdt, by_compat(fdt, "pci-host-ecam-generic"), pcie, 3, "arm64 PCIe");
    CHECK(dt_path(fdt, "/chosen") >= 0 && dt_path(fdt, "/pl011@9000000") >= 0, "stdout path");
    if (strstr(file, "gicv3")) {
        expect_reg(fdt, gic3, 0, 0x08000000, 0x10000, "GICD");
        expect_reg(fdt, gic3, 1, 0x080a0000, 0xf60000, "GICR");
        expect_reg(fdt, by_compat(fdt, "arm,gic-v3-its"), 0, 0x08080000, 0x20000, "ITS (empty ranges)");
    } else {
        expect_reg(fdt, gic2, 0, 0x08000000, 0x10000, "GICD");
        expect_reg(fdt, gic2, 1, 0x08010000, 0x10000, "GICC");
        expect_reg(fdt, by_compat(fdt, "arm,gic-v2m-frame"), 0, 0x08020000, 0x1000, "v2m (empty ranges)");
    }
    const char *method = dt_prop_str(fdt, dt_path(fdt, "/psci"), "method");
    CHECK_STR(method, strstr(file, "el2") ? "smc" : "hvc", "PSCI conduit");
    /* cpu reg is an MPIDR, not an address: /cpus has no ranges. */
    int cpu0 = dt_path(fdt, "/cpus/cpu@0");
    CHECK(dt_reg_count(fdt, cpu0) == 1 && dt_reg(fdt, cpu0, 0, &a, &s) == DT_ERR_BADVALUE,
          "cpu reg is not translatable");
}

static void facts_riscv64(const void *fdt, const char *file)
{
    uint64_t a, s;

    expect_reg(fdt, by_compat(fdt, "ns16550a"), 0, 0x10000000, 0x100, "ns16550a (empty ranges)");
    expect_reg(fdt, by_compat(fdt, "sifive,test0"), 0, 0x100000, 0x1000, "sifive_test");
    expect_reg(fdt, by_compat(fdt, "qemu,fw-cfg-mmio"), 0, 0x10100000, 0x18, "fw-cfg");
    expect_reg(fdt, by_compat(fdt, "pci-host-ecam-generic"), 0, 0x30000000, 0x10000000, "ECAM");
    CHECK(dt_memory_bank(fdt, 0, &a, &s) == 0 && a == 0x80000000, "riscv RAM at 0x80000000");
    struct dt_irq irq;
    int slot0 = dt_path(fdt, "/soc/virtio_mmio@10001000");
    int plic = by_compat(fdt, "sifive,plic-1.0.0");
    CHECK(dt_irq_of(fdt, slot0, 0, &irq) == 0 && irq.parent == plic && irq.cells == 1 &&
          irq.spec[0] == 1, "virtio-mmio slot 0: PLIC source 1");
    static const struct pci_window pcie[] = {
        { 1, false, 0, 0x3000000, 0x10000 },
        { 2, false, 0x40000000, 0x40000000, 0x40000000 },
        { 3, false, 0x400000000ull, 0x400000000ull, 0x400000000ull },
    };
    expect_pci_ranges(fdt, by_compat(fdt, "pci-host-ecam-generic"), pcie, 3, "riscv64 PCIe");
    CHECK(dt_path(fdt, "/soc/serial") == by_compat(fdt, "ns16550a"), "unit-less unique name");
    int cpu0 = dt_path(fdt, "/cpus/cpu@0");
    CHECK_STR(dt_prop_str(fdt, cpu0, "mmu-type"), "riscv,sv48", "mmu-type");
    const char *isa = dt_prop_str(fdt, cpu0, "riscv,isa");
    CHECK(isa && (strstr(isa, "svpbmt") != NULL) == (strstr(file, "svpbmt") != NULL),
          "svpbmt in riscv,isa: %s", isa ? isa : "(none)");
    CHECK(dt_path(fdt, "/cpus/cpu") == DT_ERR_NOTFOUND, "/cpus/cpu is ambiguous");
}

static void facts_ppc(const void *fdt, const char *file)
{
    uint64_t a, s, rel;
    int serial = by_compat(fdt, "ns16550"), pci = by_compat(fdt, "fsl,mpc8540-pci");
    int rtc = by_compat(fdt, "pericom,pt7c4338");

    if (strstr(file, "noserial")) {
        /* -serial none: no UART node, and the aliases point nowhere. */
        CHECK(serial == DT_ERR_NOTFOUND && dt_path(fdt, "serial0") == DT_ERR_NOTFOUND,
              "ppce500 without a serial backend has no UART node");
        CHECK(dt_prop_str(fdt, dt_path(fdt, "/chosen"), "stdout-path") == NULL, "no stdout-path");
        return;
    }
    expect_reg(fdt, serial, 0, 0xfe0004500ull, 0x100, "UART via soc ranges");
    expect_reg(fdt, by_compat(fdt, "fsl,mpic"), 0, 0xfe0040000ull, 0x40000, "MPIC");
    expect_reg(fdt, by_compat(fdt, "fsl,mpc8544-guts"), 0, 0xfe00e0000ull, 0x1000, "GUTS");
    expect_reg(fdt, by_compat(fdt, "fsl,qoriq-gpio"), 0, 0xfe00ff000ull, 0x1000, "GPIO");
    expect_reg(fdt, pci, 0, 0xfe0008000ull, 0x1000, "PCI host");
    struct dt_irq irq;
    CHECK(dt_irq_of(fdt, pci, 0, &irq) == 0 && irq.parent == by_compat(fdt, "fsl,mpic") &&
          irq.cells == 2 && irq.spec[0] == 24 && irq.spec[1] == 2,
          "PCI host's own interrupt: MPIC 24");
    expect_translate(fdt, pci, 0xe0000000, 0xc00000000ull, "PCI memory window");
    expect_translate(fdt, pci, 0x0, 0xfe1000000ull, "PCI I/O window (first match, space unknown)");
    static const struct pci_window fsl[] = {
        { 2, false, 0xe0000000, 0xc00000000ull, 0x20000000 },
        { 1, false, 0, 0xfe1000000ull, 0x10000 },
    };
    expect_pci_ranges(fdt, pci, fsl, 2, "ppce500 PCI");
    CHECK(dt_path(fdt, "serial0") == serial, "alias serial0");
    CHECK(dt_path(fdt, "serial0:115200n8") == serial, "alias with options");
    CHECK(dt_path(fdt, "rtc") == rtc && rtc >= 0, "relative alias \"i2c/rtc@68\"");
    CHECK(dt_reg(fdt, rtc, 0, &a, &s) == DT_ERR_BADVALUE, "rtc reg (i2c: no cells, no ranges)");
    CHECK(dt_memory_bank(fdt, 0, &a, &s) == 0 && a == 0 && s == 0x8000000, "RAM 0..128 MiB");
    for (int c = dt_first_child(fdt, dt_path(fdt, "/cpus")), n = 0; c >= 0;
         c = dt_next_sibling(fdt, c), n++) {
        if (n == 0) {
            CHECK(dt_is_available(fdt, c), "boot cpu okay");
            continue;
        }
        /* ePAPR: a spin-table secondary is "disabled" until released. */
        CHECK(!dt_is_available(fdt, c), "secondary %d is status=disabled", n);
        CHECK(dt_prop_has_str(fdt, c, "enable-method", "spin-table"), "spin-table %d", n);
        CHECK(dt_prop_u64(fdt, c, "cpu-release-addr", &rel) == 0 &&
              rel == 0xfef000000ull + 0x20u * (unsigned)n, "release addr %d: 0x%llx", n,
              (unsigned long long)rel);
    }
}

/* CPUs named in the file name ("-smpN"). */
static void facts(const void *fdt, const char *path)
{
    const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *smp = strstr(file, "-smp");

    if (smp)
        CHECK(count_cpus(fdt) == atoi(smp + 4), "%s: %d cpu nodes", file, count_cpus(fdt));
    if (!strncmp(file, "arm64", 5))
        facts_arm64(fdt, file);
    else if (!strncmp(file, "riscv64", 7))
        facts_riscv64(fdt, file);
    else if (!strncmp(file, "ppc", 3))
        facts_ppc(fdt, file);
}

/* ------------------------------------------------------------------ */
/* Mutation loop. */

static unsigned rng_state = 0x5eed;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return n ? (rng_state >> 8) % n : 0;
}

/* Call everything on a blob that may be corrupt; results are ignored,
 * only crashes, sanitizer reports and hangs count. */
static void exercise(const void *b)
{
    static const char *const paths[] = {
        "/", "/cpus", "/cpus/cpu@0", "/cpus/cpu", "serial0", "serial0/x", "rtc", "/chosen",
        "/soc/serial", "/aliases", "i2c/rtc@68", "//a//b/", "/memory",
    };
    uint64_t a, s;
    int n = dt_root(b), k = 0, len;
    const char *name;
    const void *v;
    struct dt_pci_range pr;
    struct dt_irq irq;

    for (; n >= 0 && k < MAX_NODES; n = dt_next_node(b, n), k++) {
        (void)dt_name(b, n);
        (void)dt_first_child(b, n);
        (void)dt_next_sibling(b, n);
        for (int i = 0; i < 64 && dt_prop_at(b, n, i, &name, &v, &len) == 0; i++)
            (void)dt_prop(b, n, name, &len);
        (void)dt_prop_str(b, n, "compatible");
        (void)dt_is_compatible(b, n, "virtio,mmio");
        (void)dt_is_available(b, n);
        (void)dt_addr_cells(b, n);
        if (k < 64) {                       /* the O(n) calls on a prefix */
            (void)dt_parent(b, n);
            (void)dt_reg_count(b, n);
            (void)dt_reg(b, n, 0, &a, &s);
            (void)dt_reg(b, n, 1, &a, &s);
            (void)dt_translate(b, n, 0x1000, &a);
            for (int i = -1; i < 3; i++)
                (void)dt_pci_range(b, n, i, &pr);
            for (int i = 0; i < 2; i++)
                (void)dt_irq_of(b, n, i, &irq);
        }
    }
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        (void)dt_path(b, paths[i]);
    (void)dt_find_compatible(b, -1, "arm,pl011");
    (void)dt_find_phandle(b, 0x8000);
    for (int i = 0; i < 4; i++)
        (void)dt_memory_bank(b, i, &a, &s);
}

static const uint32_t interesting[] = {
    0, 1, 2, 3, 4, 9, 5, 0xffffffffu, 0x7fffffffu, 0x80000000u, 0xfffffffcu, 8, 12, 16,
    0x00010000u, 0xd00dfeedu,
};

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Mutate b (len bytes) in place; returns the length to present. */
static size_t mutate_once(uint8_t *b, size_t len, unsigned round)
{
    uint32_t st = get_be32(b + 8), st_size = get_be32(b + 36);
    size_t words = len / 4;

    switch (round % 7) {
    case 0:                                 /* a few bit flips anywhere */
        for (unsigned i = 0, n = 1 + rnd(4); i < n; i++)
            b[rnd((unsigned)len)] ^= (uint8_t)(1u << rnd(8));
        return len;
    case 1:                                 /* header fields */
        put_be32(b + 4 * rnd(10), rnd(2) ? interesting[rnd(16)] : get_be32(b + 4 * rnd(10)) + rnd(64) - 32);
        return len;
    case 2:                                 /* a structure-block word */
        if ((uint64_t)st + st_size <= len && st_size >= 4)
            put_be32(b + st + 4 * rnd(st_size / 4), interesting[rnd(16)]);
        return len;
    case 3:                                 /* truncated, header intact */
        return rnd((unsigned)len);
    case 4: {                               /* truncated, totalsize agrees */
        size_t cut = 40 + rnd((unsigned)(len - 40));
        put_be32(b + 4, (uint32_t)cut);
        return cut;
    }
    case 5:                                 /* swap two words */
        if (words > 12) {
            size_t i = 10 + rnd((unsigned)(words - 10)), j = 10 + rnd((unsigned)(words - 10));
            uint32_t t = get_be32(b + 4 * i);
            put_be32(b + 4 * i, get_be32(b + 4 * j));
            put_be32(b + 4 * j, t);
        }
        return len;
    default:                                /* a run of random bytes */
        for (unsigned i = 0, at = rnd((unsigned)len), n = 1 + rnd(8); i < n && at + i < len; i++)
            b[at + i] = (uint8_t)rnd(256);
        return len;
    }
}

/* TEST_FDT_SAVE=DIR keeps each mutated blob on which we and libfdt
 * disagree, for a closer look (fdtdump, dtc -I dtb). */
static void save_blob(const void *blob, size_t len, const char *what, unsigned round)
{
    const char *dir = getenv("TEST_FDT_SAVE");
    char path[512];
    FILE *f;

    if (!dir)
        return;
    snprintf(path, sizeof(path), "%s/%s-%u.dtb", dir, strrchr(what, ' ') ? "blob" : what, round);
    if ((f = fopen(path, "wb")) != NULL) {
        fwrite(blob, 1, len, f);
        fclose(f);
        fprintf(stderr, "  saved %s\n", path);
    }
}

struct fuzz_stats {
    unsigned rounds, ours_ok, both_ok, only_ours, only_libfdt, unchecked_runs;
};

static void watchdog(int sig)
{
    static const char msg[] = "test_fdt: a call did not return within the time limit (hang)\n";
    (void)sig;
    if (write(2, msg, sizeof(msg) - 1) < 0)
        _exit(3);
    _exit(2);
}

static void fuzz(const void *orig, size_t len, unsigned rounds, const char *what)
{
    struct fuzz_stats fs = { 0, 0, 0, 0, 0, 0 };
    uint8_t *work = malloc(len);

    for (unsigned round = 0; round < rounds; round++) {
        memcpy(work, orig, len);
        size_t cut = mutate_once(work, len, round);
        if (round % 3 == 0)                 /* sometimes two mutations at once */
            cut = cut < 40 ? cut : mutate_once(work, cut, round + 1 + rnd(6));
        /* Exact-size copy: one byte too far is an ASan report. */
        uint8_t *blob = malloc(cut ? cut : 1);
        memcpy(blob, work, cut);
        const char *why = NULL;
        int r = dt_check(blob, cut, &why);
        CHECK(r == 0 ? why == NULL : r == DT_ERR_BADBLOB && why && *why,
              "%s round %u: dt_check %d with reason %s", what, round, r, why ? why : "(none)");
        bool libfdt_ok = cut >= 40 && fdt_check_full(blob, cut) == 0;
        fs.rounds++;
        fs.ours_ok += r == 0;
        fs.both_ok += r == 0 && libfdt_ok;
        fs.only_ours += r == 0 && !libfdt_ok;
        fs.only_libfdt += r != 0 && libfdt_ok;
        if (r == 0) {
            exercise(blob);
            if (libfdt_ok && round % 4 == 0) {
                unsigned before = check_failed;
                names_may_repeat = true;
                (void)differential(blob);   /* accepted by both: must agree */
                names_may_repeat = false;
                if (check_failed != before)
                    save_blob(blob, cut, what, round);
            }
        } else if (cut >= 40 && get_be32(blob + 4) <= cut) {
            /* Rejected, but its header stays inside the buffer: the
             * unchecked calls must still stay inside it too. */
            fs.unchecked_runs++;
            exercise(blob);
        }
        free(blob);
    }
    free(work);
    printf("  %s: %u mutations: %u pass dt_check (%u also libfdt's fdt_check_full, %u only ours,"
           " %u only libfdt); %u rejected blobs walked unchecked; no crash\n", what, fs.rounds,
           fs.ours_ok, fs.both_ok, fs.only_ours, fs.only_libfdt, fs.unchecked_runs);
}

/* libfdt's packed copy: totalsize shrinks to the data (QEMU pads to 1 MiB),
 * so mutations land where they matter. */
static void *packed_copy(const void *fdt, size_t *len)
{
    size_t cap = fdt_totalsize(fdt);
    void *p = malloc(cap);

    if (fdt_open_into(fdt, p, (int)cap) != 0 || fdt_pack(p) != 0) {
        free(p);
        return NULL;
    }
    *len = fdt_totalsize(p);
    return p;
}

/* ------------------------------------------------------------------ */
/* Hand-assembled blobs for each dt_check() reason. */

struct hand {
    uint8_t b[512];
    size_t st, st_len, str, total;
};

static size_t emit_word(uint8_t *b, size_t at, uint32_t v)
{
    put_be32(b + at, v);
    return at + 4;
}

static size_t emit_node(uint8_t *b, size_t at, const char *name)
{
    size_t n = strlen(name) + 1;

    at = emit_word(b, at, 1);
    memset(b + at, 0, (n + 3) & ~(size_t)3);
    memcpy(b + at, name, n);
    return at + ((n + 3) & ~(size_t)3);
}

static size_t emit_prop(uint8_t *b, size_t at, uint32_t nameoff, const char *val, uint32_t len)
{
    at = emit_word(b, at, 3);
    at = emit_word(b, at, len);
    at = emit_word(b, at, nameoff);
    memset(b + at, 0, (len + 3) & ~3u);
    memcpy(b + at, val, len);
    return at + ((len + 3) & ~3u);
}

/* / { compatible = "x"; child { }; }; strings "compatible\0". */
static void hand_base(struct hand *h)
{
    static const char strings[] = "compatible";
    size_t at;

    memset(h, 0, sizeof(*h));
    h->st = 56;                              /* header 40 + empty reservation map 16 */
    at = emit_node(h->b, h->st, "");
    at = emit_prop(h->b, at, 0, "x", 2);
    at = emit_node(h->b, at, "child");
    at = emit_word(h->b, at, 2);
    at = emit_word(h->b, at, 2);
    at = emit_word(h->b, at, 9);
    h->st_len = at - h->st;
    h->str = at;
    memcpy(h->b + h->str, strings, sizeof(strings));
    h->total = h->str + sizeof(strings);
    put_be32(h->b + 0, 0xd00dfeed);
    put_be32(h->b + 4, (uint32_t)h->total);
    put_be32(h->b + 8, (uint32_t)h->st);
    put_be32(h->b + 12, (uint32_t)h->str);
    put_be32(h->b + 16, 40);
    put_be32(h->b + 20, 17);
    put_be32(h->b + 24, 16);
    put_be32(h->b + 32, sizeof(strings));
    put_be32(h->b + 36, (uint32_t)h->st_len);
}

/* Replace the structure block with the given words (names as tokens are
 * not needed here) and fix the header. */
static void hand_struct(struct hand *h, const uint32_t *words, size_t n)
{
    static const char strings[] = "compatible";

    for (size_t i = 0; i < n; i++)
        put_be32(h->b + h->st + 4 * i, words[i]);
    h->st_len = 4 * n;
    h->str = h->st + h->st_len;
    memcpy(h->b + h->str, strings, sizeof(strings));
    h->total = h->str + sizeof(strings);
    put_be32(h->b + 4, (uint32_t)h->total);
    put_be32(h->b + 12, (uint32_t)h->str);
    put_be32(h->b + 36, (uint32_t)h->st_len);
}

static void expect_reject(const struct hand *h, size_t maxlen, const char *reason, const char *what)
{
    const char *why = NULL;
    uint8_t *copy = malloc(maxlen ? maxlen : 1);     /* exact size for ASan */

    memcpy(copy, h->b, maxlen);
    int r = dt_check(copy, maxlen, &why);
    CHECK(r == DT_ERR_BADBLOB && why && strstr(why, reason),
          "%s: dt_check %d, reason \"%s\", expected one with \"%s\"", what, r,
          why ? why : "(none)", reason);
    free(copy);
}

static void malformed(void)
{
    struct hand h;
    const char *why = "unset";

    hand_base(&h);
    CHECK(dt_check(h.b, h.total, &why) == 0 && why == NULL, "the base blob is valid: %s", why);
    CHECK(dt_check(h.b, h.total, NULL) == 0, "why may be NULL");
    CHECK(fdt_check_full(h.b, h.total) == 0, "libfdt accepts the base blob too");
    CHECK(dt_path(h.b, "/child") >= 0 && dt_is_compatible(h.b, dt_root(h.b), "x"), "base walks");

    CHECK(dt_check(NULL, 100, &why) == DT_ERR_BADBLOB && strstr(why, "NULL"), "NULL: %s", why);
    expect_reject(&h, 3, "shorter than the FDT header", "3 bytes");
    expect_reject(&h, 30, "shorter than the FDT header", "30 bytes");
    hand_base(&h); h.b[0] = 0xfe;
    expect_reject(&h, h.total, "bad magic", "magic");
    hand_base(&h); put_be32(h.b + 20, 15);
    expect_reject(&h, h.total, "older than 16", "version 15");
    hand_base(&h); put_be32(h.b + 24, 18);
    expect_reject(&h, h.total, "last_comp_version", "last_comp_version 18");
    hand_base(&h);
    expect_reject(&h, h.total - 1, "larger than the space given", "totalsize > maxlen");
    hand_base(&h); put_be32(h.b + 4, 39);
    expect_reject(&h, h.total, "smaller than the header", "totalsize 39");
    hand_base(&h); put_be32(h.b + 4, 0x7ffffff0);
    expect_reject(&h, h.total, "larger than the space given", "totalsize 2 GiB");
    hand_base(&h); put_be32(h.b + 8, (uint32_t)h.total);
    expect_reject(&h, h.total, "structure block", "struct offset at the end");
    hand_base(&h); put_be32(h.b + 36, (uint32_t)h.total);
    expect_reject(&h, h.total, "structure block", "struct size past the end");
    hand_base(&h); put_be32(h.b + 8, 20);
    expect_reject(&h, h.total, "structure block", "struct block inside the header");
    hand_base(&h); put_be32(h.b + 8, 58); put_be32(h.b + 36, 4);
    expect_reject(&h, h.total, "aligned", "struct block misaligned");
    hand_base(&h); put_be32(h.b + 32, 200);
    expect_reject(&h, h.total, "strings block", "strings size past the end");
    hand_base(&h); put_be32(h.b + 12, 0xfffffff0u);
    expect_reject(&h, h.total, "strings block", "strings offset wraps");
    hand_base(&h); put_be32(h.b + 16, (uint32_t)h.total + 8);
    expect_reject(&h, h.total, "reservation block", "rsvmap outside");
    hand_base(&h); put_be32(h.b + 16, (uint32_t)h.total - 8);
    expect_reject(&h, h.total, "terminating entry", "rsvmap runs off the end");
    hand_base(&h); h.b[40 + 7] = 1;
    expect_reject(&h, h.total, "terminating entry", "rsvmap entry not zero");

    /* Structure-block faults. */
    hand_base(&h); put_be32(h.b + h.st + 8 + 8, 11);            /* name offset 11 = size */
    expect_reject(&h, h.total, "name offset", "property name offset outside");
    hand_base(&h); h.b[h.str + 10] = 'x';                        /* strings lose their NUL */
    expect_reject(&h, h.total, "strings block (unterminated)", "property name unterminated");
    hand_base(&h); put_be32(h.b + h.st + 8 + 4, 1000);
    expect_reject(&h, h.total, "value runs past", "property value too long");
    hand_base(&h); put_be32(h.b + h.st + 8 + 4, 0xfffffff0u);
    expect_reject(&h, h.total, "value runs past", "property length wraps");
    {
        const uint32_t nul_free[] = { 1, 0x61616161, 0x61616161 };  /* "aaaaaaaa" to the end */
        hand_base(&h); hand_struct(&h, nul_free, 3);
        expect_reject(&h, h.total, "unterminated", "node name unterminated");
    }
    {
        const uint32_t extra_end[] = { 1, 0, 2, 2, 9 };
        hand_base(&h); hand_struct(&h, extra_end, 5);
        expect_reject(&h, h.total, "unbalanced", "extra END_NODE");
    }
    {
        const uint32_t open[] = { 1, 0, 1, 0x61000000, 2, 9 };
        hand_base(&h); hand_struct(&h, open, 6);
        expect_reject(&h, h.total, "END inside an open node", "END inside a node");
    }
    {
        const uint32_t no_end[] = { 1, 0, 2 };
        hand_base(&h); hand_struct(&h, no_end, 3);
        expect_reject(&h, h.total, "without an END token", "missing END");
    }
    {
        const uint32_t bad_tok[] = { 1, 0, 7, 2, 9 };
        hand_base(&h); hand_struct(&h, bad_tok, 5);
        expect_reject(&h, h.total, "unknown token", "token 7");
    }
    {
        const uint32_t two_roots[] = { 1, 0, 2, 1, 0, 2, 9 };
        hand_base(&h); hand_struct(&h, two_roots, 7);
        expect_reject(&h, h.total, "more than one root", "two roots");
    }
    {
        const uint32_t outside[] = { 3, 0, 0, 1, 0, 2, 9 };
        hand_base(&h); hand_struct(&h, outside, 7);
        expect_reject(&h, h.total, "outside any node", "property before the root");
    }
    {
        const uint32_t after[] = { 1, 0, 1, 0x61000000, 2, 3, 0, 0, 2, 9 };
        hand_base(&h); hand_struct(&h, after, 10);
        expect_reject(&h, h.total, "after a subnode", "property after a subnode");
    }
    {
        const uint32_t none[] = { 4, 9 };
        hand_base(&h); hand_struct(&h, none, 2);
        expect_reject(&h, h.total, "no root node", "no root");
    }
    {
        const uint32_t cut_prop[] = { 1, 0, 3, 0 };
        hand_base(&h); hand_struct(&h, cut_prop, 4);
        expect_reject(&h, h.total, "property header runs past", "property header cut");
    }
    {
        const uint32_t empty[] = { 0 };
        hand_base(&h); hand_struct(&h, empty, 0);
        expect_reject(&h, h.total, "without an END token", "empty structure block");
    }
    {   /* NOPs anywhere are fine, and a version 16 blob has no size_dt_struct. */
        const uint32_t nops[] = { 4, 1, 0, 4, 3, 2, 0, 0x78000000, 4, 1, 0x61000000, 4, 2, 4, 2, 4, 9 };
        hand_base(&h); hand_struct(&h, nops, 17);
        CHECK(dt_check(h.b, h.total, &why) == 0, "NOPs: %s", why ? why : "");
        CHECK(dt_root(h.b) == 4 && dt_first_child(h.b, 4) == 36 && dt_path(h.b, "/a") == 36 &&
              dt_prop_str(h.b, 4, "compatible") != NULL, "NOPs skipped");
        put_be32(h.b + 20, 16);
        put_be32(h.b + 24, 16);
        put_be32(h.b + 36, 0xdeadbeef);      /* ignored before version 17 */
        CHECK(dt_check(h.b, h.total, &why) == 0, "version 16: %s", why ? why : "");
        CHECK(dt_path(h.b, "/a") == 36, "version 16 walks");
    }
    /* The unchecked calls on a header that lies stay quiet. */
    hand_base(&h); put_be32(h.b + 8, 0xfffffff0u);
    CHECK(dt_root(h.b) == DT_ERR_NOTFOUND && dt_path(h.b, "/child") == DT_ERR_NOTFOUND,
          "inconsistent header: nothing found");
    hand_base(&h); h.b[0] = 0;
    CHECK(dt_root(h.b) == DT_ERR_NOTFOUND, "bad magic: nothing found");
}

/* ------------------------------------------------------------------ */
/* Synthetic trees, built with libfdt's sequential-write API. */

#define SW(call) CHECK((call) == 0, "libfdt: %s", #call)

static void cells(void *fdt, const char *name, int n, ...)
{
    fdt32_t v[32];
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++)
        v[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
    va_end(ap);
    SW(fdt_property(fdt, name, v, n * 4));
}

static void strprop(void *fdt, const char *name, const char *s)
{
    SW(fdt_property_string(fdt, name, s));
}

static void node(void *fdt, const char *name)
{
    SW(fdt_begin_node(fdt, name));
}

static void end(void *fdt)
{
    SW(fdt_end_node(fdt));
}

static void leaf_reg(void *fdt, const char *name, int n, ...)
{
    fdt32_t v[32];
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++)
        v[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
    va_end(ap);
    node(fdt, name);
    SW(fdt_property(fdt, "reg", v, n * 4));
    end(fdt);
}

static void build_buses(void *fdt)
{
    node(fdt, "bus@f0000000");
    cells(fdt, "#address-cells", 1, 1);
    cells(fdt, "#size-cells", 1, 1);
    cells(fdt, "ranges", 4, 0, 0, 0xf0000000, 0x10000000);
    leaf_reg(fdt, "dev@1000", 4, 0x1000, 0x100, 0x2000, 0x100);
    leaf_reg(fdt, "edge@ffffffc", 2, 0x0ffffffc, 4);
    leaf_reg(fdt, "out@10000000", 2, 0x10000000, 4);
    leaf_reg(fdt, "badlen@0", 3, 0, 1, 2);
    node(fdt, "sub@8000000");                    /* 2-cell (chip select, offset) */
    cells(fdt, "#address-cells", 1, 2);
    cells(fdt, "#size-cells", 1, 1);
    cells(fdt, "ranges", 8, 1, 0, 0x8000000, 0x100000, 2, 0, 0x8100000, 0x100000);
    leaf_reg(fdt, "chip@1,10", 3, 1, 0x10, 0x20);
    leaf_reg(fdt, "chip@2,0", 3, 2, 0, 0x20);
    leaf_reg(fdt, "chip@3,0", 3, 3, 0, 0x20);
    end(fdt);
    node(fdt, "nobus");                          /* no ranges: not translatable */
    cells(fdt, "#address-cells", 1, 1);
    cells(fdt, "#size-cells", 1, 1);
    leaf_reg(fdt, "hidden@0", 2, 0, 4);
    end(fdt);
    node(fdt, "empty");                          /* empty ranges: identity */
    cells(fdt, "#address-cells", 1, 1);
    cells(fdt, "#size-cells", 1, 1);
    SW(fdt_property(fdt, "ranges", NULL, 0));
    leaf_reg(fdt, "thing@40", 2, 0x40, 4);
    end(fdt);
    node(fdt, "wide");                           /* #size-cells 3: not decodable */
    cells(fdt, "#address-cells", 1, 1);
    cells(fdt, "#size-cells", 1, 3);
    leaf_reg(fdt, "x@0", 4, 0, 0, 0, 1);
    end(fdt);
    end(fdt);
}

/* A PCI host whose I/O and 32-bit memory windows both start at bus
 * address 0: only the space code tells them apart. */
static void build_pci(void *fdt)
{
    node(fdt, "pci@1000000000");
    strprop(fdt, "device_type", "pci");
    cells(fdt, "#address-cells", 1, 3);
    cells(fdt, "#size-cells", 1, 2);
    cells(fdt, "reg", 4, 0x10, 0, 0, 0x1000000);
    cells(fdt, "ranges", 21,
          0x01000000, 0, 0, 0x0, 0x3eff0000, 0, 0x10000,
          0x02000000, 0, 0, 0x0, 0x10000000, 0, 0x10000,
          0x43000000, 0x80, 0, 0x80, 0, 0x1, 0);
    leaf_reg(fdt, "dev@1", 20,
             0x00000800, 0, 0, 0, 0,
             0x01000810, 0, 0x100, 0, 0x100,
             0x02000814, 0, 0x200, 0, 0x100,
             0x03000818, 0x80, 0x10, 0, 0x1000);
    node(fdt, "bridge@2");
    strprop(fdt, "device_type", "pci");
    cells(fdt, "#address-cells", 1, 3);
    cells(fdt, "#size-cells", 1, 2);
    cells(fdt, "reg", 5, 0x1000, 0, 0, 0, 0);
    cells(fdt, "ranges", 8, 0x02000000, 0, 0x10000, 0x02000000, 0, 0x8000, 0, 0x1000);
    leaf_reg(fdt, "ep@0", 5, 0x02000000, 0, 0x10010, 0, 0x10);
    leaf_reg(fdt, "io@0", 5, 0x01000000, 0, 0x10010, 0, 0x10);
    end(fdt);
    end(fdt);
}

/* PCI host bridges whose "ranges" exercise dt_pci_range's cases: under a
 * 1-cell bus with a window (an entry outside it does not translate), with
 * prefetchable and config entries and trailing cells; without ranges, with
 * empty ranges, with less than one entry; under a bus without ranges and
 * under buses with 0 and 4 address cells. */
static void pci_host(void *fdt, const char *name)
{
    node(fdt, name);
    strprop(fdt, "device_type", "pci");
    cells(fdt, "#address-cells", 1, 3);
    cells(fdt, "#size-cells", 1, 2);
}

/* A bus node with these cell counts; identity: an empty "ranges". */
static void bus(void *fdt, const char *name, uint32_t ac, uint32_t sc, bool identity)
{
    node(fdt, name);
    cells(fdt, "#address-cells", 1, ac);
    cells(fdt, "#size-cells", 1, sc);
    if (identity)
        SW(fdt_property(fdt, "ranges", NULL, 0));
}

static void build_pci_ranges(void *fdt)
{
    bus(fdt, "pcibus@e0000000", 1, 1, false);
    cells(fdt, "ranges", 4, 0, 0, 0xe0000000, 0x10000000);
    pci_host(fdt, "pci@0");
    cells(fdt, "ranges", 32,
          0x42000000, 0, 0x1000, 0x2000, 0, 0x1000,         /* prefetchable MEM32 */
          0x01000000, 0, 0, 0x20000000, 0, 0x100,           /* outside the bus window */
          0x43000000, 0x1, 0x0, 0x3000, 0x2, 0x0,           /* prefetchable MEM64, 8 GiB */
          0x00000000, 0, 0, 0x4000, 0, 0x10,                /* config */
          0xbfff0810, 0, 0x6000, 0x6000, 0, 0x20,           /* every other phys.hi bit set */
          0xdead, 0xbeef);                                  /* not a whole entry */
    end(fdt);
    pci_host(fdt, "noranges@1");
    end(fdt);
    pci_host(fdt, "emptyranges@2");
    SW(fdt_property(fdt, "ranges", NULL, 0));
    end(fdt);
    pci_host(fdt, "short@3");
    cells(fdt, "ranges", 5, 0x02000000, 0, 0, 0x5000, 0);
    end(fdt);
    end(fdt);
    bus(fdt, "hiddenbus", 1, 1, false);          /* no ranges: not CPU-visible */
    pci_host(fdt, "pci@0");
    cells(fdt, "ranges", 6, 0x02000000, 0, 0, 0x0, 0, 0x1000);
    end(fdt);
    end(fdt);
    bus(fdt, "zerocells", 0, 0, true);
    pci_host(fdt, "pci");
    cells(fdt, "ranges", 10, 0x02000000, 0, 0, 0, 0x1000, 0x01000000, 0, 0, 0, 0x100);
    end(fdt);
    end(fdt);
    bus(fdt, "fourcells", 4, 1, true);
    pci_host(fdt, "pci");
    cells(fdt, "ranges", 9, 0x02000000, 0, 0, 0, 0, 0, 0x1000, 0, 0x1000);
    end(fdt);
    end(fdt);
}

/* An interrupt nexus (a PCI host's interrupt-map) into a 2-cell
 * controller, and one whose map names a phandle that does not exist. */
static void build_irq_map(void *fdt)
{
    node(fdt, "intc");
    SW(fdt_property(fdt, "interrupt-controller", NULL, 0));
    cells(fdt, "#interrupt-cells", 1, 2);
    cells(fdt, "#address-cells", 1, 0);
    cells(fdt, "phandle", 1, 0x10);
    end(fdt);
    node(fdt, "pcimap@0");
    cells(fdt, "#address-cells", 1, 3);
    cells(fdt, "#interrupt-cells", 1, 1);
    cells(fdt, "interrupt-map-mask", 4, 0x1800, 0, 0, 7);
    cells(fdt, "interrupt-map", 18, 0, 0, 0, 1, 0x10, 5, 1,
          0x800, 0, 0, 1, 0x10, 6, 4,
          0x800, 0, 0, 2);                          /* a cut-off last entry */
    end(fdt);
    node(fdt, "badmap@1");
    cells(fdt, "#address-cells", 1, 3);
    cells(fdt, "#interrupt-cells", 1, 1);
    cells(fdt, "interrupt-map", 7, 0, 0, 0, 1, 0x99, 1, 1);
    end(fdt);
}

static void build_misc(void *fdt)
{
    static const char unterminated[] = { 'a', 'b', 'c' };

    node(fdt, "aliases");
    strprop(fdt, "serial0", "/bus@f0000000/dev@1000");
    strprop(fdt, "nested", "serial0");
    strprop(fdt, "chip", "/bus@f0000000/sub@8000000");
    strprop(fdt, "relative", "chip/chip@2,0");
    strprop(fdt, "loop1", "loop2");
    strprop(fdt, "loop2", "loop1");
    strprop(fdt, "bad", "/nonexistent");
    strprop(fdt, "empty", "");
    SW(fdt_property(fdt, "unterminated", unterminated, 3));
    end(fdt);
    node(fdt, "names");
    node(fdt, "foo@1"); end(fdt);
    node(fdt, "foo@2"); end(fdt);
    node(fdt, "bar@1"); end(fdt);
    node(fdt, "baz@1"); end(fdt);
    node(fdt, "baz"); end(fdt);
    node(fdt, "qux@1"); end(fdt);
    end(fdt);
    node(fdt, "ph");
    node(fdt, "a"); cells(fdt, "phandle", 1, 5); end(fdt);
    node(fdt, "b"); cells(fdt, "linux,phandle", 1, 6); end(fdt);
    node(fdt, "c"); cells(fdt, "phandle", 1, 7); cells(fdt, "linux,phandle", 1, 8); end(fdt);
    node(fdt, "d"); cells(fdt, "phandle", 2, 1, 2); cells(fdt, "linux,phandle", 1, 9); end(fdt);
    end(fdt);
    node(fdt, "props");
    cells(fdt, "u32", 1, 0xdeadbeef);
    cells(fdt, "u64", 2, 0x12345678, 0x9abcdef0);
    cells(fdt, "three", 3, 1, 2, 3);
    strprop(fdt, "str", "hello");
    SW(fdt_property(fdt, "list", "a\0\0bc", 6));
    SW(fdt_property(fdt, "unterminated", unterminated, 3));
    SW(fdt_property(fdt, "empty", NULL, 0));
    SW(fdt_property(fdt, "compatible", "acme,widget\0acme,base", 22));
    end(fdt);
    node(fdt, "irqs");
    node(fdt, "gic");
    cells(fdt, "phandle", 1, 0x20);
    cells(fdt, "#interrupt-cells", 1, 3);
    end(fdt);
    node(fdt, "plic");
    cells(fdt, "phandle", 1, 0x21);
    cells(fdt, "#interrupt-cells", 1, 1);
    end(fdt);
    node(fdt, "zero");
    cells(fdt, "phandle", 1, 0x22);
    cells(fdt, "#interrupt-cells", 1, 0);
    end(fdt);
    node(fdt, "nocells"); cells(fdt, "phandle", 1, 0x23); end(fdt);
    node(fdt, "bus");
    cells(fdt, "interrupt-parent", 1, 0x21);
    node(fdt, "a"); cells(fdt, "interrupts", 2, 5, 6); end(fdt);
    node(fdt, "b"); cells(fdt, "interrupt-parent", 1, 0x20);
    cells(fdt, "interrupts", 3, 0, 16, 1); end(fdt);
    node(fdt, "c"); cells(fdt, "interrupt-parent", 1, 0x20);
    cells(fdt, "interrupts", 2, 0, 16); end(fdt);
    node(fdt, "d"); cells(fdt, "interrupts-extended", 6, 0x21, 7, 0x20, 0, 1, 4);
    cells(fdt, "interrupts", 1, 9); end(fdt);
    node(fdt, "e"); cells(fdt, "interrupts-extended", 2, 0x99, 1); end(fdt);
    node(fdt, "f"); cells(fdt, "interrupt-parent", 1, 0x22); cells(fdt, "interrupts", 1, 1);
    end(fdt);
    node(fdt, "g"); end(fdt);
    node(fdt, "h"); cells(fdt, "interrupts-extended", 3, 0x20, 0, 1); end(fdt);
    node(fdt, "i"); cells(fdt, "interrupt-parent", 1, 0x23); cells(fdt, "interrupts", 1, 1);
    end(fdt);
    node(fdt, "j"); cells(fdt, "interrupt-parent", 1, 0x77); cells(fdt, "interrupts", 1, 1);
    end(fdt);
    end(fdt);
    end(fdt);
    node(fdt, "orphan"); cells(fdt, "interrupts", 1, 3); end(fdt);
    node(fdt, "statuses");
    node(fdt, "s1"); strprop(fdt, "status", "okay"); end(fdt);
    node(fdt, "s2"); strprop(fdt, "status", "disabled"); end(fdt);
    node(fdt, "s3"); strprop(fdt, "status", "fail"); end(fdt);
    node(fdt, "s4"); strprop(fdt, "status", "ok"); end(fdt);
    node(fdt, "s5"); SW(fdt_property(fdt, "status", "okay", 4)); end(fdt);
    node(fdt, "s6"); end(fdt);
    end(fdt);
}

static void *build_synthetic(size_t *len)
{
    size_t cap = 16384;
    void *fdt = calloc(1, cap);

    SW(fdt_create(fdt, (int)cap));
    SW(fdt_add_reservemap_entry(fdt, 0x80000000, 0x1000));
    SW(fdt_finish_reservemap(fdt));
    node(fdt, "");
    cells(fdt, "#address-cells", 1, 2);
    cells(fdt, "#size-cells", 1, 2);
    SW(fdt_property(fdt, "compatible", "acme,board", 11));
    node(fdt, "memory@80000000");
    strprop(fdt, "device_type", "memory");
    cells(fdt, "reg", 8, 0, 0x80000000, 0, 0x1000000, 1, 0, 0, 0x2000000);
    end(fdt);
    node(fdt, "memory@0");
    strprop(fdt, "device_type", "memory");
    strprop(fdt, "status", "disabled");
    cells(fdt, "reg", 4, 0, 0, 0, 0x1000);
    end(fdt);
    build_buses(fdt);
    node(fdt, "memory@200000000");
    strprop(fdt, "device_type", "memory");
    cells(fdt, "reg", 4, 2, 0, 0, 0x100000);
    end(fdt);
    build_pci(fdt);
    build_pci_ranges(fdt);
    build_irq_map(fdt);
    build_misc(fdt);
    end(fdt);
    SW(fdt_finish(fdt));
    *len = fdt_totalsize(fdt);
    return fdt;
}

static void expect_path_reg(const void *fdt, const char *path, int idx, int err, uint64_t addr,
                            uint64_t size)
{
    uint64_t a = 0, s = 0;
    int node = dt_path(fdt, path), r = dt_reg(fdt, node, idx, &a, &s);

    CHECK(node >= 0, "%s not found", path);
    CHECK(r == err && (err != 0 || (a == addr && s == size)),
          "%s reg[%d]: %d 0x%llx+0x%llx, expected %d 0x%llx+0x%llx", path, idx, r,
          (unsigned long long)a, (unsigned long long)s, err, (unsigned long long)addr,
          (unsigned long long)size);
}

static void expect_irq(const void *fdt, const char *path, int idx, int err, const char *parent,
                       uint32_t cells, uint32_t s0, uint32_t s1, uint32_t s2)
{
    struct dt_irq irq = { .parent = -7 };
    int rc = dt_irq_of(fdt, dt_path(fdt, path), idx, &irq);

    CHECK(rc == err, "dt_irq_of(%s, %d): %d, want %d", path, idx, rc, err);
    if (rc || err)
        return;
    CHECK(irq.parent == dt_path(fdt, parent) && irq.cells == cells, "dt_irq_of(%s, %d): parent "
          "%s, %u cells", path, idx, dt_name(fdt, irq.parent), irq.cells);
    CHECK(irq.spec[0] == s0 && (cells < 2 || irq.spec[1] == s1) && (cells < 3 || irq.spec[2] == s2),
          "dt_irq_of(%s, %d): spec %u %u %u", path, idx, irq.spec[0], irq.spec[1], irq.spec[2]);
}

/* interrupts + interrupt-parent (own or inherited), interrupts-extended
 * (which wins), and each malformed shape. */
static void irq_answers(const void *fdt)
{
    expect_irq(fdt, "/irqs/bus/a", 0, 0, "/irqs/plic", 1, 5, 0, 0);
    expect_irq(fdt, "/irqs/bus/a", 1, 0, "/irqs/plic", 1, 6, 0, 0);
    expect_irq(fdt, "/irqs/bus/a", 2, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/a", -1, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/b", 0, 0, "/irqs/gic", 3, 0, 16, 1);
    expect_irq(fdt, "/irqs/bus/b", 1, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/c", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/d", 0, 0, "/irqs/plic", 1, 7, 0, 0);
    expect_irq(fdt, "/irqs/bus/d", 1, 0, "/irqs/gic", 3, 0, 1, 4);
    expect_irq(fdt, "/irqs/bus/d", 2, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/e", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/f", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/g", 0, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/h", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/i", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/irqs/bus/j", 0, DT_ERR_BADVALUE, NULL, 0, 0, 0, 0);
    expect_irq(fdt, "/orphan", 0, DT_ERR_NOTFOUND, NULL, 0, 0, 0, 0);
}

static void synthetic_answers(const void *fdt)
{
    uint64_t a = 0, s = 0, u64 = 0;
    uint32_t u32 = 0;
    int props = dt_path(fdt, "/props"), len;

    expect_path_reg(fdt, "/bus@f0000000/dev@1000", 0, 0, 0xf0001000, 0x100);
    expect_path_reg(fdt, "/bus@f0000000/dev@1000", 1, 0, 0xf0002000, 0x100);
    expect_path_reg(fdt, "/bus@f0000000/dev@1000", 2, DT_ERR_NOTFOUND, 0, 0);
    expect_path_reg(fdt, "/bus@f0000000/dev@1000", -1, DT_ERR_NOTFOUND, 0, 0);
    expect_path_reg(fdt, "/bus@f0000000/edge@ffffffc", 0, 0, 0xfffffffc, 4);
    expect_path_reg(fdt, "/bus@f0000000/out@10000000", 0, DT_ERR_BADVALUE, 0, 0);
    expect_path_reg(fdt, "/bus@f0000000/badlen@0", 0, DT_ERR_BADVALUE, 0, 0);
    CHECK(dt_reg_count(fdt, dt_path(fdt, "/bus@f0000000/badlen@0")) == 0, "malformed reg count");
    expect_path_reg(fdt, "/bus@f0000000/sub@8000000/chip@1,10", 0, 0, 0xf8000010, 0x20);
    expect_path_reg(fdt, "/bus@f0000000/sub@8000000/chip@2,0", 0, 0, 0xf8100000, 0x20);
    expect_path_reg(fdt, "/bus@f0000000/sub@8000000/chip@3,0", 0, DT_ERR_BADVALUE, 0, 0);
    expect_path_reg(fdt, "/bus@f0000000/nobus/hidden@0", 0, DT_ERR_BADVALUE, 0, 0);
    expect_path_reg(fdt, "/bus@f0000000/empty/thing@40", 0, 0, 0xf0000040, 4);
    expect_path_reg(fdt, "/bus@f0000000/wide/x@0", 0, DT_ERR_BADVALUE, 0, 0);
    expect_path_reg(fdt, "/pci@1000000000", 0, 0, 0x1000000000ull, 0x1000000);
    expect_path_reg(fdt, "/pci@1000000000/dev@1", 0, DT_ERR_BADVALUE, 0, 0);    /* config */
    expect_path_reg(fdt, "/pci@1000000000/dev@1", 1, 0, 0x3eff0100, 0x100);     /* I/O */
    expect_path_reg(fdt, "/pci@1000000000/dev@1", 2, 0, 0x10000200, 0x100);     /* MEM32 */
    expect_path_reg(fdt, "/pci@1000000000/dev@1", 3, 0, 0x8000000010ull, 0x1000); /* MEM64 */
    expect_path_reg(fdt, "/pci@1000000000/bridge@2/ep@0", 0, 0, 0x10008010, 0x10);
    expect_path_reg(fdt, "/pci@1000000000/bridge@2/io@0", 0, DT_ERR_BADVALUE, 0, 0);
    expect_path_reg(fdt, "/props", 0, DT_ERR_NOTFOUND, 0, 0);
    CHECK(dt_reg(fdt, dt_root(fdt), 0, &a, &s) == DT_ERR_NOTFOUND, "the root has no reg");
    expect_translate(fdt, dt_path(fdt, "/pci@1000000000"), 0x100, 0x3eff0100,
                     "dt_translate without a space takes the first range");
    expect_translate(fdt, dt_root(fdt), 0x1234, 0x1234, "the root translates to itself");
    CHECK(dt_translate(fdt, -1, 0, &a) == DT_ERR_BADVALUE, "dt_translate(-1)");

    CHECK(dt_memory_bank(fdt, 0, &a, &s) == 0 && a == 0x80000000 && s == 0x1000000, "bank 0");
    CHECK(dt_memory_bank(fdt, 1, &a, &s) == 0 && a == 0x100000000ull && s == 0x2000000, "bank 1");
    CHECK(dt_memory_bank(fdt, 2, &a, &s) == 0 && a == 0x200000000ull && s == 0x100000,
          "bank 2 (after a disabled node)");
    CHECK(dt_memory_bank(fdt, 3, &a, &s) == DT_ERR_NOTFOUND, "3 banks");

    int dev = dt_path(fdt, "/bus@f0000000/dev@1000");
    CHECK(dt_path(fdt, "serial0") == dev && dt_path(fdt, "nested") == dev, "alias, nested alias");
    CHECK(dt_path(fdt, "serial0:9600") == dev, "alias with options");
    CHECK(dt_path(fdt, "chip/chip@1,10") == dt_path(fdt, "/bus@f0000000/sub@8000000/chip@1,10"),
          "alias with a path after it");
    CHECK(dt_path(fdt, "relative") == dt_path(fdt, "/bus@f0000000/sub@8000000/chip@2,0"),
          "an alias whose value starts with an alias");
    CHECK(dt_path(fdt, "loop1") == DT_ERR_NOTFOUND, "an alias loop ends");
    CHECK(dt_path(fdt, "bad") == DT_ERR_NOTFOUND && dt_path(fdt, "empty") == DT_ERR_NOTFOUND &&
          dt_path(fdt, "unterminated") == DT_ERR_NOTFOUND, "bad aliases");
    CHECK(dt_path(fdt, "/names/foo") == DT_ERR_NOTFOUND, "ambiguous unit-less name");
    CHECK(dt_path(fdt, "/names/bar") == dt_path(fdt, "/names/bar@1") &&
          dt_path(fdt, "/names/bar") >= 0, "unique unit-less name");
    CHECK(!strcmp(dt_name(fdt, dt_path(fdt, "/names/baz")), "baz"), "exact name first");
    CHECK(dt_path(fdt, "/names/qux@") == DT_ERR_NOTFOUND, "\"qux@\" is not a prefix match");
    CHECK(dt_path(fdt, "/names/foo@3") == DT_ERR_NOTFOUND, "absent unit");
    CHECK(dt_path(fdt, "/names//foo@1/") == dt_path(fdt, "/names/foo@1"), "extra slashes");

    CHECK(dt_find_phandle(fdt, 5) == dt_path(fdt, "/ph/a"), "phandle");
    CHECK(dt_find_phandle(fdt, 6) == dt_path(fdt, "/ph/b"), "linux,phandle");
    CHECK(dt_find_phandle(fdt, 7) == dt_path(fdt, "/ph/c") &&
          dt_find_phandle(fdt, 8) == DT_ERR_NOTFOUND, "phandle wins over linux,phandle");
    CHECK(dt_find_phandle(fdt, 9) == dt_path(fdt, "/ph/d"), "a 2-cell phandle is ignored");

    CHECK(dt_prop_u32(fdt, props, "u32", &u32) == 0 && u32 == 0xdeadbeef, "u32");
    CHECK(dt_prop_u64(fdt, props, "u64", &u64) == 0 && u64 == 0x123456789abcdef0ull, "u64");
    CHECK(dt_prop_u64(fdt, props, "u32", &u64) == 0 && u64 == 0xdeadbeef, "u64 of one cell");
    CHECK(dt_prop_u32(fdt, props, "u64", &u32) == DT_ERR_BADVALUE, "u32 of two cells");
    CHECK(dt_prop_u64(fdt, props, "three", &u64) == DT_ERR_BADVALUE, "u64 of three cells");
    CHECK(dt_prop_u32(fdt, props, "absent", &u32) == DT_ERR_NOTFOUND, "u32 absent");
    CHECK(dt_prop_u64(fdt, props, "absent", &u64) == DT_ERR_NOTFOUND, "u64 absent");
    CHECK_STR(dt_prop_str(fdt, props, "str"), "hello", "string");
    CHECK(dt_prop_str(fdt, props, "unterminated") == NULL, "unterminated string");
    CHECK(dt_prop_str(fdt, props, "empty") == NULL, "empty property is no string");
    CHECK(dt_prop(fdt, props, "empty", &len) != NULL && len == 0, "empty property exists");
    CHECK(dt_has_prop(fdt, props, "empty"), "dt_has_prop of an empty property");
    CHECK(dt_prop_has_str(fdt, props, "list", "a") && dt_prop_has_str(fdt, props, "list", "") &&
          dt_prop_has_str(fdt, props, "list", "bc"), "string list members");
    CHECK(!dt_prop_has_str(fdt, props, "list", "b") && !dt_prop_has_str(fdt, props, "list", "abc"),
          "no partial matches");
    CHECK(!dt_prop_has_str(fdt, props, "unterminated", "abc"), "unterminated list");
    CHECK(dt_is_compatible(fdt, props, "acme,base") && !dt_is_compatible(fdt, props, "acme"),
          "compatible");
    CHECK(dt_find_compatible(fdt, -1, "acme,board") == dt_root(fdt), "from -1 includes the root");
    CHECK(dt_find_compatible(fdt, dt_root(fdt), "acme,board") == DT_ERR_NOTFOUND, "from excludes");

    const char *const avail[] = { "s1", "s4", "s6" }, *const unavail[] = { "s2", "s3", "s5" };
    char p[32];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "/statuses/%s", avail[i]);
        CHECK(dt_is_available(fdt, dt_path(fdt, p)), "%s available", p);
        snprintf(p, sizeof(p), "/statuses/%s", unavail[i]);
        CHECK(!dt_is_available(fdt, dt_path(fdt, p)), "%s unavailable", p);
    }

    uint8_t c[16] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 };
    CHECK(dt_read_cells(c, 0) == 0 && dt_read_cells(c, 1) == 1 &&
          dt_read_cells(c, 2) == 0x100000002ull && dt_read_cells(c, 3) == 0x200000003ull &&
          dt_read_cells(c, 4) == 0x300000004ull, "dt_read_cells");
    CHECK(dt_read_cells(c + 1, 1) == 0x100, "dt_read_cells at an odd address");

    CHECK(dt_name(fdt, 3) == NULL && dt_name(fdt, -4) == NULL && dt_name(fdt, 1 << 20) == NULL,
          "not node offsets");
    CHECK(dt_parent(fdt, dt_root(fdt)) == DT_ERR_NOTFOUND && dt_parent(fdt, 5) == DT_ERR_NOTFOUND,
          "no parent");
    CHECK(dt_next_node(fdt, -1) == DT_ERR_NOTFOUND && dt_first_child(fdt, -1) == DT_ERR_NOTFOUND &&
          dt_next_sibling(fdt, 7) == DT_ERR_NOTFOUND, "bad handles");
    const char *n;
    const void *v;
    CHECK(dt_prop_at(fdt, props, -1, &n, &v, &len) == DT_ERR_NOTFOUND, "negative index");
}

static void expect_pci_range(const void *fdt, const char *path, int idx, int err,
                             const struct pci_window *w)
{
    struct dt_pci_range r;
    int node = dt_path(fdt, path), got = dt_pci_range(fdt, node, idx, &r);

    CHECK(node >= 0, "%s not found", path);
    CHECK(got == err, "%s pci range %d: %d, expected %d", path, idx, got, err);
    if (w && got == err)
        CHECK(r.space == w->space && r.prefetchable == w->pf && r.pci_addr == w->pci &&
              r.cpu_addr == w->cpu && r.size == w->size,
              "%s pci range %d: space %u%s pci 0x%llx cpu 0x%llx size 0x%llx", path, idx,
              r.space, r.prefetchable ? " pf" : "", (unsigned long long)r.pci_addr,
              (unsigned long long)r.cpu_addr, (unsigned long long)r.size);
}

static void irq_map_answers(const void *fdt)
{
    int map = dt_path(fdt, "/pcimap@0"), intc = dt_path(fdt, "/intc");
    uint32_t dev1[3] = { 0x800, 0, 0 }, dev1fn3[3] = { 0x800 | 0x300, 0, 0 }, dev2[3] = { 0x1000, 0, 0 };
    uint32_t pin1 = 1, pin2 = 2, pin1_high = 1 | 8;
    struct dt_irq irq = { 0 };

    CHECK(dt_interrupt_map(fdt, map, dev1, 3, &pin1, 1, &irq) == 0 && irq.parent == intc &&
          irq.cells == 2 && irq.spec[0] == 6 && irq.spec[1] == 4, "irq map: dev 1 INTA");
    CHECK(dt_interrupt_map(fdt, map, dev1fn3, 3, &pin1_high, 1, &irq) == 0 && irq.spec[0] == 6,
          "irq map: the mask drops the function and the pin's high bits");
    CHECK(dt_interrupt_map(fdt, map, dev1, 3, &pin2, 1, &irq) == DT_ERR_NOTFOUND,
          "irq map: a cut-off entry is not matched");
    CHECK(dt_interrupt_map(fdt, map, dev2, 3, &pin1, 1, &irq) == DT_ERR_NOTFOUND,
          "irq map: no entry for dev 2");
    CHECK(dt_interrupt_map(fdt, map, dev1, 2, &pin1, 1, &irq) == DT_ERR_BADVALUE &&
          dt_interrupt_map(fdt, map, dev1, 3, &pin1, 2, &irq) == DT_ERR_BADVALUE,
          "irq map: the caller's cell counts must be the nexus's");
    CHECK(dt_interrupt_map(fdt, dt_path(fdt, "/badmap@1"), dev1, 3, &pin1, 1, &irq) ==
          DT_ERR_BADVALUE, "irq map: a phandle naming no node");
    CHECK(dt_interrupt_map(fdt, intc, dev1, 3, &pin1, 1, &irq) == DT_ERR_NOTFOUND,
          "irq map: a node without interrupt-map");
}

static void pci_range_answers(const void *fdt)
{
    static const struct pci_window host[] = {
        { 1, false, 0, 0x3eff0000, 0x10000 },
        { 2, false, 0, 0x10000000, 0x10000 },
        { 3, true, 0x8000000000ull, 0x8000000000ull, 0x100000000ull },
    }, bus[] = {
        { 2, true, 0x1000, 0xe0002000, 0x1000 },
        { 1, false, 0, 0, 0x100 },                          /* cpu_addr 0: untranslatable */
        { 3, true, 0x100000000ull, 0xe0003000, 0x200000000ull },
        { 0, false, 0, 0xe0004000, 0x10 },                  /* config: decoded as given */
        { 3, false, 0x6000, 0xe0006000, 0x20 },             /* only bits 24-25 and 30 count */
    }, bridge = { 2, false, 0x10000, 0x10008000, 0x1000 }, zero = { 2, false, 0, 0, 0x1000 };

    for (int i = 0; i < 3; i++)
        expect_pci_range(fdt, "/pci@1000000000", i, 0, &host[i]);
    expect_pci_range(fdt, "/pci@1000000000", 3, DT_ERR_NOTFOUND, NULL);
    expect_pci_range(fdt, "/pci@1000000000", -1, DT_ERR_NOTFOUND, NULL);
    /* A PCI-PCI bridge: its parent address is MEM32 0x8000 (a bare 0x8000
     * would land in the I/O window at 0x3eff8000). */
    expect_pci_range(fdt, "/pci@1000000000/bridge@2", 0, 0, &bridge);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 0, 0, &bus[0]);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 1, DT_ERR_BADVALUE, &bus[1]);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 2, 0, &bus[2]);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 3, 0, &bus[3]);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 4, 0, &bus[4]);
    expect_pci_range(fdt, "/pcibus@e0000000/pci@0", 5, DT_ERR_NOTFOUND, NULL);  /* 2 spare cells */
    expect_pci_range(fdt, "/pcibus@e0000000/noranges@1", 0, DT_ERR_NOTFOUND, NULL);
    expect_pci_range(fdt, "/pcibus@e0000000/emptyranges@2", 0, DT_ERR_NOTFOUND, NULL);
    expect_pci_range(fdt, "/pcibus@e0000000/short@3", 0, DT_ERR_NOTFOUND, NULL);
    expect_pci_range(fdt, "/hiddenbus/pci@0", 0, DT_ERR_BADVALUE, &zero);
    expect_pci_range(fdt, "/hiddenbus/pci@0", 1, DT_ERR_NOTFOUND, NULL);
    /* Parent #address-cells 0: two 5-cell entries, neither translatable;
     * 4: one 9-cell entry, likewise. */
    expect_pci_range(fdt, "/zerocells/pci", 0, DT_ERR_BADVALUE, &zero);
    expect_pci_range(fdt, "/zerocells/pci", 1, DT_ERR_BADVALUE, NULL);
    expect_pci_range(fdt, "/zerocells/pci", 2, DT_ERR_NOTFOUND, NULL);
    expect_pci_range(fdt, "/fourcells/pci", 0, DT_ERR_BADVALUE, NULL);
    expect_pci_range(fdt, "/fourcells/pci", 1, DT_ERR_NOTFOUND, NULL);
    struct dt_pci_range r;
    CHECK(dt_pci_range(fdt, -1, 0, &r) == DT_ERR_NOTFOUND && dt_pci_range(fdt, 3, 0, &r) ==
          DT_ERR_NOTFOUND, "dt_pci_range on a bad handle");
}

/* "ranges" on the root: no parent to translate into. And a parent whose
 * #address-cells is huge: the entry size must not overflow into a small one. */
static void pci_range_odd_blobs(void)
{
    char buf[1024];
    struct dt_pci_range r;

    SW(fdt_create(buf, sizeof(buf)));
    SW(fdt_finish_reservemap(buf));
    node(buf, "");
    cells(buf, "#address-cells", 1, 3);
    cells(buf, "ranges", 7, 0x02000000, 0, 0x1000, 0, 0x1000, 0, 0x100);
    node(buf, "huge");
    cells(buf, "#address-cells", 1, 0x3ffffffe);  /* 4 * (5 + cells) wraps to 4 in 32 bits */
    SW(fdt_property(buf, "ranges", NULL, 0));
    node(buf, "pci");
    cells(buf, "ranges", 6, 0x02000000, 0, 0, 0, 0, 0x1000);
    end(buf);
    end(buf);
    end(buf);
    SW(fdt_finish(buf));
    CHECK(dt_check(buf, sizeof(buf), NULL) == 0, "odd pci blob");
    int n = dt_root(buf);
    CHECK(dt_pci_range(buf, n, 0, &r) == DT_ERR_BADVALUE && r.space == 2 && r.pci_addr == 0x1000 &&
          r.size == 0x100, "ranges on the root: decoded, not translatable");
    CHECK(dt_pci_range(buf, n, 1, &r) == DT_ERR_NOTFOUND, "ranges on the root: one entry");
    CHECK(dt_pci_range(buf, dt_path(buf, "/huge/pci"), 0, &r) == DT_ERR_NOTFOUND,
          "a parent with 0x3ffffffe address cells: no whole entry");
    struct diff_stats st = differential(buf);
    CHECK(st.pci_ranges == 1, "odd blob: %d pci ranges compared", st.pci_ranges);
}

/* The same answers from a copy at a different (even odd) address: UBSan
 * reports any misaligned load, and handles are offsets so must agree. */
static void shifted_copies(const void *fdt, size_t len)
{
    for (size_t shift = 1; shift < 8; shift++) {
        uint8_t *buf = malloc(len + shift);
        const uint8_t *b = buf + shift;
        memcpy(buf + shift, fdt, len);
        CHECK(dt_check(b, len, NULL) == 0, "shift %zu: dt_check", shift);
        int n = dt_root(fdt), m = dt_root(b), count = 0;
        for (; n >= 0 && m == n; n = dt_next_node(fdt, n), m = dt_next_node(b, m), count++) {
            uint64_t a1 = 0, s1 = 0, a2 = 0, s2 = 0;
            int r1 = dt_reg(fdt, n, 0, &a1, &s1), r2 = dt_reg(b, m, 0, &a2, &s2);
            CHECK(r1 == r2 && a1 == a2 && s1 == s2, "shift %zu: reg of node %d", shift, n);
            CHECK(!strcmp(dt_name(fdt, n), dt_name(b, m)), "shift %zu: name", shift);
            CHECK(dt_parent(fdt, n) == dt_parent(b, m), "shift %zu: parent", shift);
        }
        CHECK(n == m && count > 10, "shift %zu: walk (%d nodes)", shift, count);
        free(buf);
    }
}

/* NOP out a node and two properties (one first, one in the middle) in a
 * copy: libfdt and we must still agree on everything. */
static void *with_nops(const void *fdt, size_t len, size_t *out_len)
{
    size_t cap = len + 4096;
    void *p = malloc(cap);
    int props;

    SW(fdt_open_into(fdt, p, (int)cap));
    SW(fdt_nop_node(p, fdt_path_offset(p, "/names/foo@2")));
    props = fdt_path_offset(p, "/props");
    SW(fdt_nop_property(p, props, "u32"));
    SW(fdt_nop_property(p, props, "str"));
    *out_len = fdt_totalsize(p);
    return p;
}

static void synthetic(unsigned rounds)
{
    size_t len, nlen;
    void *fdt = build_synthetic(&len);
    const char *why = NULL;

    CHECK(dt_check(fdt, len, &why) == 0, "synthetic: %s", why ? why : "");
    synthetic_answers(fdt);
    irq_answers(fdt);
    pci_range_answers(fdt);
    irq_map_answers(fdt);
    pci_range_odd_blobs();
    struct diff_stats st = differential(fdt);
    printf("  synthetic tree: %d nodes, %d properties, %d reg entries (%d translated), "
           "%d PCI ranges compared with libfdt\n", st.nodes, st.props, st.regs, st.translated,
           st.pci_ranges);
    shifted_copies(fdt, len);

    /* NOPs: a nopped node vanishes, a nopped property too. */
    void *nop = with_nops(fdt, len, &nlen);
    int off = fdt_path_offset(nop, "/props");
    CHECK(dt_check(nop, nlen, &why) == 0, "with NOPs: %s", why ? why : "");
    CHECK(dt_path(nop, "/names/foo@2") == DT_ERR_NOTFOUND && dt_path(nop, "/names/foo") >= 0,
          "a NOPped node is gone, so \"foo\" is unique now");
    CHECK(!dt_has_prop(nop, off, "u32") && dt_has_prop(nop, off, "u64"), "a NOPped property");
    st = differential(nop);
    printf("  synthetic tree with NOPs: %d nodes compared\n", st.nodes);

    /* Version 16: no size_dt_struct. */
    uint8_t *v16 = malloc(len);
    memcpy(v16, fdt, len);
    put_be32(v16 + 20, 16);
    put_be32(v16 + 24, 16);
    CHECK(dt_check(v16, len, &why) == 0, "version 16: %s", why ? why : "");
    CHECK(fdt_check_header(v16) == 0, "libfdt reads version 16");
    st = differential(v16);
    printf("  synthetic tree as version 16: %d nodes compared\n", st.nodes);

    fuzz(fdt, len, rounds, "synthetic tree");
    free(v16);
    free(nop);
    free(fdt);
}

/* ------------------------------------------------------------------ */

static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    void *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0) {
        rewind(f);
        buf = malloc((size_t)n);
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

static void one_dtb(const char *path, unsigned rounds)
{
    size_t len = 0, plen = 0;
    void *fdt = read_file(path, &len);
    const char *why = NULL, *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    CHECK(fdt != NULL, "cannot read %s", path);
    if (!fdt)
        return;
    CHECK(fdt_check_full(fdt, len) == 0, "libfdt rejects %s", file);
    CHECK(dt_check(fdt, len, &why) == 0, "%s: %s", file, why ? why : "");
    struct diff_stats st = differential(fdt);
    facts(fdt, path);
    printf("  %s: %d nodes, %d properties, %d compatible strings, %d phandles, %d aliases, "
           "%d reg entries (%d translated), %d PCI ranges agree with libfdt\n", file, st.nodes,
           st.props, st.compat, st.phandles, st.aliases, st.regs, st.translated, st.pci_ranges);
    void *packed = packed_copy(fdt, &plen);
    CHECK(packed != NULL, "%s: libfdt cannot pack it", file);
    if (packed) {
        CHECK(dt_check(packed, plen, NULL) == 0, "%s packed", file);
        fuzz(packed, plen, rounds, file);
        free(packed);
    }
    fuzz(fdt, len, rounds / 20, "  (unpacked, 1 MiB)");
    free(fdt);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory argument stands for the *.dtb files in it, sorted. */
static int dtbs_in(const char *dir, unsigned rounds)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[256];
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".dtb")) {
            names[n] = malloc(strlen(dir) + l + 2);
            sprintf(names[n], "%s/%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof(names[0]), by_name);
    for (int i = 0; i < n; i++) {
        one_dtb(names[i], rounds);
        free(names[i]);
    }
    return n;
}

int main(int argc, char **argv)
{
    unsigned rounds = 2000;
    int dtbs = 0, i = 1;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-r"))
            rounds = (unsigned)strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "-s"))
            rng_state = (unsigned)strtoul(argv[i + 1], NULL, 0);
        else
            break;
    }
    printf("  mutation rounds %u per tree, seed 0x%x\n", rounds, rng_state);
    signal(SIGALRM, watchdog);
    alarm(900);
    malformed();
    synthetic(rounds);
    for (; i < argc; i++) {
        int n = dtbs_in(argv[i], rounds);
        if (n < 0) {
            one_dtb(argv[i], rounds);
            n = 1;
        }
        dtbs += n;
    }
    if (dtbs == 0)
        printf("  no QEMU DTBs given: only the hand-made and synthetic trees were tested\n");
    return check_finish("fdt");
}
