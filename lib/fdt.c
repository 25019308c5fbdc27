/* Read-only flattened device tree access. Every read is checked against
 * the blob's own bounds (struct block, strings block), so a corrupt DTB
 * yields an error, never a wild access. Multi-byte fields are read
 * byte-wise: the blob may sit at any 4-byte boundary on a big- or
 * little-endian, possibly strict-alignment CPU. */
#include "fdt.h"
#include <string.h>

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1u
#define FDT_END_NODE    2u
#define FDT_PROP        3u
#define FDT_NOP         4u
#define FDT_END         9u
#define MAX_DEPTH       64

struct blk {
    const uint8_t *st;      /* structure block */
    uint32_t st_size;
    const char *str;        /* strings block */
    uint32_t str_size;
};

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t hdr(const void *dt, unsigned field) { return be32((const uint8_t *)dt + 4 * field); }

uint32_t dt_totalsize(const void *dt) { return hdr(dt, 1); }

static void blocks(const void *dt, struct blk *b)
{
    uint32_t total = hdr(dt, 1), off_st = hdr(dt, 2), off_str = hdr(dt, 3);
    uint32_t st_size = hdr(dt, 5) >= 17 ? hdr(dt, 9) : total - off_st;

    b->st = (const uint8_t *)dt + off_st;
    b->st_size = st_size;
    b->str = (const char *)dt + off_str;
    b->str_size = hdr(dt, 8);
}

/* Length of a NUL-terminated string at p within n bytes, or -1. */
static int bounded_strlen(const char *p, uint32_t n)
{
    const char *z = memchr(p, 0, n);
    return z ? (int)(z - p) : -1;
}

/* Decode the token at off; *next = offset of the following token.
 * Returns the token, or 0 when the structure is out of bounds. */
static uint32_t token(const struct blk *b, int off, int *next)
{
    uint32_t tok;

    if (off < 0 || (off & 3) || (uint32_t)off + 4 > b->st_size)
        return 0;
    tok = be32(b->st + off);
    switch (tok) {
    case FDT_BEGIN_NODE: {
        int len = bounded_strlen((const char *)b->st + off + 4, b->st_size - (uint32_t)off - 4);
        if (len < 0)
            return 0;
        *next = off + 4 + ((len + 4) & ~3);
        break;
    }
    case FDT_PROP: {
        if ((uint32_t)off + 12 > b->st_size)
            return 0;
        uint32_t len = be32(b->st + off + 4);
        if (len > b->st_size - (uint32_t)off - 12)
            return 0;
        *next = off + 12 + (int)((len + 3) & ~3u);
        break;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        *next = off + 4;
        break;
    default:
        return 0;
    }
    return tok;
}

static bool is_node(const struct blk *b, int node)
{
    int next;
    return token(b, node, &next) == FDT_BEGIN_NODE;
}

int dt_check(const void *dt, size_t maxlen, const char **why)
{
    const char *dummy;
    struct blk b;
    uint32_t total;
    int off = 0, next, depth = 0;
    bool seen_root = false;

    if (!why)
        why = &dummy;
    *why = NULL;
    if (!dt || maxlen < 40) {
        *why = "no blob";
        return DT_ERR_BADBLOB;
    }
    if (hdr(dt, 0) != FDT_MAGIC) {
        *why = "bad magic (not a flattened device tree)";
        return DT_ERR_BADBLOB;
    }
    total = hdr(dt, 1);
    if (total > maxlen || total < 40) {
        *why = "totalsize is implausible";
        return DT_ERR_BADBLOB;
    }
    if (hdr(dt, 5) < 16 || hdr(dt, 6) > 17) {
        *why = "unsupported version (need 16 or 17)";
        return DT_ERR_BADBLOB;
    }
    blocks(dt, &b);
    if (hdr(dt, 2) > total || b.st_size > total - hdr(dt, 2) || (hdr(dt, 2) & 3)) {
        *why = "structure block outside the blob";
        return DT_ERR_BADBLOB;
    }
    if (hdr(dt, 3) > total || b.str_size > total - hdr(dt, 3)) {
        *why = "strings block outside the blob";
        return DT_ERR_BADBLOB;
    }
    for (;;) {
        uint32_t tok = token(&b, off, &next);
        switch (tok) {
        case 0:
            *why = "structure block is truncated or has a bad token";
            return DT_ERR_BADBLOB;
        case FDT_BEGIN_NODE:
            if (depth == 0 && seen_root) {
                *why = "more than one root node";
                return DT_ERR_BADBLOB;
            }
            if (++depth > MAX_DEPTH) {
                *why = "nodes nested too deeply";
                return DT_ERR_BADBLOB;
            }
            seen_root = true;
            break;
        case FDT_END_NODE:
            if (--depth < 0) {
                *why = "unbalanced END_NODE";
                return DT_ERR_BADBLOB;
            }
            break;
        case FDT_PROP: {
            uint32_t nameoff = be32(b.st + off + 8);
            if (depth == 0) {
                *why = "property outside any node";
                return DT_ERR_BADBLOB;
            }
            if (nameoff >= b.str_size ||
                bounded_strlen(b.str + nameoff, b.str_size - nameoff) < 0) {
                *why = "property name outside the strings block";
                return DT_ERR_BADBLOB;
            }
            break;
        }
        case FDT_END:
            if (depth != 0 || !seen_root) {
                *why = depth ? "END inside an open node" : "no root node";
                return DT_ERR_BADBLOB;
            }
            return 0;
        default:
            break;
        }
        off = next;
    }
}

/* ---- walking ---- */

int dt_root(const void *dt)
{
    struct blk b;
    int off = 0, next;
    uint32_t tok;

    blocks(dt, &b);
    while ((tok = token(&b, off, &next)) == FDT_NOP)
        off = next;
    return tok == FDT_BEGIN_NODE ? off : DT_ERR_NOTFOUND;
}

/* Offset of the first token after node's properties. */
static int after_props(const struct blk *b, int node)
{
    int off, next;
    uint32_t tok;

    if (token(b, node, &off) != FDT_BEGIN_NODE)
        return -1;
    while ((tok = token(b, off, &next)) == FDT_PROP || tok == FDT_NOP)
        off = next;
    return tok ? off : -1;
}

int dt_first_child(const void *dt, int node)
{
    struct blk b;
    int off, next;

    blocks(dt, &b);
    off = after_props(&b, node);
    return off >= 0 && token(&b, off, &next) == FDT_BEGIN_NODE ? off : DT_ERR_NOTFOUND;
}

/* Offset just past node's END_NODE, or -1. */
static int skip_subtree(const struct blk *b, int node)
{
    int off = node, next, depth = 0;

    for (;;) {
        uint32_t tok = token(b, off, &next);
        if (!tok || tok == FDT_END)
            return -1;
        if (tok == FDT_BEGIN_NODE)
            depth++;
        else if (tok == FDT_END_NODE && --depth == 0)
            return next;
        off = next;
    }
}

int dt_next_sibling(const void *dt, int node)
{
    struct blk b;
    int off, next;
    uint32_t tok;

    blocks(dt, &b);
    if (!is_node(&b, node) || (off = skip_subtree(&b, node)) < 0)
        return DT_ERR_NOTFOUND;
    while ((tok = token(&b, off, &next)) == FDT_NOP)
        off = next;
    return tok == FDT_BEGIN_NODE ? off : DT_ERR_NOTFOUND;
}

/* In depth-first order the successor is simply the next BEGIN_NODE token. */
int dt_next_node(const void *dt, int node)
{
    struct blk b;
    int off, next;
    uint32_t tok;

    blocks(dt, &b);
    if (token(&b, node, &off) != FDT_BEGIN_NODE)
        return DT_ERR_NOTFOUND;
    while ((tok = token(&b, off, &next)) != 0 && tok != FDT_END) {
        if (tok == FDT_BEGIN_NODE)
            return off;
        off = next;
    }
    return DT_ERR_NOTFOUND;
}

int dt_parent(const void *dt, int node)
{
    struct blk b;
    int stack[MAX_DEPTH], depth = 0, off, next;
    uint32_t tok;

    blocks(dt, &b);
    off = dt_root(dt);
    if (off < 0 || node == off)
        return DT_ERR_NOTFOUND;
    while ((tok = token(&b, off, &next)) != 0 && tok != FDT_END) {
        if (tok == FDT_BEGIN_NODE) {
            if (off == node)
                return depth > 0 ? stack[depth - 1] : DT_ERR_NOTFOUND;
            if (depth >= MAX_DEPTH)
                return DT_ERR_NOTFOUND;
            stack[depth++] = off;
        } else if (tok == FDT_END_NODE && depth > 0) {
            depth--;
        }
        off = next;
    }
    return DT_ERR_NOTFOUND;
}

const char *dt_name(const void *dt, int node)
{
    struct blk b;
    blocks(dt, &b);
    return is_node(&b, node) ? (const char *)b.st + node + 4 : NULL;
}

/* ---- properties ---- */

int dt_prop_at(const void *dt, int node, int idx, const char **name, const void **value, int *len)
{
    struct blk b;
    int off, next;
    uint32_t tok;

    blocks(dt, &b);
    if (token(&b, node, &off) != FDT_BEGIN_NODE)
        return DT_ERR_NOTFOUND;
    while ((tok = token(&b, off, &next)) == FDT_PROP || tok == FDT_NOP) {
        if (tok == FDT_PROP && idx-- == 0) {
            uint32_t nameoff = be32(b.st + off + 8);
            if (nameoff >= b.str_size || bounded_strlen(b.str + nameoff, b.str_size - nameoff) < 0)
                return DT_ERR_BADBLOB;
            *name = b.str + nameoff;
            *value = b.st + off + 12;
            *len = (int)be32(b.st + off + 4);
            return 0;
        }
        off = next;
    }
    return DT_ERR_NOTFOUND;
}

const void *dt_prop(const void *dt, int node, const char *name, int *len)
{
    const char *n;
    const void *v;
    int l;

    for (int i = 0; dt_prop_at(dt, node, i, &n, &v, &l) == 0; i++) {
        if (!strcmp(n, name)) {
            if (len)
                *len = l;
            return v;
        }
    }
    return NULL;
}

bool dt_has_prop(const void *dt, int node, const char *name) { return dt_prop(dt, node, name, NULL) != NULL; }

int dt_prop_u32(const void *dt, int node, const char *name, uint32_t *out)
{
    int len;
    const void *p = dt_prop(dt, node, name, &len);
    if (!p)
        return DT_ERR_NOTFOUND;
    if (len != 4)
        return DT_ERR_BADVALUE;
    *out = be32(p);
    return 0;
}

int dt_prop_u64(const void *dt, int node, const char *name, uint64_t *out)
{
    int len;
    const void *p = dt_prop(dt, node, name, &len);
    if (!p)
        return DT_ERR_NOTFOUND;
    if (len != 4 && len != 8)
        return DT_ERR_BADVALUE;
    *out = dt_read_cells(p, (uint32_t)len / 4);
    return 0;
}

const char *dt_prop_str(const void *dt, int node, const char *name)
{
    int len;
    const char *p = dt_prop(dt, node, name, &len);
    return p && len > 0 && bounded_strlen(p, (uint32_t)len) >= 0 ? p : NULL;
}

bool dt_prop_has_str(const void *dt, int node, const char *name, const char *str)
{
    int len;
    const char *p = dt_prop(dt, node, name, &len);
    size_t want = strlen(str);

    while (p && len > 0) {
        int l = bounded_strlen(p, (uint32_t)len);
        if (l < 0)
            return false;
        if ((size_t)l == want && !memcmp(p, str, want))
            return true;
        p += l + 1;
        len -= l + 1;
    }
    return false;
}

bool dt_is_compatible(const void *dt, int node, const char *compat)
{
    return dt_prop_has_str(dt, node, "compatible", compat);
}

int dt_find_compatible(const void *dt, int from, const char *compat)
{
    int node = from < 0 ? dt_root(dt) : dt_next_node(dt, from);
    for (; node >= 0; node = dt_next_node(dt, node))
        if (dt_is_compatible(dt, node, compat))
            return node;
    return DT_ERR_NOTFOUND;
}

int dt_find_phandle(const void *dt, uint32_t phandle)
{
    uint32_t v;
    if (phandle == 0 || phandle == 0xffffffffu)
        return DT_ERR_NOTFOUND;
    for (int node = dt_root(dt); node >= 0; node = dt_next_node(dt, node))
        if ((dt_prop_u32(dt, node, "phandle", &v) == 0 && v == phandle) ||
            (dt_prop_u32(dt, node, "linux,phandle", &v) == 0 && v == phandle))
            return node;
    return DT_ERR_NOTFOUND;
}

bool dt_is_available(const void *dt, int node)
{
    const char *s = dt_prop_str(dt, node, "status");
    return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

/* ---- paths ---- */

/* libfdt's rule: "name" matches "name" and "name@unit". */
static bool name_matches(const char *node_name, const char *comp, size_t len)
{
    if (strncmp(node_name, comp, len))
        return false;
    if (node_name[len] == 0)
        return true;
    return node_name[len] == '@' && !memchr(comp, '@', len);
}

static int walk_path(const void *dt, int node, const char *p)
{
    while (node >= 0 && *p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, "/");
        int child;
        for (child = dt_first_child(dt, node); child >= 0; child = dt_next_sibling(dt, child))
            if (name_matches(dt_name(dt, child), p, len))
                break;
        node = child;
        p += len;
    }
    return node < 0 ? DT_ERR_NOTFOUND : node;
}

int dt_path(const void *dt, const char *path)
{
    if (!path || !*path)
        return DT_ERR_NOTFOUND;
    if (path[0] == '/')
        return walk_path(dt, dt_root(dt), path);
    /* An alias, optionally followed by a relative path. */
    int aliases = walk_path(dt, dt_root(dt), "/aliases");
    size_t len = strcspn(path, "/");
    const char *n;
    const void *v;
    int l;
    for (int i = 0; aliases >= 0 && dt_prop_at(dt, aliases, i, &n, &v, &l) == 0; i++) {
        if (strlen(n) == len && !strncmp(n, path, len) && l > 1 &&
            bounded_strlen(v, (uint32_t)l) >= 0 && ((const char *)v)[0] == '/') {
            int node = walk_path(dt, dt_root(dt), v);
            return node < 0 ? node : walk_path(dt, node, path + len);
        }
    }
    return DT_ERR_NOTFOUND;
}

/* ---- addresses ---- */

uint32_t dt_addr_cells(const void *dt, int node)
{
    uint32_t v;
    return dt_prop_u32(dt, node, "#address-cells", &v) == 0 ? v : 2;
}

uint32_t dt_size_cells(const void *dt, int node)
{
    uint32_t v;
    return dt_prop_u32(dt, node, "#size-cells", &v) == 0 ? v : 1;
}

uint64_t dt_read_cells(const void *p, uint32_t cells)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    if (cells > 2) {
        b += 4 * (cells - 2);
        cells = 2;
    }
    for (uint32_t i = 0; i < cells; i++)
        v = v << 32 | be32(b + 4 * i);
    return v;
}

/* One level of "ranges" at bus node `bus`: child-bus address -> parent-bus
 * address. For 3-cell (PCI) child addresses only the low two cells (the
 * address within the space) are compared; the space code is ignored. */
static int translate_one(const void *dt, int bus, int parent, uint64_t *addr)
{
    int len;
    const uint8_t *r = dt_prop(dt, bus, "ranges", &len);
    uint32_t cac = dt_addr_cells(dt, bus), pac = dt_addr_cells(dt, parent);
    uint32_t sc = dt_size_cells(dt, bus);
    int entry = (int)(cac + pac + sc) * 4;

    if (!r)
        return DT_ERR_BADVALUE;         /* no ranges: not visible to the CPU */
    if (len == 0)
        return 0;                       /* empty ranges: identity */
    if (entry == 0 || cac > 3 || pac > 3 || sc > 2)
        return DT_ERR_BADVALUE;
    for (int off = 0; off + entry <= len; off += entry) {
        uint64_t c = dt_read_cells(r + off, cac);
        uint64_t p = dt_read_cells(r + off + cac * 4, pac);
        uint64_t s = dt_read_cells(r + off + (cac + pac) * 4, sc);
        if (*addr >= c && *addr - c < s) {
            *addr = p + (*addr - c);
            return 0;
        }
    }
    return DT_ERR_BADVALUE;
}

int dt_translate(const void *dt, int node, uint64_t addr, uint64_t *out)
{
    int root = dt_root(dt);

    while (node >= 0 && node != root) {
        int parent = dt_parent(dt, node);
        if (parent < 0 || translate_one(dt, node, parent, &addr) != 0)
            return DT_ERR_BADVALUE;
        node = parent;
    }
    if (node < 0)
        return DT_ERR_BADVALUE;
    *out = addr;
    return 0;
}

int dt_reg_count(const void *dt, int node)
{
    int parent = dt_parent(dt, node), len;
    const void *reg;

    if (parent < 0 || !(reg = dt_prop(dt, node, "reg", &len)))
        return 0;
    uint32_t ac = dt_addr_cells(dt, parent), sc = dt_size_cells(dt, parent);
    int entry = (int)(ac + sc) * 4;
    if (entry == 0 || ac > 3 || sc > 2 || len % entry)
        return 0;
    return len / entry;
}

int dt_reg(const void *dt, int node, int idx, uint64_t *addr, uint64_t *size)
{
    int parent = dt_parent(dt, node), len;
    const uint8_t *reg;

    if (parent < 0 || !(reg = dt_prop(dt, node, "reg", &len)))
        return DT_ERR_NOTFOUND;
    uint32_t ac = dt_addr_cells(dt, parent), sc = dt_size_cells(dt, parent);
    int entry = (int)(ac + sc) * 4;
    if (entry == 0 || ac > 3 || sc > 2 || len % entry)
        return DT_ERR_BADVALUE;
    if (idx < 0 || idx >= len / entry)
        return DT_ERR_NOTFOUND;
    reg += idx * entry;
    *size = dt_read_cells(reg + ac * 4, sc);
    return dt_translate(dt, parent, dt_read_cells(reg, ac), addr);
}

int dt_memory_bank(const void *dt, int idx, uint64_t *addr, uint64_t *size)
{
    for (int node = dt_root(dt); node >= 0; node = dt_next_node(dt, node)) {
        const char *type = dt_prop_str(dt, node, "device_type");
        if (!type || strcmp(type, "memory") || !dt_is_available(dt, node))
            continue;
        int n = dt_reg_count(dt, node);
        if (idx < n)
            return dt_reg(dt, node, idx, addr, size);
        idx -= n;
    }
    return DT_ERR_NOTFOUND;
}
