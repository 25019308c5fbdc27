/* Read-only flattened device tree access (include/fdt.h).
 *
 * Every multi-byte field is read byte-wise: the blob may sit at any 4-byte
 * boundary, the CPU may be big- or little-endian and may fault on an
 * unaligned load before its MMU is on.
 *
 * dt_check() validates a blob once against the space it was given. The
 * other calls have no length to check against, so they trust the header
 * only as far as it is self-consistent (blocks inside totalsize) and bound
 * every token, name and value by the structure and strings blocks: on a
 * blob that dt_check() rejected they give wrong answers, never wild reads.
 */
#include "fdt.h"
#include <string.h>

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1u
#define FDT_END_NODE    2u
#define FDT_PROP        3u
#define FDT_NOP         4u
#define FDT_END         9u
#define TOK_BAD         0u      /* not a token: out of bounds or malformed */

/* Header fields, as byte offsets. size_dt_struct exists from version 17. */
#define H_MAGIC         0
#define H_TOTALSIZE     4
#define H_OFF_STRUCT    8
#define H_OFF_STRINGS   12
#define H_OFF_RSVMAP    16
#define H_VERSION       20
#define H_LAST_COMP     24
#define H_SIZE_STRINGS  32
#define H_SIZE_STRUCT   36
#define HDR_SIZE_V16    36u
#define HDR_SIZE_V17    40u

/* Node handles are ints: keep every offset (and offset + padding) far
 * from INT_MAX. A real DTB is a few KiB to 1 MiB. */
#define BLOB_MAX        0x10000000u

/* Nested aliases ("rtc" = "i2c/rtc@68", as ppce500 has) are followed this
 * deep; a loop of aliases ends here instead of recursing forever. */
#define ALIAS_DEPTH     4

/* The two blocks a walk may touch; both empty when the header is not
 * self-consistent. */
struct view {
    const uint8_t *st;
    uint32_t st_size;
    const char *str;
    uint32_t str_size;
};

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;

    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t hdr(const void *dt, unsigned field)
{
    return be32((const uint8_t *)dt + field);
}

uint32_t dt_totalsize(const void *dt)
{
    return hdr(dt, H_TOTALSIZE);
}

/* [off, off + size) lies inside [lo, total), without overflow. */
static bool block_inside(uint32_t off, uint32_t size, uint32_t lo, uint32_t total)
{
    return off >= lo && off <= total && size <= total - off;
}

static uint32_t header_size(uint32_t version)
{
    return version >= 17 ? HDR_SIZE_V17 : HDR_SIZE_V16;
}

/* Version 16 has no size_dt_struct: the block may run to the blob's end. */
static uint32_t struct_size(const void *dt)
{
    uint32_t total = hdr(dt, H_TOTALSIZE), off = hdr(dt, H_OFF_STRUCT);

    if (hdr(dt, H_VERSION) >= 17)
        return hdr(dt, H_SIZE_STRUCT);
    return off <= total ? total - off : 0;
}

static struct view view_of(const void *dt)
{
    struct view v = { 0, 0, 0, 0 };
    uint32_t total = hdr(dt, H_TOTALSIZE), hsize = header_size(hdr(dt, H_VERSION));
    uint32_t off_st = hdr(dt, H_OFF_STRUCT), st_size = struct_size(dt);
    uint32_t off_str = hdr(dt, H_OFF_STRINGS), str_size = hdr(dt, H_SIZE_STRINGS);

    if (hdr(dt, H_MAGIC) != FDT_MAGIC || total > BLOB_MAX ||
        !block_inside(off_st, st_size, hsize, total) ||
        !block_inside(off_str, str_size, hsize, total))
        return v;
    v.st = (const uint8_t *)dt + off_st;
    v.st_size = st_size;
    v.str = (const char *)dt + off_str;
    v.str_size = str_size;
    return v;
}

/* ---- tokens ---- */

/* Decode the token at off: its type, and in *next the offset of the token
 * after it (names and values are padded to 4 bytes). Returns NULL, or why
 * the token is unusable; dt_check() reports that reason. */
static const char *tok_decode(const struct view *v, int off, uint32_t *type, int *next)
{
    uint32_t at = (uint32_t)off, room;

    if (off < 0 || (at & 3) || at >= v->st_size || v->st_size - at < 4)
        return "structure block ends without an END token";
    *type = be32(v->st + at);
    room = v->st_size - at - 4;
    switch (*type) {
    case FDT_BEGIN_NODE: {
        const uint8_t *nul = memchr(v->st + at + 4, 0, room);
        if (!nul)
            return "node name runs past the structure block (unterminated)";
        *next = (int)(at + 4 + (((uint32_t)(nul - (v->st + at + 4)) + 4) & ~3u));
        return NULL;
    }
    case FDT_PROP: {
        uint32_t len;
        if (room < 8)
            return "property header runs past the structure block";
        len = be32(v->st + at + 4);
        if (len > room - 8)
            return "property value runs past the structure block";
        *next = (int)(at + 12 + ((len + 3) & ~3u));
        return NULL;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        *next = (int)(at + 4);
        return NULL;
    default:
        return "unknown token in the structure block";
    }
}

static uint32_t tok_at(const struct view *v, int off, int *next)
{
    uint32_t type;

    return tok_decode(v, off, &type, next) ? TOK_BAD : type;
}

static bool is_node(const struct view *v, int node)
{
    int next;

    return tok_at(v, node, &next) == FDT_BEGIN_NODE;
}

/* First token at or after off that is not a NOP. */
static int skip_nops(const struct view *v, int off)
{
    int next;

    while (tok_at(v, off, &next) == FDT_NOP)
        off = next;
    return off;
}

/* Offset of the first token after node's properties (a child, its
 * END_NODE, or garbage), or -1. */
static int after_props(const struct view *v, int node)
{
    int off, next;
    uint32_t tok;

    if (tok_at(v, node, &off) != FDT_BEGIN_NODE)
        return -1;
    while ((tok = tok_at(v, off, &next)) == FDT_PROP || tok == FDT_NOP)
        off = next;
    return tok == TOK_BAD ? -1 : off;
}

/* Offset just past the END_NODE that closes node, or -1. */
static int subtree_end(const struct view *v, int node)
{
    int off = node, next, depth = 0;

    for (;;) {
        uint32_t tok = tok_at(v, off, &next);
        if (tok == TOK_BAD || tok == FDT_END)
            return -1;
        if (tok == FDT_BEGIN_NODE)
            depth++;
        else if (tok == FDT_END_NODE && --depth == 0)
            return next;
        off = next;
    }
}

/* The node starting at off (after NOPs), or DT_ERR_NOTFOUND. */
static int node_at(const struct view *v, int off)
{
    off = skip_nops(v, off);
    return is_node(v, off) ? off : DT_ERR_NOTFOUND;
}

/* ---- validation ---- */

/* The memory reservation map is a list of (address, size) pairs of 64-bit
 * numbers ending with a pair of zeros. */
static const char *check_rsvmap(const void *dt, uint32_t hsize, uint32_t total)
{
    uint32_t off = hdr(dt, H_OFF_RSVMAP);
    const uint8_t *b = dt;

    if (!block_inside(off, 0, hsize, total))
        return "memory reservation block outside the blob";
    for (; total - off >= 16; off += 16) {
        const uint8_t *e = b + off;
        if ((be32(e) | be32(e + 4) | be32(e + 8) | be32(e + 12)) == 0)
            return NULL;
    }
    return "memory reservation map has no terminating entry";
}

static const char *check_header(const void *dt, size_t maxlen)
{
    uint32_t total, hsize;

    if (!dt)
        return "no blob (NULL pointer)";
    if (maxlen < 4)
        return "blob is shorter than the FDT header";
    if (hdr(dt, H_MAGIC) != FDT_MAGIC)
        return "bad magic (not a flattened device tree)";
    if (maxlen < HDR_SIZE_V16)
        return "blob is shorter than the FDT header";
    if (hdr(dt, H_VERSION) < 16)
        return "version is older than 16 (unsupported)";
    if (hdr(dt, H_LAST_COMP) > 17)
        return "last_comp_version is newer than 17 (incompatible)";
    total = hdr(dt, H_TOTALSIZE);
    hsize = header_size(hdr(dt, H_VERSION));
    if (total < hsize)
        return "totalsize is smaller than the header";
    if (total > maxlen)
        return "totalsize is larger than the space given (truncated blob?)";
    if (total > BLOB_MAX)
        return "totalsize is implausibly large";
    if (!block_inside(hdr(dt, H_OFF_STRUCT), struct_size(dt), hsize, total))
        return "structure block lies outside the blob";
    if (hdr(dt, H_OFF_STRUCT) & 3)
        return "structure block is not 4-byte aligned";
    if (!block_inside(hdr(dt, H_OFF_STRINGS), hdr(dt, H_SIZE_STRINGS), hsize, total))
        return "strings block lies outside the blob";
    return check_rsvmap(dt, hsize, total);
}

static const char *check_prop_name(const struct view *v, int off)
{
    uint32_t nameoff = be32(v->st + off + 8);

    if (nameoff >= v->str_size)
        return "property name offset lies outside the strings block";
    if (!memchr(v->str + nameoff, 0, v->str_size - nameoff))
        return "property name runs past the strings block (unterminated)";
    return NULL;
}

/* A name that no path can reach is malformed: empty (only the root's
 * is), or holding '/' (the path separator) or ':' (which ends a path). */
static const char *check_node_name(const struct view *v, int off, int depth)
{
    const char *name = (const char *)v->st + off + 4;

    if (depth > 0 && !*name)
        return "empty node name (only the root has none)";
    if (strpbrk(name, "/:"))
        return "node name contains '/' or ':'";
    return NULL;
}

/* Walk every token once: names and values inside their blocks, one root,
 * properties before subnodes, nodes balanced, END at depth 0. */
static const char *check_structure(const struct view *v)
{
    int off = 0, next, depth = 0;
    bool root_seen = false, props_allowed = false;
    const char *why;
    uint32_t tok;

    for (;; off = next) {
        if ((why = tok_decode(v, off, &tok, &next)) != NULL)
            return why;
        switch (tok) {
        case FDT_BEGIN_NODE:
            if (depth == 0 && root_seen)
                return "more than one root node";
            if ((why = check_node_name(v, off, depth)) != NULL)
                return why;
            root_seen = true;
            props_allowed = true;
            depth++;
            break;
        case FDT_END_NODE:
            if (depth == 0)
                return "END_NODE without a matching BEGIN_NODE (unbalanced nodes)";
            depth--;
            props_allowed = false;      /* back in the parent, after a child */
            break;
        case FDT_PROP:
            if (depth == 0)
                return "property outside any node";
            if (!props_allowed)
                return "property after a subnode";
            if ((why = check_prop_name(v, off)) != NULL)
                return why;
            break;
        case FDT_END:
            if (!root_seen)
                return "no root node";
            return depth ? "END inside an open node (unbalanced nodes)" : NULL;
        default:                        /* FDT_NOP */
            break;
        }
    }
}

int dt_check(const void *dt, size_t maxlen, const char **why)
{
    const char *reason = check_header(dt, maxlen);
    struct view v;

    if (!reason) {
        v = view_of(dt);
        reason = check_structure(&v);
    }
    if (why)
        *why = reason;
    return reason ? DT_ERR_BADBLOB : 0;
}

/* ---- walking ---- */

int dt_root(const void *dt)
{
    struct view v = view_of(dt);

    return node_at(&v, 0);
}

int dt_first_child(const void *dt, int node)
{
    struct view v = view_of(dt);
    int off = after_props(&v, node);

    return off < 0 ? DT_ERR_NOTFOUND : node_at(&v, off);
}

int dt_next_sibling(const void *dt, int node)
{
    struct view v = view_of(dt);
    int end;

    if (!is_node(&v, node) || (end = subtree_end(&v, node)) < 0)
        return DT_ERR_NOTFOUND;
    return node_at(&v, end);
}

/* In depth-first order the successor is simply the next BEGIN_NODE token:
 * children come right after the properties, siblings after END_NODE. */
int dt_next_node(const void *dt, int node)
{
    struct view v = view_of(dt);
    int off, next;
    uint32_t tok;

    if (tok_at(&v, node, &off) != FDT_BEGIN_NODE)
        return DT_ERR_NOTFOUND;
    while ((tok = tok_at(&v, off, &next)) != TOK_BAD && tok != FDT_END) {
        if (tok == FDT_BEGIN_NODE)
            return off;
        off = next;
    }
    return DT_ERR_NOTFOUND;
}

/* Descend from the root into the child whose subtree holds node. This
 * needs no stack (so no depth limit); the cost is one pass over the
 * blob, which is fine for a call that is rare. */
int dt_parent(const void *dt, int node)
{
    struct view v = view_of(dt);
    int cur = node_at(&v, 0);

    if (cur < 0 || node <= cur || !is_node(&v, node))
        return DT_ERR_NOTFOUND;
    for (;;) {
        int off = after_props(&v, cur), end;
        if (off < 0 || node < off)
            return DT_ERR_NOTFOUND;     /* node lies inside cur's properties */
        for (;; off = end) {
            off = node_at(&v, off);
            if (off < 0)
                return DT_ERR_NOTFOUND;
            if (off == node)
                return cur;
            if ((end = subtree_end(&v, off)) < 0)
                return DT_ERR_NOTFOUND;
            if (node < end)
                break;
        }
        cur = off;
    }
}

const char *dt_name(const void *dt, int node)
{
    struct view v = view_of(dt);

    return is_node(&v, node) ? (const char *)v.st + node + 4 : NULL;
}

/* ---- properties ---- */

/* Name and value of the property token at off; false when its name lies
 * outside the strings block. */
static bool prop_decode(const struct view *v, int off, const char **name,
                        const void **value, int *len)
{
    uint32_t nameoff = be32(v->st + off + 8);

    if (nameoff >= v->str_size || !memchr(v->str + nameoff, 0, v->str_size - nameoff))
        return false;
    *name = v->str + nameoff;
    *value = v->st + off + 12;
    *len = (int)be32(v->st + off + 4);
    return true;
}

int dt_prop_at(const void *dt, int node, int idx, const char **name,
               const void **value, int *len)
{
    struct view v = view_of(dt);
    int off, next;
    uint32_t tok;

    if (idx < 0 || tok_at(&v, node, &off) != FDT_BEGIN_NODE)
        return DT_ERR_NOTFOUND;
    while ((tok = tok_at(&v, off, &next)) == FDT_PROP || tok == FDT_NOP) {
        if (tok == FDT_PROP && idx-- == 0)
            return prop_decode(&v, off, name, value, len) ? 0 : DT_ERR_BADBLOB;
        off = next;
    }
    return DT_ERR_NOTFOUND;
}

const void *dt_prop(const void *dt, int node, const char *name, int *len)
{
    struct view v = view_of(dt);
    int off, next;
    uint32_t tok;

    if (tok_at(&v, node, &off) != FDT_BEGIN_NODE)
        return NULL;
    while ((tok = tok_at(&v, off, &next)) == FDT_PROP || tok == FDT_NOP) {
        const char *pname;
        const void *value;
        int plen;
        if (tok == FDT_PROP && prop_decode(&v, off, &pname, &value, &plen) &&
            !strcmp(pname, name)) {
            if (len)
                *len = plen;
            return value;
        }
        off = next;
    }
    return NULL;
}

bool dt_has_prop(const void *dt, int node, const char *name)
{
    return dt_prop(dt, node, name, NULL) != NULL;
}

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

    return p && len > 0 && memchr(p, 0, (size_t)len) ? p : NULL;
}

bool dt_prop_has_str(const void *dt, int node, const char *name, const char *str)
{
    int len;
    const char *p = dt_prop(dt, node, name, &len);
    size_t want = strlen(str) + 1;      /* compare the NUL too */

    while (p && len > 0) {
        const char *nul = memchr(p, 0, (size_t)len);
        if (!nul)
            return false;               /* an unterminated tail is not a string */
        size_t n = (size_t)(nul - p) + 1;
        if (n == want && !memcmp(p, str, n))
            return true;
        p += n;
        len -= (int)n;
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

/* "phandle", or the older "linux,phandle" when "phandle" is absent or not
 * one cell; 0 when neither. */
static uint32_t node_phandle(const void *dt, int node)
{
    uint32_t ph;

    if (dt_prop_u32(dt, node, "phandle", &ph) == 0 ||
        dt_prop_u32(dt, node, "linux,phandle", &ph) == 0)
        return ph;
    return 0;
}

int dt_find_phandle(const void *dt, uint32_t phandle)
{
    if (phandle == 0 || phandle == 0xffffffffu)
        return DT_ERR_NOTFOUND;         /* "no phandle" and "invalid" */
    for (int node = dt_root(dt); node >= 0; node = dt_next_node(dt, node))
        if (node_phandle(dt, node) == phandle)
            return node;
    return DT_ERR_NOTFOUND;
}

/* A status that is present but not a string counts as unavailable: a
 * corrupt property must not switch a device on. */
bool dt_is_available(const void *dt, int node)
{
    const char *s;

    if (!dt_has_prop(dt, node, "status"))
        return true;
    s = dt_prop_str(dt, node, "status");
    return s && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

/* ---- paths ---- */

/* The child of parent named comp[0, len): an exact match wins; a component
 * without '@' otherwise matches "comp@unit" when exactly one child has
 * that base name ("/cpus/cpu" is ambiguous and not found). */
static int child_by_name(const struct view *v, int parent, const char *comp, size_t len)
{
    int off = after_props(v, parent), only = DT_ERR_NOTFOUND, matches = 0, end;
    bool unitless = !memchr(comp, '@', len);

    for (off = off < 0 ? -1 : node_at(v, off); off >= 0; off = node_at(v, end)) {
        const char *name = (const char *)v->st + off + 4;
        if (!strncmp(name, comp, len)) {
            if (name[len] == 0)
                return off;
            if (unitless && name[len] == '@') {
                only = off;
                matches++;
            }
        }
        if ((end = subtree_end(v, off)) < 0)
            break;
    }
    return matches == 1 ? only : DT_ERR_NOTFOUND;
}

/* Follow the '/'-separated components of path[0, len) down from node. */
static int walk_path(const struct view *v, int node, const char *path, size_t len)
{
    size_t i = 0;

    while (node >= 0 && i < len) {
        if (path[i] == '/') {
            i++;
            continue;
        }
        size_t n = 0;
        while (i + n < len && path[i + n] != '/')
            n++;
        node = child_by_name(v, node, path + i, n);
        i += n;
    }
    return node < 0 ? DT_ERR_NOTFOUND : node;
}

/* The string value of alias name[0, len) in /aliases, or NULL. */
static const char *alias_value(const void *dt, const struct view *v, const char *name, size_t len)
{
    int aliases = child_by_name(v, node_at(v, 0), "aliases", 7);
    const char *pname, *value;
    const void *raw;
    int plen;

    for (int i = 0; aliases >= 0 && dt_prop_at(dt, aliases, i, &pname, &raw, &plen) == 0; i++) {
        value = raw;
        if (strlen(pname) == len && !memcmp(pname, name, len) && plen > 0 &&
            memchr(value, 0, (size_t)plen))
            return value;
    }
    return NULL;
}

/* An absolute path, or an alias optionally followed by "/more/components";
 * an alias's value may itself start with another alias. */
static int resolve_path(const void *dt, const struct view *v, const char *path, size_t len,
                        int depth)
{
    size_t n = 0;
    const char *target;
    int node;

    if (len == 0)
        return DT_ERR_NOTFOUND;
    if (path[0] == '/')
        return walk_path(v, node_at(v, 0), path, len);
    while (n < len && path[n] != '/')
        n++;
    if (depth >= ALIAS_DEPTH || !(target = alias_value(dt, v, path, n)))
        return DT_ERR_NOTFOUND;
    node = resolve_path(dt, v, target, strlen(target), depth + 1);
    return walk_path(v, node, path + n, len - n);
}

/* A ':' ends the path: stdout-path carries options after it
 * ("serial0:115200n8"), and node and alias names never contain one. */
int dt_path(const void *dt, const char *path)
{
    struct view v = view_of(dt);

    if (!path)
        return DT_ERR_NOTFOUND;
    return resolve_path(dt, &v, path, strcspn(path, ":"), 0);
}

/* ---- addresses ---- */

static uint32_t cells_or(const void *dt, int node, const char *name, uint32_t dflt)
{
    uint32_t v;

    return dt_prop_u32(dt, node, name, &v) == 0 ? v : dflt;
}

uint32_t dt_addr_cells(const void *dt, int node)
{
    return cells_or(dt, node, "#address-cells", 2);
}

uint32_t dt_size_cells(const void *dt, int node)
{
    return cells_or(dt, node, "#size-cells", 1);
}

uint64_t dt_read_cells(const void *p, uint32_t cells)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    if (cells > 2) {                    /* keep the low 64 bits */
        b += 4 * (cells - 2);
        cells = 2;
    }
    for (uint32_t i = 0; i < cells; i++)
        v = v << 32 | be32(b + 4 * i);
    return v;
}

/* PCI buses (#address-cells = 3): the high cell of an address is phys.hi,
 * whose bits 25:24 give the space (0 config, 1 I/O, 2 32-bit memory,
 * 3 64-bit memory) and the low two cells the address within it. Ranges
 * are matched on the low two cells only; when the space of the address is
 * known (a PCI child's reg) it must also agree, with both memory codes one
 * space, and config space has no CPU address at all. */
#define SPACE_UNKNOWN   (-1)
#define PCI_SPACE(hi)   ((int)(((hi) >> 24) & 3))

struct bus_addr {
    uint64_t addr;
    int space;                          /* PCI space code or SPACE_UNKNOWN */
};

static bool same_pci_space(int space, uint32_t range_hi)
{
    int have = PCI_SPACE(range_hi);

    if (space == SPACE_UNKNOWN)
        return true;
    return space != 0 && have != 0 && (space == 1) == (have == 1);
}

/* Cell counts we can decode into 64 bits (3 only for PCI addresses). */
static bool cells_ok(uint32_t addr_cells, uint32_t size_cells)
{
    return addr_cells >= 1 && addr_cells <= 3 && size_cells <= 2;
}

/* Move a from bus's child address space into its parent's through bus's
 * "ranges" (child address, parent address, size) triples. */
static int translate_level(const void *dt, int bus, int parent, struct bus_addr *a)
{
    int len;
    const uint8_t *r = dt_prop(dt, bus, "ranges", &len);
    uint32_t cac = dt_addr_cells(dt, bus), pac = dt_addr_cells(dt, parent);
    uint32_t sc = dt_size_cells(dt, bus), entry = 4 * (cac + pac + sc);

    if (!r)
        return DT_ERR_BADVALUE;         /* no ranges: invisible to the CPU */
    if (len == 0) {                     /* empty ranges: identity */
        if (pac != 3)
            a->space = SPACE_UNKNOWN;
        return 0;
    }
    if (!cells_ok(cac, sc) || !cells_ok(pac, 0) || (uint32_t)len % entry)
        return DT_ERR_BADVALUE;
    for (const uint8_t *e = r; e < r + len; e += entry) {
        uint64_t child = dt_read_cells(e, cac);
        uint64_t size = dt_read_cells(e + 4 * (cac + pac), sc);
        if (cac == 3 && !same_pci_space(a->space, be32(e)))
            continue;
        if (a->addr >= child && a->addr - child < size) {
            a->addr = dt_read_cells(e + 4 * cac, pac) + (a->addr - child);
            a->space = pac == 3 ? PCI_SPACE(be32(e + 4 * cac)) : SPACE_UNKNOWN;
            return 0;
        }
    }
    return DT_ERR_BADVALUE;
}

/* Translate a from bus's child side up to the root (CPU physical). */
static int translate_up(const void *dt, int bus, struct bus_addr a, uint64_t *out)
{
    int root = dt_root(dt);

    if (bus < 0 || root < 0)
        return DT_ERR_BADVALUE;
    while (bus != root) {
        int parent = dt_parent(dt, bus);
        if (parent < 0 || translate_level(dt, bus, parent, &a) != 0)
            return DT_ERR_BADVALUE;
        bus = parent;
    }
    *out = a.addr;
    return 0;
}

int dt_translate(const void *dt, int node, uint64_t addr, uint64_t *out)
{
    struct bus_addr a = { addr, SPACE_UNKNOWN };

    return translate_up(dt, node, a, out);
}

/* PCI host bridge ranges: the layout is fixed by the PCI binding (3-cell
 * child address, 2-cell size) whatever the node's own cell counts say.
 * The parent address goes up as dt_translate takes it, except that on a
 * PCI parent (#address-cells 3: a PCI-PCI bridge) it keeps its space code,
 * as a reg there does. A parent #address-cells outside 1..3, or no parent
 * (the root), gives DT_ERR_BADVALUE for every entry. On DT_ERR_BADVALUE
 * every field but cpu_addr (0) is still filled in. */
int dt_pci_range(const void *dt, int node, int idx, struct dt_pci_range *out)
{
    int len, parent = dt_parent(dt, node);
    const uint8_t *r = dt_prop(dt, node, "ranges", &len);
    uint32_t pac = parent >= 0 ? dt_addr_cells(dt, parent) : 2;
    uint64_t entry = 4 * (3 + (uint64_t)pac + 2);       /* pac may be anything */
    struct bus_addr a;

    if (!r || idx < 0 || (uint64_t)idx >= (uint64_t)len / entry)
        return DT_ERR_NOTFOUND;
    const uint8_t *e = r + (size_t)idx * (size_t)entry;
    uint32_t hi = be32(e);
    out->space = (hi >> 24) & 3;
    out->prefetchable = (hi >> 30) & 1;
    out->pci_addr = dt_read_cells(e + 4, 2);
    out->size = dt_read_cells(e + 4 * (3 + pac), 2);
    out->cpu_addr = 0;
    if (!cells_ok(pac, 0))
        return DT_ERR_BADVALUE;
    a.addr = dt_read_cells(e + 12, pac);
    a.space = pac == 3 ? PCI_SPACE(be32(e + 12)) : SPACE_UNKNOWN;
    return translate_up(dt, parent, a, &out->cpu_addr);    /* writes only on success */
}

/* node's reg, its parent and its entry layout. Returns 0, DT_ERR_NOTFOUND
 * (no reg, or the root) or DT_ERR_BADVALUE (unusable cells or length). */
struct reg_layout {
    const uint8_t *reg;
    int parent, count;
    uint32_t ac, sc;
};

static int reg_layout(const void *dt, int node, struct reg_layout *l)
{
    int len;
    uint32_t entry;

    l->parent = dt_parent(dt, node);
    if (l->parent < 0 || !(l->reg = dt_prop(dt, node, "reg", &len)))
        return DT_ERR_NOTFOUND;
    l->ac = dt_addr_cells(dt, l->parent);
    l->sc = dt_size_cells(dt, l->parent);
    entry = 4 * (l->ac + l->sc);
    if (!cells_ok(l->ac, l->sc) || (uint32_t)len % entry)
        return DT_ERR_BADVALUE;
    l->count = (int)((uint32_t)len / entry);
    return 0;
}

int dt_reg_count(const void *dt, int node)
{
    struct reg_layout l;

    return reg_layout(dt, node, &l) == 0 ? l.count : 0;
}

int dt_reg(const void *dt, int node, int idx, uint64_t *addr, uint64_t *size)
{
    struct reg_layout l;
    struct bus_addr a;
    int err = reg_layout(dt, node, &l);

    if (err)
        return err;
    if (idx < 0 || idx >= l.count)
        return DT_ERR_NOTFOUND;
    const uint8_t *e = l.reg + (size_t)idx * 4 * (l.ac + l.sc);
    a.addr = dt_read_cells(e, l.ac);
    a.space = l.ac == 3 ? PCI_SPACE(be32(e)) : SPACE_UNKNOWN;
    *size = dt_read_cells(e + 4 * l.ac, l.sc);
    return translate_up(dt, l.parent, a, addr);
}

static bool is_memory_node(const void *dt, int node)
{
    const char *type = dt_prop_str(dt, node, "device_type");

    return type && !strcmp(type, "memory") && dt_is_available(dt, node);
}

/* ---- interrupt-map ---- */

static bool masked_equal(const uint8_t *entry, const uint32_t *want, const uint8_t *mask,
                         uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m = mask ? be32(mask + 4 * i) : 0xffffffffu;
        if ((be32(entry + 4 * i) & m) != (want[i] & m))
            return false;
    }
    return true;
}

/* A controller and its specifier (cells big-endian words at spec) into out. */
static int take_irq(int ctrl, uint32_t cells, const uint8_t *spec, struct dt_irq *out)
{
    out->parent = ctrl;
    out->cells = cells;
    for (uint32_t i = 0; i < cells; i++)
        out->spec[i] = be32(spec + 4 * i);
    return 0;
}

int dt_interrupt_map(const void *dt, int node, const uint32_t *addr, uint32_t naddr,
                     const uint32_t *irq, uint32_t nirq, struct dt_irq *out)
{
    uint32_t ac = cells_or(dt, node, "#address-cells", 2), ic = cells_or(dt, node, "#interrupt-cells", 1);
    uint32_t want[8];
    int len, mlen;
    const uint8_t *map = dt_prop(dt, node, "interrupt-map", &len);
    const uint8_t *mask = dt_prop(dt, node, "interrupt-map-mask", &mlen);

    if (!map)
        return DT_ERR_NOTFOUND;
    if (ac != naddr || ic != nirq || ac + ic > sizeof(want) / sizeof(want[0]) ||
        (mask && (uint32_t)mlen != 4 * (ac + ic)))
        return DT_ERR_BADVALUE;
    for (uint32_t i = 0; i < ac + ic; i++)
        want[i] = i < ac ? addr[i] : irq[i - ac];
    for (const uint8_t *e = map, *end = map + len; e + 4 * (ac + ic + 1) <= end;) {
        const uint8_t *p = e + 4 * (ac + ic);
        int parent = dt_find_phandle(dt, be32(p));
        if (parent < 0)
            return DT_ERR_BADVALUE;
        uint32_t pac = cells_or(dt, parent, "#address-cells", 0);
        uint32_t pic = cells_or(dt, parent, "#interrupt-cells", 1);
        const uint8_t *spec = p + 4 + 4 * pac;
        if (pic > DT_MAX_IRQ_CELLS || spec + 4 * pic > end)
            return DT_ERR_BADVALUE;
        if (masked_equal(e, want, mask, ac + ic))
            return take_irq(parent, pic, spec, out);
        e = spec + 4 * pic;
    }
    return DT_ERR_NOTFOUND;
}

/* ---- a node's own interrupts ---- */

/* #interrupt-cells of controller ctrl, which must be 1..DT_MAX_IRQ_CELLS. */
static int irq_cells(const void *dt, int ctrl, uint32_t *cells)
{
    if (ctrl < 0 || dt_prop_u32(dt, ctrl, "#interrupt-cells", cells) || !*cells ||
        *cells > DT_MAX_IRQ_CELLS)
        return DT_ERR_BADVALUE;
    return 0;
}

/* The node "interrupt-parent" names: the node's own or the nearest
 * ancestor's (ePAPR 2.4.1). */
static int irq_parent(const void *dt, int node)
{
    uint32_t ph;

    for (; node >= 0; node = dt_parent(dt, node)) {
        if (!dt_has_prop(dt, node, "interrupt-parent"))
            continue;
        if (dt_prop_u32(dt, node, "interrupt-parent", &ph))
            return DT_ERR_BADVALUE;
        node = dt_find_phandle(dt, ph);
        return node >= 0 ? node : DT_ERR_BADVALUE;
    }
    return DT_ERR_NOTFOUND;
}

int dt_irq_of(const void *dt, int node, int idx, struct dt_irq *out)
{
    int len, ctrl;
    uint32_t cells;
    const uint8_t *p = dt_prop(dt, node, "interrupts-extended", &len), *end;

    if (idx < 0)
        return DT_ERR_NOTFOUND;
    if (p) {
        for (end = p + len; p < end; p += 4 * (1 + cells), idx--) {
            if (p + 4 > end || irq_cells(dt, ctrl = dt_find_phandle(dt, be32(p)), &cells) ||
                p + 4 * (1 + cells) > end)
                return DT_ERR_BADVALUE;
            if (idx == 0)
                return take_irq(ctrl, cells, p + 4, out);
        }
        return DT_ERR_NOTFOUND;
    }
    if (!(p = dt_prop(dt, node, "interrupts", &len)))
        return DT_ERR_NOTFOUND;
    if ((ctrl = irq_parent(dt, node)) < 0)
        return ctrl;
    if (irq_cells(dt, ctrl, &cells) || len % (4 * cells))
        return DT_ERR_BADVALUE;
    if ((unsigned)idx >= len / (4 * cells))
        return DT_ERR_NOTFOUND;
    return take_irq(ctrl, cells, p + 4 * cells * (unsigned)idx, out);
}

int dt_memory_bank(const void *dt, int idx, uint64_t *addr, uint64_t *size)
{
    if (idx < 0)
        return DT_ERR_NOTFOUND;
    for (int node = dt_root(dt); node >= 0; node = dt_next_node(dt, node)) {
        if (!is_memory_node(dt, node))
            continue;
        int n = dt_reg_count(dt, node);
        if (idx < n)
            return dt_reg(dt, node, idx, addr, size);
        idx -= n;
    }
    return DT_ERR_NOTFOUND;
}
